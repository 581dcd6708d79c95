"""政令一键智达: pages."""

app_name = "directives"
urlpatterns: list = []
