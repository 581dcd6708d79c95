"""教师发展 — SPEC §3.13 (seeds 002, 003): teacher points from records the platform holds, the growth ladder, 名师工作室."""

from django.apps import AppConfig


class TeacherDevConfig(AppConfig):
    name = "mofang.governance.teacher_dev"
    label = "teacher_dev"
    verbose_name = "教师发展"

    def ready(self):
        pass
