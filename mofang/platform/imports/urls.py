from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/template/", views.template, name="template"),
    path("<slug:code>/", views.upload, name="upload"),
]
