"""Open311 GeoReport v2: a civic-reporting client lists services, reports a problem, and reads
public requests back; private cases and reporters never show; bad input is GeoReport error JSON."""

import json

import pytest
from django.test import Client

from mofang.platform.api.keys import create_key, revoke_key
from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import services
from mofang.platform.cases.models import Case
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.testing import make_user

from .conftest import PUBLIC

V2 = "/open311/v2"
GOOD = {
    "api_key": "",  # the secret of a key made by `make_key` (the fixture `anon` puts one here)
    "service_code": PUBLIC.code,
    "lat": "28.90",
    "long": "118.51",
    "address_string": "常山县第一小学南门",
    "description": "校门口流动摊贩占道\n放学时堵塞通道",
    "attribute[category]": "traffic",
    "email": "citizen@example.cn",
    "phone": "13912345678",
}


def _json(r):
    assert r["Content-Type"].startswith("application/json")
    return json.loads(r.content)


def make_key(org, *, name="测试热线", kinds=("open311",)):
    """An API key made on the 接口密钥 page's service function by an administrator of `org`."""
    from mofang.platform.accounts.roles import sync_roles

    sync_roles()
    maker = make_user(
        f"key_maker_{org.pk}_{name}", "province_admin", OrgUnit.objects.get(path=org.path[: OrgUnit.steplen])
    )
    return create_key(acting_user=maker, name=name, org=org, kinds=list(kinds))


@pytest.fixture
def anon(tree, monkeypatch):
    """An Open311 client holding a key for 常山县 (the place of GOOD)."""
    _key, secret = make_key(tree.county)
    monkeypatch.setitem(GOOD, "api_key", secret)
    return Client(enforce_csrf_checks=True)


def test_services_lists_only_the_public_facing_types_with_their_categories(world, anon):
    services_ = _json(anon.get(f"{V2}/services.json"))
    listed = {s["service_code"]: s for s in services_}
    assert "casetest.public" in listed and "casetest.hazard" not in listed
    assert listed["casetest.public"]["service_name"] == "测试公众报事" and listed["casetest.public"]["metadata"] is True
    definition = _json(anon.get(f"{V2}/services/casetest.public.json"))
    assert definition["attributes"][0]["code"] == "category"
    assert {"key": "fire", "name": "消防"} in definition["attributes"][0]["values"]
    r = anon.get(f"{V2}/services/casetest.hazard.json")
    assert r.status_code == 404 and _json(r)[0]["code"] == 404


def test_a_public_report_opens_a_case_in_the_departments_queue(world, anon):
    r = anon.post(f"{V2}/requests.json", GOOD)
    assert r.status_code == 201
    [answer] = _json(r)
    case = Case.objects.get(number=answer["service_request_id"])
    assert case.case_type == PUBLIC.code and case.public and case.reporter is None
    assert case.reporting_org == world.tree.county and case.responsible_org == world.dept
    assert case.title == "校门口流动摊贩占道" and case.category == "traffic" and case.state == "reported"
    assert "13912345678" not in json.dumps(case.data) and "citizen@" not in json.dumps(case.data)  # sealed
    # the department works it like any other case
    services.claim(case, acting_user=world.liaison)
    [shown] = _json(anon.get(f"{V2}/requests/{case.number}.json"))
    assert shown["status"] == "open" and shown["service_code"] == PUBLIC.code
    assert shown["address"] == "常山县第一小学南门" and shown["lat"] == 28.9 and shown["long"] == 118.51
    assert shown["agency_responsible"] == "常山县公安局" and shown["status_notes"] == "待认领"
    text = json.dumps(shown, ensure_ascii=False)
    for secret in ("13912345678", "citizen", "王联络", "liaison"):
        assert secret not in text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"service_code": "casetest.hazard"}, "service_code「casetest.hazard」不是本平台提供的服务"),
        ({"service_code": ""}, "不是本平台提供的服务"),
        ({"description": " "}, "请填写 description（问题描述）"),
        ({"lat": ""}, "请提供问题地点的 lat（纬度）和 long（经度）"),
        ({"lat": "北纬"}, "lat（纬度）应为-90到90之间的数字"),
        ({"long": "200"}, "long（经度）应为-180到180之间的数字"),
        ({"long": "NaN"}, "long（经度）应为-180到180之间的数字"),
        ({"email": "not-an-email"}, "email（电子邮箱）格式不正确"),
        ({"phone": "12345"}, "phone（手机号）应为11位中国大陆手机号码"),
        ({"attribute[category]": "weather"}, "attribute[category]（类别）只能是：traffic（交通拥堵）、fire（消防）"),
    ],
)
def test_bad_reports_are_400_error_json_and_write_nothing(world, anon, change, message):
    r = anon.post(f"{V2}/requests.json", {**GOOD, **change})
    assert r.status_code == 400
    [error] = _json(r)
    assert error["code"] == 400 and message in error["description"]
    assert Case.objects.count() == 0


def test_a_place_outside_the_platform_is_refused(world, anon, monkeypatch):
    # the type's intake finds no county for the place
    import dataclasses

    from mofang.platform.cases.registry import CASE_TYPES

    monkeypatch.setitem(CASE_TYPES, PUBLIC.code, dataclasses.replace(PUBLIC, public_intake=lambda lon, lat: None))
    r = anon.post(f"{V2}/requests.json", GOOD)
    assert (
        r.status_code == 400
        and _json(r)[0]["description"] == "lat/long（问题地点）不在本平台服务的区县范围内（浙江省内）"
    )


def test_only_public_cases_are_listed_and_filtered(world, anon, report):
    public_open = report(code=PUBLIC.code, title="公开待办", public=True)
    public_closed = report(code=PUBLIC.code, title="公开已办", public=True)
    services.claim(public_closed, acting_user=world.liaison)
    services.fire(public_closed, "start", acting_user=world.liaison)
    services.fire(public_closed, "give_up", acting_user=world.liaison, comment="不属本部门")
    private = report(code=PUBLIC.code, title="内部事项", public=False)
    hazard = report(title="非公开类型", public=True)  # public, but its type is not open311

    listed = _json(anon.get(f"{V2}/requests.json"))
    assert {x["service_request_id"] for x in listed} == {public_open.number, public_closed.number}
    assert {x["status"] for x in listed} == {"open", "closed"}
    only_open = _json(anon.get(f"{V2}/requests.json?status=open&service_code={PUBLIC.code}"))
    assert [x["service_request_id"] for x in only_open] == [public_open.number]
    closed = _json(anon.get(f"{V2}/requests.json?status=closed"))
    assert [x["service_request_id"] for x in closed] == [public_closed.number]
    assert _json(anon.get(f"{V2}/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z")) == []
    picked = _json(anon.get(f"{V2}/requests.json?service_request_id={public_open.number},{private.number}"))
    assert [x["service_request_id"] for x in picked] == [public_open.number]
    for hidden in (private, hazard):
        r = anon.get(f"{V2}/requests/{hidden.number}.json")
        assert r.status_code == 404 and _json(r)[0]["code"] == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=pending", "status 只能是 open 或 closed"),
        ("start_date=yesterday", "start_date不是有效的时间"),
        ("end_date=2026-13-01T00:00:00", "end_date不是有效的时间"),
        ("start_date=2026-02-01&end_date=2026-01-01", "end_date 不能早于 start_date"),
        ("service_code=nope", "service_code「nope」不是本平台提供的服务"),
    ],
)
def test_bad_filters_are_400_error_json(world, anon, query, message):
    r = anon.get(f"{V2}/requests.json?{query}")
    assert r.status_code == 400 and message in _json(r)[0]["description"]


def test_other_methods_are_refused(world, anon):
    for r in (anon.delete(f"{V2}/requests.json"), anon.post(f"{V2}/services.json")):
        assert r.status_code == 405 and _json(r)[0]["code"] == 405


def test_a_report_is_audited_with_the_keys_system_as_actor_and_noted_on_the_key(world, anon):
    r = anon.post(f"{V2}/requests.json", GOOD)
    assert r.status_code == 201
    case = Case.objects.get(number=_json(r)[0]["service_request_id"])
    assert case.data["source_system"] == "测试热线" and GOOD["api_key"] not in json.dumps(case.data)
    entry = AuditEntry.objects.get(object_type="cases.Case", object_id=str(case.pk), summary__startswith="Open311")
    assert entry.actor.api_key.name == "测试热线" and str(entry.actor) == "接口：测试热线"
    assert entry.actor.api_key.last_used_at is not None


def test_a_place_outside_the_keys_subtree_is_refused_in_chinese_and_writes_nothing(world, anon):
    _key, secret = make_key(world.tree.other_county, name="江山市热线")
    r = anon.post(f"{V2}/requests.json", {**GOOD, "api_key": secret})
    assert r.status_code == 403
    [error] = _json(r)
    assert error == {
        "code": 403,
        "description": "lat/long（问题地点）在常山县，不在本 api_key（接入密钥）可报事的范围内，未受理",
    }
    assert Case.objects.count() == 0
    xml = anon.post(f"{V2}/requests.xml", {**GOOD, "api_key": secret})
    assert xml.status_code == 403 and "不在本 api_key（接入密钥）可报事的范围内" in xml.content.decode()


def test_a_revoked_key_or_a_key_without_the_open311_right_is_refused(world, anon):
    key, secret = make_key(world.tree.county, name="将吊销的热线")
    assert anon.post(f"{V2}/requests.json", {**GOOD, "api_key": secret}).status_code == 201
    revoke_key(key, acting_user=key.created_by)
    r = anon.post(f"{V2}/requests.json", {**GOOD, "api_key": secret})
    assert r.status_code == 403 and "缺失、无效或已吊销" in _json(r)[0]["description"]
    _roll, roll_secret = make_key(world.tree.county, name="学籍系统", kinds=("roll",))
    r = anon.post(f"{V2}/requests.json", {**GOOD, "api_key": roll_secret})
    assert r.status_code == 403 and "须勾选「Open311/12345 报事」" in _json(r)[0]["description"]
    for bad in ("", "no-such-key", "abcd.efgh", "x" * 500):
        r = anon.post(f"{V2}/requests.json", {**GOOD, "api_key": bad})
        assert r.status_code == 403 and _json(r)[0]["code"] == 403
    assert Case.objects.count() == 1


def test_the_keys_rate_limit_is_a_429_in_the_open311_format(world, anon, monkeypatch):
    from mofang.platform.accounts.ratelimit import Limit, Rate
    from mofang.platform.api import keys

    monkeypatch.setattr(keys, "KEY_LIMIT", Limit("api.key.t311", (Rate(2, 60, "接口请求过于频繁：测试限额"),)))
    assert [anon.post(f"{V2}/requests.json", GOOD).status_code for _ in range(2)] == [201, 201]
    r = anon.post(f"{V2}/requests.json", GOOD)
    assert r.status_code == 429 and r["Retry-After"] == "60"
    assert _json(r) == [{"code": 429, "description": "接口请求过于频繁：测试限额"}]
    assert Case.objects.count() == 2


def test_the_old_environment_variable_is_not_read_and_a_check_warns(world, anon, monkeypatch):
    from mofang.platform.cases import open311_keys

    monkeypatch.setenv("MOFANG_OPEN311_API_KEYS", "衢州12345:k1")
    r = anon.post(f"{V2}/requests.json", {**GOOD, "api_key": "k1"})
    assert r.status_code == 403
    [warning] = open311_keys.old_setting_is_not_read()
    assert warning.id == "cases.W311" and "/api-keys/" in warning.msg
    monkeypatch.delenv("MOFANG_OPEN311_API_KEYS")
    assert open311_keys.old_setting_is_not_read() == []
