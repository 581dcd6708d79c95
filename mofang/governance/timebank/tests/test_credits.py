"""Credits come only from recorded work, at the rate in force on the work's date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account, AfterSchoolDuty, EntryKind, LedgerEntry, SubstitutionRecord
from mofang.governance.timebank.services.common import today
from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_staff

from .conftest import last_month


def test_substitution_period_earns_half_an_hour(bank, people, mao_account):
    rec = services.record_substitution(
        bank, people.mao, date=last_month(), periods=1, absent=people.colleague, acting_user=people.academic
    )
    entry = LedgerEntry.objects.get(substitution=rec)
    assert entry.amount == Decimal("0.5")
    assert entry.kind == EntryKind.CREDIT_SUBSTITUTION
    assert entry.account == mao_account and entry.occurred_on == last_month()
    assert mao_account.current_balance() == Decimal("0.5")


def test_afterschool_period_earns_one_hour(bank, people, mao_account):
    rec = services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=1, acting_user=people.academic)
    assert LedgerEntry.objects.get(duty=rec).amount == Decimal("1.0")
    assert mao_account.current_balance() == Decimal("1.0")


def test_credit_is_periods_times_rate(bank, people, mao_account):
    services.record_substitution(bank, people.mao, date=last_month(), periods=4, acting_user=people.academic)
    services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=3, acting_user=people.academic)
    assert mao_account.current_balance() == Decimal("5.0")


def test_rate_in_force_on_the_record_date_applies(bank, people, mao_account):
    change = last_month().replace(day=15)
    services.set_rate(
        bank, kind="substitution", hours_per_period="0.8", effective_from=change, acting_user=people.principal
    )
    before = services.record_substitution(
        bank, people.mao, date=change - dt.timedelta(days=1), periods=2, acting_user=people.academic
    )
    on = services.record_substitution(bank, people.mao, date=change, periods=2, acting_user=people.academic)
    assert (before.rate, before.hours) == (Decimal("0.5"), Decimal("1.0"))
    assert (on.rate, on.hours) == (Decimal("0.8"), Decimal("1.6"))
    assert mao_account.current_balance() == Decimal("2.6")


def test_a_new_rate_never_rewrites_posted_credits(bank, people):
    rec = services.record_substitution(
        bank, people.mao, date=last_month().replace(day=20), periods=2, acting_user=people.academic
    )
    with pytest.raises(ValidationError) as exc:
        services.set_rate(
            bank,
            kind="substitution",
            hours_per_period="1",
            effective_from=last_month().replace(day=10),
            acting_user=people.principal,
        )
    assert "effective_from" in exc.value.message_dict
    # a rate for the other kind, or from after the last record, is fine
    services.set_rate(
        bank,
        kind="substitution",
        hours_per_period="1",
        effective_from=rec.date + dt.timedelta(days=1),
        acting_user=people.principal,
    )
    assert LedgerEntry.objects.get(substitution=rec).amount == Decimal("1.0")


def test_only_the_principal_sets_rates(bank, people):
    with pytest.raises(PermissionDenied):
        services.set_rate(
            bank, kind="afterschool", hours_per_period="2", effective_from=today(), acting_user=people.academic
        )


@pytest.mark.parametrize("periods", [0, -1, 9, 2.5, "3"])
def test_periods_must_be_a_whole_number_from_1_to_8(bank, people, periods):
    with pytest.raises(ValidationError) as exc:
        services.record_substitution(bank, people.mao, date=last_month(), periods=periods, acting_user=people.academic)
    assert "periods" in exc.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_work_cannot_be_dated_in_the_future(bank, people):
    with pytest.raises(ValidationError) as exc:
        services.record_afterschool_duty(
            bank, people.mao, date=today() + dt.timedelta(days=1), periods=1, acting_user=people.academic
        )
    assert exc.value.message_dict == {"date": ["日期不能晚于今天"]}


def test_work_before_the_bank_started_is_refused(bank, people):
    with pytest.raises(ValidationError) as exc:
        services.record_afterschool_duty(
            bank, people.mao, date=bank.started_on - dt.timedelta(days=1), periods=1, acting_user=people.academic
        )
    assert "date" in exc.value.message_dict


def test_teacher_must_belong_to_the_banks_school(bank, people):
    with pytest.raises(ValidationError) as exc:
        services.record_substitution(
            bank, people.other_staff, date=last_month(), periods=1, acting_user=people.academic
        )
    assert "staff" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_substitution(
            bank, people.mao, absent=people.other_staff, date=last_month(), periods=1, acting_user=people.academic
        )
    assert "absent" in exc.value.message_dict


def test_covering_teacher_cannot_be_the_absent_one(bank, people):
    with pytest.raises(ValidationError) as exc:
        services.record_substitution(
            bank, people.mao, absent=people.mao, date=last_month(), periods=1, acting_user=people.academic
        )
    assert exc.value.message_dict == {"absent": ["代课教师与被代课教师不能是同一人"]}


@pytest.mark.parametrize("who", ["teacher_user", "auditor", "county", "other_county"])
def test_only_the_school_records_work(bank, people, who):
    with pytest.raises(PermissionDenied):
        services.record_afterschool_duty(
            bank, people.mao, date=last_month(), periods=1, acting_user=getattr(people, who)
        )
    assert not AfterSchoolDuty.objects.exists()


def test_recording_is_audited_and_posts_in_one_transaction(bank, people):
    rec = services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=2, acting_user=people.academic)
    entry = AuditEntry.objects.get(object_type=AfterSchoolDuty._meta.label, object_id=str(rec.pk))
    assert entry.actor == people.academic and entry.org == bank.school
    assert "入账2.0小时" in entry.summary


def test_same_record_number_twice_credits_once(bank, people, mao_account):
    for _ in range(2):
        services.record_substitution(
            bank, people.mao, date=last_month(), periods=2, record_no="DK-1", acting_user=people.academic
        )
    assert SubstitutionRecord.objects.count() == 1
    assert mao_account.current_balance() == Decimal("1.0")


def test_a_record_number_cannot_be_reused_for_different_work(bank, people):
    services.record_substitution(
        bank, people.mao, date=last_month(), periods=2, record_no="DK-1", acting_user=people.academic
    )
    with pytest.raises(ValidationError) as exc:
        services.record_substitution(
            bank, people.mao, date=last_month(), periods=3, record_no="DK-1", acting_user=people.academic
        )
    assert "record_no" in exc.value.message_dict


def test_every_staff_member_gets_an_account_when_the_bank_opens(bank, people, tree):
    assert set(Account.objects.filter(bank=bank).values_list("staff__name", flat=True)) == {"毛玉梅", "王丽华"}


def test_later_staff_get_an_account_on_demand(bank, people, tree):
    newcomer = make_staff(tree.school, "新教师")
    services.record_afterschool_duty(bank, newcomer, date=last_month(), periods=1, acting_user=people.academic)
    assert Account.objects.get(bank=bank, staff=newcomer).current_balance() == Decimal("1.0")
    another = make_staff(tree.school, "又一位新教师")
    assert services.open_accounts(bank, acting_user=people.academic) == 1
    assert Account.objects.filter(bank=bank, staff=another).exists()


def test_a_school_opens_one_bank(bank, people, tree):
    with pytest.raises(ValidationError) as exc:
        services.open_bank(tree.school, acting_user=people.principal)
    assert "school" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.open_bank(tree.county, acting_user=None)


def test_default_rates_are_the_seeds(bank):
    assert services.current_rates(bank) == {"substitution": Decimal("0.5"), "afterschool": Decimal("1.0")}
