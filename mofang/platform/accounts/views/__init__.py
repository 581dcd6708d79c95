"""Account pages: login and second factor (auth.py), account management (users.py), the user's own
password (password.py)."""

from .auth import LoginView, logout, otp, phone, unlock
from .password import password_change
from .users import (
    UserList,
    user_create,
    user_detail,
    user_edit,
    user_grant,
    user_reset_password,
    user_revoke,
    user_set_active,
    user_unlock,
)

__all__ = [
    "LoginView",
    "UserList",
    "logout",
    "otp",
    "password_change",
    "phone",
    "unlock",
    "user_create",
    "user_detail",
    "user_edit",
    "user_grant",
    "user_reset_password",
    "user_revoke",
    "user_set_active",
    "user_unlock",
]
