"""Shared set-up for the benchmarks: a PostgreSQL database with Django configured and migrated.

The benchmarks run against `DATABASE_URL` (default: a scratch database `mofang_bench`, created
if missing) with the production settings (`mofang.settings`), never the test settings, so the
measured path is the one a bureau runs.
"""

import json
import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
REPO = BENCH_DIR.parent
OUT = BENCH_DIR / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mofang_bench"


def setup_django(*, require_postgres: bool = True):
    """Configure Django on DATABASE_URL (creating and migrating the database when needed)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")) and require_postgres:
        sys.exit(f"这个基准测试需要 PostgreSQL：DATABASE_URL={url!r} 不是 postgres://… 地址")
    OUT.mkdir(exist_ok=True)
    # Uploads, logs and any SQLite file of this run stay out of the developer's ./var.
    os.environ.setdefault("MOFANG_DATA_DIR", str(OUT / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofang.settings")
    _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    params = dict(
        host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None, password=cfg["PASSWORD"] or None
    )
    try:
        psycopg.connect(dbname=cfg["NAME"], **params).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    print(f"created database {cfg['NAME']}")


@contextmanager
def timed(label: str, results: dict):
    """Time a block into results[label] (seconds), printing as it goes."""
    print(f"  {label} …", end="", flush=True)
    t0 = time.perf_counter()
    yield
    results[label] = time.perf_counter() - t0
    print(f" {results[label]:.2f}s", flush=True)


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process's RSS (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(headers: list[str], rows: list[list]) -> None:
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(row)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, width: int, *, right: bool) -> str:
    gap = " " * (width - _width(s))
    return gap + s if right else s + gap


def write_json(name: str, payload: dict) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return path


# --- the bench's own province --------------------------------------------------------------------

# No real province has division code 98 or 99, so the bench trees never meet real data; the smoke
# tree and the full-size tree are separate provinces and can live side by side in one database.
TREES = {"smoke": ("98", (2, 2, 5)), "full": ("99", (11, 8, 12))}  # cities × counties × schools
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
CLASSES_PER_GRADE = 4


def bench_q(org_path_field: str):
    """Q for rows whose org (reached through `org_path_field`, e.g. "school__path") is in a bench tree."""
    from django.db.models import Q

    from mofang.platform.orgs.models import OrgUnit

    q = Q(pk__in=[])
    for path in OrgUnit.objects.filter(code__in=[f"{p}0000" for p, _shape in TREES.values()]).values_list(
        "path", flat=True
    ):
        q |= Q(**{f"{org_path_field}__startswith": path})
    return q


def bench_tree(size: str):
    """(root, [(school code, [class names])]) — the province for `size`, built on first use.

    Cities → counties → schools → 6 grades → 4 classes, bulk-inserted with paths computed by
    treebeard's own path builder (adding ~33,000 nodes one add_child() at a time takes minutes).
    """
    from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType

    prefix, (n_cities, n_counties, n_schools) = TREES[size]
    root = OrgUnit.objects.filter(code=f"{prefix}0000").first()
    if root is None:
        root = OrgUnit.objects.add_root(dict(name=f"基准省{prefix}", kind=OrgKind.PROVINCE, code=f"{prefix}0000"))
        nodes = []

        def node(parent_path, depth, step, numchild, **fields):
            path = OrgUnit._get_path(parent_path, depth, step)
            nodes.append(OrgUnit(path=path, depth=depth, numchild=numchild, **fields))
            return path

        for c in range(1, n_cities + 1):
            city = node(root.path, 2, c, n_counties, name=f"基准{c}市", kind=OrgKind.CITY, code=f"{prefix}{c:02d}00")
            for k in range(1, n_counties + 1):
                county_code = f"{prefix}{c:02d}{k:02d}"
                county = node(city, 3, k, n_schools, name=f"基准{c}市{k}县", kind=OrgKind.COUNTY, code=county_code)
                for s in range(1, n_schools + 1):
                    school = node(
                        county,
                        4,
                        s,
                        len(GRADES),
                        name=f"{county_code}第{s}小学",
                        kind=OrgKind.SCHOOL,
                        code=f"{county_code}{s:04d}",
                        school_type=SchoolType.PRIMARY,
                        ownership=Ownership.PUBLIC,
                    )
                    for g, grade_name in enumerate(GRADES, start=1):
                        grade = node(school, 5, g, CLASSES_PER_GRADE, name=grade_name, kind=OrgKind.GRADE)
                        for n in range(1, CLASSES_PER_GRADE + 1):
                            node(grade, 6, n, 0, name=f"{grade_name}{n}班", kind=OrgKind.CLASS)
        OrgUnit.objects.bulk_create(nodes, batch_size=5000)
        OrgUnit.objects.filter(pk=root.pk).update(numchild=n_cities)
        root.refresh_from_db()
    schools = {o.path: (o.code, []) for o in OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL)}
    if len(schools) != n_cities * n_counties * n_schools:
        sys.exit(f"基准省 {root.code} 的学校数与预期不符（{len(schools)}）；请换一个新的数据库再运行")
    for path, name in OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.CLASS).values_list(
        "path", "name"
    ):
        schools[path[: 4 * OrgUnit.steplen]][1].append(name)
    return root, sorted(schools.values())


def bench_user(root, role: str = "province_admin"):
    """The importing user: a role at the bench province (a membership is a scope, SPEC §1.3)."""
    from mofang.platform.accounts.models import Membership, Role, User

    user, _ = User.objects.get_or_create(username=f"bench-{root.code}", defaults={"full_name": "基准导入员"})
    Membership.objects.get_or_create(user=user, role=Role.objects.get(code=role), org=root)
    return user


def copy_rows(model, fields: list[str], rows) -> int:
    """COPY rows (tuples in `fields` order, attnames for foreign keys) into the model's table."""
    from django.db import connection

    meta = model._meta
    cols = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    n = 0
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({cols}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
                n += 1
    return n


def next_ids(model, count: int) -> range:
    """Reserve `count` primary keys for rows inserted with explicit ids (then COPY'd)."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        seq = cur.fetchone()[0]
        cur.execute(
            f"SELECT setval(%s, GREATEST((SELECT COALESCE(max(id), 0) FROM {table}), "
            f"(SELECT last_value FROM {seq})) + %s)",
            [seq, count],
        )
        last = cur.fetchone()[0]
    return range(last - count + 1, last + 1)


def login_session(user) -> dict:
    """The cookies of a new signed-in session for `user`, made the way a login makes it: the login
    views' own call, django.contrib.auth.login (new session key, user id, backend, session hash,
    the user_logged_in signal: last_login, the idle-expiry stamp), on a request that went through
    SessionMiddleware, and saved by the session engine in use (database, plus Redis with REDIS_URL)."""
    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from mofang.platform.accounts import backends

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    login(request, user, backend=backends.PATH)
    request.session.save()
    return {settings.SESSION_COOKIE_NAME: request.session.session_key}
