"""清单管理: pages."""

app_name = "workplans"
urlpatterns: list = []
