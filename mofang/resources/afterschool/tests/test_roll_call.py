"""点名: attendance, guardians told of absences, and the time bank credited once per held session."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mofang.governance.timebank import services as bank_services
from mofang.governance.timebank.models import AfterSchoolDuty, LedgerEntry
from mofang.platform.notifications.models import InboxMessage, SMSMessage
from mofang.resources.afterschool import services
from mofang.resources.afterschool.models import Attendance, Course


def last_weekday(weekday: int) -> dt.date:
    """The most recent date (today included) falling on `weekday` (1 = Monday)."""
    today = timezone.localdate()
    return today - dt.timedelta(days=(today.isoweekday() - weekday) % 7)


@pytest.fixture
def held(people, courses):
    services.select_course(people.child, courses.jungle, acting_user=people.parent)
    services.select_course(people.other_child, courses.jungle, acting_user=people.other_parent)
    day = last_weekday(courses.jungle.weekday)
    return services.open_session(courses.jungle, day, acting_user=people.teacher_user)


@pytest.fixture
def bank(tree, people):
    return bank_services.open_bank(
        tree.school, started_on=timezone.localdate() - dt.timedelta(days=120), acting_user=people.principal
    )


def test_an_absence_tells_the_guardian_by_inbox_and_sms(django_capture_on_commit_callbacks, held, people):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_roll_call(held, absent_ids=[people.child.pk], acting_user=people.teacher_user)
    assert dict(Attendance.objects.filter(session=held).values_list("student__name", "present")) == {
        "张小明": False,
        "李小刚": True,
    }
    inbox = InboxMessage.objects.get(recipient=people.parent)
    assert inbox.title == "课后服务缺勤提醒" and "张小明" in inbox.body and "丛林穿越" in inbox.body
    sms = SMSMessage.objects.get(phone="13905710001")
    assert "未到课后服务课程“丛林穿越”" in sms.text
    assert not InboxMessage.objects.filter(recipient=people.other_parent).exists()


def test_a_held_session_credits_the_teacher_once_even_when_resubmitted(bank, held, people):
    services.submit_roll_call(held, absent_ids=[], acting_user=people.teacher_user)
    services.submit_roll_call(held, absent_ids=[people.child.pk], acting_user=people.teacher_user)
    services.submit_roll_call(held, absent_ids=[], acting_user=people.academic)
    duty = AfterSchoolDuty.objects.get(bank=bank)
    assert duty.record_no == f"KH-{held.pk}" and duty.periods == 2 and duty.hours == Decimal("2.0")
    assert list(LedgerEntry.objects.filter(duty=duty).values_list("amount", flat=True)) == [Decimal("2.0")]
    assert bank_services.balance_of(duty.account_id) == Decimal("2.0")
    # the guardian is told once for one absence, however often the sheet is submitted
    assert InboxMessage.objects.filter(recipient=people.parent).count() == 1


def test_a_teacher_takes_roll_only_for_their_own_course(held, people, courses):
    with pytest.raises(PermissionDenied):
        services.submit_roll_call(held, absent_ids=[], acting_user=people.other_teacher_user)


def test_roll_call_refuses_a_day_without_the_course_and_the_future(people, courses):
    c: Course = courses.jungle
    with pytest.raises(ValidationError) as exc:
        services.open_session(c, last_weekday(c.weekday) - dt.timedelta(days=1), acting_user=people.teacher_user)
    assert "该日期没有课" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.open_session(c, last_weekday(c.weekday) + dt.timedelta(days=7), acting_user=people.teacher_user)


def test_a_school_with_after_school_courses_has_no_manual_duty_entry(bank, term, people):
    with pytest.raises(ValidationError) as exc:
        bank_services.record_afterschool_duty(
            bank, people.mao, date=timezone.localdate(), periods=2, acting_user=people.academic
        )
    assert "由教师提交课后服务点名后自动入账" in exc.value.messages[0]
    # 代课 is still entered by hand
    bank_services.record_substitution(
        bank, people.mao, date=timezone.localdate(), periods=2, acting_user=people.academic
    )


def test_a_teacher_is_reminded_of_todays_roll_call_until_it_is_submitted(monkeypatch, people, courses):
    from types import SimpleNamespace

    from mofang.resources.afterschool import menu

    monday = last_weekday(courses.jungle.weekday)
    monkeypatch.setattr(menu.timezone, "localdate", lambda: monday)
    mao, wang = SimpleNamespace(user=people.teacher_user), SimpleNamespace(user=people.other_teacher_user)
    assert [(t.title, t.count) for t in menu.todos(mao)] == [("今日课后服务待点名", 1)]
    session = services.open_session(courses.jungle, monday, acting_user=people.teacher_user)
    services.submit_roll_call(session, absent_ids=[], acting_user=people.teacher_user)
    assert menu.todos(mao) == []
    # 王老师's own Monday course (鲁班学艺) is still waiting: another teacher's roll call does not count
    assert [t.count for t in menu.todos(wang)] == [1]
