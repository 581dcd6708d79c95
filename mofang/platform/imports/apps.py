from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "mofang.platform.imports"
    label = "imports"
    verbose_name = "导入导出"

    def ready(self):
        from mofang.platform.jobs.services import register_job_kind

        # validate every row, then write all in one transaction, upserting by natural key: a re-run
        # after a killed one (nothing written) or after a complete one (same rows) is safe
        register_job_kind("import:*", "数据导入", retry_safe=True)
