from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobList.as_view(), name="list"),
    path("failed/", views.FailedJobList.as_view(), name="failed"),
    path("<id:pk>/", views.job_detail, name="detail"),
    path("<id:pk>/retry/", views.job_retry, name="retry"),
    path("<id:pk>/file/", views.job_file, name="file"),
]
