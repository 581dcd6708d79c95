"""Concurrent selections on PostgreSQL: the conditional UPDATE never sells a seat twice, and one
child's simultaneous clicks cannot slip past the clash rule or the limit together."""

import pytest
from django.db import connection

from mofang.platform.testing import make_student, race
from mofang.resources.afterschool import services
from mofang.resources.afterschool.models import Course, Selection, SelectionStatus

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_twelve_parents_racing_for_three_seats_fill_exactly_three(tree, people, term):
    course = services.publish_course(
        term,
        name="未来工程师",
        weekday=3,
        period_from=1,
        period_to=1,
        place="科创室",
        capacity=3,
        teacher=people.mao,
        acting_user=None,
    )
    kids = [make_student(tree.school, f"并发学生{i}", klass=tree.klass) for i in range(12)]
    outcomes = race([lambda kid=kid: services.select_course(kid, course, acting_user=None) for kid in kids])
    assert outcomes.count("ok") == 3, outcomes
    assert all(o == "ok" or o == "“未来工程师”名额已满" for o in outcomes), outcomes
    course.refresh_from_db()
    assert course.taken == 3
    assert Selection.objects.filter(course=course, status=SelectionStatus.CONFIRMED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_one_childs_simultaneous_clicks_on_clashing_courses_keep_one(tree, people, term):
    mk = lambda name: services.publish_course(  # noqa: E731
        term,
        name=name,
        weekday=1,
        period_from=1,
        period_to=2,
        place=name,
        capacity=10,
        teacher=people.mao,
        acting_user=None,
    )
    courses = [mk(f"周一课程{i}") for i in range(4)]
    outcomes = race([lambda c=c: services.select_course(people.child, c, acting_user=None) for c in courses])
    assert outcomes.count("ok") == 1, outcomes
    assert Selection.objects.filter(student=people.child, status=SelectionStatus.CONFIRMED).count() == 1
    assert sum(Course.objects.filter(pk__in=[c.pk for c in courses]).values_list("taken", flat=True)) == 1


@pytest.mark.django_db(transaction=True)
def test_withdrawals_and_selections_racing_never_oversell(tree, people, term):
    course = services.publish_course(
        term,
        name="丛林穿越",
        weekday=2,
        period_from=1,
        period_to=1,
        place="操场",
        capacity=2,
        teacher=people.mao,
        acting_user=None,
    )
    first = [make_student(tree.school, f"先选{i}", klass=tree.klass) for i in range(2)]
    sels = [services.select_course(k, course, acting_user=None) for k in first]
    later = [make_student(tree.school, f"后选{i}", klass=tree.klass) for i in range(6)]
    outcomes = race(
        [lambda s=s: services.withdraw_selection(s, acting_user=None) for s in sels]
        + [lambda k=k: services.select_course(k, course, acting_user=None) for k in later]
    )
    assert outcomes[:2] == ["ok", "ok"], outcomes
    course.refresh_from_db()
    confirmed = Selection.objects.filter(course=course, status=SelectionStatus.CONFIRMED).count()
    assert course.taken == confirmed <= 2
    assert outcomes[2:].count("ok") == confirmed


@pytest.mark.django_db(transaction=True)
def test_roll_call_submitted_from_four_phones_at_once_credits_once(tree, people, term):
    import datetime as dt

    from django.utils import timezone

    from mofang.governance.timebank import services as bank_services
    from mofang.governance.timebank.models import AfterSchoolDuty, LedgerEntry
    from mofang.resources.afterschool.models import Session

    today = timezone.localdate()
    bank_services.open_bank(tree.school, started_on=today - dt.timedelta(days=120), acting_user=None)
    day = today - dt.timedelta(days=today.weekday())  # this week's Monday
    course = services.publish_course(
        term,
        name="丛林穿越",
        weekday=1,
        period_from=1,
        period_to=2,
        place="操场",
        capacity=5,
        teacher=people.mao,
        acting_user=None,
    )
    services.select_course(people.child, course, acting_user=None)
    sheet = services.session_for(course, day, acting_user=people.teacher_user)  # not yet stored
    outcomes = race([lambda: services.submit_roll_call(sheet, absent_ids=[], acting_user=people.teacher_user)] * 4)
    assert outcomes == ["ok"] * 4, outcomes
    session = Session.objects.get(course=course, date=day)
    duty = AfterSchoolDuty.objects.get(record_no=f"KH-{session.pk}")
    assert LedgerEntry.objects.filter(duty=duty).count() == 1 and duty.hours == 2
