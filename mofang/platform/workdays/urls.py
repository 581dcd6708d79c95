from django.urls import path

from .views import pages

app_name = "workdays"
urlpatterns = [path("", pages.calendar_page, name="calendar"), path("<id:pk>/delete/", pages.delete_day, name="delete")]
