from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "mofang.governance.timebank"
    label = "timebank"
    verbose_name = "教师时间银行"

    def ready(self):
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.jobs.services import register_job_kind, register_periodic

        from . import api, facts, importers, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build
        from .services import MONTHLY_STATEMENTS

        importers.register()
        facts.register()
        indicators.register()
        menu.register()
        api.register()
        register_periodic(MONTHLY_STATEMENTS)
        # regenerating a month rewrites the same statements and texts only new or changed ones
        register_job_kind("timebank:statements", "月度对账单", retry_safe=True)
        register_demo("timebank", build)
