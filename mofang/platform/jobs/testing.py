"""Test helpers for the lease and the reaper: a real task worker (`mofang worker`, the database
backend) in a subprocess, on a database both processes can open, killed with SIGKILL mid-job."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

REPO = Path(__file__).resolve().parents[3]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# `mofang worker`, after holding the functions named in MOFANG_TEST_HOLD ("module.func=/a/file;…")
# for as long as their file exists (and leaving "/a/file.reached" when they are reached): the test
# sees the job get there, then kills the worker.
BOOT = """
import importlib, os, sys, time
import django
django.setup()
for spec in filter(None, os.environ.get("MOFANG_TEST_HOLD", "").split(";")):
    target, hold = spec.split("=", 1)
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    def held(*args, _original=getattr(module, name), _hold=hold, **kwargs):
        open(_hold + ".reached", "w").close()
        deadline = time.monotonic() + 120
        while os.path.exists(_hold) and time.monotonic() < deadline:
            time.sleep(0.05)
        return _original(*args, **kwargs)
    setattr(module, name, held)
from django.core.management import call_command
call_command("worker", *sys.argv[1:])
"""


def shared_database(tmp_path, settings, *, lease: float = 2.0):
    """Body of a fixture that depends on `transactional_db` (the worker must see committed rows):
    the test's database, opened by worker subprocesses too; yields their environment. This process
    enqueues into the database backend, with a short lease.

    PostgreSQL: the test database itself. SQLite: the in-memory test database is copied into a
    file, and this process works on the file until the test ends; the in-memory database is then
    back as it was (and flushed, as after any transactional test)."""
    settings.TASKS = DB_TASKS
    settings.JOB_LEASE_SECONDS = lease
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "MOFANG_TASKS", "MOFANG_SQLITE_PATH", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mofang.settings",
        MOFANG_DATA_DIR=str(tmp_path / "data"),
        MOFANG_TASKS="db",
        MOFANG_JOB_LEASE_SECONDS=str(lease),
    )
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        user = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        yield env
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    # keep the in-memory database alive (it lives as long as a connection to it) but aside
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    env["MOFANG_SQLITE_PATH"] = str(path)
    try:
        yield env
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


class WorkerProcess:
    """`mofang worker` in a subprocess (its output in a file, shown when a wait fails)."""

    def __init__(self, env: dict, tmp_path: Path, *args: str, hold: dict[str, Path] | None = None):
        env = dict(env)
        if hold:
            env["MOFANG_TEST_HOLD"] = ";".join(f"{target}={file}" for target, file in hold.items())
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", BOOT, "--no-startup-delay", "--interval", "0.1", *args],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until(self, predicate, *, timeout: float = 90, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            assert self.proc.poll() is None, f"worker exited ({self.proc.returncode}) before {what}:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {what} within {timeout} s:\n{self.output()}"
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no signal handler, no finally block, no last write."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.kill()


def run_worker_here() -> None:
    """Run the database backend's worker in this process until the queue is empty (a worker
    started after the crash, minus the start-up time of another process)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def dead_worker_key() -> str:
    """A worker key of this machine whose process is gone (this pid, another start time: as if
    the worker had died and its pid been reused)."""
    from . import workers

    _label, key = workers.this_process()
    assert key, "needs Linux /proc"
    boot, namespace, pid, _start = key.split("|")
    return f"{boot}|{namespace}|{pid}|1"


def other_machine_key() -> str:
    """A worker key from another machine: only the lease can tell whether it is alive."""
    return f"00000000-0000-0000-0000-000000000000|pid:[1]|{os.getpid()}|1"
