"""Benchmark: the cockpit (教育智治一张图) page latency for a large province on PostgreSQL.

Builds (once per database) a province of 11 cities × 10 counties × 182 schools = 20,020 schools
(prefix 94, no grades or classes: the cockpit does not read them) with coordinates, and a bench
indicator whose precomputed totals (FactTotal, as the indicators core's refresh leaves them) are
written with COPY for every org unit and the five years the cards' trends read. Then the pages are
requested through Django's test client on the production settings (DEBUG off), logged in as the
province, a city and a county administrator:

- 一张图 at the province (11 cities), a city (10 counties as tiles), a county (182 schools as
  points), a school; the 大屏 and the JSON endpoint at the province;

each `--requests` times after one warm-up request (which computes any catalogue fact not yet
computed for the period, as the first visitor of the day would); p50 / p95 / max and the query
count per page. The indicator figures of a region are cached until the next fact refresh (at most
5 minutes), so the page is also measured cold (the cache emptied before each request, a third
as many times). The figures are checked (league rows, 学校数, one county's value from the
generated numbers): a wrong figure exits 1; the 300 ms p95 target is reported, never enforced.

    python bench/cockpit_page.py                 # 20,020 schools, 30 requests per page
    python bench/cockpit_page.py --requests 100
    python bench/cockpit_page.py --smoke         # 2 × 2 × 5 schools (prefix 93), 5 requests, for CI
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from decimal import Decimal
from typing import TYPE_CHECKING

import benchlib

if TYPE_CHECKING:
    from mofang.platform.orgs.models import OrgUnit

P95_TARGET_MS = 300.0
SIZES = {"smoke": ("93", (2, 2, 5)), "full": ("94", (11, 10, 182))}  # prefixes no other bench uses
FACT_NUM, FACT_DEN = "bench_cockpit.num", "bench_cockpit.den"
INDICATOR = "bench_cockpit_rate"


def school_numbers(i: int) -> tuple[int, int]:
    den = 100 + i % 50
    return den * (50 + i % 50) // 100, den


def build_tree(prefix: str, shape) -> "OrgUnit":
    from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType

    n_cities, n_counties, n_schools = shape
    root = OrgUnit.objects.filter(code=f"{prefix}0000").first()
    if root is not None:
        return root
    root = OrgUnit.objects.add_root(dict(name=f"驾驶舱基准省{prefix}", kind=OrgKind.PROVINCE, code=f"{prefix}0000"))
    nodes = []

    def node(parent_path, depth, step, numchild, **fields):
        path = OrgUnit._get_path(parent_path, depth, step)
        nodes.append(OrgUnit(path=path, depth=depth, numchild=numchild, **fields))
        return path

    for c in range(1, n_cities + 1):
        city = node(root.path, 2, c, n_counties, name=f"驾驶舱{c}市", kind=OrgKind.CITY, code=f"{prefix}{c:02d}00")
        for k in range(1, n_counties + 1):
            code = f"{prefix}{c:02d}{k:02d}"
            county = node(city, 3, k, n_schools, name=f"驾驶舱{c}市{k}县", kind=OrgKind.COUNTY, code=code)
            for s in range(1, n_schools + 1):
                node(
                    county,
                    4,
                    s,
                    0,
                    name=f"{code}第{s}学校",
                    kind=OrgKind.SCHOOL,
                    code=f"{code}{s:04d}",
                    school_type=SchoolType.PRIMARY,
                    ownership=Ownership.PUBLIC,
                    longitude=Decimal(f"{118 + c * 0.3 + (s % 14) * 0.02:.6f}"),
                    latitude=Decimal(f"{28 + k * 0.2 + (s // 14) * 0.01:.6f}"),
                )
    OrgUnit.objects.bulk_create(nodes, batch_size=5000)
    OrgUnit.objects.filter(pk=root.pk).update(numchild=n_cities)
    root.refresh_from_db()
    return root


def build_values(root, years: list[str]) -> dict:
    """FactTotal rows of the bench facts for every org of the tree; returns {org id: (num, den)}."""
    from django.db import connection, transaction
    from django.utils import timezone

    from mofang.platform.indicators.models import FactRefresh, FactTotal, Indicator
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    Indicator.objects.update_or_create(
        code=INDICATOR,
        defaults=dict(
            name="基准参与率",
            numerator=FACT_NUM,
            denominator=FACT_DEN,
            unit="%",
            factor=Decimal(100),
            decimals=1,
            direction="higher",
            period_type="year",
            active=True,
            order=0,
        ),
    )
    orgs = list(OrgUnit.objects.filter(path__startswith=root.path).values_list("pk", "path", "kind").order_by("path"))
    totals: dict[str, list[int]] = {p: [0, 0] for _, p, _ in orgs}
    ids = {p: pk for pk, p, _ in orgs}
    for i, (pk, path, kind) in enumerate(o for o in orgs if o[2] == OrgKind.SCHOOL):
        num, den = school_numbers(i)
        for depth in range(1, len(path) // 4 + 1):
            t = totals[path[: depth * 4]]
            t[0] += num
            t[1] += den
    now = timezone.now()
    with transaction.atomic():
        FactTotal.objects.filter(fact__in=[FACT_NUM, FACT_DEN], org__path__startswith=root.path).delete()
        benchlib.copy_rows(
            FactTotal,
            ["fact", "org", "period", "value", "computed_at"],
            (
                (fact, ids[p], y, t[n], now)
                for y in years
                for p, t in totals.items()
                for n, fact in ((0, FACT_NUM), (1, FACT_DEN))
            ),
        )
        for y in years:
            for fact in (FACT_NUM, FACT_DEN):
                FactRefresh.objects.update_or_create(
                    fact=fact, period=y, defaults=dict(refreshed_at=now, full_at=now, rows=len(totals))
                )
    with connection.cursor() as cur:
        cur.execute("ANALYZE indicators_facttotal")
    return {ids[p]: tuple(t) for p, t in totals.items()}


def login(user):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.requires_second_factor:
        device = TOTPDevice.objects.create(user=user, confirmed=True, name="bench")
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def user_at(org, role: str):
    from mofang.platform.accounts.models import Membership, Role, User

    user, _ = User.objects.get_or_create(username=f"bench-ck-{role}-{org.code}", defaults={"full_name": "驾驶舱基准"})
    Membership.objects.get_or_create(user=user, role=Role.objects.get(code=role), org=org)
    return user


def measure(client, url: str, n: int, *, cold: bool = False) -> dict:
    """Timed GETs; `cold` empties the cache before each one (the first visitor after a refresh)."""
    from django.core.cache import cache
    from django.db import connection, reset_queries

    r = client.get(url)  # warm-up: computes any catalogue fact not yet computed for the period
    if r.status_code != 200:
        sys.exit(f"{url}: HTTP {r.status_code} {r.content[:300]!r}")
    times, cpu, sql, queries = [], [], [], 0
    connection.force_debug_cursor = True
    try:
        for _ in range(n):
            reset_queries()
            if cold:
                cache.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            sql.append(sum(float(q["time"]) for q in connection.queries) * 1000)
            queries = len(connection.queries)
            assert r.status_code == 200, (url, r.status_code)
    finally:
        connection.force_debug_cursor = False
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return {
        "p50": statistics.median(times),
        "p95": p95,
        "max": times[-1],
        "queries": queries,
        "cpu_p50": statistics.median(cpu),
        "sql_p50": statistics.median(sql),
        "body": r.content,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--smoke", action="store_true", help="20 schools, 5 requests per page, for CI")
    args = parser.parse_args()
    size = "smoke" if args.smoke else "full"
    n = 5 if args.smoke else args.requests
    prefix, shape = SIZES[size]

    benchlib.setup_django()
    from django.db import connection

    from mofang.platform.indicators.periods import current_period
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    year = int(current_period("year").key)
    years = [str(year - k) for k in range(4, -1, -1)]
    results: dict = {}
    with benchlib.timed(f"org tree ({shape[0]}×{shape[1]}×{shape[2]} schools)", results):
        root = build_tree(prefix, shape)
    with benchlib.timed("precomputed totals (COPY)", results):
        totals = build_values(root, years)
    n_schools = OrgUnit.objects.filter(path__startswith=root.path, kind=OrgKind.SCHOOL).count()
    if n_schools != shape[0] * shape[1] * shape[2]:
        sys.exit(f"基准省 {root.code} 的学校数与预期不符（{n_schools}）；请换一个新的数据库再运行")
    city = OrgUnit.objects.get(code=f"{prefix}0100")
    county = OrgUnit.objects.get(code=f"{prefix}0101")
    school = OrgUnit.objects.filter(path__startswith=county.path, kind=OrgKind.SCHOOL).order_by("path").first()
    print(
        f"PostgreSQL {connection.pg_version // 10000} · database {connection.settings_dict['NAME']} · "
        f"{os.cpu_count()} CPU · {n_schools:,} schools · {n} requests per page"
    )

    q = f"indicator={INDICATOR}&period={year}"
    pages = [
        ("一张图 · 省（各市）", "province_admin", root, f"/cockpit/?{q}", shape[0]),
        ("一张图 · 市（区县瓦片）", "city_admin", city, f"/cockpit/?{q}", shape[1]),
        ("一张图 · 区县（学校打点）", "county_admin", county, f"/cockpit/?{q}", shape[2]),
        ("一张图 · 学校", "county_admin", county, f"/cockpit/?region={school.pk}&{q}", 0),
        ("大屏 · 省", "province_admin", root, f"/cockpit/screen/?{q}", shape[0]),
        ("JSON · 省", "province_admin", root, f"/cockpit/data/?{q}", shape[0]),
    ]
    rows, failures, out = [], [], []
    for label, role, org, url, children in pages:
        m = measure(login(user_at(org, role)), url, n)
        body = m.pop("body").decode()
        if url.startswith("/cockpit/data/"):
            data = json.loads(body)
            league = len(data["league"])
        else:
            league = len(re.findall(r"<tr data-org=", body))
        if league != children:
            failures.append(f"{label}: 排行榜 {league} 行，应为 {children}")
        if label.startswith("一张图 · 市"):
            num, den = totals[county.pk]
            want = f"{Decimal(num * 100) / Decimal(den):.1f}%"
            if not re.search(rf">{re.escape(county.name)}</a></td><td class=\"num\">{re.escape(want)}<", body):
                failures.append(f"{label}: {county.name} 的数值应为 {want}")
        if label.startswith("一张图 · 省"):
            m_schools = re.search(r'<div class="label">学校数</div><div class="value">(\d+)<', body)
            if not m_schools or int(m_schools.group(1)) != n_schools:
                failures.append(f"{label}: 学校数应为 {n_schools}")
        c = measure(login(user_at(org, role)), url, max(3, n // 3), cold=True)
        c.pop("body")
        rows.append(
            [
                label,
                m["p50"],
                m["p95"],
                m["max"],
                m["cpu_p50"],
                m["sql_p50"],
                m["queries"],
                "是" if m["p95"] < P95_TARGET_MS else "否",
                c["p50"],
                c["p95"],
                c["queries"],
            ]
        )
        out.append({"page": label, "url": url, **m, "cold": c})
    print()
    load = os.getloadavg()[0]
    benchlib.print_table(
        [
            "页面",
            "p50 (ms)",
            "p95 (ms)",
            "max (ms)",
            "Python CPU p50",
            "SQL p50",
            "查询数",
            f"p95<{P95_TARGET_MS:.0f}ms",
            "冷 p50",
            "冷 p95",
            "冷查询数",
        ],
        rows,
    )
    print("冷：每次请求前清空缓存（刷新后的第一位访问者）；其余为缓存命中时的常态。")
    print(
        f"Python CPU：本进程处理一次请求所用的 CPU 时间（不含等待 CPU 与数据库）；SQL：各查询耗时之和。"
        f"测量结束时 1 分钟负载 {load:.1f}（{os.cpu_count()} CPU）：负载高于 CPU 数时墙钟时间含排队等待。"
    )
    (benchlib.OUT / f"cockpit_page_{size}.json").write_text(
        json.dumps({"schools": n_schools, "requests": n, "pages": out}, ensure_ascii=False, indent=1)
    )
    if failures:
        print("\n".join(["", "数值错误："] + failures))
        return 1
    print("\n数值核对：通过")
    return 0


if __name__ == "__main__":
    sys.exit(main())
