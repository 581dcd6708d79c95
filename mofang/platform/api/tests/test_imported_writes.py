"""Writes through the import path by key: staff and indicator statistics (fitness results and vision
screenings are tested in their modules) — a batch of each; out-of-subtree records read as unknown;
every bad record by index and field, nothing written."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mofang.platform.audit.models import AuditEntry
from mofang.platform.indicators.models import FactValue
from mofang.platform.people.models import Staff
from mofang.platform.testing import make_id_number, make_user

from ..keys import create_key
from ..registry import WRITE_KINDS


def key_client(tree):
    admin = make_user("imp_admin", "county_admin", tree.county)
    key, secret = create_key(acting_user=admin, name="县教育数据中心", org=tree.county, kinds=list(WRITE_KINDS))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    client.key = key
    return client


@pytest.fixture
def api(tree):
    return key_client(tree)


def _staff(no, **over):
    return {
        "staff_no": no,
        "name": "毛玉梅",
        "sex": "女",
        "id_number": make_id_number("19850312", "F"),
        "phone": "13800000000",
        "org_code": "3308220001",
        "position": "教师",
        **over,
    }


def test_a_key_writes_staff_then_updates_them(api, tree):
    r = api.post(
        "/api/staff-records/",
        [_staff("T001"), _staff("T002", name="徐建国", sex="男", id_number=make_id_number("19800101", "M"))],
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["created"] == 2 and r.json()["count"] == 2
    assert Staff.objects.get(staff_no="T002").name == "徐建国"
    r = api.post("/api/staff-records/", [_staff("T001", position="教研组长")], format="json")
    assert r.status_code == 200 and r.json()["updated"] == 1
    assert Staff.objects.get(staff_no="T001").position == "教研组长"
    assert AuditEntry.objects.filter(actor=api.key.account, action="import", actor_name="接口：县教育数据中心").exists()


def test_bad_staff_records_are_reported_by_index_and_field_and_nothing_is_written(api, tree):
    batch = [
        _staff("T010"),
        _staff("T011", sex="不详"),
        _staff("T012", org_code="3308810001"),  # another county's school: unknown to the key
        _staff("T013", phone=13800000000),  # a number, not text
    ]
    r = api.post("/api/staff-records/", batch, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["1.sex"] == ["性别应填“男”或“女”"]  # the import's own message
    assert "2.org_code" in body and "3.phone" in body and "0.staff_no" not in body
    assert "本批未写入任何记录" in body["detail"]
    assert not Staff.objects.exists()


def test_a_key_writes_indicator_statistics(api, tree):
    year = str(timezone.localdate().year)
    r = api.post(
        "/api/indicator-statistics/",
        [{"code": "import.public_kindergartens", "org_code": "330822", "period": year, "numerator": "41"}],
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert FactValue.objects.filter(org=tree.county).exists()
    out = api.post(
        "/api/indicator-statistics/",
        [{"code": "import.public_kindergartens", "org_code": "330881", "period": year, "numerator": "41"}],
        format="json",
    )
    assert out.status_code == 400 and "0.org_code" in out.json()
