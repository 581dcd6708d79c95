"""校外培训机构监管 — SPEC §3.6 (seeds 002, 003, 004): registry, classified approval, inspections and 暗访, 黑白名单, 有奖举报, 预收费资金监管."""

from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "mofang.governance.institutions"
    label = "institutions"
    verbose_name = "校外培训机构监管"

    def ready(self):
        from mofang.platform.cases.registry import CASE_TYPES, register_case_type
        from mofang.platform.cases.routing import register_routing_table
        from mofang.platform.demo.registry import register_demo

        from . import importers, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import ALL, APPLICATION_ROUTES
        from .demo import build

        menu.register()
        importers.register()
        for ct in ALL:
            if CASE_TYPES.get(ct.code) is not ct:
                register_case_type(ct)
        register_routing_table(APPLICATION_ROUTES)
        register_demo("institutions", build)
