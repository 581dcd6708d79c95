"""/mentalhealth/ — mounted by the root URLconf (app_name "mentalhealth")."""

from django.urls import path

from . import views

app_name = "mentalhealth"
urlpatterns = [
    path("", views.index, name="index"),
    path("answer/", views.answer_start, name="answer_start"),
    path("answer/<str:code>/", views.answer, name="answer"),
    path("campaigns/", views.CampaignList.as_view(), name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<id:pk>/", views.campaign_detail, name="campaign"),
    path("assignments/", views.AssignmentList.as_view(), name="assignments"),
    path("assignments/<id:pk>/delete/", views.unassign, name="unassign"),
    path("students/", views.MyStudents.as_view(), name="my_students"),
    path("screenings/<id:pk>/", views.screening_detail, name="screening"),
    path("alerts/", views.AlertList.as_view(), name="alerts"),
    path("alerts/<id:pk>/", views.alert_detail, name="alert"),
    path("summary/", views.summary, name="summary"),
    path("cases/<id:pk>/", views.case_detail, name="case"),
    path("hotline/", views.HotlineList.as_view(), name="hotline"),
    path("hotline/new/", views.hotline_new, name="hotline_new"),
    path("hotline/<id:pk>/", views.hotline_call, name="hotline_call"),
]
