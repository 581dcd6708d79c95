"""综合素质评价: pages."""

from django.urls import path

from . import views

app_name = "quality_eval"
urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my, name="my"),
    path("students/<id:pk>/new/", views.entry, name="entry"),
    path("records/<id:pk>/", views.record_detail, name="record"),
    path("records/<id:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<id:pk>/review/", views.record_review, name="record_review"),
    path("evidence/<id:pk>/", views.evidence, name="evidence"),
    path("classes/", views.classes, name="classes"),
    path("classes/<id:pk>/", views.klass, name="klass"),
    path("classes/<id:pk>/publicity/", views.start_publicity, name="start_publicity"),
    path("schools/<id:pk>/pull/", views.pull, name="pull"),
    path("publicity/<id:pk>/", views.publicity, name="publicity"),
    path("publicity/<id:pk>/archive/", views.archive, name="archive"),
    path("objections/<id:pk>/resolve/", views.resolve, name="resolve"),
    path("rates/", views.rates, name="rates"),
]
