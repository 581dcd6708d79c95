"""`mofang worker`: reap the jobs a killed worker left behind, then run the task worker of the
configured backend (`db_worker` for MOFANG_TASKS=db, `rqworker` for rq). `mofang serve` starts
this command as its child process.

A database that goes away (a PostgreSQL restart, a failover, a network cut) does not end the
worker: it waits, with growing pauses, until the database answers again, hands back the job the
outage broke (re-queued when its kind is safe to repeat, failed otherwise: see reaper.py), and
goes on. Before, it exited, and under `mofang serve` nothing started it again.
"""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connections

from mofang.platform.jobs import workers
from mofang.platform.jobs.reaper import reap_abandoned_jobs

logger = logging.getLogger(__name__)

FIRST_PAUSE = 1.0  # seconds before the first new try; doubled each time, up to MAX_PAUSE
MAX_PAUSE = 30.0
STEADY = 60.0  # a run that lasted this long was a recovery: the next outage starts from FIRST_PAUSE


class Command(BaseCommand):
    help = "回收中断的后台任务，然后启动后台任务进程（db_worker 或 rqworker）；数据库暂时不可用时等待并重试。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒，默认 1）")
        parser.add_argument("--no-startup-delay", action="store_true", help="启动时不随机等待")
        parser.add_argument("--queue-name", default="default", help="处理的队列（默认 default）")

    def handle(self, *args, batch, interval, no_startup_delay, queue_name, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith(("django_tasks_db", "django_tasks_rq")):
            raise CommandError("当前任务后端（MOFANG_TASKS）没有后台任务进程，无需启动")
        pause = FIRST_PAUSE
        outage = False
        while True:
            started = time.monotonic()
            try:
                # after an outage this process runs none of the jobs it had started: hand them back
                reaped = reap_abandoned_jobs(gone=workers.this_process()[1] if outage else "")
                if reaped:
                    self.stdout.write(f"已回收中断的后台任务 {reaped} 个。")
                if outage:
                    self.stdout.write("数据库已恢复，继续处理后台任务。")
                    outage = False
                self._run(backend, batch, interval, no_startup_delay, queue_name, options["verbosity"])
                return
            except (OperationalError, InterfaceError) as exc:
                if batch:
                    raise
                if time.monotonic() - started >= STEADY:
                    pause = FIRST_PAUSE
                logger.warning("database unavailable, worker retries in %.0f s: %s", pause, exc)
                self.stderr.write(f"数据库暂不可用，{pause:.0f} 秒后重试：{str(exc).strip()[:200]}")
                outage = True
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
                no_startup_delay = True

    def _run(self, backend, batch, interval, no_startup_delay, queue_name, verbosity) -> None:
        if backend.startswith("django_tasks_db"):
            argv = ["--no-reload", "--interval", str(interval), "--queue-name", queue_name]
            if batch:
                argv.append("--batch")
            if no_startup_delay:
                argv.append("--no-startup-delay")
            call_command("db_worker", *argv, verbosity=verbosity)
        else:
            argv = [queue_name, "--job-class", "django_tasks_rq.Job"]
            if batch:
                argv.append("--burst")
            call_command("rqworker", *argv, verbosity=verbosity)
