"""一月一反馈: statements, the published balance list and the SMS — and the seed's own example."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account, MonthlyStatement, Publication
from mofang.governance.timebank.services.statements import MONTHLY_STATEMENTS, statements_period
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.jobs.services import run_due_periodic_jobs
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.testing import make_staff

from .conftest import last_month, month_of, seed_month


def _mao_sms(people):
    return SMSMessage.objects.filter(recipient=people.teacher_user)


def test_the_seed_example_16_earned_4_spent_12_left(bank, people, client):
    """毛玉梅: 4 periods 代课 (2 h) + 14 periods 托管 (14 h) = 16 h; 4 h leave → 12 h."""
    account = seed_month(bank, people, last_month())
    services.generate_monthly_statements(bank, month_of(last_month()), acting_user=people.academic)
    st = MonthlyStatement.objects.get(account=account, month=month_of(last_month()))
    assert (st.earned_substitution, st.earned_afterschool, st.earned, st.spent, st.closing_balance) == (
        Decimal("2.0"),
        Decimal("14.0"),
        Decimal("16.0"),
        Decimal("4.0"),
        Decimal("12.0"),
    )

    label = f"{last_month().year}年{last_month().month}月"
    text = (
        f"【教育魔方】毛玉梅老师：您{label}时间银行代课获得2.0小时，托管获得14.0小时，使用4.0小时，当前结余12.0小时。"
    )
    sms = _mao_sms(people).get()
    assert (sms.text, sms.phone, sms.org) == (text, "13905700001", bank.school)

    client.force_login(people.teacher_user)
    body = client.get(f"/timebank/statements/{st.pk}/").content.decode()
    assert '<span id="earned-substitution" class="earned-substitution">2.0</span>' in body
    assert '<span id="earned-afterschool" class="earned-afterschool">14.0</span>' in body
    assert '<span id="earned-total" class="earned-total">16.0</span>' in body
    assert '<span id="spent" class="spent">4.0</span>' in body
    assert '<span id="closing-balance" class="closing-balance">12.0</span>' in body
    assert text in body


def test_the_sms_text_for_october_2026_reads_as_the_seed():
    from mofang.governance.timebank.models import Account
    from mofang.platform.people.models import Staff

    st = MonthlyStatement(
        account=Account(staff=Staff(name="毛玉梅")),
        month="2026-10",
        earned_substitution=Decimal("2"),
        earned_afterschool=Decimal("14"),
        spent=Decimal("4"),
        corrections=Decimal("0"),
        opening_balance=Decimal("0"),
        closing_balance=Decimal("12"),
    )
    assert st.sms_text() == (
        "【教育魔方】毛玉梅老师：您2026年10月时间银行代课获得2.0小时，托管获得14.0小时，使用4.0小时，当前结余12.0小时。"
    )


def test_regenerating_a_month_is_idempotent(bank, people):
    seed_month(bank, people, last_month())
    month = month_of(last_month())
    first = services.generate_monthly_statements(bank, month, acting_user=people.academic)
    again = services.generate_monthly_statements(bank, month, acting_user=people.academic)
    assert first["created"] == 2 and again["created"] == again["updated"] == again["sms"] == 0
    assert MonthlyStatement.objects.filter(month=month).count() == 2
    assert Publication.objects.filter(bank=bank, month=month).count() == 1
    assert _mao_sms(people).count() == 1


def test_a_late_record_updates_the_statement_and_tells_the_teacher_again(bank, people):
    account = seed_month(bank, people, last_month())
    month = month_of(last_month())
    services.generate_monthly_statements(bank, month, acting_user=people.academic)
    services.record_substitution(
        bank, people.mao, date=last_month().replace(day=27), periods=2, acting_user=people.academic
    )
    result = services.generate_monthly_statements(bank, month, acting_user=people.academic)
    assert (result["created"], result["updated"], result["sms"]) == (0, 1, 1)
    assert MonthlyStatement.objects.get(account=account, month=month).closing_balance == Decimal("13.0")
    assert "当前结余13.0小时" in _mao_sms(people).order_by("-id").first().text


def test_closing_balance_carries_into_the_next_month(bank, people):
    two_ago = (last_month() - dt.timedelta(days=1)).replace(day=1)
    account = seed_month(bank, people, two_ago)
    services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=3, acting_user=people.academic)
    services.generate_monthly_statements(bank, month_of(two_ago), acting_user=None)
    services.generate_monthly_statements(bank, month_of(last_month()), acting_user=None)
    st = MonthlyStatement.objects.get(account=account, month=month_of(last_month()))
    assert (st.opening_balance, st.earned_afterschool, st.closing_balance) == (
        Decimal("12.0"),
        Decimal("3.0"),
        Decimal("15.0"),
    )


def test_corrections_show_on_the_statement_of_the_month_they_are_posted(bank, people):
    from mofang.governance.timebank.models import LedgerEntry
    from mofang.governance.timebank.services.common import today

    rec = services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=3, acting_user=people.academic)
    services.post_correction(LedgerEntry.objects.get(duty=rec), reason="重复登记", acting_user=people.auditor)
    services.generate_monthly_statements(bank, month_of(today()), acting_user=None)
    st = MonthlyStatement.objects.get(account__staff=people.mao, month=month_of(today()))
    assert (st.opening_balance, st.corrections, st.closing_balance) == (Decimal("3.0"), Decimal("-3.0"), Decimal("0.0"))
    assert "冲正调整-3.0小时" in st.sms_text()


def test_future_months_cannot_be_generated(bank, people):
    from django.core.exceptions import ValidationError

    future = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    with pytest.raises(ValidationError) as exc:
        services.generate_monthly_statements(bank, future, acting_user=people.academic)
    assert "month" in exc.value.message_dict


def test_the_monthly_job_runs_the_previous_month_on_or_after_the_first():
    tz = timezone.get_current_timezone()
    assert statements_period(dt.datetime(2026, 11, 1, 0, 5, tzinfo=tz)) == "2026-10"
    assert statements_period(dt.datetime(2026, 11, 23, 9, 0, tzinfo=tz)) == "2026-10"
    assert statements_period(dt.datetime(2027, 1, 1, 8, 0, tzinfo=tz)) == "2026-12"
    assert MONTHLY_STATEMENTS.name == "timebank.monthly_statements"


def test_the_scheduler_runs_every_bank_once_a_month(bank, other_bank, people, django_capture_on_commit_callbacks):
    seed_month(bank, people, last_month())
    services.record_afterschool_duty(other_bank, people.other_staff, date=last_month(), periods=1, acting_user=None)
    with django_capture_on_commit_callbacks(execute=True):
        ran = run_due_periodic_jobs()
    assert f"timebank.monthly_statements:{month_of(last_month())}" in ran
    job = Job.objects.get(kind="timebank:statements")
    assert job.status == JobStatus.SUCCEEDED and job.result["statements"] == 3
    assert set(Publication.objects.values_list("bank__school__name", flat=True)) == {"常山县第一小学", "江山市实验小学"}
    with django_capture_on_commit_callbacks(execute=True):
        assert "timebank.monthly_statements" not in " ".join(run_due_periodic_jobs())
    assert SMSMessage.objects.count() == 3


def test_the_run_now_button_starts_a_job_with_progress(bank, people, client, django_capture_on_commit_callbacks):
    seed_month(bank, people, last_month())
    client.force_login(people.auditor)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/timebank/banks/{bank.pk}/statements/run/", {"month": month_of(last_month())})
    job = Job.objects.get(kind="timebank:statements")
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.created_by == people.auditor
    assert "对账单：共2份" in job.message
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in page


def test_a_bad_month_answers_400_naming_the_field(bank, people, client):
    client.force_login(people.academic)
    r = client.post(f"/timebank/banks/{bank.pk}/statements/run/", {"month": "2026-13"})
    assert r.status_code == 400
    assert "月份：月份格式应为 2026-10" in r.content.decode()


def test_teachers_of_the_school_see_the_published_balance_list(bank, other_bank, people, client):
    seed_month(bank, people, last_month())
    services.generate_monthly_statements(bank, month_of(last_month()), acting_user=None)
    pub = Publication.objects.get(bank=bank)
    client.force_login(people.colleague_user)
    body = client.get(f"/timebank/publications/{pub.pk}/").content.decode()
    assert "毛玉梅" in body and "12.0" in body
    services.record_afterschool_duty(other_bank, people.other_staff, date=last_month(), periods=1, acting_user=None)
    services.generate_monthly_statements(other_bank, month_of(last_month()), acting_user=None)
    other = Publication.objects.get(bank=other_bank)
    assert client.get(f"/timebank/publications/{other.pk}/").status_code == 404


def test_a_statement_out_is_a_figure_on_the_home_page_not_a_to_do(bank, people, client, tree):
    people.principal_staff = make_staff(tree.school, "校长", user=people.principal)
    Account.objects.get_or_create(bank=bank, staff=people.principal_staff)
    seed_month(bank, people, last_month())
    before = last_month().replace(day=1) - dt.timedelta(days=1)
    for month in (before, last_month()):
        services.generate_monthly_statements(bank, month_of(month), acting_user=None)

    client.force_login(people.teacher_user)
    home = client.get("/")
    assert not [t for t in home.context["todos"] if "对账单" in t.title]  # nothing to act on
    (mine,) = [t for t in home.context["overview"] if "对账单" in t.title]
    assert "结余12.0小时" in mine.title and "结余12.0小时" in home.content.decode()

    # the figure is the number of rows its list shows — also for a principal who sees the school's
    for user, name in ((people.teacher_user, "毛玉梅"), (people.principal, "校长")):
        client.force_login(user)
        (mine,) = [t for t in client.get("/").context["overview"] if "对账单" in t.title]
        listed = client.get(mine.url)
        assert mine.count == listed.context["page"].paginator.count == 2
        assert {row[2][0] for row in listed.context["rows"]} == {name}
    assert client.get("/timebank/statements/").context["page"].paginator.count > 2
