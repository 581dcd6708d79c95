from django.urls import path

from .views import pages

app_name = "cases"
urlpatterns = [
    path("", pages.CaseList.as_view(), name="index"),
    path("t/<str:code>/", pages.CaseList.as_view(), name="type_list"),
    path("t/<str:code>/report/", pages.case_report_page, name="report"),
    path("<id:pk>/", pages.case_detail, name="detail"),
    path("attachments/<id:pk>/", pages.attachment_download, name="attachment"),
]
