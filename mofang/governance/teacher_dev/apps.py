"""教师发展 — SPEC §3.13 (seeds 002, 003): teacher points from records the platform holds, the growth ladder, 名师工作室."""

from django.apps import AppConfig


class TeacherDevConfig(AppConfig):
    name = "mofang.governance.teacher_dev"
    label = "teacher_dev"
    verbose_name = "教师发展"

    def ready(self):
        from mofang.platform.cases.registry import CASE_TYPES, register_case_type
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.imports.base import register_importer

        from . import menu, roles  # noqa: F401  (roles: permissions and grants)
        from .cases import LADDER_TYPE
        from .demo import build
        from .importers import ActivityImporter

        menu.register()
        if CASE_TYPES.get(LADDER_TYPE.code) is not LADDER_TYPE:
            register_case_type(LADDER_TYPE)
        register_importer(ActivityImporter())
        register_demo("teacher_dev", build)
