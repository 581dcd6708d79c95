"""教育资源 — SPEC §3.11 (seeds 002, 004): 共享优课 catalogue, 云校 live schedules, 问道名师 Q&A, view and like counters."""

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "mofang.resources.lessons"
    label = "lessons"
    verbose_name = "教育资源"

    def ready(self):
        pass
