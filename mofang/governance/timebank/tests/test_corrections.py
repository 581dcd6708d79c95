"""Only the 银行专管处 corrects, and only by reversing entries — never by editing them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mofang.governance.timebank import services
from mofang.governance.timebank.models import EntryKind, LedgerEntry
from mofang.governance.timebank.services.common import today

from .conftest import last_month


@pytest.fixture
def credit(bank, people):
    rec = services.record_substitution(bank, people.mao, date=last_month(), periods=4, acting_user=people.academic)
    return LedgerEntry.objects.get(substitution=rec)


def test_a_correction_is_a_reversing_entry(people, credit, mao_account):
    correction = services.post_correction(credit, reason="代课记录重复登记", acting_user=people.auditor)
    assert (correction.kind, correction.amount, correction.reverses) == (EntryKind.CORRECTION, Decimal("-2.0"), credit)
    assert correction.reason == "代课记录重复登记" and correction.occurred_on == today()
    credit.refresh_from_db()
    assert credit.amount == Decimal("2.0")  # the original stays as it was
    assert mao_account.current_balance() == Decimal("0.0")


def test_a_correction_cannot_be_applied_twice(people, credit):
    services.post_correction(credit, reason="重复登记", acting_user=people.auditor)
    with pytest.raises(ValidationError) as exc:
        services.post_correction(credit, reason="再来一次", acting_user=people.auditor)
    assert exc.value.message_dict == {"entry": ["该分录已冲正，不能重复冲正"]}
    # and the database refuses it even past the service
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            account=credit.account,
            kind=EntryKind.CORRECTION,
            amount=-credit.amount,
            occurred_on=today(),
            reverses=credit,
            reason="绕过服务",
        )


def test_a_correction_is_not_itself_corrected(people, credit):
    correction = services.post_correction(credit, reason="重复登记", acting_user=people.auditor)
    with pytest.raises(ValidationError) as exc:
        services.post_correction(correction, reason="撤销冲正", acting_user=people.auditor)
    assert exc.value.message_dict == {"entry": ["冲正分录不能再冲正"]}


def test_a_reason_is_mandatory(people, credit):
    with pytest.raises(ValidationError) as exc:
        services.post_correction(credit, reason="  ", acting_user=people.auditor)
    assert exc.value.message_dict == {"reason": ["请填写冲正理由"]}
    assert not LedgerEntry.objects.filter(kind=EntryKind.CORRECTION).exists()


@pytest.mark.parametrize("who", ["principal", "academic", "teacher_user", "county", "other_auditor"])
def test_only_the_bank_auditor_posts_corrections(people, credit, who):
    with pytest.raises(PermissionDenied):
        services.post_correction(credit, reason="试图冲正", acting_user=getattr(people, who))
    assert not LedgerEntry.objects.filter(kind=EntryKind.CORRECTION).exists()


def test_reversing_a_credit_already_spent_is_refused(bank, people, credit, mao_account):
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="1.5", reason="看病", acting_user=people.teacher_user
    )
    services.approve_leave(leave, acting_user=people.academic)
    with pytest.raises(ValidationError) as exc:
        services.post_correction(credit, reason="记录有误", acting_user=people.auditor)
    assert exc.value.message_dict == {"entry": ["冲正后时间余额将为负：当前可用余额 0.5 小时，冲正需扣减 2.0 小时"]}
    assert mao_account.current_balance() == Decimal("0.5")


def test_reversing_a_leave_debit_gives_the_hours_back(bank, people, credit, mao_account):
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="2", reason="看病", acting_user=people.teacher_user
    )
    debit = services.approve_leave(leave, acting_user=people.academic)
    services.post_correction(debit, reason="当天实际到岗", acting_user=people.auditor)
    assert mao_account.current_balance() == Decimal("2.0")


def test_the_teacher_is_told_of_a_correction(people, credit):
    services.post_correction(credit, reason="重复登记", acting_user=people.auditor)
    assert people.teacher_user.inbox.get().title == "时间账户冲正：-2.0小时"
