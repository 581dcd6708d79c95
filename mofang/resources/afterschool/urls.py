"""课后服务: pages."""

from django.urls import path

from . import views

app_name = "afterschool"
urlpatterns = [
    path("", views.index, name="index"),
    path("terms/", views.terms, name="terms"),
    path("terms/new/", views.term_new, name="term_new"),
    path("terms/<id:pk>/", views.term_detail, name="term"),
    path("terms/<id:pk>/courses/", views.course_new, name="course_new"),
    path("terms/<id:pk>/lottery/", views.lottery, name="lottery"),
    path("courses/<id:pk>/", views.course_detail, name="course"),
    path("select/", views.children, name="children"),
    path("select/<id:pk>/", views.choose, name="choose"),
    path("select/<id:pk>/survey/", views.survey, name="survey"),
    path("roll/", views.roll_today, name="roll_today"),
    path("roll/<id:pk>/", views.roll, name="roll"),
    path("indicators/", views.indicators, name="indicators"),
]
