"""/directives/ — mounted by the root URLconf (app_name "directives")."""

from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.index, name="index"),
    path("sent/", views.SentList.as_view(), name="sent"),
    path("new/", views.compose, name="compose"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/remind/", views.remind, name="remind"),
    path("<id:pk>/lock/", views.lock, name="lock"),
    path("<id:pk>/export.xlsx", views.export, name="export"),
    path("deliveries/", views.DeliveryList.as_view(), name="deliveries"),
    path("deliveries/<id:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<id:pk>/forward/", views.forward, name="forward"),
    path("files/<id:pk>/", views.attachment, name="attachment"),
]
