"""指标: pages."""

from django.urls import path

from .views import quality, targets, values

app_name = "indicators"
urlpatterns = [
    path("", values.catalogue, name="catalogue"),
    path("targets/", targets.targets, name="targets"),
    path("rules/", quality.rules, name="rules"),
    path("violations/", quality.ViolationList.as_view(), name="violations"),
    path("import/", quality.ImportedList.as_view(), name="import"),
    path("<slug:code>/", values.detail, name="detail"),
]
