"""控辍保学 with a register of one small county where the answer is computed by hand (see conftest:
8 children; 无学籍 乙 辛, 辍学或休学逾期 丙 丁, 转出未接收 己; in school 甲 戊 庚 → 3/8 = 37.5%)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.dropout_control import facts, rules, services
from mofang.governance.dropout_control.models import ChildCase, RegisterBatch, RegisterChild
from mofang.governance.dropout_control.selectors import match
from mofang.platform.cases import services as case_services
from mofang.platform.indicators.periods import Period
from mofang.platform.people import identity
from mofang.platform.people.models import RollStatus, Student
from mofang.platform.testing import make_id_number

from .conftest import run_import

pytestmark = pytest.mark.django_db


def names(m, kind):
    children = RegisterChild.objects.in_bulk([f.child_id for f in m.lists[kind]])
    return sorted(children[f.child_id].name for f in m.lists[kind])


def test_the_hand_computed_register_lands_each_child_in_its_list(county, tmp_path):
    result = run_import(county.admin, county.tree.county, tmp_path, county.rows)
    assert result["error_count"] == 0, result["errors"]
    batch = RegisterBatch.objects.get()
    assert (batch.county, batch.children, batch.reference_date) == (county.tree.county, 8, timezone.localdate())
    m = match(batch)
    assert names(m, "no_record") == ["乙", "辛"]
    assert names(m, "out") == ["丁", "丙"]
    assert names(m, "transferred") == ["己"]
    assert (m.total, m.in_school, m.dropouts) == (8, 3, 2)
    # the ID numbers are sealed exactly as the roll's: the same keyed hash, ciphertext that unseals
    child = RegisterChild.objects.get(name="甲")
    assert child.id_number_hash == county.students["甲"].id_number_hash
    assert identity.unseal(child.id_number_sealed) == county.ids["甲"]
    assert county.ids["甲"] not in child.id_number_sealed and child.id_number_masked.count("*") == 10
    # every child out of school became a case for the county
    assert sorted(ChildCase.objects.values_list("child__name", flat=True)) == ["丁", "丙", "乙", "己", "辛"]
    assert {cc.case.responsible_org for cc in ChildCase.objects.all()} == {county.tree.county}


def test_indicators_read_the_rate_and_dropouts_per_county_and_nothing_elsewhere(county, tmp_path):
    run_import(county.admin, county.tree.county, tmp_path, county.rows)
    year = timezone.localdate().year
    period = Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    cs = county.tree.county.pk
    assert dict(facts.register_children(period)) == {cs: 8}
    assert dict(facts.in_school(period)) == {cs: 3}
    assert dict(facts.dropouts(period)) == {cs: 2}
    assert facts.covered(period) == [cs]  # 江山市 has no register: 暂无数据, not 0


def test_bad_rows_are_reported_by_row_and_field_and_nothing_is_written(county, tmp_path):
    ok = make_id_number("20150301", "M")
    bad_check = ok[:17] + ("0" if ok[17] != "0" else "1")
    young = make_id_number(f"{timezone.localdate().year - 2}0101", "F")
    old = make_id_number("20050101", "M")
    rows = [
        ["甲", ok, "330822", "330822", "", ""],
        ["乙", bad_check, "330822", "330822", "", ""],
        ["丙", "33082220150231001X", "330822", "330822", "", ""],
        ["丁", ok, "330822", "330822", "", ""],
        ["戊", young, "330822", "330822", "", ""],
        ["己", old, "330822", "330822", "", ""],
        ["庚", make_id_number("20160101", "M"), "330822", "330881", "", ""],
        ["辛", make_id_number("20160101", "M"), "33082", "330822", "2016-01-02", "女"],
    ]
    result = run_import(county.admin, county.tree.county, tmp_path, rows)
    got = {(e["row"], e["column"]) for e in result["errors"]}
    assert got == {
        (3, "身份证号"),
        (4, "身份证号"),
        (5, "身份证号"),
        (6, "身份证号"),
        (7, "身份证号"),
        (8, "居住地区划代码"),
        (9, "户籍地区划代码"),
    }
    messages = {e["row"]: e["message"] for e in result["errors"]}
    assert "校验位" in messages[3] and "出生日期" in messages[4] and "第2行重复" in messages[5]
    assert "不是义务教育适龄儿童" in messages[6] and "不在常山县" in messages[8]
    assert not RegisterBatch.objects.exists() and not RegisterChild.objects.exists()
    # birth date and sex, when given, are checked against the ID number (every field named at once)
    idn = make_id_number("20160101", "M")
    result = run_import(
        county.admin, county.tree.county, tmp_path, [["壬", idn, "330822", "330822", "2016-01-02", "女"]]
    )
    assert {e["column"] for e in result["errors"]} == {"出生日期", "性别"}
    assert not RegisterBatch.objects.exists()


def test_the_compulsory_age_follows_the_31_august_rule():
    assert rules.compulsory_birth_range(dt.date(2026, 12, 4)) == (dt.date(2011, 9, 1), dt.date(2020, 8, 31))
    assert rules.compulsory_birth_range(dt.date(2026, 8, 31)) == (dt.date(2010, 9, 1), dt.date(2019, 8, 31))
    assert rules.compulsory_birth_range(dt.date(2026, 9, 1)) == (dt.date(2011, 9, 1), dt.date(2020, 8, 31))


def test_readmission_closes_the_loop_on_the_roll_and_rematching_no_longer_lists_the_child(county, tmp_path):
    run_import(county.admin, county.tree.county, tmp_path, county.rows)
    batch = RegisterBatch.objects.get()
    cases = {cc.child.name: cc for cc in ChildCase.objects.select_related("child", "case")}
    services.persuade(cases["丁"], acting_user=county.admin, comment="家访，家长同意返校")
    services.readmit(cases["丁"], acting_user=county.admin)  # 休学 → resume
    services.readmit(cases["己"], acting_user=county.admin, school=county.tree.school)  # 转出 → transfer_in
    services.readmit(
        cases["乙"], acting_user=county.admin, school=county.tree.school, grade=3, student_no="G330822009"
    )  # no record → enrol
    services.explain(cases["辛"], acting_user=county.admin, reason="abroad", comment="随父母出国")
    services.readmit(cases["丙"], acting_user=county.admin)  # 辍学 → resume (劝返复学)
    assert Student.objects.get(pk=county.students["丙"].pk).status == RollStatus.ENROLLED
    assert county.students["丙"].roll_events.filter(kind="resume").exists()
    assert Student.objects.get(pk=county.students["丁"].pk).status == RollStatus.ENROLLED
    assert Student.objects.get(pk=county.students["己"].pk).school == county.tree.school
    new = Student.objects.get(student_no="G330822009")
    assert (new.name, new.grade, new.id_number_hash) == ("乙", 3, cases["乙"].id_number_hash)
    for name in ("丙", "丁", "己", "乙", "辛"):
        cc = ChildCase.objects.select_related("case").get(pk=cases[name].pk)
        assert (cc.open, cc.case.state_kind) == (False, "closed_fixed")
    assert ChildCase.objects.get(pk=cases["辛"].pk).reason == "abroad"
    m = match(batch)
    assert names(m, "no_record") == ["辛"] and names(m, "out") == [] and names(m, "transferred") == []
    assert m.in_school == 7
    # re-matching opens no second case for a child back in school or one explained (辛)
    assert services.open_cases(batch, acting_user=county.admin) == 0
    assert ChildCase.objects.filter(open=True).count() == 0


def test_readmit_and_explain_cannot_be_fired_from_the_generic_case_page(county, tmp_path):
    run_import(county.admin, county.tree.county, tmp_path, county.rows)
    cc = ChildCase.objects.get(child__name="丁")
    with pytest.raises(ValidationError):
        case_services.fire(cc.case, "readmit", acting_user=county.admin)
    cc.case.refresh_from_db()
    assert cc.case.state == "verify"
    assert Student.objects.get(pk=county.students["丁"].pk).status == RollStatus.SUSPENDED


def test_explain_needs_a_reason_and_another_county_cannot_handle(county, tmp_path):
    run_import(county.admin, county.tree.county, tmp_path, county.rows)
    cc = ChildCase.objects.get(child__name="辛")
    with pytest.raises(ValidationError):
        services.explain(cc, acting_user=county.admin, reason="", comment="x")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.explain(cc, acting_user=county.other_admin, reason="abroad", comment="x")
