from django.urls import path

from . import pages

app_name = "api_keys"

urlpatterns = [
    path("", pages.KeyList.as_view(), name="list"),
    path("new/", pages.key_create, name="create"),
    path("<id:pk>/revoke/", pages.key_revoke, name="revoke"),
]
