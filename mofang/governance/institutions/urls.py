"""校外培训机构监管: pages."""

app_name = "institutions"
urlpatterns: list = []
