from django.urls import path

from .views import roll

app_name = "people"
urlpatterns = [
    path("promotion/", roll.promotion_preview, name="promotion"),
    path("promotion/<int:org>/start/", roll.promotion_start, name="promotion_start"),
    path("students/<int:pk>/change/", roll.roll_change, name="roll_change"),
]
