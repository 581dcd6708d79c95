"""Open311 GeoReport v2: a civic-reporting client lists services, reports a problem, and reads
public requests back; private cases and reporters never show; bad input is GeoReport error JSON."""

import json

import pytest
from django.test import Client

from mofang.platform.cases import services
from mofang.platform.cases.models import Case

from .conftest import PUBLIC

V2 = "/open311/v2"
KEY = "test-12345-key"
GOOD = {
    "api_key": KEY,
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


@pytest.fixture
def anon(settings):
    settings.MOFANG_OPEN311_API_KEYS = {KEY: "测试热线"}
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


def test_a_place_outside_the_platform_is_refused(db, anon):
    # no department anywhere: the example's intake finds no county for the place
    from mofang.platform.accounts.roles import sync_roles

    sync_roles()
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


def test_a_registered_key_checker_admits_its_systems(world, anon):
    from mofang.platform.cases import open311_keys

    def checker(key):
        return "萧山12345" if key == "from-the-key-model" else None

    open311_keys.register_key_checker(checker)
    try:
        r = anon.post(f"{V2}/requests.json", {**GOOD, "api_key": "from-the-key-model"})
        assert r.status_code == 201
        case = Case.objects.get(number=_json(r)[0]["service_request_id"])
        assert case.data["source_system"] == "萧山12345"
    finally:
        open311_keys.unregister_key_checker(checker)
    r = anon.post(f"{V2}/requests.json", {**GOOD, "api_key": "from-the-key-model"})
    assert r.status_code == 403 and "api_key" in _json(r)[0]["description"]


def test_keys_from_the_environment(monkeypatch, settings):
    from mofang.platform.cases import open311_keys

    del settings.MOFANG_OPEN311_API_KEYS
    monkeypatch.setenv("MOFANG_OPEN311_API_KEYS", "衢州12345:k1, 杭州12345:k2:x ,broken")
    assert open311_keys.configured_keys() == {"k1": "衢州12345", "k2:x": "杭州12345"}
    assert open311_keys.system_for(" k2:x ") == "杭州12345" and open311_keys.system_for("k3") is None
