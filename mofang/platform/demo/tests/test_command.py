"""The demo command and builds that need an empty database: seeds, re-runs, --reset, builders."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from mofang.platform.accounts.models import User
from mofang.platform.demo import registry
from mofang.platform.demo.generator import PROVINCE_CODE, STORY_SCHOOL_CODE
from mofang.platform.demo.services import build_demo
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import identity
from mofang.platform.people.models import Staff, Student

SMALL = 0.05


def _quiet(_msg):
    pass


def _build_then_undo(scale: float, seed: int, look):
    """Build inside a savepoint, look at the result, roll back: the next build starts empty."""
    with transaction.atomic():
        report = build_demo(scale=scale, seed=seed, log=_quiet)
        seen = look(report)
        transaction.set_rollback(True)
    return seen


def _snapshot(_report):
    return (
        list(OrgUnit.objects.order_by("path").values_list("path", "name", "code", "school_type", "ownership")),
        list(Student.objects.order_by("student_no").values_list("student_no", "name", "sex", "birth_date")),
        sorted(identity.unseal(s) for s in Student.objects.values_list("id_number_sealed", flat=True)),
        list(Staff.objects.order_by("staff_no").values_list("staff_no", "name", "position")),
    )


def test_the_same_seed_builds_the_same_province(db):
    first = _build_then_undo(SMALL, 11, _snapshot)
    assert _build_then_undo(SMALL, 11, _snapshot) == first
    assert _build_then_undo(SMALL, 12, _snapshot)[1] != first[1]


def test_the_context_reaches_every_registered_builder(db, monkeypatch):
    seen = []
    monkeypatch.setattr(registry, "DEMO_BUILDERS", [("probe", seen.append)])
    build_demo(scale=SMALL, log=_quiet)
    (ctx,) = seen
    assert ctx.province.code == PROVINCE_CODE
    assert ctx.staff["maoyumei"].name == "毛玉梅"
    assert any(s.code == STORY_SCHOOL_CODE for s in ctx.schools)
    assert all(s.kind == OrgKind.SCHOOL for s in ctx.schools)


def test_the_command_refuses_to_build_twice(db):
    out = io.StringIO()
    call_command("demo", "--scale", str(SMALL), stdout=out)
    assert "演示数据已生成" in out.getvalue() and "maoyumei" in out.getvalue()
    students = Student.objects.count()
    out = io.StringIO()
    call_command("demo", "--scale", str(SMALL), stdout=out)
    assert "已存在" in out.getvalue()
    assert Student.objects.count() == students
    assert OrgUnit.objects.filter(code=PROVINCE_CODE).count() == 1


def test_the_command_rebuilds_with_reset(transactional_db):
    # transactional: the test settings' reset is a flush, which PostgreSQL refuses inside a
    # transaction that has pending deferred-constraint checks
    call_command("demo", "--scale", str(SMALL), "--seed", "1", stdout=io.StringIO())
    call_command("demo", "--scale", str(SMALL), "--seed", "2", "--reset", "--noinput", stdout=io.StringIO())
    assert OrgUnit.objects.filter(code=PROVINCE_CODE).count() == 1
    assert User.objects.filter(username="maoyumei").count() == 1


def test_scale_grows_the_province_linearly(db):
    small = _build_then_undo(SMALL, 1, lambda r: r.counts)
    bigger = _build_then_undo(SMALL * 4, 1, lambda r: r.counts)
    assert bigger["schools"] > small["schools"] * 2
    assert bigger["students"] > small["students"] * 2


def test_both_readmes_list_every_demo_login_and_the_password():
    from pathlib import Path

    from mofang.platform.demo.story import DEMO_LOGINS, DEMO_PASSWORD

    root = Path(__file__).resolve().parents[4]
    for name in ("README.md", "README.en.md"):
        text = (root / name).read_text(encoding="utf-8")
        assert DEMO_PASSWORD in text, name
        for login in DEMO_LOGINS:
            assert f"| `{login.username}` |" in text, (name, login.username)


def test_a_builder_runs_after_the_builders_it_names_wherever_it_was_registered(monkeypatch):
    """A module whose story reads another module's demo rows names it in `after=`: the order of
    INSTALLED_APPS no longer decides (综合素质评价 pulls 体测 and 课后服务 rows in)."""
    from mofang.platform.demo import registry

    monkeypatch.setattr(registry, "DEMO_BUILDERS", [])
    monkeypatch.setattr(registry, "DEMO_AFTER", {})
    for name, after in (("reader", ("source", "absent")), ("first", ()), ("source", ("first",))):
        registry.register_demo(name, print, after=after)
    assert [name for name, _ in registry.ordered_builders()] == ["first", "source", "reader"]
    registry.register_demo("first_again", print, after=("reader",))
    registry.DEMO_AFTER["first"] = ("first_again",)
    with pytest.raises(RuntimeError, match="wait for each other"):
        registry.ordered_builders()
