from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout, name="logout"),
    path("otp/", views.otp, name="otp"),
    path("phone/", views.phone, name="phone"),
]
