"""/campus_safety/ — mounted by the root URLconf (app_name "campus_safety").

Each hazard opens on the engine's generic case page (/cases/<pk>/: timeline and buttons)."""

from django.urls import path

from .views import checklist, dashboard, hazards, routes, visits

app_name = "campus_safety"
urlpatterns = [
    path("", hazards.HazardList.as_view(), name="hazards"),
    path("report/", hazards.report, name="report"),
    path("routes/", routes.index, name="routes"),
    path("routes/<id:pk>/", routes.county_routes, name="routes_county"),
    path("routes/<id:pk>/delete/<id:rule_pk>/", routes.delete_rule, name="routes_delete"),
    path("checklist/", checklist.school_page, name="checklist"),
    path("checklist/overview/", checklist.overview, name="checklist_overview"),
    path("dashboard/", dashboard.index, name="dashboard"),
    path("visits/", visits.VisitList.as_view(), name="visits"),
    path("visits/new/", visits.new_visit, name="visit_new"),
]
