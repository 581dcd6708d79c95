"""/institutions/ — mounted by the root URLconf (app_name "institutions").

Case work (claiming, handling, timeline, attachments) happens on the engine's generic case page
(/cases/<pk>/); the public pages (/institutions/public/…) need no login."""

from django.urls import path

from .views import approval, fees, inspections, lists, registry, reports

app_name = "institutions"
urlpatterns = [
    path("", registry.InstitutionList.as_view(), name="list"),
    path("new/", registry.edit, name="new"),
    path("<id:pk>/", registry.detail, name="detail"),
    path("<id:pk>/edit/", registry.edit, name="edit"),
    path("<id:pk>/status/", registry.change_status, name="status"),
    path("<id:pk>/sites/", registry.add_site, name="add_site"),
    path("<id:pk>/sites/<id:site_pk>/delete/", registry.remove_site, name="remove_site"),
    path("<id:pk>/teachers/", registry.add_teacher, name="add_teacher"),
    path("<id:pk>/teachers/<id:teacher_pk>/delete/", registry.remove_teacher, name="remove_teacher"),
    path("<id:pk>/apply/", registry.apply, name="apply"),
    path("<id:pk>/inspect/", registry.inspect, name="inspect"),
    path("<id:pk>/fees/account/", registry.save_account, name="save_account"),
    path("<id:pk>/fees/charges/", registry.add_charge, name="add_charge"),
    path("applications/", approval.ApplicationList.as_view(), name="applications"),
    path("applications/<id:pk>/", approval.application, name="application"),
    path("applications/<id:pk>/decide/", approval.decide, name="decide"),
    path("routes/", approval.routes_index, name="routes"),
    path("routes/<id:pk>/", approval.routes_county, name="routes_county"),
    path("inspections/", inspections.InspectionList.as_view(), name="inspections"),
    path("inspections/<id:pk>/close/", inspections.close_rectification, name="close_rectification"),
    path("lists/", lists.ListEntryList.as_view(), name="lists"),
    path("lists/new/", lists.new_entry, name="list_new"),
    path("lists/<id:pk>/end/", lists.end_entry, name="list_end"),
    path("reports/", reports.ReportList.as_view(), name="reports"),
    path("reports/<id:pk>/", reports.report, name="report"),
    path("reports/<id:pk>/reward/", reports.reward, name="reward"),
    path("fees/", fees.ChargeList.as_view(), name="charges"),
    path("fees/flagged/", fees.FlaggedChargeList.as_view(), name="flagged"),
    path("fees/limits/", fees.limits, name="limits"),
    path("fees/limits/<id:pk>/", fees.set_limit, name="set_limit"),
    path("public/lists/", lists.public_lists, name="public_lists"),
    path("public/report/", reports.public_report, name="public_report"),
    path("public/query/", reports.public_query, name="public_query"),
]
