"""教师发展: pages."""

from django.urls import path

from . import views

app_name = "teacher_dev"
urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my, name="my"),
    path("teachers/<id:pk>/", views.teacher, name="teacher"),
    path("teachers/<id:pk>/statement/", views.statement, name="statement"),
    path("ranking/", views.ranking, name="ranking"),
    path("rules/", views.rules, name="rules"),
    path("records/", views.records, name="records"),
    path("ladder/", views.ladder, name="ladder"),
    path("studios/", views.studios, name="studios"),
    path("studios/<id:pk>/", views.studio, name="studio"),
]
