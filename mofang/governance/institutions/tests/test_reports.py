"""有奖举报: anyone reports (no login), the report is a case at the county of the place, the
county handles it and records a reward, the reporter follows it with the query code; anonymous
submissions are rate-limited (429, Chinese)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from mofang.platform.cases import services as cases
from mofang.platform.people import identity

from .. import public, services
from ..models import PublicReport


def _data(world, **kw):
    return {
        "county": world.county.pk,
        "target_name": "紫港小区补习班",
        "address": "常山县紫港小区12幢",
        "description": "周末在住宅内开设初中数学补习班",
        "phone": "",
        **kw,
    }


def _post(client, world, **kw):
    return client.post("/institutions/public/report/", _data(world, **kw))


def test_a_public_report_becomes_a_case_at_the_county(world):
    r = _post(Client(), world, phone="13857000001")
    assert r.status_code == 200
    report = PublicReport.objects.get()
    assert report.query_code in r.content.decode()
    assert report.case.reporting_org == world.county and report.case.responsible_org == world.county
    assert report.case.reporter is None
    assert identity.unseal(report.phone_sealed) == "13857000001"
    assert "13857000001" not in r.content.decode()


def test_bad_input_names_the_field_and_writes_nothing(world):
    r = _post(Client(), world, target_name="", phone="123")
    body = r.content.decode()
    assert r.status_code == 400 and "被举报机构或个人" in body
    assert not PublicReport.objects.exists()
    r = _post(Client(), world, phone="12345")
    assert r.status_code == 400 and "手机号" in r.content.decode()
    assert not PublicReport.objects.exists()
    assert _post(Client(), world, county="999999").status_code == 400


def test_the_place_is_never_defaulted_and_a_county_outside_the_city_is_refused(world):
    page = Client().get("/institutions/public/report/").content.decode()
    county_select = page.split('id="id_county"')[1].split("</select>")[0]
    assert county_select.count("selected") == 1 and '<option value="" selected>' in county_select
    for county, message in (("", "所在区县：请选择所在区县"), ("999999", "所在区县：请从列表中选择区县")):
        r = _post(Client(), world, county=county)
        assert r.status_code == 400 and message in r.content.decode()
    from mofang.platform.orgs.models import OrgKind, OrgUnit
    from mofang.platform.testing import add

    quzhou = OrgUnit.objects.get(kind=OrgKind.CITY, code="330800")
    hangzhou = add(OrgUnit.objects.get(kind=OrgKind.PROVINCE), "杭州市", OrgKind.CITY, "330100")
    r = _post(Client(), world, city=hangzhou.pk)
    assert r.status_code == 400 and "所在区县：所选区县不属于所选地市" in r.content.decode()
    assert not PublicReport.objects.exists()
    assert _post(Client(), world, city=quzhou.pk).status_code == 200


def test_handled_report_shows_its_outcome_and_reward_by_code(world):
    report = services.submit_public_report(
        world.county, target_name="某研学营", address="文峰路88号", description="以研学名义开设语文课"
    )
    c = Client()
    r = c.get(f"/institutions/public/query/?code={report.query_code}")
    assert r.status_code == 200 and "待核查" in r.content.decode()
    with pytest.raises(ValidationError, match="查实办结后"):
        services.record_reward(report, acting_user=world.admin, amount="500")
    cases.claim(report.case, acting_user=world.admin)
    cases.fire(report.case, "start", acting_user=world.admin)
    cases.fire(report.case, "substantiate", acting_user=world.admin, comment="经核查属实，已责令停止")
    services.record_reward(report, acting_user=world.admin, amount="500")
    with pytest.raises(ValidationError, match="已登记奖励"):
        services.record_reward(report, acting_user=world.admin, amount="100")
    body = c.get(f"/institutions/public/query/?code={report.query_code.lower()}").content.decode()
    assert "查实" in body and "经核查属实，已责令停止" in body and "500.00元" in body
    assert "常山县管理员" not in body  # never who handled it


def test_an_unknown_code_is_a_404_with_a_message(world):
    r = Client().get("/institutions/public/query/?code=ABCDEFGHJK")
    assert r.status_code == 404 and "未找到该举报" in r.content.decode()
    assert public.report_outcome("'; drop table") is None


def test_another_county_cannot_reward(world):
    report = services.submit_public_report(world.county, target_name="某机构", address="某地", description="补课")
    cases.claim(report.case, acting_user=world.admin)
    cases.fire(report.case, "dismiss", acting_user=world.admin, comment="不属实")
    with pytest.raises(ValidationError):
        services.record_reward(report, acting_user=world.other_admin, amount="100")


def test_anonymous_submissions_are_rate_limited(world):
    c = Client()
    codes = [_post(c, world).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = _post(c, world)
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert PublicReport.objects.count() == 3
    # a new session from the same address: the per-address limit (5 an hour) still applies
    others = [_post(Client(), world).status_code for _ in range(3)]
    assert others == [200, 200, 429]


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_the_limit_holds_per_real_client_address_behind_the_proxy(world):
    def post(forwarded, remote="10.0.0.5"):  # a new browser session each time
        meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
        return Client(**meta).post("/institutions/public/report/", _data(world))

    # a client that writes its own X-Forwarded-For still has its real address appended by the proxy
    assert [post(f"192.0.2.{i}, 203.0.113.7").status_code for i in range(6)] == [200] * 5 + [429]
    assert post("203.0.113.8").status_code == 200  # another client behind the same proxy
    # from outside the proxy, a forged header changes nothing: the peer is the client
    assert [post(f"192.0.2.{i}", remote="198.51.100.1").status_code for i in range(6)] == [200] * 5 + [429]


def test_guessing_query_codes_is_limited(world):
    from ..public import QUERY_MISSES

    report = services.submit_public_report(world.county, target_name="某机构", address="某地", description="补课")
    for _ in range(29):
        QUERY_MISSES.hit("127.0.0.1")
    c = Client()
    assert c.get("/institutions/public/query/?code=ABCDEFGHJK").status_code == 404  # the 30th miss
    r = c.get(f"/institutions/public/query/?code={report.query_code}")  # even a right code waits now
    assert r.status_code == 429 and "查询过于频繁" in r.content.decode() and "待核查" not in r.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.9").get(f"/institutions/public/query/?code={report.query_code}")
    assert other.status_code == 200 and "待核查" in other.content.decode()
