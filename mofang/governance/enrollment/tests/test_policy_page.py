"""招生政策 page: a county administrator sets the year's 招生类别, 报名时间 and 派位办法 for their own
county only; bad input is refused whole; the page shows, from the engine, why 平行志愿."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from mofang.governance.enrollment import policy, priority
from mofang.governance.enrollment.engine import manipulation
from mofang.governance.enrollment.models import EnrollmentPolicy, PriorityCategory
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_user

from .conftest import born
from .test_registration import _submit, child_id

KEYS = list(priority.CONDITIONS)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _rows(*rows):
    """POST data of the 招生类别 editor: rows of (name, {condition: "yes"/"no"})."""
    data = {"name": [name for name, _ in rows]}
    for key in KEYS:
        data[f"cond_{key}"] = [conds.get(key, "") for _, conds in rows]
    return data


FIRST = ("第一类：户籍与房产均在学区", {"household_in_district": "yes", "property_in_district": "yes"})
SECOND = ("第二类：户籍在学区", {"household_in_district": "yes"})


@pytest.fixture
def page(district):
    district.url = f"/enrollment/manage/policy/{district.tree.county.pk}/"
    district.year = district.years[0]
    district.c = _client(district.admin)
    return district


def _renter(d):
    """A household registration in 定阳花园 (常山县第一小学's 学区) living in a rented flat."""
    return _submit(
        d, parent_user_for("13900001234"), child_id(born("primary", d.years[0]), "131"), residence_proof="rent"
    )[0]


def test_saved_categories_decide_the_category_a_registration_gets_in_the_draw(page):
    reg = _renter(page)
    assert priority.category_for(reg, page.primary) is None
    r = page.c.post(f"{page.url}categories/", {"year": page.year, "op": "save", **_rows(FIRST, SECOND)})
    assert r.status_code == 302
    assert priority.category_for(reg, page.primary).name == "第二类：户籍在学区"
    assert priority.category_for(reg, page.primary).rank == 2
    entry = AuditEntry.objects.filter(summary__contains=f"{page.year}年招生类别").get()
    assert entry.actor == page.admin and len(entry.after["categories"]) == 2
    body = page.c.get(page.url, {"year": page.year}).content.decode()
    assert 'value="第一类：户籍与房产均在学区"' in body and 'value="第二类：户籍在学区"' in body


def test_moving_a_row_up_is_shown_unsaved_until_the_administrator_saves(page):
    reg = _renter(page)
    priority.set_categories(
        page.tree.county,
        page.year,
        [
            {"name": FIRST[0], "conditions": {"household_in_district": True, "property_in_district": True}},
            {"name": SECOND[0], "conditions": {"household_in_district": True}},
        ],
        acting_user=page.admin,
    )
    r = page.c.post(
        f"{page.url}categories/", {"year": page.year, "op": "up-2", **_rows(FIRST, SECOND)}, HTTP_HX_REQUEST="true"
    )
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body  # the htmx partial only
    assert body.index(SECOND[0]) < body.index(FIRST[0])
    assert priority.category_for(reg, page.primary).rank == 2  # not saved yet
    r = page.c.post(
        f"{page.url}categories/", {"year": page.year, "op": "save", **_rows(SECOND, FIRST)}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "已保存" in r.content.decode()
    assert priority.category_for(reg, page.primary).rank == 1


def test_adding_and_removing_rows(page):
    r = page.c.post(f"{page.url}categories/", {"year": page.year, "op": "add", **_rows(FIRST)})
    assert r.status_code == 200 and r.content.decode().count('name="name"') == 2
    r = page.c.post(f"{page.url}categories/", {"year": page.year, "op": "remove-1", **_rows(FIRST, SECOND)})
    body = r.content.decode()
    assert body.count('name="name"') == 1 and f'value="{FIRST[0]}"' not in body and f'value="{SECOND[0]}"' in body
    assert not PriorityCategory.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (_rows(FIRST, ("", {"permit": "yes"})), "第2条类别缺少名称"),
        (_rows(FIRST, ("第二类", {"permit": "maybe"})), "第2条类别的“随迁子女（居住证）”只能选择是、否或不限"),
        (_rows(FIRST, FIRST), "第2条类别的名称与第1条重复"),
        ({"name": ["第一类", "第二类"], "cond_permit": ["yes"]}, "表单数据不完整"),
        ({**_rows(FIRST), "year": "明年"}, "招生年份"),
        ({**_rows(FIRST), "op": "up-9"}, "无法识别的操作"),
    ],
)
def test_a_bad_row_is_refused_with_400_naming_it_and_nothing_changes(page, data, message):
    priority.set_categories(
        page.tree.county, page.year, [{"name": "原有类别", "conditions": {"permit": True}}], acting_user=page.admin
    )
    before = list(PriorityCategory.objects.values_list("rank", "name", "conditions"))
    audits = AuditEntry.objects.count()
    r = page.c.post(f"{page.url}categories/", {"year": page.year, "op": "save", **data})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert list(PriorityCategory.objects.values_list("rank", "name", "conditions")) == before
    assert AuditEntry.objects.count() == audits


def _local(y, m, d, hh=0, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def test_the_registration_window_is_saved_audited_and_decides_whether_registration_is_open(page):
    y = page.year
    county = page.tree.county
    assert policy.window_for(county, y) is None and policy.is_open(county, y, _local(y, 1, 1))
    r = page.c.post(
        f"{page.url}window/",
        {"year": y, "registration_opens": f"{y}-05-01T08:00", "registration_closes": f"{y}-05-10T17:00"},
    )
    assert r.status_code == 302
    assert policy.window_for(county, y) == (_local(y, 5, 1, 8), _local(y, 5, 10, 17))
    assert not policy.is_open(county, y, _local(y, 5, 1, 7, 59))
    assert policy.is_open(county, y, _local(y, 5, 1, 8))
    assert not policy.is_open(county, y, _local(y, 5, 10, 17))
    assert policy.window_refusal(county, y, _local(y, 4, 1)).startswith("报名尚未开始")
    assert policy.window_refusal(county, y, _local(y, 6, 1)).startswith("报名已结束")
    assert policy.is_open(county, y + 1, _local(y, 6, 1))  # another year is not restricted
    entry = AuditEntry.objects.filter(summary__contains=f"{y}年报名时间").get()
    assert entry.actor == page.admin and entry.after["registration_opens"]
    assert f"{y}年05月01日 08:00" in page.c.get(page.url, {"year": y}).content.decode()


@pytest.mark.parametrize(
    "opens, closes, message",
    [
        ("2030-05-10T17:00", "2030-05-01T08:00", "报名截止时间：报名截止时间应晚于开始时间"),
        ("2030-05-10T17:00", "", "报名截止时间：报名开始时间和截止时间须同时填写"),
        ("五月一日", "2030-05-01T08:00", "报名开始时间："),
    ],
)
def test_a_bad_window_is_refused_and_nothing_is_saved(page, opens, closes, message):
    r = page.c.post(
        f"{page.url}window/", {"year": page.year, "registration_opens": opens, "registration_closes": closes}
    )
    assert r.status_code == 400 and message in r.content.decode()
    assert not EnrollmentPolicy.objects.exists()


def test_the_mechanism_is_saved_audited_and_defaults_to_deferred_acceptance(page):
    county, y = page.tree.county, page.year
    assert policy.mechanism_for(county, y) == "da"
    assert page.c.post(f"{page.url}mechanism/", {"year": y, "mechanism": "boston"}).status_code == 302
    assert policy.mechanism_for(county, y) == "boston" and policy.mechanism_for(county, y + 1) == "da"
    entry = AuditEntry.objects.filter(summary__contains=f"{y}年派位办法").get()
    assert entry.actor == page.admin and entry.after["mechanism"] == "boston"
    assert "当前：<strong>志愿优先</strong>" in page.c.get(page.url, {"year": y}).content.decode()
    r = page.c.post(f"{page.url}mechanism/", {"year": y, "mechanism": "random"})
    assert r.status_code == 400 and "派位办法：未知的派位办法" in r.content.decode()
    assert policy.mechanism_for(county, y) == "boston"


def test_the_page_shows_what_the_engine_computes_about_misreporting(page):
    body = page.c.get(page.url).content.decode()
    example = manipulation.manipulation_example()
    for code in ("boston", "da"):
        row = re.search(rf'<tr data-mechanism="{code}">(.*?)</tr>', body, re.S).group(1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        assert cells[1:3] == [example[code]["truthful"] or "未录取", example[code]["misreport"] or "未录取"]
        assert int(cells[3]) == len(manipulation.profitable_deviations(code))
    boston, da = (len(manipulation.profitable_deviations(m)) for m in ("boston", "da"))
    assert boston > 0 and da == 0
    assert example["boston"]["misreport"] != example["boston"]["truthful"]
    assert f"{len(manipulation.all_reports()) ** 3} 种填报组合" in body
    assert "按孩子心中真实的顺序填报就是最好的填法" in body
    for name, prefs in manipulation.TRUE_PREFERENCES.items():
        assert f"<td>{name}</td><td>{' → '.join(prefs)}</td>" in body


def test_another_countys_administrator_and_a_principal_get_404_and_change_nothing(page):
    principal = make_user("principal_cs1", "principal", page.primary)
    for user in (page.other_admin, principal):
        c = _client(user)
        assert c.get(page.url).status_code == 404
        assert c.post(f"{page.url}categories/", {"year": page.year, "op": "save", **_rows(FIRST)}).status_code == 404
        assert (
            c.post(
                f"{page.url}window/",
                {
                    "year": page.year,
                    "registration_opens": "2030-05-01T08:00",
                    "registration_closes": "2030-05-10T08:00",
                },
            ).status_code
            == 404
        )
        assert c.post(f"{page.url}mechanism/", {"year": page.year, "mechanism": "boston"}).status_code == 404
    assert _client(principal).get("/enrollment/manage/policy/").status_code == 404
    assert not PriorityCategory.objects.exists() and not EnrollmentPolicy.objects.exists()
    assert _client(page.other_admin).get(f"/enrollment/manage/policy/{page.tree.other_county.pk}/").status_code == 200


def test_the_policy_pages_need_a_login(page):
    assert Client().get(page.url).status_code == 302
    assert Client().post(f"{page.url}mechanism/", {"year": page.year, "mechanism": "boston"}).status_code == 302
