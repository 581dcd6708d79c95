"""清单管理 — SPEC §3.9 (seeds 003, 004): annual work-plan lists (攻坚清单, 任务清单, 40 工作要点), monthly progress, items measured from indicators, the year-end 成绩单."""
from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    name = "mofang.governance.workplans"
    label = "workplans"
    verbose_name = "清单管理"

    def ready(self):
        pass
