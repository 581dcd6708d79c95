"""Pages: each role sees its part, forms answer 400 naming the field, htmx actions swap in place."""

from decimal import Decimal

import pytest

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account, LeaveRequest, LeaveStatus, LedgerEntry, SubstitutionRecord
from mofang.governance.timebank.services.common import today

from .conftest import last_month, month_of, seed_month


@pytest.fixture
def seeded(bank, people):
    account = seed_month(bank, people, last_month())
    services.generate_monthly_statements(bank, month_of(last_month()), acting_user=None)
    return account


def _get(client, user, url, status=200):
    client.force_login(user)
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return r.content.decode()


def test_every_page_renders_for_the_school(client, bank, people, seeded):
    st = seeded.statements.get()
    entry = seeded.entries.first()
    pub = bank.publications.get()
    assert _get(client, people.principal, "/timebank/", status=302) == ""
    for url in [
        "/timebank/banks/",
        f"/timebank/banks/{bank.pk}/",
        f"/timebank/banks/{bank.pk}/accounts/",
        "/timebank/accounts/",
        f"/timebank/accounts/{seeded.pk}/",
        "/timebank/entries/",
        "/timebank/substitutions/",
        "/timebank/duties/",
        "/timebank/approvals/",
        "/timebank/leaves/",
        "/timebank/statements/",
        f"/timebank/statements/{st.pk}/",
        "/timebank/publications/",
        f"/timebank/publications/{pub.pk}/",
        f"/timebank/banks/{bank.pk}/substitutions/new/",
        f"/timebank/banks/{bank.pk}/duties/new/",
        "/timebank/banks/open/",
        "/",
    ]:
        _get(client, people.principal, url)
    body = _get(client, people.auditor, f"/timebank/entries/{entry.pk}/correct/")
    assert "确认冲正" in body


def test_my_account_shows_balance_ledger_causes_and_statements(client, bank, people, seeded):
    body = _get(client, people.teacher_user, "/timebank/my/")
    assert '<span id="balance" class="balance">12.0</span>' in body
    assert "为王丽华代课2课时（×0.5小时）" in body  # each entry names its cause
    assert "课后托管2课时（×1.0小时）" in body and "请假2.0小时：家中急事" in body
    assert f"{last_month().year}年{last_month().month}月" in body
    assert "申请抵假" in body


def test_a_teacher_without_an_account_is_told_why(client, people, tree):
    body = _get(client, people.teacher_user, "/timebank/my/")
    assert "您还没有个人时间账户" in body


def test_a_teacher_requests_leave_by_htmx(client, bank, people, seeded):
    client.force_login(people.teacher_user)
    r = client.post(
        "/timebank/my/leave/",
        {"kind": "leave", "date": today().isoformat(), "hours": "1.5", "reason": "孩子发烧"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "抵假申请已提交" in r.content.decode()
    assert LeaveRequest.objects.get(reason="孩子发烧").hours == Decimal("1.5")


def test_a_leave_beyond_the_balance_answers_400_with_the_message(client, bank, people, seeded):
    client.force_login(people.teacher_user)
    r = client.post(
        "/timebank/my/leave/",
        {"kind": "leave", "date": today().isoformat(), "hours": "20", "reason": "长假"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 400
    assert "抵扣小时：时间余额不足：当前余额 12.0 小时，本次需 20.0 小时" in r.content.decode()
    assert not LeaveRequest.objects.filter(reason="长假").exists()


def test_bad_form_input_names_the_field(client, bank, people):
    client.force_login(people.teacher_user)
    r = client.post("/timebank/my/leave/", {"kind": "vacation", "date": "昨天", "hours": "", "reason": ""})
    body = r.content.decode()
    assert r.status_code == 400
    assert "类型：请选择请假类型" in body and "请假日期：日期格式应为 2026-10-15" in body
    assert "抵扣小时：请填写小时数" in body and "事由：请填写请假事由" in body


def test_the_academic_records_a_substitution_through_the_form(client, bank, people, mao_account):
    client.force_login(people.academic)
    url = f"/timebank/banks/{bank.pk}/substitutions/new/"
    data = {
        "record_no": "DK-FORM-1",
        "staff": mao_account.pk,
        "absent": "",
        "date": last_month().isoformat(),
        "periods": "3",
        "note": "",
    }
    r = client.post(url, data)
    assert r.status_code == 302
    assert LedgerEntry.objects.get(substitution__record_no="DK-FORM-1").amount == Decimal("1.5")
    client.post(url, data)  # a double submit does not credit twice
    assert SubstitutionRecord.objects.count() == 1


def test_work_form_errors_are_400_and_name_the_field(client, bank, people, mao_account, other_bank):
    other_account = Account.objects.get(bank=other_bank, staff=people.other_staff)
    client.force_login(people.academic)
    r = client.post(
        f"/timebank/banks/{bank.pk}/duties/new/",
        {"staff": other_account.pk, "date": last_month().isoformat(), "periods": "12"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 400 and "教师：请选择本校教师" in body
    r = client.post(
        f"/timebank/banks/{bank.pk}/duties/new/",
        {"staff": mao_account.pk, "date": last_month().isoformat(), "periods": "12"},
    )
    assert r.status_code == 400 and "课时数：课时数应为1至8之间的整数" in r.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_teacher_cannot_open_the_record_forms(client, bank, people):
    _get(client, people.teacher_user, f"/timebank/banks/{bank.pk}/duties/new/", status=404)


def test_an_approver_approves_in_place_with_htmx(client, bank, people, seeded):
    leave = services.request_leave(
        seeded, kind="double_reduction", date=today(), hours="1", reason="家长会", acting_user=people.teacher_user
    )
    body = _get(client, people.academic, "/timebank/approvals/")
    assert "家长会" in body
    r = client.post(f"/timebank/leaves/{leave.pk}/approve/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'data-status="approved"' in r.content.decode()
    assert seeded.current_balance() == Decimal("11.0")


def test_an_approval_beyond_the_balance_answers_400_in_the_row(client, bank, people, seeded):
    first = services.request_leave(
        seeded, kind="leave", date=today(), hours="8", reason="一", acting_user=people.teacher_user
    )
    second = services.request_leave(
        seeded, kind="leave", date=today(), hours="8", reason="二", acting_user=people.teacher_user
    )
    client.force_login(people.principal)
    client.post(f"/timebank/leaves/{first.pk}/approve/", HTTP_HX_REQUEST="true")
    r = client.post(f"/timebank/leaves/{second.pk}/approve/", HTTP_HX_REQUEST="true")
    assert r.status_code == 400
    assert "时间余额不足：当前余额 4.0 小时，本次需 8.0 小时" in r.content.decode()
    second.refresh_from_db()
    assert second.status == LeaveStatus.PENDING


def test_the_bank_auditor_corrects_through_the_form(client, bank, people, seeded):
    duty = LedgerEntry.objects.filter(duty__isnull=False).first()
    client.force_login(people.auditor)
    r = client.post(f"/timebank/entries/{duty.pk}/correct/", {"reason": ""})
    assert r.status_code == 400 and "冲正理由：请填写冲正理由" in r.content.decode()
    r = client.post(f"/timebank/entries/{duty.pk}/correct/", {"reason": "托管点名记录重复"})
    assert r.status_code == 302
    assert seeded.current_balance() == Decimal("10.0")


@pytest.mark.parametrize(
    "who,status",
    [
        ("principal", 403),
        ("academic", 403),
        ("county", 403),
        ("teacher_user", 403),
        ("colleague_user", 404),
        ("other_auditor", 404),
    ],
)
def test_only_the_bank_auditor_reaches_the_correction_form(client, bank, people, seeded, who, status):
    entry = LedgerEntry.objects.filter(account=seeded).first()
    client.force_login(getattr(people, who))
    assert client.post(f"/timebank/entries/{entry.pk}/correct/", {"reason": "试图冲正"}).status_code == status
    assert not LedgerEntry.objects.filter(kind="correction").exists()


def test_the_principal_opens_the_bank_from_the_page(client, people, tree):
    client.force_login(people.principal)
    r = client.post("/timebank/banks/open/", {"school": tree.school.pk, "started_on": ""})
    assert r.status_code == 302
    assert Account.objects.filter(bank__school=tree.school).count() == 2
    r = client.post("/timebank/banks/open/", {"school": tree.other_school.pk})
    assert r.status_code == 400 and "学校：请选择您所在的学校" in r.content.decode()


def test_rates_are_set_on_the_bank_page(client, bank, people):
    client.force_login(people.principal)
    r = client.post(
        f"/timebank/banks/{bank.pk}/rates/",
        {"kind": "afterschool", "hours_per_period": "1.5", "effective_from": today().isoformat()},
    )
    assert r.status_code == 302
    assert services.current_rates(bank)["afterschool"] == Decimal("1.5")
    r = client.post(
        f"/timebank/banks/{bank.pk}/rates/",
        {"kind": "afterschool", "hours_per_period": "0.25", "effective_from": today().isoformat()},
    )
    assert r.status_code == 400 and "每课时折算小时：小时数应为0.1的整数倍" in r.content.decode()
