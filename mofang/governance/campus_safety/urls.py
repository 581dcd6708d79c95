"""/campus_safety/ — mounted by the root URLconf (app_name "campus_safety").

Each hazard opens on the engine's generic case page (/cases/<pk>/: timeline and buttons)."""

from django.urls import path

from mofang.platform.cases.views.routes import urlpatterns_for as routing_table_pages

from .cases import CODE
from .views import checklist, dashboard, hazards, visits

app_name = "campus_safety"
urlpatterns = [
    path("", hazards.HazardList.as_view(), name="hazards"),
    path("report/", hazards.report, name="report"),
    *routing_table_pages(CODE),  # 分派规则: the engine's routing table page for our table
    path("checklist/", checklist.school_page, name="checklist"),
    path("checklist/overview/", checklist.overview, name="checklist_overview"),
    path("dashboard/", dashboard.index, name="dashboard"),
    path("visits/", visits.VisitList.as_view(), name="visits"),
    path("visits/new/", visits.new_visit, name="visit_new"),
]
