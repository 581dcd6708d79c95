"""The run-time commands the README promises: `mofang tick` and `mofang serve`.

(They live in mofang/platform/web/management/commands; their tests sit here because a test file
inside a commands package would itself become a management command.)
"""

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.core.management import call_command

from mofang.platform.jobs import services as jobs
from mofang.platform.jobs.models import PeriodicRun

REPO = Path(__file__).resolve().parents[4]


def test_tick_runs_a_due_periodic_job_once(db, monkeypatch):
    runs = []
    job = jobs.PeriodicJob(name="probe", title="探针", period_of=lambda now: "2026-10", run=runs.append)
    monkeypatch.setitem(jobs.PERIODIC, "probe", job)
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "probe:2026-10" in out.getvalue()
    call_command("tick", stdout=io.StringIO())
    assert runs == ["2026-10"]
    assert PeriodicRun.objects.filter(name="probe").count() == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrates_serves_the_login_page_and_stops_with_its_worker(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "MOFANG_TASKS")}
    env.update(DJANGO_SETTINGS_MODULE="mofang.settings", MOFANG_DATA_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "mofang.cli", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
                    assert r.status == 200 and "登录教育魔方" in r.read().decode()
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "serve did not answer within 90 s"
                time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert f"教育魔方已启动：http://127.0.0.1:{port}/" in out
    assert "后台任务进程已启动" in out and "教育魔方已停止" in out
    assert (tmp_path / "mofang.sqlite3").exists()
