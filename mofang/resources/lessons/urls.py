"""教育资源: pages."""

from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("", views.catalogue, name="index"),
    path("new/", views.new, name="new"),
    path("mine/", views.MyLessons.as_view(), name="mine"),
    path("review/", views.ReviewQueue.as_view(), name="review_queue"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/media/", views.media, name="media"),
    path("<id:pk>/play/", views.play, name="play"),
    path("<id:pk>/like/", views.like, name="like"),
    path("<id:pk>/review/", views.review, name="review"),
    path("<id:pk>/live/new/", views.live_new, name="live_new"),
    path("live/", views.live, name="live"),
    path("qa/", views.qa, name="qa"),
    path("qa/new/", views.qa_new, name="qa_new"),
    path("qa/<id:pk>/", views.qa_session, name="qa_session"),
    path("qa/questions/<id:pk>/answer/", views.qa_answer, name="qa_answer"),
]
