"""`mofang serve`: the whole platform in one command on one machine.

Migrates if needed, starts the task worker (`mofang worker`: reaps what a killed worker left
behind, then runs `db_worker`) as a child process, runs the
periodic-job scheduler in a thread, and serves the site with waitress in the foreground. Static
files are served by WhiteNoise straight from the finders, so nothing is collected. Ctrl-C (or
SIGTERM) stops all three.
"""

import logging
import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("mofang.serve")
TICK_SECONDS = 60


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise CommandError(f"端口须为数字，收到 {value!r}") from None
    if not 0 < port < 65536:
        raise CommandError("端口须在 1–65535 之间")
    return port


class Command(BaseCommand):
    help = "启动教育魔方：数据库迁移、后台任务进程、定时任务和网页服务（waitress）。"
    requires_system_checks = []  # checked once below, after migrations

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default=os.environ.get("MOFANG_HOST", "127.0.0.1"),
            help="监听地址（默认 127.0.0.1，或环境变量 MOFANG_HOST）",
        )
        parser.add_argument(
            "--port",
            type=_port,
            default=os.environ.get("MOFANG_PORT", "8000"),
            help="端口（默认 8000，或环境变量 MOFANG_PORT）",
        )
        parser.add_argument("--threads", type=int, default=8, help="网页服务线程数（默认 8）")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程（另行运行 mofang worker 时）")

    def handle(self, *args, host, port, threads, no_worker, **options):
        from waitress import create_server

        from mofang.wsgi import application

        self._migrate()
        self.check(display_num_errors=False)
        try:
            server = create_server(application, host=host, port=port, threads=threads, ident="mofang")
        except OSError as exc:
            raise CommandError(
                f"无法监听 {host}:{port}（{exc.strerror}）：端口可能已被占用，请用 --port 换一个"
            ) from exc

        worker = None if no_worker else self._start_worker()
        # SIGTERM (docker stop, systemd, kill) takes the same clean path as Ctrl-C.
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        url_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        self.stdout.write(self.style.SUCCESS(f"教育魔方已启动：http://{url_host}:{port}/"))
        self._print_logins()
        self.stdout.write("按 Ctrl-C 停止。")
        self.stdout.flush()
        stop = threading.Event()
        ticker = threading.Thread(target=_tick_forever, args=(stop, self.stdout.write), name="mofang-tick", daemon=True)
        ticker.start()
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            self.stdout.write("正在停止……")
            stop.set()
            server.close()
            if worker is not None:
                _stop_process(worker)
            ticker.join(timeout=5)
            self.stdout.write("教育魔方已停止。")

    def _migrate(self) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("正在更新数据库结构（migrate）……")
            call_command("migrate", interactive=False, verbosity=0)
        connection.close()

    def _start_worker(self) -> subprocess.Popen | None:
        backend = str(settings.TASKS["default"]["BACKEND"])
        if not backend.startswith("django_tasks_db"):
            return None  # immediate or another backend: no database worker to run
        env = os.environ.copy()
        # The same settings and data directory as this process, whatever the child's cwd.
        env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "mofang.settings"))
        env["MOFANG_DATA_DIR"] = str(settings.DATA_DIR)
        self.stdout.write("后台任务进程已启动（mofang worker）。")
        # Its own session, so a terminal's Ctrl-C reaches only us and we send the worker one
        # SIGTERM (its graceful stop: the running task finishes); a second signal would force it.
        return subprocess.Popen(
            [sys.executable, "-m", "mofang.cli", "worker"], env=env, start_new_session=True, preexec_fn=_die_with_parent
        )

    def _print_logins(self) -> None:
        from mofang.platform.demo.story import demo_users_exist, logins_table

        try:
            has_demo = demo_users_exist()
        finally:
            connection.close()
        if has_demo:
            self.stdout.write("演示账号：\n" + logins_table())


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def _tick_forever(stop: threading.Event, say) -> None:
    """Run due periodic jobs now and every minute; an error is logged, never fatal."""
    from mofang.platform.jobs.services import run_due_periodic_jobs

    while True:
        try:
            ran = run_due_periodic_jobs()
            if ran:
                say("已启动定时任务：" + "，".join(ran))
        except Exception:  # the scheduler must outlive one bad job
            logger.exception("定时任务调度失败")
        finally:
            close_old_connections()
            connection.close()
        if stop.wait(TICK_SECONDS):
            return


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM if `serve` itself is killed (even with SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop_process(proc: subprocess.Popen, grace: float = 30) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
