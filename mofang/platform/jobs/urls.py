from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobList.as_view(), name="list"),
    path("<id:pk>/", views.job_detail, name="detail"),
    path("<id:pk>/file/", views.job_file, name="file"),
]
