"""The 工作日历 page as the bureau meets it: who may see it, who may add and remove days (audited),
the warning for a year whose official arrangement is missing, and Chinese 400s naming the field."""

import datetime as dt

import pytest
from django.test import Client

from mofang.platform.accounts.roles import sync_roles
from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_user
from mofang.platform.workdays.calendar import official_known
from mofang.platform.workdays.models import BureauDay, DayKind


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, confirmed=True, name="t")
        session = c.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return c


@pytest.fixture
def people(tree):
    sync_roles()
    return {
        "city": make_user("city1", "city_admin", tree.city, full_name="衢州管理员"),
        "county": make_user("county1", "county_admin", tree.county),
        "principal": make_user("principal1", "principal", tree.school),
    }


def test_only_bureau_roles_see_the_calendar(people):
    assert _client(people["principal"]).get("/workdays/").status_code == 404
    page = _client(people["county"]).get("/workdays/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026-10-10" in html and "国庆节调休上班" in html and 'id="add-day"' not in html


def test_the_city_adds_a_local_holiday_and_the_county_sees_it_counted(people, tree):
    city = _client(people["city"])
    r = city.post(
        "/workdays/", {"date": "2026-10-09", "kind": "holiday", "name": "衢州市地方假日", "org": tree.city.pk}
    )
    assert r.status_code == 302
    day = BureauDay.objects.get()
    assert (day.org, day.date, day.kind, day.created_by) == (
        tree.city,
        dt.date(2026, 10, 9),
        DayKind.HOLIDAY,
        people["city"],
    )
    entry = AuditEntry.objects.get(summary__startswith="工作日历：衢州市2026-10-09")
    assert entry.actor == people["city"] and entry.after["kind"] == "holiday"
    # the county's calculator counts on it: 2 working days after 09-30 is the make-up Saturday
    html = _client(people["county"]).get("/workdays/?year=2026&from=2026-09-30&n=2").content.decode()
    assert "衢州市地方假日" in html and "期限为 <strong>2026-10-10（周六）</strong>" in html
    # the same date twice for the same region is refused, naming the field
    r = city.post("/workdays/", {"date": "2026-10-09", "kind": "holiday", "name": "重复", "org": tree.city.pk})
    assert r.status_code == 400 and "日期：衢州市已录入2026-10-09" in r.content.decode()


def test_a_county_administrator_may_not_add_or_remove_days(people, tree):
    day = BureauDay.objects.create(org=tree.county, date=dt.date(2026, 3, 20), kind=DayKind.HOLIDAY, name="县假日")
    county = _client(people["county"])
    r = county.post("/workdays/", {"date": "2026-10-09", "kind": "holiday", "name": "x", "org": tree.county.pk})
    assert r.status_code == 403 and "您没有维护工作日历的权限" in r.content.decode()
    assert county.post(f"/workdays/{day.pk}/delete/").status_code == 404
    assert _client(people["principal"]).post(f"/workdays/{day.pk}/delete/").status_code == 404
    assert BureauDay.objects.filter(pk=day.pk).exists() and not BureauDay.objects.exclude(pk=day.pk).exists()


def test_the_city_removes_a_day_after_confirming_and_it_is_audited(people, tree):
    day = BureauDay.objects.create(org=tree.county, date=dt.date(2026, 3, 20), kind=DayKind.HOLIDAY, name="县假日")
    city = _client(people["city"])
    html = city.get("/workdays/?year=2026").content.decode()
    assert "确认删除" in html and "<details>" in html  # the button sits behind a second click
    r = city.post(f"/workdays/{day.pk}/delete/")
    assert r.status_code == 302 and not BureauDay.objects.exists()
    entry = AuditEntry.objects.get(action="delete", summary__contains="县假日")
    assert entry.before["date"] == "2026-03-20"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"date": "2026/10/09"}, "date", "日期：日期不是有效的日期（格式：2026-10-01）"),
        ({"date": "2026-02-30"}, "date", "日期：日期不是有效的日期（格式：2026-10-01）"),
        ({"date": ""}, "date", "日期：请填写日期"),
        ({"kind": "maybe"}, "kind", "类别：类别只能是“上班”或“放假”"),
        ({"name": " "}, "name", "名称或事由：请填写名称或事由"),
        ({"org": "abc"}, "org", "适用地区：请选择适用地区"),
    ],
)
def test_bad_input_is_a_chinese_400_naming_the_field(people, tree, data, field, message):
    post = {"date": "2026-10-09", "kind": "holiday", "name": "地方假日", "org": tree.city.pk, **data}
    r = _client(people["city"]).post("/workdays/", post)
    html = r.content.decode()
    assert r.status_code == 400 and f'data-field="{field}"' in html and message in html
    assert not BureauDay.objects.exists()


def test_a_school_is_not_a_region_that_declares_days(people, tree):
    r = _client(people["city"]).post(
        "/workdays/", {"date": "2026-10-09", "kind": "holiday", "name": "x", "org": tree.school.pk}
    )
    assert r.status_code == 400 and "适用地区不存在或不在您的数据范围内" in r.content.decode()


def test_the_calculator_names_the_bad_field(people):
    c = _client(people["county"])
    r = c.get("/workdays/?from=2026-9-30&n=5")
    assert r.status_code == 400 and "起算日期：起算日期不是有效的日期" in r.content.decode()
    r = c.get("/workdays/?from=2026-09-30&n=-1")
    assert r.status_code == 400 and "工作日数：工作日数应为0至" in r.content.decode()
    r = c.get("/workdays/?year=abc")
    assert r.status_code == 400 and "年度：年度应为2000至2100之间的年份" in r.content.decode()


def test_a_year_without_the_official_arrangement_is_flagged(people):
    year = next(y for y in range(2026, 2101) if not official_known(y))
    c = _client(people["county"])
    html = c.get(f"/workdays/?year={year}").content.decode()
    assert 'id="unknown-year"' in html and f"{year}年国务院办公厅的节假日安排尚未录入" in html
    assert 'id="unknown-year"' not in c.get("/workdays/?year=2026").content.decode()


def test_the_menu_offers_the_calendar_to_the_bureau_only(people):
    assert "工作日历" in _client(people["county"]).get("/").content.decode()
    assert "/workdays/" not in _client(people["principal"]).get("/").content.decode()
