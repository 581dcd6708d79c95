from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout, name="logout"),
    path("otp/", views.otp, name="otp"),
    path("phone/", views.phone, name="phone"),
    path("unlock/", views.unlock, name="unlock"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.UserList.as_view(), name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:pk>/", views.user_detail, name="user_detail"),
    path("users/<id:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<id:pk>/deactivate/", views.user_set_active, {"active": 0}, name="user_deactivate"),
    path("users/<id:pk>/reactivate/", views.user_set_active, {"active": 1}, name="user_reactivate"),
    path("users/<id:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<id:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<id:pk>/grant/", views.user_grant, name="user_grant"),
    path("users/<id:pk>/revoke/<id:membership_pk>/", views.user_revoke, name="user_revoke"),
]
