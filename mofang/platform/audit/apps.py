from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "mofang.platform.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from mofang.platform.dbutils import install_sqlite_functions

        connection_created.connect(install_sqlite_functions, dispatch_uid="mofang_sqlite_functions")
