"""专职心理教师配备率: which staff make a school count (facts.py's definition of 专职)."""

from mofang.governance.mentalhealth import facts
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.people.models import Employment
from mofang.platform.testing import add, make_staff

CERT = [{"kind": "心理健康教育C证", "number": "ZJXL2021C0001", "date": "2021-06-30"}]


def _teacher(school, name, **kw):
    s = make_staff(school, name)
    for k, v in kw.items():
        setattr(s, k, v)
    s.save()
    return s


def test_a_certified_full_time_psychology_teacher_makes_the_school_count(tree):
    junior = add(tree.county, "常山县第一初级中学", OrgKind.SCHOOL, "3308220101", school_type=SchoolType.JUNIOR)
    _teacher(tree.school, "心理甲", subject="心理健康", certificates=CERT)
    _teacher(junior, "心理乙", subject="语文、心理健康", certificates=CERT, employment=Employment.PART_TIME)
    _teacher(tree.other_school, "心理丙", position="心理教师", certificates=[])  # no certificate
    assert dict(facts.primary_staffed(None)) == {tree.school.pk: 1}
    assert dict(facts.secondary_staffed(None)) == {}
    assert set(dict(facts.primary_schools(None))) == {tree.school.pk, tree.other_school.pk}
    assert set(dict(facts.secondary_schools(None))) == {junior.pk}
    _teacher(junior, "心理丁", position="心理教师", certificates=[{"kind": "心理健康教育B证"}])
    assert dict(facts.secondary_staffed(None)) == {junior.pk: 1}


def test_the_indicators_are_in_the_catalogue_with_the_spec_targets():
    from mofang.platform.indicators.catalogue import SHIPPED_INDICATORS

    assert SHIPPED_INDICATORS["psych_teacher_secondary"].demo_targets.province == "50"
    assert SHIPPED_INDICATORS["psych_teacher_primary"].demo_targets.province == "10"
