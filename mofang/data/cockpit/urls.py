"""教育智治一张图: pages."""

app_name = "cockpit"
urlpatterns: list = []
