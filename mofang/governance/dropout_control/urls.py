from django.urls import path

from . import views

app_name = "dropout_control"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_register, name="import"),
    path("county/<id:county_id>/", views.county, name="county"),
    path("county/<id:county_id>/rematch/", views.rematch, name="rematch"),
    path("cases/<id:pk>/", views.case_detail, name="case"),
]
