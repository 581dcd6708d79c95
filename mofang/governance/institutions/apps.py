"""校外培训机构监管 — SPEC §3.6 (seeds 002, 003, 004): registry, classified approval, inspections and 暗访, 黑白名单, 有奖举报, 预收费资金监管."""
from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "mofang.governance.institutions"
    label = "institutions"
    verbose_name = "校外培训机构监管"

    def ready(self):
        pass
