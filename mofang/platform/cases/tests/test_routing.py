"""The one routing table (分派规则): a module's table says which of a county's departments takes each
category. Two example tables (cases/examples.py) stand for the two shapes modules declare: a
hazard table with a catch-all, and an approval table where the county keeps one category and the
others go by default to the department named for them."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mofang.platform.audit.models import AuditAction, AuditEntry
from mofang.platform.cases import routing
from mofang.platform.cases.examples import APPROVAL_ROUTES, ROUTES
from mofang.platform.cases.models import RouteRule
from mofang.platform.cases.registry import DeclarationError
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add


@pytest.fixture
def units(world):
    w = world
    w.county, w.other_county = w.tree.county, w.tree.other_county
    w.fire = add(w.county, "常山县消防救援大队", OrgKind.DEPARTMENT)
    w.tech = add(w.county, "常山县科技局", OrgKind.DEPARTMENT)
    w.traffic_police = add(w.dept, "常山县公安局交警大队", OrgKind.DEPARTMENT)  # a department below a department
    return w


def rules(table=ROUTES):
    return {(r.county_id, r.category): r.department_id for r in RouteRule.objects.filter(table=table.code)}


# --- the lookup ------------------------------------------------------------------------------


def test_a_category_goes_to_the_department_of_its_county_rule(units):
    routing.save_rule(ROUTES, units.county, "traffic", units.dept, acting_user=units.county_admin)
    routing.save_rule(ROUTES, units.county, "fire", units.fire, acting_user=units.county_admin)
    assert routing.responsible_for(ROUTES, units.tree.school, "traffic") == units.dept
    assert routing.responsible_for(ROUTES, units.tree.klass, "fire") == units.fire  # any unit of the county
    # another county's table is its own
    assert routing.responsible_for(ROUTES, units.tree.other_school, "traffic") == units.other_county


def test_the_catch_all_takes_categories_without_their_own_rule_and_an_own_rule_still_wins(units):
    routing.save_rule(ROUTES, units.county, "traffic", units.dept, acting_user=units.county_admin)
    routing.save_rule(ROUTES, units.county, "", units.fire, acting_user=units.county_admin)
    assert routing.responsible_for(ROUTES, units.tree.school, "food") == units.fire
    assert routing.responsible_for(ROUTES, units.tree.school, "traffic") == units.dept


def test_without_a_rule_the_case_waits_in_the_county_queue_and_outside_a_county_nowhere(units):
    assert routing.responsible_for(ROUTES, units.tree.school, "food") == units.county
    assert routing.responsible_for(ROUTES, units.county, "food") == units.county
    assert routing.responsible_for(ROUTES, units.tree.city, "food") is None
    assert routing.responsible_for(ROUTES, None, "food") is None


def test_a_category_goes_by_default_to_the_department_named_for_it_until_the_county_says_otherwise(units):
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.school, "tech") == units.tech
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.school, "sports") == units.county  # no 体育 dept
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.school, "other") == units.county  # no word
    routing.save_rule(APPROVAL_ROUTES, units.county, "tech", units.fire, acting_user=units.county_admin)
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.school, "tech") == units.fire
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.other_school, "tech") == units.other_county


def test_the_county_keeps_its_own_category_whatever_the_table_says(units):
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.school, "subject") == units.county
    with pytest.raises(ValidationError) as err:
        routing.save_rule(APPROVAL_ROUTES, units.county, "subject", units.tech, acting_user=units.county_admin)
    assert err.value.message_dict == {"category": ["类别：学科类由区县审批，请选择其他类别"]}


def test_two_tables_of_one_county_never_mix(units):
    routing.save_rule(ROUTES, units.county, "food", units.fire, acting_user=units.county_admin)
    routing.save_rule(APPROVAL_ROUTES, units.county, "other", units.tech, acting_user=units.county_admin)
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.school, "food") == units.county
    assert routing.responsible_for(ROUTES, units.tree.school, "other") == units.county
    assert rules(ROUTES) == {(units.county.pk, "food"): units.fire.pk}
    assert rules(APPROVAL_ROUTES) == {(units.county.pk, "other"): units.tech.pk}


# --- keeping the table -----------------------------------------------------------------------


def test_setting_a_rule_twice_changes_the_one_line_and_every_change_is_audited(units):
    admin = units.county_admin
    rule = routing.save_rule(ROUTES, units.county, "traffic", units.dept, acting_user=admin)
    again = routing.save_rule(ROUTES, units.county, "traffic", units.fire, acting_user=admin, note=" 试点 ")
    assert again.pk == rule.pk and again.note == "试点"
    assert rules() == {(units.county.pk, "traffic"): units.fire.pk}
    created, updated = AuditEntry.objects.filter(object_type="cases.RouteRule").order_by("pk")
    assert created.action == AuditAction.CREATE and created.before is None and created.actor == admin
    assert created.summary == "常山县测试分派规则：交通拥堵 → 常山县公安局"
    assert updated.action == AuditAction.UPDATE and updated.org == units.county
    assert updated.before == {"category": "traffic", "department": units.dept.pk, "note": ""}
    assert updated.after == {"category": "traffic", "department": units.fire.pk, "note": "试点"}
    routing.delete_rule(again, acting_user=admin)
    deleted = AuditEntry.objects.filter(object_type="cases.RouteRule").latest("pk")
    assert deleted.action == AuditAction.DELETE and deleted.before["department"] == units.fire.pk
    assert deleted.summary == "常山县测试分派规则：删除交通拥堵 → 常山县消防救援大队"
    assert rules() == {}
    catch_all = routing.save_rule(ROUTES, units.county, "", units.fire, acting_user=admin)
    assert AuditEntry.objects.latest("pk").summary == "常山县测试分派规则：全部其他类别（兜底） → 常山县消防救援大队"
    assert catch_all.category == ""


def test_deleting_a_rule_falls_back_to_the_default_department(units):
    rule = routing.save_rule(APPROVAL_ROUTES, units.county, "tech", units.fire, acting_user=units.county_admin)
    routing.delete_rule(rule, acting_user=units.county_admin)
    assert routing.responsible_for(APPROVAL_ROUTES, units.tree.school, "tech") == units.tech


@pytest.mark.parametrize(
    "table,field,message,kwargs",
    [
        (ROUTES, "county", "区县：请选择区县", {"county": "city"}),
        (ROUTES, "county", "区县：您不能维护常山县的测试分派规则", {"user": "other_admin"}),
        (ROUTES, "county", "区县：您不能维护常山县的测试分派规则", {"user": "principal"}),
        (ROUTES, "category", "隐患类别：请从列表中选择", {"category": "meteor"}),
        (APPROVAL_ROUTES, "category", "类别：学科类由区县审批，请选择其他类别", {"category": ""}),
        (ROUTES, "department", "责任部门：请选择常山县的部门", {"department": "other_dept"}),
        (ROUTES, "department", "责任部门：请选择常山县的部门", {"department": "traffic_police"}),
        (APPROVAL_ROUTES, "department", "审批部门：请选择常山县的部门", {"department": "school"}),
        (ROUTES, "department", "责任部门：请选择常山县的部门", {"department": None}),
        (ROUTES, "note", "说明：不能超过200个字", {"note": "长" * 201}),
    ],
)
def test_a_bad_rule_is_refused_in_chinese_naming_the_field_and_nothing_is_written(units, table, field, message, kwargs):
    def unit(name):
        return getattr(units, name, None) or getattr(units.tree, name)

    county = units.county if "county" not in kwargs else unit(kwargs["county"])
    department = unit(kwargs.get("department", "fire")) if kwargs.get("department", "fire") else None
    base = "food" if table is ROUTES else "other"
    routing.save_rule(table, units.county, base, units.dept, acting_user=units.county_admin)
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        routing.save_rule(
            table,
            county,
            kwargs.get("category", base),
            department,
            acting_user=unit(kwargs.get("user", "county_admin")),
            note=kwargs.get("note", ""),
        )
    assert err.value.message_dict == {field: [message]}
    assert rules(table) == {(units.county.pk, base): units.dept.pk}
    assert AuditEntry.objects.count() == audited


def test_only_a_keeper_of_the_county_table_may_delete_its_rule(units):
    rule = routing.save_rule(ROUTES, units.county, "fire", units.fire, acting_user=units.county_admin)
    for user in (units.other_admin, units.principal, units.liaison):
        with pytest.raises(ValidationError, match="区县：您不能维护常山县的测试分派规则"):
            routing.delete_rule(rule, acting_user=user)
    assert RouteRule.objects.filter(pk=rule.pk).exists()


# --- declarations ----------------------------------------------------------------------------


def test_a_table_is_checked_when_it_is_declared():
    bad = [
        routing.RoutingTable("", "表", "表", "casetest.manage_routes", (("a", "甲"),)),
        routing.RoutingTable("casetest.x", "表", "表", "casetest.manage_routes", ()),
        routing.RoutingTable("casetest.x", "表", "表", "casetest.manage_routes", (("a", "甲"), ("a", "乙"))),
        routing.RoutingTable("casetest.x", "表", "表", "casetest.manage_routes", (("a", "甲"),), (("a", "甲"),)),
        routing.RoutingTable("casetest.x", "表", "表", "casetest.manage_routes", (("", "兜底"),)),
        routing.RoutingTable(
            "casetest.x", "表", "表", "casetest.manage_routes", (("a", "甲"),), default_words={"b": "乙"}
        ),
        routing.RoutingTable("casetest.x", "表", "表", "", (("a", "甲"),)),
    ]
    for t in bad:
        with pytest.raises(DeclarationError):
            routing.register_routing_table(t)
    assert "casetest.x" not in routing.ROUTING_TABLES
    with pytest.raises(DeclarationError, match="registered twice"):
        routing.register_routing_table(routing.RoutingTable("casetest.hazard", "表", "表", "p", (("a", "甲"),)))
    assert routing.register_routing_table(ROUTES) is ROUTES  # the same declaration again: nothing happens


# --- the page (mounted as a module mounts it: tests/routing_urls.py) -------------------------


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.urls("mofang.platform.cases.tests.routing_urls")
def test_the_table_page_shows_each_category_unit_and_where_it_comes_from(units):
    routing.save_rule(ROUTES, units.county, "traffic", units.dept, acting_user=None, note="上下学时段")
    c = _client(units.county_admin)
    r = c.get("/casetest/routes/")
    assert r.status_code == 302 and r["Location"] == f"/casetest/routes/{units.county.pk}/"
    page = c.get(f"/casetest/routes/{units.county.pk}/").content.decode()
    assert "常山县测试隐患分派规则" in page and "上下学时段" in page and "本县规则" in page
    assert "待分派（常山县）" in page and "全部其他类别（兜底）" in page
    routing.save_rule(ROUTES, units.county, "", units.fire, acting_user=None)
    page = c.get(f"/casetest/routes/{units.county.pk}/").content.decode()
    assert "兜底规则" in page and "待分派（常山县）" not in page  # every category now has a department
    page = c.get(f"/casetest-approval/routes/{units.county.pk}/").content.decode()
    assert "区县本级（固定）" in page and "按部门名称默认" in page and "常山县科技局" in page


@pytest.mark.urls("mofang.platform.cases.tests.routing_urls")
def test_the_page_sets_and_deletes_a_rule_and_refuses_bad_input_naming_the_field_once(units):
    c = _client(units.county_admin)
    url = f"/casetest/routes/{units.county.pk}/"
    r = c.post(url, {"category": "food", "department": units.fire.pk, "note": "食堂"})
    assert r.status_code == 302 and r["Location"] == url
    assert routing.responsible_for(ROUTES, units.tree.school, "food") == units.fire
    r = c.post(url, {"category": "meteor", "department": units.fire.pk})
    assert r.status_code == 400 and "隐患类别：请从列表中选择" in r.content.decode()
    r = c.post(url, {"category": "food", "department": units.traffic_police.pk})  # not offered: below a department
    assert r.status_code == 400 and "责任部门：请选择本区县的部门" in r.content.decode()
    r = c.post(url, {"category": "food", "department": units.other_dept.pk})
    assert r.status_code == 400 and "责任部门：" in r.content.decode()
    assert rules() == {(units.county.pk, "food"): units.fire.pk}
    rule = RouteRule.objects.get(table=ROUTES.code, category="food")
    r = c.post(f"/casetest/routes/{units.county.pk}/delete/{rule.pk}/", follow=True)
    assert "已删除：食品安全 → 常山县消防救援大队，现交待分派（常山县）" in r.content.decode()
    assert rules() == {}


@pytest.mark.urls("mofang.platform.cases.tests.routing_urls")
def test_a_rule_of_another_county_or_table_cannot_be_reached(units):
    mine = routing.save_rule(ROUTES, units.county, "food", units.fire, acting_user=None)
    theirs = routing.save_rule(APPROVAL_ROUTES, units.county, "other", units.tech, acting_user=None)
    other = _client(units.other_admin)
    assert other.get(f"/casetest/routes/{units.county.pk}/").status_code == 404
    assert other.post(f"/casetest/routes/{units.county.pk}/delete/{mine.pk}/").status_code == 404
    c = _client(units.county_admin)
    assert c.post(f"/casetest/routes/{units.county.pk}/delete/{theirs.pk}/").status_code == 404  # not this table's
    assert _client(units.principal).get("/casetest/routes/").status_code == 404
    assert RouteRule.objects.count() == 2
