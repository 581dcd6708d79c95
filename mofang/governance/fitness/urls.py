"""体质健康: pages."""

from django.urls import path

from . import views

app_name = "fitness"
urlpatterns = [
    path("", views.index, name="index"),
    path("classes/", views.classes, name="classes"),
    path("classes/<id:pk>/", views.class_sheet, name="class"),
    path("students/<id:pk>/", views.student_report, name="student"),
    path("students/<id:pk>/pdf/", views.student_pdf, name="student_pdf"),
    path("my/", views.my_children, name="my"),
    path("rates/", views.rates_page, name="rates"),
]
