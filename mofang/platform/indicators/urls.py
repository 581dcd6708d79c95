"""指标: pages."""

app_name = "indicators"
urlpatterns: list = []
