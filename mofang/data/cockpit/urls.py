"""教育智治一张图: pages."""

from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("data/", views.data, name="data"),
]
