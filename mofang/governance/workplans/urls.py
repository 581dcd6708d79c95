"""/workplans/ — mounted by the root URLconf (app_name "workplans")."""

from django.urls import path

from . import views

app_name = "workplans"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/", views.PlanList.as_view(), name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/import/", views.plan_import, name="plan_import"),
    path("plans/<id:pk>/remind/", views.remind, name="remind"),
    path("plans/<id:pk>/scorecard/", views.scorecard, name="scorecard"),
    path("plans/<id:pk>/scorecard.pdf", views.scorecard_pdf, name="scorecard_pdf"),
    path("import-template.xlsx", views.import_template, name="import_template"),
    path("items/", views.ItemList.as_view(), name="mine"),
    path("plans/<id:pk>/items/new/", views.item_new, name="item_new"),
    path("items/<id:pk>/", views.item_detail, name="item"),
    path("items/<id:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<id:pk>/attachments/<id:att>/", views.attachment, name="attachment"),
    path("items/<id:pk>/milestones/", views.milestones, name="milestones"),
]
