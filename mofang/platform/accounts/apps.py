from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils import timezone


class AccountsConfig(AppConfig):
    name = "mofang.platform.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from . import roles  # noqa: F401  (registers the core roles and permissions)
        from .roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)

        from . import access

        access.connect()  # what raises a user's access version (the key of its cached memberships)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="accounts.mark_session_fresh")

        from axes.signals import user_locked_out

        from . import importers, menu, todos  # noqa: F401  (register the import template, menu, to-dos)
        from .services import clear_lock_on_login, note_locked_out

        user_locked_out.connect(note_locked_out, dispatch_uid="accounts.note_locked_out")
        user_logged_in.connect(clear_lock_on_login, dispatch_uid="accounts.clear_lock_on_login")

        from mofang.platform.jobs.services import PeriodicJob, register_periodic

        from .ratelimit import purge_stale

        register_periodic(
            PeriodicJob(
                "accounts.ratelimit_purge",
                "清理过期的限流计数",
                lambda now: f"{timezone.localtime(now):%Y-%m-%d}",
                lambda day: purge_stale(),
            )
        )

        from mofang.platform.demo.registry import register_demo

        from .demo import build

        register_demo("accounts", build)
