"""A city's 12345 hotline files 校园安全隐患 on the Open311 GeoReport v2 endpoint and follows them:
the report lands in the county's queue by its place, the county works it like a school's report
and the hotline sees it closed; bad input is GeoReport's error list in Chinese, and writes nothing."""

import json
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from mofang.platform.accounts.ratelimit import Limit, Rate
from mofang.platform.api import keys
from mofang.platform.api.keys import create_key
from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case
from mofang.platform.testing import make_user

from ..cases import CODE
from .test_pages import client_for

V2 = "/open311/v2"
CALL = {
    "api_key": "",  # the secret of 衢州市12345热线's key (the fixture `hotline` makes it)
    "jurisdiction_id": "zj.gov.cn",
    "service_code": CODE,
    "lat": "28.90",
    "long": "118.51",  # 常山县
    "address_string": "常山县天马街道文峰路小学东门",
    "description": "市民来电：校门口流动摊贩占道\n放学时段学生只能走机动车道",
    "attribute[category]": "vendor",
    "email": "caller@example.cn",
    "phone": "13957012345",
}


@pytest.fixture
def hotline(world, monkeypatch):
    """衢州市's 12345 hotline, holding a key made on the 接口密钥 page for the city's subtree."""
    maker = make_user("qz_key_maker", "city_admin", world.tree.city)
    _key, secret = create_key(acting_user=maker, name="衢州市12345热线", org=world.tree.city, kinds=["open311"])
    monkeypatch.setitem(CALL, "api_key", secret)
    # many calls in a test (the fuzzers below): the key's limit is the API tests' business
    monkeypatch.setattr(keys, "KEY_LIMIT", Limit("api.key.hotline", (Rate(100_000, 60, "测试"),)))
    return Client(enforce_csrf_checks=True)


def _json(r):
    assert r["Content-Type"].startswith("application/json")
    return json.loads(r.content)


def _file(hotline, **change):
    return hotline.post(f"{V2}/requests.json", {**CALL, **change})


def test_the_hazard_type_is_a_service_in_json_and_xml(world, hotline):
    listed = {s["service_code"]: s for s in _json(hotline.get(f"{V2}/services.json"))}
    assert listed[CODE]["service_name"] == "校园安全隐患" and listed[CODE]["metadata"] is True
    [attribute] = _json(hotline.get(f"{V2}/services/{CODE}.json"))["attributes"]
    assert attribute["code"] == "category" and attribute["datatype"] == "singlevaluelist"
    assert {"key": "vendor", "name": "流动摊贩"} in attribute["values"]

    r = hotline.get(f"{V2}/services.xml")
    assert r["Content-Type"].startswith("text/xml")
    root = ET.fromstring(r.content)
    assert root.tag == "services" and CODE in [s.findtext("service_code") for s in root.findall("service")]
    definition = ET.fromstring(hotline.get(f"{V2}/services/{CODE}.xml").content)
    assert definition.tag == "service_definition"
    values = definition.findall("attributes/attribute/values/value")
    assert ("fire", "消防") in [(v.findtext("key"), v.findtext("name")) for v in values]


def test_12345_files_a_hazard_the_county_handles_it_and_sees_it_closed(world, hotline):
    r = _file(hotline)
    assert r.status_code == 201
    [answer] = _json(r)
    number = answer["service_request_id"]
    case = Case.objects.get(number=number)
    # no rule for 流动摊贩 in 常山县: the county's own 待分派 queue, filed at the county by its place
    assert case.reporting_org == world.county and case.responsible_org == world.county
    assert case.data["source_system"] == "衢州市12345热线" and CALL["api_key"] not in json.dumps(case.data)
    page = client_for(world.admin).get("/campus_safety/?state=reported").content.decode()
    assert "市民来电：校门口流动摊贩占道" in page
    assert "市民来电" not in client_for(world.other_admin).get("/campus_safety/").content.decode()

    [shown] = _json(hotline.get(f"{V2}/requests/{number}.json"))
    assert shown["status"] == "open" and shown["status_notes"] == "待认领"
    assert shown["agency_responsible"] == "常山县" and shown["service_code"] == CODE
    assert shown["requested_datetime"] and shown["updated_datetime"]

    cases.claim(case, acting_user=world.admin)
    cases.fire(case, "start", acting_user=world.admin)
    cases.fire(case, "resolve", acting_user=world.admin, comment="已联合城管劝离摊贩")
    [shown] = _json(hotline.get(f"{V2}/requests.json?service_request_id={number}&status=open"))
    assert shown["status"] == "open" and shown["status_notes"] == "待学校确认"
    # 回访销号 after the call-back, on the case page the county works from
    admin = client_for(world.admin)
    assert "回访销号" in admin.get(f"/cases/{case.pk}/").content.decode()
    r = admin.post(f"/cases/{case.pk}/", {"action": "fire", "transition": "close_public"})
    assert r.status_code == 302

    [shown] = _json(hotline.get(f"{V2}/requests/{number}.json"))
    assert shown["status"] == "closed" and shown["status_notes"] == "已销号"
    assert shown["updated_datetime"] >= shown["requested_datetime"]
    # GeoReport v2: service_request_id overrides every other filter, so the hotline gets it back closed
    [shown] = _json(hotline.get(f"{V2}/requests.json?service_request_id={number}&status=open"))
    assert shown["status"] == "closed"
    assert _json(hotline.get(f"{V2}/requests.json?status=open&service_code={CODE}")) == []
    closed = _json(hotline.get(f"{V2}/requests.json?status=closed&service_code={CODE}"))
    assert [x["service_request_id"] for x in closed] == [number]
    xml = ET.fromstring(hotline.get(f"{V2}/requests/{number}.xml").content)
    assert xml.tag == "service_requests" and xml.findtext("request/status") == "closed"
    for text in (json.dumps(shown, ensure_ascii=False), hotline.get(f"{V2}/requests/{number}.xml").content.decode()):
        for secret in ("13957012345", "caller@", "常山县管理员", "cs_admin", "12345热线", CALL["api_key"]):
            assert secret not in text


def test_a_routed_category_goes_to_the_departments_queue(world, hotline):
    [answer] = _json(_file(hotline, **{"attribute[category]": "traffic"}))
    case = Case.objects.get(number=answer["service_request_id"])
    assert case.responsible_org == world.police
    assert "市民来电" in client_for(world.police1).get("/campus_safety/?state=reported").content.decode()
    assert "市民来电" not in client_for(world.fireman).get("/campus_safety/").content.decode()
    # a place in 江山市 goes to 江山's county and its rule
    [answer] = _json(_file(hotline, lat="28.75", long="118.60", **{"attribute[category]": "traffic"}))
    assert Case.objects.get(number=answer["service_request_id"]).responsible_org == world.other_police


def test_only_a_public_report_is_closed_by_the_county(world, report):
    case = report("vendor")  # a school's report in the county's queue
    cases.claim(case, acting_user=world.admin)
    cases.fire(case, "start", acting_user=world.admin)
    cases.fire(case, "resolve", acting_user=world.admin, comment="已处置")
    r = client_for(world.admin).post(f"/cases/{case.pk}/", {"action": "fire", "transition": "close_public"})
    assert r.status_code == 400 and "学校上报的隐患由学校确认销号" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "resolved"


@pytest.mark.parametrize(
    "change, status, message",
    [
        ({"api_key": ""}, 403, "api_key（接入密钥）缺失、无效或已吊销"),
        ({"api_key": "guessed"}, 403, "api_key（接入密钥）缺失、无效或已吊销"),
        ({"lat": "39.90", "long": "116.40"}, 400, "lat/long（问题地点）不在本平台服务的区县范围内"),  # 北京
        (
            {"lat": "30.28", "long": "120.15"},
            400,
            "lat/long（问题地点）不在本平台服务的区县范围内",
        ),  # no such county here
        ({"lat": "", "long": ""}, 400, "请提供问题地点的 lat（纬度）和 long（经度）"),
        ({"lat": "北纬"}, 400, "lat（纬度）应为-90到90之间的数字"),
        ({"description": "  "}, 400, "请填写 description（问题描述）"),
        ({"service_code": "campus_safety.fire"}, 400, "service_code「campus_safety.fire」不是本平台提供的服务"),
        ({"attribute[category]": "weather"}, 400, "attribute[category]（类别）只能是："),
    ],
)
def test_bad_calls_are_the_specs_error_list_in_chinese_and_write_nothing(world, hotline, change, status, message):
    audits = AuditEntry.objects.count()
    for fmt in ("json", "xml"):
        r = hotline.post(f"{V2}/requests.{fmt}", {**CALL, **change})
        assert r.status_code == status
        if fmt == "json":
            [error] = _json(r)
            assert error["code"] == status and message in error["description"]
        else:
            root = ET.fromstring(r.content)
            assert root.tag == "errors" and root.findtext("error/code") == str(status)
            assert message in root.findtext("error/description")
    assert Case.objects.count() == 0 and AuditEntry.objects.count() == audits


GOOD_KEY = "<the hotline's key>"  # replaced by the fixture's secret in the test
garbage = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "NaN", "Infinity", "-0", "1e999", "28.9", "118.51", "\x00", "%00", CODE, "fire", "qz12345-3f9c2a"]
    ),
)
# each parameter absent, as a good call has it, or garbage: deep enough to reach the case engine
call = st.fixed_dictionaries(
    {},
    optional={
        k: st.one_of(st.just(v), garbage)
        for k, v in {**CALL, "api_key": GOOD_KEY, "media_url": "", "device_id": "x"}.items()
    },
)


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=call)
def test_no_garbage_gives_a_5xx(world, hotline, data):
    data = {k: CALL["api_key"] if v == GOOD_KEY else v for k, v in data.items()}
    before = Case.objects.count()
    r = hotline.post(f"{V2}/requests.json", data)
    assert r.status_code in (201, 400, 403)
    body = _json(r)
    if r.status_code == 201:
        assert Case.objects.count() == before + 1
        [shown] = _json(hotline.get(f"{V2}/requests/{body[0]['service_request_id']}.json"))
        assert shown["status"] == "open"
    else:
        assert body[0]["code"] == r.status_code and body[0]["description"]
        assert Case.objects.count() == before


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.dictionaries(
        st.sampled_from(["service_request_id", "service_code", "status", "start_date", "end_date"]), garbage, max_size=4
    ),
    number=garbage,
)
def test_no_garbage_query_gives_a_5xx(world, hotline, query, number):
    r = hotline.get(f"{V2}/requests.json", query)
    assert r.status_code in (200, 400) and isinstance(_json(r), list)
    r = hotline.get(f"{V2}/requests/{quote(number, safe='')}.json")
    assert r.status_code in (200, 404)


def test_a_nul_in_the_query_is_the_specs_error_list(world, hotline):
    r = hotline.get(f"{V2}/requests.json?status=%00")
    assert r.status_code == 400 and "status" in _json(r)[0]["description"]
    r = hotline.get(f"{V2}/requests.xml?service_request_id=%00")
    assert r.status_code == 400 and ET.fromstring(r.content).findtext("error/code") == "400"
    assert hotline.get(f"{V2}/requests/%00.json").status_code == 404


def test_a_12345_report_counts_once_in_its_countys_open_hazards(world, hotline):
    from django.utils import timezone

    from mofang.platform.indicators import analytics, selectors

    year = str(timezone.localdate().year)
    assert selectors.indicator_value("open_hazards", world.county, year).value == 0
    assert _file(hotline).status_code == 201
    analytics.refresh_fact("campus_safety.open_hazards", year)
    assert selectors.indicator_value("open_hazards", world.county, year).value == 1
    assert selectors.indicator_value("open_hazards", world.tree.city, year).value == 1
    assert selectors.indicator_value("open_hazards", world.tree.other_county, year).value == 0
