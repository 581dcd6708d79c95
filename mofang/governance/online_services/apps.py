"""一网通办 — SPEC §3.12 (seed 004): a catalogue of education services as data (转学, 休学, 复学,
学籍证明, 在读证明 …), each application a case on the closed-loop engine (受理 → 审核 → 办结/退回),
changing the roll through its service functions; certificates with a public verification page."""

from django.apps import AppConfig


class OnlineServicesConfig(AppConfig):
    name = "mofang.governance.online_services"
    label = "online_services"
    verbose_name = "一网通办"

    def ready(self):
        from mofang.platform.cases.registry import CASE_TYPES, register_case_type
        from mofang.platform.demo.registry import register_demo

        from . import importers, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import ALL
        from .demo import build

        menu.register()
        importers.register()
        for ct in ALL:
            if CASE_TYPES.get(ct.code) is not ct:
                register_case_type(ct)
        register_demo("online_services", build)
