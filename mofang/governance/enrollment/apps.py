from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "mofang.governance.enrollment"
    label = "enrollment"
    verbose_name = "入学早知道与义务教育招生"

    def ready(self):
        from mofang.platform.demo.registry import register_demo
        from mofang.platform.jobs.services import PeriodicJob, register_job_kind, register_periodic

        from . import draws, facts, importers, indicators, menu, roles  # noqa: F401  (roles: permissions and grants)
        from .demo import build
        from .services import intake_years, refresh_all_warnings

        importers.register()
        menu.register()
        facts.register()
        # 执行派位 is reproducible from its seed and stored all-or-nothing: safe to run again
        register_job_kind(
            "enrollment:draw",
            "电脑派位",
            retry_safe=True,
            on_abandoned=draws.release_abandoned_run,
            before_retry=draws.prepare_retry,
        )
        indicators.register()
        # The warnings cover the next three intakes: recompute once when the window moves on (1 September).
        register_periodic(
            PeriodicJob(
                name="enrollment.refresh_warnings",
                title="重新计算入学预警",
                period_of=lambda now: str(intake_years(now.date())[0]),
                run=lambda period: refresh_all_warnings(period),
            )
        )
        register_demo("enrollment", build)
        # the 报名 form's cached option lists (and the public pages) name schools and counties
        from django.db.models.signals import post_delete, post_save

        from mofang.platform.orgs.models import OrgUnit

        from .registration import org_changed

        post_save.connect(org_changed, sender=OrgUnit, dispatch_uid="enrollment.org_changed")
        post_delete.connect(org_changed, sender=OrgUnit, dispatch_uid="enrollment.org_changed_delete")
