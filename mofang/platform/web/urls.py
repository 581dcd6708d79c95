from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("apps/", views.apps, name="apps"),
    path("me/", views.me, name="me"),
    path("watermark.svg", views.watermark, name="watermark"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/<id:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<id:pk>/children/", views.org_children, name="org_children"),
    path("orgs/<id:pk>/edit/", views.org_edit, name="org_edit"),
    path("students/<id:pk>/edit/", views.student_edit, name="student_edit"),
    path("staff/<id:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("students/", views.StudentList.as_view(), name="student_list"),
    path("students/<id:pk>/", views.student_detail, name="student_detail"),
    path("staff/", views.StaffList.as_view(), name="staff_list"),
    path("staff/<id:pk>/", views.staff_detail, name="staff_detail"),
    path("reveal/<str:kind>/<id:pk>/<str:field>/", views.reveal, name="reveal"),
    path("audit/", views.AuditList.as_view(), name="audit_list"),
    path("outbox/", views.Outbox.as_view(), name="outbox"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<id:pk>/read/", views.inbox_read, name="inbox_read"),
]
