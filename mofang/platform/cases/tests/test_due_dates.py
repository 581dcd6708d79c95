"""Deadlines in working days and a case's own due date: a state declared WorkingDays(5) is due at
the end of the fifth working day on the responsible unit's calendar; a due date set when the case
is opened, or later by whoever holds the type's due-date permission, overrides the states'
deadlines, is audited and shown in the timeline; the overdue scan and the case page follow it."""

import dataclasses
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import overdue, services
from mofang.platform.cases import registry as r
from mofang.platform.workdays.calendar import add_working_days
from mofang.platform.workdays.models import BureauDay, DayKind

from .conftest import HAZARD

US = dt.timedelta(microseconds=1)
SEPT_30 = timezone.make_aware(dt.datetime(2026, 9, 30, 10, 0))


def _local(value):
    return timezone.localtime(value)


@pytest.fixture
def working_days_type():
    states = tuple(
        dataclasses.replace(s, deadline={"high": r.WorkingDays(1), "normal": r.WorkingDays(5)})
        if s.code == "reported"
        else s
        for s in HAZARD.states
    )
    ct = dataclasses.replace(HAZARD, code="casetest.workdays", states=states)
    r.register_case_type(ct)
    yield ct
    r.unregister_case_type(ct.code)


def test_five_working_days_from_september_30_end_on_october_13(report, working_days_type):
    case = report(working_days_type.code, now=SEPT_30)
    assert _local(case.due_at) == timezone.make_aware(dt.datetime.combine(dt.date(2026, 10, 13), dt.time.max))
    urgent = report(working_days_type.code, severity="high", now=SEPT_30)
    assert _local(urgent.due_at).date() == dt.date(2026, 10, 8)  # the holiday is not a working day


def test_working_days_count_on_the_responsible_units_calendar(report, world, working_days_type):
    BureauDay.objects.create(org=world.tree.city, date=dt.date(2026, 10, 8), kind=DayKind.HOLIDAY, name="地方假日")
    here = report(working_days_type.code, severity="high", now=SEPT_30)  # 常山县公安局, under 衢州市
    assert _local(here.due_at).date() == dt.date(2026, 10, 9)


def test_a_working_days_deadline_must_be_positive():
    bad = dataclasses.replace(
        HAZARD,
        code="casetest.bad",
        states=tuple(
            dataclasses.replace(s, deadline={"normal": r.WorkingDays(0)}) if s.code == "reported" else s
            for s in HAZARD.states
        ),
    )
    with pytest.raises(r.DeclarationError, match="not positive"):
        r.register_case_type(bad)


def test_a_due_date_given_when_opening_overrides_every_states_deadline(report, world):
    case = report(due_on=dt.date(2026, 10, 9), now=SEPT_30)
    assert _local(case.due_at) == timezone.make_aware(dt.datetime.combine(dt.date(2026, 10, 9), dt.time.max))
    later = SEPT_30 + dt.timedelta(days=1)
    services.claim(case, acting_user=world.liaison, now=later)
    case = services.fire(case, "start", acting_user=world.liaison, now=later)  # 处置中 would be 72 hours
    assert _local(case.due_at).date() == dt.date(2026, 10, 9)
    assert case.events.get(kind="open").data == {"due_on": "2026-10-09"}


def test_a_legal_time_limit_in_working_days_is_counted_from_today(report):
    case = report(due_on=r.WorkingDays(20), now=SEPT_30)
    assert (
        case.due_on == add_working_days(dt.date(2026, 9, 30), 20) == dt.date(2026, 11, 3)
    )  # 10-08 … 10-10 (Sat), 12 … 16, 19 … 23, 26 … 30, 11-02, 11-03


def test_a_due_date_in_the_past_is_refused(report):
    with pytest.raises(Exception) as exc:
        report(due_on=dt.date(2026, 9, 29), now=SEPT_30)
    assert exc.value.message_dict == {"due_on": ["案件期限不能早于今天"]}


def test_the_reporting_school_sets_the_due_date_audited_and_in_the_timeline(report, world):
    case = report(now=SEPT_30)
    sla_due = case.due_at
    case = services.set_due_date(
        case, dt.date(2026, 10, 16), acting_user=world.principal, reason="整改期限", now=SEPT_30
    )
    case.refresh_from_db()
    assert case.due_on == dt.date(2026, 10, 16) and _local(case.due_at).date() == dt.date(2026, 10, 16)
    event = case.events.get(kind="due")
    assert event.actor == world.principal and event.comment == "案件期限：按各环节时限 → 2026-10-16。理由：整改期限"
    audit = AuditEntry.objects.get(summary__endswith="案件期限：按各环节时限 → 2026-10-16。理由：整改期限")
    assert audit.before["due_on"] is None and audit.after["due_on"] == "2026-10-16"
    # cleared: the state's own deadline from when the case entered it counts again
    case = services.set_due_date(case, None, acting_user=world.principal, now=SEPT_30)
    assert case.due_on is None and case.due_at == sla_due
    assert case.events.filter(kind="due").count() == 2


def test_only_the_due_date_permission_may_change_it(report, world):
    case = report(now=SEPT_30)
    with pytest.raises(Exception, match="您没有设置该案件期限的权限"):
        services.set_due_date(case, dt.date(2026, 10, 16), acting_user=world.liaison, now=SEPT_30)
    case.refresh_from_db()
    assert case.due_on is None and not case.events.filter(kind="due").exists()


def test_the_overdue_scan_follows_the_cases_own_due_date(report, world):
    later = report(title="晚于时限", due_on=dt.date(2026, 10, 16), now=SEPT_30)
    sooner = report(title="早于时限", due_on=dt.date(2026, 9, 30), now=SEPT_30)  # SLA would be 10-01 10:00
    end_of_30th = timezone.make_aware(dt.datetime.combine(dt.date(2026, 9, 30), dt.time.max))
    assert overdue.scan(now=end_of_30th)["escalated"] == 0  # due that day: on time all day
    assert overdue.scan(now=end_of_30th + US)["escalated"] == 1
    sooner.refresh_from_db()
    later.refresh_from_db()
    assert sooner.responsible_org == world.tree.county
    # the state's 24-hour deadline has passed, but the case's own date has not
    assert overdue.scan(now=SEPT_30 + dt.timedelta(days=2))["escalated"] == 0
    later.refresh_from_db()
    assert later.responsible_org == world.dept
    assert overdue.scan(now=later.due_at + US)["escalated"] == 1


def test_reopening_returns_to_the_states_deadlines(report, world):
    case = report(due_on=dt.date(2026, 10, 9), now=SEPT_30)
    services.claim(case, acting_user=world.liaison, now=SEPT_30)
    for t, who, c in (
        ("start", world.liaison, ""),
        ("resolve", world.liaison, "已处置"),
        ("confirm", world.principal, ""),
    ):
        case = services.fire(case, t, acting_user=who, comment=c, now=SEPT_30)
    assert case.closed_on_time is True
    case = services.reopen(case, acting_user=world.principal, comment="问题反弹", now=SEPT_30)
    assert case.due_on is None and case.due_at == SEPT_30 + dt.timedelta(hours=24)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_page_shows_working_days_left_and_sets_the_due_date(report, world):
    today = timezone.localdate()
    due = add_working_days(today, 3, world.dept)
    case = report(due_on=due)
    html = _client(world.liaison).get(f"/cases/{case.pk}/").content.decode()
    assert "剩余3个工作日" in html and "案件期限" in html and 'id="due-form"' not in html  # not the liaison's to set
    school = _client(world.principal)
    assert 'id="due-form"' in school.get(f"/cases/{case.pk}/").content.decode()
    new = add_working_days(today, 5, world.dept)
    r = school.post(f"/cases/{case.pk}/", {"action": "due", "due_on": new.isoformat(), "comment": "延期"})
    assert r.status_code == 302
    html = school.get(f"/cases/{case.pk}/").content.decode()
    assert "剩余5个工作日" in html and "期限调整" in html and f"→ {new:%Y-%m-%d}。理由：延期" in html


def test_a_due_date_in_the_wrong_format_is_a_400_naming_the_field(report, world):
    case = report()
    r = _client(world.principal).post(f"/cases/{case.pk}/", {"action": "due", "due_on": "2026/10/09"})
    assert r.status_code == 400 and "案件期限不是有效的日期（格式：2026-10-09）" in r.content.decode()
    case.refresh_from_db()
    assert case.due_on is None and not case.events.filter(kind="due").exists()


def test_an_overdue_case_says_so(report, world):
    case = report(now=timezone.now() - dt.timedelta(days=3))
    html = _client(world.liaison).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="case-remaining">已超期<' in html
