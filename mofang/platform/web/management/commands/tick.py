"""`mofang tick`: run the periodic jobs that are due, once (cron-friendly; `mofang serve` does
the same every minute in a thread)."""

from django.core.management.base import BaseCommand

from mofang.platform.jobs.services import run_due_periodic_jobs


class Command(BaseCommand):
    help = "运行一次到期的定时任务（如月度对账单）。mofang serve 每分钟自动运行一次。"

    def handle(self, *args, **options):
        ran = run_due_periodic_jobs()
        if ran:
            self.stdout.write("已启动定时任务：" + "，".join(ran))
        else:
            self.stdout.write("没有到期的定时任务。")
