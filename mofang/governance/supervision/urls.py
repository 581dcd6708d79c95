"""/supervision/ — mounted by the root URLconf (app_name "supervision"). /supervision/public/ is public."""

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/<id:pk>/adopt/", views.adopt, name="adopt"),
    path("visits/", views.VisitList.as_view(), name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<id:pk>/", views.visit_detail, name="visit_detail"),
    path("findings/<id:pk>/notice/", views.issue_notice, name="issue_notice"),
    path("rectifications/", views.RectificationList.as_view(), name="rectification_list"),
    path("rectifications/<id:pk>/", views.rectification_detail, name="rectification"),
    path("rectifications/<id:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("rectifications/<id:pk>/order.pdf", views.order_pdf, name="order_pdf"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/new/", views.checklist_new, name="checklist_new"),
    path("checklists/<id:pk>/", views.checklist_detail, name="checklist"),
    path("checklists/<id:pk>/copy/", views.checklist_copy, name="checklist_copy"),
    path("inspectors/", views.inspector_roster, name="inspectors"),
    path("inspectors/<id:pk>/", views.inspector_change, name="inspector_change"),
    path("public/", views.public, name="public"),
]
