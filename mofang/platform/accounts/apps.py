from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "mofang.platform.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from . import roles  # noqa: F401  (registers the core roles and permissions)
        from .roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="accounts.mark_session_fresh")
