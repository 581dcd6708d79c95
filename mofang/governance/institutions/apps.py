"""校外培训机构监管 — SPEC §3.6 (seeds 002, 003, 004): registry, classified approval, inspections and 暗访, 黑白名单, 有奖举报, 预收费资金监管."""
from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "mofang.governance.institutions"
    label = "institutions"
    verbose_name = "校外培训机构监管"

    def ready(self):
        from mofang.platform.cases.registry import CASE_TYPES, register_case_type
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.jobs.services import PeriodicJob, register_periodic

        from . import importers, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import ALL
        from .demo import build

        menu.register()
        importers.register()
        for ct in ALL:
            if CASE_TYPES.get(ct.code) is not ct:
                register_case_type(ct)
        # decisions taken on the engine's generic case page reach the registry within minutes
        register_periodic(PeriodicJob(name="institutions.sync_cases", title="培训机构审批与整改结果同步",
                                      period_of=_five_minutes, run=_sync))
        register_demo("institutions", build)


def _five_minutes(now) -> str:
    return now.strftime("%Y%m%d%H") + f"{now.minute // 5:02d}"


def _sync(period: str) -> None:
    from .services import sync_decisions, sync_rectifications

    sync_decisions()
    sync_rectifications()
