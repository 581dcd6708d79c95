"""`mofang worker`: reap the jobs a killed worker left behind, then run the task worker of the
configured backend (`db_worker` for MOFANG_TASKS=db, `rqworker` for rq). `mofang serve` starts
this command as its child process."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mofang.platform.jobs.reaper import reap_abandoned_jobs


class Command(BaseCommand):
    help = "回收中断的后台任务，然后启动后台任务进程（db_worker 或 rqworker）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒，默认 1）")
        parser.add_argument("--no-startup-delay", action="store_true", help="启动时不随机等待")
        parser.add_argument("--queue-name", default="default", help="处理的队列（默认 default）")

    def handle(self, *args, batch, interval, no_startup_delay, queue_name, **options):
        reaped = reap_abandoned_jobs()
        if reaped:
            self.stdout.write(f"已回收中断的后台任务 {reaped} 个。")
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db"):
            argv = ["--no-reload", "--interval", str(interval), "--queue-name", queue_name]
            if batch:
                argv.append("--batch")
            if no_startup_delay:
                argv.append("--no-startup-delay")
            call_command("db_worker", *argv, verbosity=options["verbosity"])
        elif backend.startswith("django_tasks_rq"):
            argv = [queue_name, "--job-class", "django_tasks_rq.Job"]
            if batch:
                argv.append("--burst")
            call_command("rqworker", *argv, verbosity=options["verbosity"])
        else:
            raise CommandError("当前任务后端（MOFANG_TASKS）没有后台任务进程，无需启动")
