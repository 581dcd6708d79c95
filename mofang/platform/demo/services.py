"""Building and resetting the demo: the core province, the story, then every module's builder."""

import datetime as dt
import random
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.utils import timezone

from mofang.platform.accounts.models import User
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Guardian, Staff, Student

from . import registry
from .generator import DEFAULT_SEED, PROVINCE_CODE, build_province, province_exists, school_year_start
from .registry import DemoContext
from .story import create_story


class DemoExists(Exception):
    """The database already holds the demo province."""


@dataclass
class DemoReport:
    counts: dict[str, int]
    seconds: float
    context: DemoContext


def migrate_if_needed(log=print) -> None:
    """Apply pending migrations (a fresh data directory, or an upgrade)."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        log("正在初始化数据库（migrate）……")
        call_command("migrate", interactive=False, verbosity=0)


def build_demo(*, scale: float = 1.0, seed: int = DEFAULT_SEED, today: dt.date | None = None, log=print) -> DemoReport:
    """Build the whole demo in one transaction: nothing half-built if a module's builder fails."""
    started = time.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        if province_exists():
            raise DemoExists
        log(f"正在生成演示省份：浙江省（规模 {scale:g}，随机种子 {seed}）……")
        build = build_province(scale=scale, seed=seed, today=today, log=log)
        users, staff = create_story(build, seed=seed, year=school_year_start(today))
        record(
            actor=None,
            action=AuditAction.CREATE,
            org=build.province,
            summary=f"生成演示数据（规模 {scale:g}，随机种子 {seed}）",
        )
        ctx = DemoContext(
            rng=random.Random(f"mofang-demo:{seed}:modules"),
            scale=scale,
            province=build.province,
            users=users,
            staff=staff,
            schools=build.schools,
            log=log,
        )
        for name, builder in registry.ordered_builders():
            log(f"  模块演示数据：{name}")
            builder(ctx)
    return DemoReport(counts=demo_counts(), seconds=time.monotonic() - started, context=ctx)


def demo_counts() -> dict[str, int]:
    province = OrgUnit.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        return {}
    by_kind = dict(
        OrgUnit.objects.filter(path__startswith=province.path)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return {
        "cities": by_kind.get(OrgKind.CITY, 0),
        "counties": by_kind.get(OrgKind.COUNTY, 0),
        "schools": by_kind.get(OrgKind.SCHOOL, 0),
        "classes": by_kind.get(OrgKind.CLASS, 0),
        "students": Student.objects.count(),
        "staff": Staff.objects.count(),
        "guardians": Guardian.objects.count(),
        "users": User.objects.count(),
    }


COUNT_LABELS = {
    "cities": "地市",
    "counties": "区县",
    "schools": "学校",
    "classes": "班级",
    "students": "学生",
    "staff": "教职工",
    "guardians": "家长",
    "users": "账号",
}


def reset_database(log=print) -> None:
    """Empty the database completely and migrate again.

    The production settings refuse DELETE on append-only tables (audit log, ledgers), so a flush
    cannot work there: SQLite's file is removed instead, PostgreSQL's schema dropped and recreated.
    The test settings allow the purge, so tests use flush.
    """
    if getattr(settings, "ALLOW_PURGE", False):
        call_command("flush", interactive=False, verbosity=0)
        return
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("内存数据库无法重置")
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        log(f"已删除数据库文件 {name}")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        log(f"已清空 PostgreSQL 数据库 {db['NAME']} 的 public 模式")
    else:  # pragma: no cover - settings allow only these two
        raise RuntimeError(f"不支持的数据库：{connection.vendor}")
    call_command("migrate", interactive=False, verbosity=0)
