"""Fault test: the production layout on one machine, with a worker killed mid-job, a Redis restart
and a PostgreSQL outage — then nothing stuck, nothing duplicated, no acknowledged write lost, no 500.

What runs, all with the production settings (`mofang.settings`, MOFANG_TASKS=db as production's
default, DEBUG off):

  - PostgreSQL: the database of DATABASE_URL (default `mofang_fault` on the local cluster, created
    and migrated if missing; the shared cluster itself is never restarted);
  - Redis: a redis-server of its own on a free port (the cache), no persistence;
  - two web instances: gunicorn (sync workers, as docs/deployment.md advises; `--server gthread`) on two free ports,
    sharing the database, Redis and the data folder;
  - two task workers: `mofang worker` (reaper first, then db_worker).

The load, through HTTP only: a principal's browser posting 上报隐患 forms (each with a title of its
own) to both instances, a county administrator reading the student list, and two student-roll CSV
uploads (学生名册导入) that the workers run as background jobs. Meanwhile, in turn:

  1. worker killed — SIGKILL to the `mofang worker` running an import mid-file; it is started again
     (as systemd would), its reaper puts the job back in the queue (imports are safe to repeat);
  2. Redis restart — the redis-server is stopped, left down for a few seconds, started again;
  3. PostgreSQL outage — the app's database refuses connections for a few seconds (ALTER DATABASE
     … ALLOW_CONNECTIONS false and pg_terminate_backend of its sessions, then allowed again): what
     the web processes and workers see of a restart, without stopping the cluster other databases
     share. 503 is the expected answer while it lasts;
  4. recovery — the load goes on for a few seconds more.

Then it checks: no job left queued or running, both imports succeeded, every row of both files is
in the database exactly once, every 上报 that was answered with a redirect is stored exactly once
and none twice, no 500 in any phase and nothing but success after recovery. A table per phase and
the checks are printed and written to bench/out/fault.json; a failed check makes the run exit 1.

    python bench/fault.py               # 2 × 6,000 rows, 8 s outages
    python bench/fault.py --smoke       # 2 × 2,500 rows, 4 s outages: what CI runs (under 2 minutes)
"""

import argparse
import contextlib
import csv
import datetime as dt
import itertools
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import benchlib

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mofang_fault"
PASSWORD = "Fault#2026-bench"
PRINCIPAL, COUNTY_ADMIN = "fault-principal", "fault-county"
LEASE_SECONDS = 10
PHASES = ["baseline", "worker killed", "Redis restart", "PostgreSQL outage", "recovery"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=6000, help="rows in each of the two import files (default 6,000)")
    parser.add_argument("--outage", type=float, default=8.0, help="seconds Redis and PostgreSQL stay down (default 8)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per web instance (default 2)")
    parser.add_argument(
        "--server",
        choices=["sync", "gthread"],
        default="sync",
        help="gunicorn worker class: sync, as docs/deployment.md advises (default), or gthread (4 threads each)",
    )
    parser.add_argument("--smoke", action="store_true", help="2 × 2,500 rows, 4 s outages, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.outage = 2500, 4.0
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not shutil.which("redis-server"):
        sys.exit("需要 redis-server（apt-get install redis-server）")
    t_start = time.monotonic()
    benchlib.setup_django()
    from django.db import connection

    db_name = connection.settings_dict["NAME"]
    print(f"PostgreSQL {connection.pg_version // 10000} · database {db_name} · {os.cpu_count()} CPU")
    files, school_pk = prepare(args.rows)
    connection.close()

    run = Run(args, db_name, school_pk)
    try:
        run.start_services()
        print(
            f"  redis-server :{run.redis_port} · gunicorn :{run.web[0].port} :{run.web[1].port} "
            f"({args.web_workers} {args.server} workers{' × 4 threads each' if args.server == 'gthread' else ''}) · "
            "2 × mofang worker · logs in bench/out/fault-*.log"
        )
        run.drive(files)
    finally:
        run.stop_services()
    return report(run, files, time.monotonic() - t_start)


# --- data ---------------------------------------------------------------------------------------


def prepare(rows: int):
    """The smoke tree's first county: a principal and a county administrator who sign in over HTTP,
    and two CSV files of students new to that county (each run continues where the last stopped:
    students cannot be deleted, their roll history protects them)."""
    from mofang.platform.accounts.models import Membership, Role, User
    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.people.models import Student

    root, schools = benchlib.bench_tree("smoke")
    county = OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.COUNTY).order_by("path").first()
    school = OrgUnit.objects.filter(path__startswith=county.path, kind=OrgKind.SCHOOL).order_by("path").first()
    for username, role, org in ((PRINCIPAL, "principal", school), (COUNTY_ADMIN, "county_admin", county)):
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
        user.set_password(PASSWORD)
        user.is_active = True
        user.save()
        Membership.objects.get_or_create(user=user, role=Role.objects.get(code=role), org=org)
    mine = [(code, classes) for code, classes in schools if code.startswith(county.code[:6])]
    start = Student.objects.filter(school__path__startswith=county.path).count()
    files = []
    for n in range(2):
        path = benchlib.OUT / f"fault-{n}.csv"
        ids = write_csv(path, county.code[:6], mine, start + n * rows, rows)
        files.append((path, ids))
    return files, school.pk


def write_csv(path, region: str, schools, start: int, rows: int) -> list[str]:
    """Rows start … start+rows-1 of the county's endless roll: row i is born on day i mod 4,015 after
    2008-09-01 with sequence number i div 4,015, so ID numbers never repeat (up to 4 million rows)."""
    from student_import import GIVEN, HEADER, SURNAMES

    from mofang.platform.people.identity import id_check_digit

    rng = random.Random(start)
    days, first_day, ids = 365 * 11, dt.date(2008, 9, 1), []
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(start, start + rows):
            birth, seq = first_day + dt.timedelta(days=i % days), i // days
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            idn = first17 + id_check_digit(first17)
            code, classes = schools[i % len(schools)]
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            enrolled = dt.date(birth.year + 6 + (birth.month >= 9), 9, 1)
            sex = "男" if seq % 2 else "女"
            w.writerow([f"G{idn}", name, sex, birth.isoformat(), idn, code, rng.choice(classes), enrolled.isoformat()])
            ids.append(f"G{idn}")
    return ids


# --- the processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Proc:
    name: str
    cmd: list
    env: dict
    port: int = 0
    proc: subprocess.Popen | None = None
    restarts: int = 0

    def start(self):
        log = open(benchlib.OUT / f"fault-{self.name}.log", "a")
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=benchlib.REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@dataclass
class Answer:
    phase: str
    kind: str  # "post" or "get"
    status: int  # 0: no answer (connection refused, timeout)
    title: str = ""


@dataclass
class Run:
    args: argparse.Namespace
    db_name: str
    school_pk: int
    redis_port: int = 0
    redis: Proc | None = None
    web: list = field(default_factory=list)
    workers: list = field(default_factory=list)
    phase: str = PHASES[0]
    answers: list = field(default_factory=list)
    events: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    stop_load: threading.Event = field(default_factory=threading.Event)

    def env(self) -> dict:
        for name in ("MOFANG_FIELD_KEY", "MOFANG_SECRET_KEY"):
            os.environ.setdefault(name, "fault-bench-key-" + name)
        return dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="mofang.settings",
            MOFANG_DEBUG="0",
            MOFANG_TASKS="db",
            MOFANG_ALLOWED_HOSTS="127.0.0.1,localhost",
            MOFANG_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            MOFANG_DATA_DIR=str(benchlib.OUT / "fault-var"),
        )

    def start_services(self):
        for old in benchlib.OUT.glob("fault-*.log"):
            old.unlink()
        self.redis_port = free_port()
        self.redis = Proc(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            dict(os.environ),
        )
        self.redis.start()
        env = self.env()
        mofang = [sys.executable, "-m", "mofang.cli"]
        for n in range(2):
            port = free_port()
            cmd = [sys.executable, "-m", "gunicorn", "mofang.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            cmd += ["--workers", str(self.args.web_workers), "--worker-class", self.args.server]
            cmd += ["--threads", "4"] if self.args.server == "gthread" else []
            cmd += ["--timeout", "30", "--log-level", "warning"]
            self.web.append(Proc(f"web{n + 1}", cmd, env, port=port))
            self.workers.append(Proc(f"worker{n + 1}", [*mofang, "worker", "--interval", "0.2"], env))
        for p in (*self.web, *self.workers):
            p.start()
        for w in self.web:
            wait_until(lambda w=w: http_status(w.port, "/accounts/login/") == 200, 60, f"{w.name} did not start")

    def stop_services(self):
        self.stop_load.set()
        for p in (*self.web, *self.workers, self.redis):
            if p:
                p.stop()

    def event(self, text: str):
        self.events.append((self.phase, text))
        print(f"  [{self.phase}] {text}", flush=True)

    # --- the run ---

    def drive(self, files):
        import requests

        principal, admin = login(self.web[0].port, PRINCIPAL), login(self.web[1].port, COUNTY_ADMIN)
        threads = [threading.Thread(target=self.post_reports, args=(principal, n), daemon=True) for n in range(2)] + [
            threading.Thread(target=self.read_lists, args=(admin,), daemon=True)
        ]
        for t in threads:
            t.start()
        time.sleep(2)

        self.phase = PHASES[1]
        for n, (path, _ids) in enumerate(files):
            port = self.web[n].port
            with requests.Session() as s, open(path, "rb") as fh:
                s.cookies.update(admin)
                s.get(f"http://127.0.0.1:{port}/imports/students/", timeout=30)
                r = s.post(
                    f"http://127.0.0.1:{port}/imports/students/",
                    data={"csrfmiddlewaretoken": s.cookies["csrftoken"]},
                    files={"file": (path.name, fh, "text/csv")},
                    allow_redirects=False,
                    timeout=60,
                )
            match = re.search(r"/jobs/(\d+)/", r.headers.get("Location", ""))
            if r.status_code != 302 or not match:
                raise SystemExit(f"导入上传失败：HTTP {r.status_code}")
            self.jobs.append(int(match.group(1)))
        self.event(f"two imports uploaded (jobs {self.jobs[0]}, {self.jobs[1]})")
        self.kill_a_worker_mid_job()

        self.phase = PHASES[2]
        self.redis.stop()
        self.event(f"redis-server stopped for {self.args.outage:.0f} s")
        time.sleep(self.args.outage)
        self.redis.start()
        self.event("redis-server started again")
        time.sleep(2)

        self.phase = PHASES[3]
        self.block_database(True)
        self.event(f"database refuses connections for {self.args.outage:.0f} s; its sessions terminated")
        time.sleep(self.args.outage)
        self.block_database(False)
        self.event("database accepts connections again")
        time.sleep(1)  # requests already in flight when it came back still belong to the outage

        self.phase = PHASES[4]
        for w in self.workers:  # a worker that died in the outage is started again, as systemd would
            if w.proc.poll() is not None:
                self.event(f"{w.name} had exited ({w.proc.returncode}); started again")
                w.restarts += 1
                w.start()
        time.sleep(4)
        self.stop_load.set()
        for t in threads:
            t.join(30)
        self.wait_for_jobs(deadline=90 if not self.args.smoke else 60)

    def kill_a_worker_mid_job(self):
        from django.db import connection

        from mofang.platform.jobs.models import Job, JobStatus

        pids = {w.proc.pid: w for w in self.workers}
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            for job in Job.objects.filter(pk__in=self.jobs, status=JobStatus.RUNNING):
                pid = int(job.worker.rsplit(":", 1)[-1]) if job.worker else 0
                if pid in pids and job.done > 0:
                    victim = (job, pids[pid])
                    break
            else:
                time.sleep(0.05)
        if victim is None:
            raise SystemExit("没有在导入进行中捕捉到后台任务（文件太小？请加大 --rows）")
        job, worker = victim
        worker.proc.send_signal(signal.SIGKILL)
        worker.proc.wait()
        self.event(f"SIGKILL {worker.name} (pid {worker.proc.pid}) running job {job.pk} at row {job.done}/{job.total}")
        connection.close()
        time.sleep(1)
        worker.restarts += 1
        worker.start()
        self.event(f"{worker.name} started again (its reaper runs first)")

    def block_database(self, block: bool):
        import psycopg
        from django.db import connection
        from psycopg import sql

        connection.close()
        cfg = connection.settings_dict
        params = dict(
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
        )
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(
                sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
                    sql.Identifier(self.db_name), sql.SQL("false" if block else "true")
                )
            )
            if block:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.db_name],
                )

    def wait_for_jobs(self, deadline: float):
        from django.db import connection

        from mofang.platform.jobs.models import Job, JobStatus

        t_end = time.monotonic() + deadline
        while time.monotonic() < t_end:
            connection.close()
            if not Job.objects.filter(pk__in=self.jobs, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
                return
            time.sleep(0.5)

    # --- the load ---

    def post_reports(self, cookies, n: int):
        import requests

        s = requests.Session()
        s.cookies.update(cookies)
        for i in itertools.count():
            if self.stop_load.is_set():
                return
            port, phase = self.web[i % 2].port, self.phase
            title = f"故障测试{n}-{i}-{os.getpid()}-{int(time.time())}"
            status = 0
            try:
                page = s.get(f"http://127.0.0.1:{port}/campus_safety/report/", timeout=10)
                data = {
                    "csrfmiddlewaretoken": s.cookies.get("csrftoken", ""),
                    "school": str(self.school_pk),
                    "category": "traffic",
                    "severity": "normal",
                    "title": title,
                    "description": "故障测试",
                }
                status = s.post(
                    f"http://127.0.0.1:{port}/campus_safety/report/", data=data, allow_redirects=False, timeout=10
                ).status_code
                if page.status_code != 200:
                    status = page.status_code if status in (0, 200, 302) else status
            except requests.RequestException:
                pass
            self.answers.append(Answer(phase, "post", status, title))
            time.sleep(0.1)

    def read_lists(self, cookies):
        import requests

        s = requests.Session()
        s.cookies.update(cookies)
        for i in itertools.count():
            if self.stop_load.is_set():
                return
            port, phase = self.web[i % 2].port, self.phase
            try:
                status = s.get(f"http://127.0.0.1:{port}/students/", timeout=10).status_code
            except requests.RequestException:
                status = 0
            self.answers.append(Answer(phase, "get", status))
            time.sleep(0.1)


def login(port: int, username: str):
    import requests

    with requests.Session() as s:
        s.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)
        r = s.post(
            f"http://127.0.0.1:{port}/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=30,
        )
        if r.status_code != 302:
            raise SystemExit(f"{username} 登录失败：HTTP {r.status_code}")
        return s.cookies.copy()  # a jar: its cookies keep their domain, so the next csrftoken replaces its own


def http_status(port: int, path: str) -> int:
    import requests

    try:
        return requests.get(f"http://127.0.0.1:{port}{path}", timeout=5).status_code
    except requests.RequestException:
        return 0


def wait_until(check, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(message)


# --- the verdict --------------------------------------------------------------------------------


def report(run: Run, files, elapsed: float) -> int:
    from django.db import connection

    from mofang.platform.cases.models import Case
    from mofang.platform.jobs.models import Job, JobStatus
    from mofang.platform.people.models import Student

    connection.close()
    rows = []
    for phase in PHASES:
        mine = [a for a in run.answers if a.phase == phase]
        counts = Counter(
            "ok" if a.status in (200, 302) else str(a.status) if a.status in (500, 503) else "other" for a in mine
        )
        rows.append([phase, len(mine), counts["ok"], counts["503"], counts["500"], counts["other"]])
    print()
    benchlib.print_table(["phase", "requests", "2xx/302", "503", "500", "other/none"], rows)

    jobs = {j.pk: j for j in Job.objects.filter(pk__in=run.jobs)}
    stuck = [pk for pk, j in jobs.items() if j.status in (JobStatus.QUEUED, JobStatus.RUNNING)]
    ids = [i for _path, chunk in files for i in chunk]
    stored = Counter(Student.objects.filter(student_no__in=ids).values_list("student_no", flat=True))
    posted = [a.title for a in run.answers if a.kind == "post"]
    acknowledged = {a.title for a in run.answers if a.kind == "post" and a.status == 302}
    cases = Counter(Case.objects.filter(title__in=posted).values_list("title", flat=True))
    recovery = [a for a in run.answers if a.phase == "recovery"]
    checks = [
        ("no job left queued or running", not stuck, f"stuck: {stuck}" if stuck else f"{len(jobs)} jobs ended"),
        (
            "both imports succeeded",
            all(j.status == JobStatus.SUCCEEDED for j in jobs.values()),
            "; ".join(f"job {pk}: {j.status}, {j.attempts} runs, {j.reaped} reaped" for pk, j in jobs.items()),
        ),
        ("a worker was killed mid-job and its job re-run", any(j.reaped for j in jobs.values()), ""),
        ("every imported row stored", len(stored) == len(ids), f"{len(stored):,} of {len(ids):,}"),
        ("no row stored twice", all(v == 1 for v in stored.values()), f"{sum(v > 1 for v in stored.values())} twice"),
        (
            "no acknowledged 上报 lost",
            acknowledged <= set(cases),
            f"{len(acknowledged - set(cases))} lost of {len(acknowledged)}",
        ),
        ("no 上报 stored twice", all(v == 1 for v in cases.values()), f"{len(cases)} stored"),
        ("no 500 in any phase", not any(a.status == 500 for a in run.answers), ""),
        (
            "only 503 while the database was out",
            all(a.status in (0, 200, 302, 503) for a in run.answers if a.phase == "PostgreSQL outage"),
            "",
        ),
        (
            "every request succeeds after recovery",
            bool(recovery) and all(a.status in (200, 302) for a in recovery),
            f"{sum(a.status in (200, 302) for a in recovery)} of {len(recovery)}",
        ),
    ]
    print()
    benchlib.print_table(["check", "result", "detail"], [[c, "ok" if ok else "FAILED", d] for c, ok, d in checks])
    print(f"\n  {elapsed:.0f} s in all")
    benchlib.write_json(
        "fault",
        {
            "phases": [dict(zip(["phase", "requests", "ok", "503", "500", "other"], r, strict=True)) for r in rows],
            "checks": [{"check": c, "ok": ok, "detail": d} for c, ok, d in checks],
            "events": run.events,
            "seconds": elapsed,
        },
    )
    return 0 if all(ok for _c, ok, _d in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
