"""视力健康: pages."""

from django.urls import path

from . import views

app_name = "vision"
urlpatterns = [
    path("", views.index, name="index"),
    path("classes/", views.classes, name="classes"),
    path("classes/<id:pk>/", views.class_entry, name="class_entry"),
    path("screenings/<id:pk>/", views.screening_detail, name="screening"),
    path("rates/", views.rates, name="rates"),
    path("my/", views.my, name="my"),
]
