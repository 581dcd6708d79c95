"""Year-end balances for 期末考核, exported to xlsx within scope and audited."""

import io

import openpyxl

from mofang.governance.timebank import services
from mofang.platform.audit.models import AuditEntry

from .conftest import last_month, seed_month


def _rows(response):
    assert response.status_code == 200, response.content[:200]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    return header, rows


def test_the_year_end_export_has_the_right_numbers(client, bank, other_bank, people):
    seed_month(bank, people, last_month())
    services.record_afterschool_duty(other_bank, people.other_staff, date=last_month(), periods=5, acting_user=None)
    year = last_month().year
    client.force_login(people.principal)
    header, rows = _rows(client.get(f"/timebank/banks/{bank.pk}/export/?year={year}"))
    assert header == (
        "学校",
        "学校标识码",
        "工号",
        "姓名",
        "年初结余（小时）",
        "代课获得（小时）",
        "托管获得（小时）",
        "使用（小时）",
        "冲正调整（小时）",
        "年末结余（小时）",
    )
    by_name = {r[3]: r for r in rows}
    assert set(by_name) == {"毛玉梅", "王丽华"}
    assert by_name["毛玉梅"] == ("常山县第一小学", "3308220001", people.mao.staff_no, "毛玉梅", 0, 2, 14, 4, 0, 12)
    assert by_name["王丽华"][4:] == (0, 0, 0, 0, 0, 0)
    assert AuditEntry.objects.filter(action="export", actor=people.principal, org=bank.school).exists()


def test_the_county_export_covers_its_schools_only(client, bank, other_bank, people):
    seed_month(bank, people, last_month())
    services.record_afterschool_duty(other_bank, people.other_staff, date=last_month(), periods=5, acting_user=None)
    client.force_login(people.county)
    _header, rows = _rows(client.get(f"/timebank/export/?year={last_month().year}"))
    assert {r[0] for r in rows} == {"常山县第一小学"}
    client.force_login(people.other_county)
    _header, rows = _rows(client.get(f"/timebank/export/?year={last_month().year}"))
    assert [(r[3], r[-1]) for r in rows] == [("江山教师", 5)]
    assert client.get(f"/timebank/banks/{bank.pk}/export/?year={last_month().year}").status_code == 404


def test_a_year_before_any_entry_closes_at_zero(client, bank, people):
    seed_month(bank, people, last_month())
    client.force_login(people.principal)
    _h, rows = _rows(client.get(f"/timebank/banks/{bank.pk}/export/?year={last_month().year - 1}"))
    assert {r[3]: r[-1] for r in rows}["毛玉梅"] == 0


def test_a_bad_year_is_400(client, bank, people):
    client.force_login(people.principal)
    for bad in ("abc", "1999", "9999"):
        r = client.get(f"/timebank/banks/{bank.pk}/export/?year={bad}")
        assert r.status_code == 400 and "年份" in r.content.decode()


def test_teachers_cannot_export(client, bank, people):
    client.force_login(people.teacher_user)
    assert client.get("/timebank/export/").status_code == 404
    assert client.get(f"/timebank/banks/{bank.pk}/export/").status_code == 404
