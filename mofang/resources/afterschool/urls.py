"""课后服务: pages."""

app_name = "afterschool"
urlpatterns: list = []
