from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobList.as_view(), name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/file/", views.job_file, name="file"),
]
