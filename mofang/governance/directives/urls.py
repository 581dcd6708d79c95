"""/directives/ — mounted by the root URLconf (app_name "directives")."""

from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.index, name="index"),
    path("sent/", views.SentList.as_view(), name="sent"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/lock/", views.lock, name="lock"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("deliveries/", views.DeliveryList.as_view(), name="deliveries"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/forward/", views.forward, name="forward"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
