"""指标 (the data core) — SPEC §1.9: indicators as data (numerator/denominator over counted facts or imported statistics), targets per org unit and year, precomputed values refreshed incrementally by the task worker, validation rules. Modules register their fact sources and shipped indicators in AppConfig.ready()."""

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "mofang.platform.indicators"
    label = "indicators"
    verbose_name = "指标"

    def ready(self):
        from django.db.models.signals import post_migrate

        from mofang.platform.demo.registry import register_demo
        from mofang.platform.jobs.services import register_job_kind, register_periodic

        from . import api, catalogue, importers, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build
        from .refresh import INCREMENTAL, NIGHTLY
        from .sources import register_all

        register_all()
        catalogue.register_core()
        post_migrate.connect(catalogue.ship_after_migrate, sender=self)
        importers.register()
        menu.register()
        api.register()
        register_periodic(INCREMENTAL)
        register_periodic(NIGHTLY)
        register_job_kind("indicators:refresh", "指标数据刷新", retry_safe=True)  # a recomputation
        register_demo("indicators", build)
