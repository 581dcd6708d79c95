"""Scope: a teacher sees only their own account; a county only its own banks; out of scope is 404."""

import io
import json

import openpyxl
import pytest

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account, LeaveRequest
from mofang.governance.timebank.services.common import today
from mofang.platform.testing import make_user

from .conftest import last_month, month_of, seed_month


@pytest.fixture
def both(bank, other_bank, people):
    """Work and statements at both schools."""
    seed_month(bank, people, last_month())
    services.record_afterschool_duty(bank, people.colleague, date=last_month(), periods=2, acting_user=None)
    services.record_afterschool_duty(other_bank, people.other_staff, date=last_month(), periods=3, acting_user=None)
    for b in (bank, other_bank):
        services.generate_monthly_statements(b, month_of(last_month()), acting_user=None)


def test_a_teacher_sees_only_their_own_account(client, both, people, colleague_account, mao_account):
    client.force_login(people.teacher_user)
    assert client.get(f"/timebank/accounts/{mao_account.pk}/").status_code == 200
    assert client.get(f"/timebank/accounts/{colleague_account.pk}/").status_code == 404
    assert client.get(f"/timebank/statements/{colleague_account.statements.get().pk}/").status_code == 404
    body = client.get("/timebank/accounts/").content.decode()
    assert "毛玉梅" in body and "王丽华" not in body
    assert client.get("/timebank/banks/").status_code == 404


def test_a_teacher_sees_only_their_own_rows_in_the_api(client, both, people):
    client.force_login(people.teacher_user)
    accounts = client.get("/api/timebank/accounts/").json()
    assert [(a["name"], a["balance"]) for a in accounts["results"]] == [("毛玉梅", 12.0)]
    entries = client.get("/api/timebank/entries/").json()
    assert entries["count"] == 11 and {e["account"] for e in entries["results"]} == {accounts["results"][0]["id"]}
    statements = client.get("/api/timebank/statements/").json()["results"]
    assert [s["sms_text"].split("：")[0] for s in statements] == ["【教育魔方】毛玉梅老师"]


def test_a_county_sees_its_own_banks_and_not_another_countys(client, both, people, bank, other_bank):
    client.force_login(people.county)
    body = client.get("/timebank/banks/").content.decode()
    assert "常山县第一小学" in body and "江山市实验小学" not in body
    assert '<strong class="total-count">1</strong>' in body
    assert client.get(f"/timebank/banks/{other_bank.pk}/").status_code == 404
    assert client.get(f"/timebank/banks/{other_bank.pk}/accounts/").status_code == 404
    other_account = Account.objects.get(bank=other_bank)
    assert client.get(f"/timebank/accounts/{other_account.pk}/").status_code == 404
    assert client.get(f"/api/timebank/accounts/{other_account.pk}/").status_code == 404
    names = {a["name"] for a in client.get("/api/timebank/accounts/").json()["results"]}
    assert names == {"毛玉梅", "王丽华"}


def test_the_bank_list_totals_balances_within_scope(client, both, people, tree):
    city = make_user("admin_qz", "city_admin", tree.city)
    client.force_login(city)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=city, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    body = client.get("/timebank/banks/").content.decode()
    assert "常山县第一小学" in body and "江山市实验小学" in body
    assert '<td class="num">14.0</td>' in body  # 12 (毛玉梅) + 2 (王丽华)
    assert '<td class="num">3.0</td>' in body


def test_the_account_list_export_has_only_visible_rows(client, both, people):
    client.force_login(people.county)
    r = client.get("/timebank/accounts/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=2, values_only=True))
    assert sorted((row[2], row[3]) for row in rows) == [("毛玉梅", 12.0), ("王丽华", 2.0)]


def test_county_users_read_but_do_not_act(client, both, people, mao_account):
    leave = services.request_leave(
        mao_account, kind="leave", date=today(), hours="1", reason="事假", acting_user=people.teacher_user
    )
    client.force_login(people.county)
    assert client.get(f"/timebank/accounts/{mao_account.pk}/").status_code == 200
    assert client.post(f"/timebank/leaves/{leave.pk}/approve/").status_code == 403
    client.force_login(people.other_county)
    assert client.post(f"/timebank/leaves/{leave.pk}/approve/").status_code == 404
    leave.refresh_from_db()
    assert leave.status == "pending"


def test_the_api_leave_request_is_the_teachers_own_and_errors_are_400(client, both, people, mao_account):
    client.force_login(people.teacher_user)
    r = client.post(
        "/api/timebank/leave-requests/",
        {"kind": "leave", "date": today().isoformat(), "hours": "2", "reason": "家中有事"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["account"] == mao_account.pk
    assert LeaveRequest.objects.get(reason="家中有事").account == mao_account
    for bad in [
        {"hours": "99", "date": today().isoformat(), "reason": "x"},
        {"hours": "abc", "date": "x", "reason": ""},
        {"hours": "1e9", "date": "2026-02-30", "reason": "x" * 300},
        {"kind": "holiday", "hours": "1", "date": today().isoformat(), "reason": "x"},
        {"hours": "1.2", "date": today().isoformat(), "reason": "x"},
    ]:
        r = client.post("/api/timebank/leave-requests/", json.dumps(bad), content_type="application/json")
        assert r.status_code == 400, (bad, r.status_code, r.content)
    r = client.post("/api/timebank/leave-requests/", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert client.get("/api/timebank/entries/?account=abc").status_code == 400


def test_someone_without_an_account_gets_400_from_the_leave_api(client, both, people):
    client.force_login(people.principal)
    r = client.post(
        "/api/timebank/leave-requests/",
        {"hours": "1", "date": today().isoformat(), "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "个人时间账户" in str(r.json())


def test_the_openapi_schema_documents_the_time_bank(client, people):
    client.force_login(people.county)
    schema = client.get("/api/schema/?format=json").content.decode()
    for path in (
        "/api/timebank/accounts/",
        "/api/timebank/entries/",
        "/api/timebank/statements/",
        "/api/timebank/leave-requests/",
    ):
        assert path in schema
