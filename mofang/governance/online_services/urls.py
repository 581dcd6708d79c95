from django.urls import path

from . import views

app_name = "online_services"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/<id:pk>/", views.mine_detail, name="mine_detail"),
    path("apply/<str:code>/", views.apply_view, name="apply"),
    path("bundles/apply/<str:code>/", views.bundle_apply, name="bundle_apply"),
    path("bundles/<id:pk>/", views.bundle_detail, name="bundle_detail"),
    path("desk/", views.DeskList.as_view(), name="desk"),
    path("desk/<id:pk>/", views.desk_detail, name="desk_detail"),
    path("catalogue/", views.CatalogueList.as_view(), name="catalogue"),
    path("certificates/<id:pk>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/", views.verify_view, name="verify"),
]
