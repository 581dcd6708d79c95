"""Fixtures for 课后服务: a school with staff, parents and children, a term with an open window —
built through the same services the pages use."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from mofang.platform.accounts.models import User
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import make_staff, make_student, make_user
from mofang.resources.afterschool import services
from mofang.resources.afterschool.models import SelectionMode


def add_parent(school, child, phone: str, username: str | None = None) -> User:
    """A parent with a login (role 家长 at the school, "@own" grants) linked to `child`."""
    user = make_user(username or f"parent_{phone}", "parent", school, full_name=f"{child.name}家长")
    user.phone = phone
    user.save(update_fields=["phone"])
    g = Guardian(name=f"{child.name}家长", user=user)
    g.set_phone(phone)
    g.save()
    Guardianship.objects.create(guardian=g, student=child, relation="母亲")
    return user


def monday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@pytest.fixture
def people(tree):
    p = SimpleNamespace()
    p.principal = make_user("principal_cs1", "principal", tree.school, full_name="校长")
    p.academic = make_user("academic_cs1", "academic", tree.school, full_name="教务")
    p.teacher_user = make_user("maoyumei", "teacher", tree.school, full_name="毛玉梅")
    p.other_teacher_user = make_user("teacher_cs1b", "teacher", tree.school, full_name="王老师")
    p.county = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    p.mao = make_staff(tree.school, "毛玉梅", user=p.teacher_user, phone="13905700001")
    p.wang = make_staff(tree.school, "王丽华", user=p.other_teacher_user, phone="13905700002")
    p.child = make_student(tree.school, "张小明", klass=tree.klass)
    p.sister = make_student(tree.school, "张小红", klass=tree.klass, sex="F")
    p.other_child = make_student(tree.school, "李小刚", klass=tree.klass)
    p.parent = add_parent(tree.school, p.child, "13905710001", "parent_cs1")
    Guardianship.objects.create(guardian=p.parent.guardian, student=p.sister, relation="母亲")
    p.other_parent = add_parent(tree.school, p.other_child, "13905710002")
    return p


def make_term(school, *, mode=SelectionMode.FIRST_COME, max_courses=2, window="open", acting_user=None, name=""):
    now = timezone.now()
    today = timezone.localdate()
    opens, closes = {
        "open": (now - dt.timedelta(hours=1), now + dt.timedelta(days=3)),
        "closed": (now - dt.timedelta(days=3), now - dt.timedelta(minutes=1)),
        "before": (now + dt.timedelta(days=1), now + dt.timedelta(days=3)),
    }[window]
    return services.create_term(
        school,
        name=name or f"2026年秋季学期-{mode}-{window}",
        starts_on=monday_on_or_before(today) - dt.timedelta(days=28),
        ends_on=today + dt.timedelta(days=90),
        opens_at=opens,
        closes_at=closes,
        mode=mode,
        max_courses=max_courses,
        acting_user=acting_user,
    )


@pytest.fixture
def term(tree, people):
    return make_term(tree.school, acting_user=people.academic)


@pytest.fixture
def courses(term, people):
    """丛林穿越 (Mon 1–2), 鲁班学艺 (Mon 2: clashes), 未来工程师 (Wed 1, 1 seat)."""
    mk = lambda **kw: services.publish_course(term, acting_user=people.academic, **kw)  # noqa: E731
    return SimpleNamespace(
        jungle=mk(
            name="丛林穿越", weekday=1, period_from=1, period_to=2, place="操场", capacity=30, teacher=people.mao
        ),
        luban=mk(
            name="鲁班学艺", weekday=1, period_from=2, period_to=2, place="木工坊", capacity=20, teacher=people.wang
        ),
        future=mk(
            name="未来工程师",
            weekday=3,
            period_from=1,
            period_to=1,
            place="科创室",
            capacity=1,
            teacher=people.wang,
            fee=120,
        ),
    )
