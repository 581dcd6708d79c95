"""The demo province: real divisions, valid identities, repeatable, a sound tree, the story."""

import csv
from pathlib import Path

import pytest
from django.db import transaction

from mofang.platform.accounts.models import Membership, User
from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.demo.generator import DEPARTMENTS, PROVINCE_CODE, STORY_SCHOOL_CODE
from mofang.platform.demo.services import build_demo
from mofang.platform.demo.story import DEMO_LOGINS, DEMO_PASSWORD
from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.people import identity
from mofang.platform.people.models import Guardian, Staff, Student

DATA = Path(identity.__file__).resolve().parent.parent / "orgs" / "data"
SMALL = 0.05


def _quiet(_msg):
    pass


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """One province for the read-only tests of this module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(scale=SMALL, seed=7, log=_quiet)
        transaction.set_rollback(True)


@pytest.fixture
def demo(_built, db):
    return _built


def test_the_province_has_the_eleven_cities_and_ninety_counties_with_their_real_codes(demo):
    with open(DATA / "cities.csv", encoding="utf-8") as f:
        cities = {r["code"] + "00": r["name"] for r in csv.DictReader(f)}
    with open(DATA / "counties.csv", encoding="utf-8") as f:
        counties = {r["code"]: (r["name"], r["cityCode"] + "00") for r in csv.DictReader(f)}
    province = OrgUnit.objects.get(code=PROVINCE_CODE)
    assert province.name == "浙江省" and province.kind == OrgKind.PROVINCE
    got_cities = dict(OrgUnit.objects.filter(kind=OrgKind.CITY).values_list("code", "name"))
    assert got_cities == cities and len(got_cities) == 11
    got = {c.code: (c.name, OrgUnit.objects.get_parent(c).code) for c in OrgUnit.objects.filter(kind=OrgKind.COUNTY)}
    assert got == counties and len(got) == 90
    assert got["330822"] == ("常山县", "330800")


def test_every_county_has_its_department_branch(demo):
    for county in OrgUnit.objects.filter(kind=OrgKind.COUNTY):
        departments = OrgUnit.objects.get_children(county).filter(kind=OrgKind.DEPARTMENT)
        assert departments.count() == len(DEPARTMENTS)
    names = set(OrgUnit.objects.get_children(OrgUnit.objects.get(code="330822")).values_list("name", flat=True))
    assert {"常山县公安局", "常山县消防救援大队", "常山县卫生健康局", "常山县市场监督管理局"} <= names


def test_the_tree_built_in_bulk_passes_treebeards_own_checks(demo):
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])
    school = OrgUnit.objects.get(code=STORY_SCHOOL_CODE)
    assert OrgUnit.objects.get_children_count(school) == school.numchild == 6
    # a node added the ordinary way afterwards lands at the right place
    extra = OrgUnit.objects.add_child(school, {"name": "七年级", "kind": OrgKind.GRADE})
    assert OrgUnit.objects.get_parent(extra) == school and OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_every_id_number_is_valid_unique_and_matches_birth_date_and_sex(demo):
    seen = set()
    rows = list(Student.objects.values_list("id_number_sealed", "id_number_masked", "birth_date", "sex")) + [
        (s, m, None, sex) for s, m, sex in Staff.objects.values_list("id_number_sealed", "id_number_masked", "sex")
    ]
    assert len(rows) > 1000
    for sealed, masked, birth, sex in rows:
        number = identity.validate_id_number(identity.unseal(sealed))
        assert identity.id_sex(number) == sex
        if birth is not None:
            assert identity.id_birth_date(number) == birth
        assert masked == identity.mask_id_number(number)
        seen.add(number)
    assert len(seen) == len(rows)


def test_students_are_the_right_age_for_their_grade(demo):
    school = OrgUnit.objects.get(code=STORY_SCHOOL_CODE)
    first, sixth = (
        OrgUnit.objects.get(path__startswith=school.path, kind=OrgKind.CLASS, name=n)
        for n in ("一年级1班", "六年级1班")
    )
    young = {s.birth_date for s in Student.objects.filter(klass=first)}
    old = {s.birth_date for s in Student.objects.filter(klass=sixth)}
    assert max(old) < min(young)
    assert (min(young) - max(old)).days > 365 * 4


def test_phones_are_valid_mobile_numbers_and_unique(demo):
    phones = [identity.unseal(p) for p in Guardian.objects.values_list("phone_sealed", flat=True)]
    phones += [identity.unseal(p) for p in Staff.objects.values_list("phone_sealed", flat=True)]
    assert all(identity.validate_mobile(p) == p for p in phones)
    assert len(set(phones)) == len(phones)


def test_every_student_has_a_guardian_and_a_phone_is_one_guardian(demo):
    assert not Student.objects.filter(guardianships__isnull=True).exists()
    assert Guardian.objects.values("phone_hash").distinct().count() == Guardian.objects.count()


def test_the_story_school_exists_at_every_scale(demo):
    school = OrgUnit.objects.get(code=STORY_SCHOOL_CODE)
    assert school.name == "常山县第一小学"
    assert (school.school_type, school.ownership) == (SchoolType.PRIMARY, Ownership.PUBLIC)
    assert OrgUnit.objects.get_parent(school).code == "330822"
    grades = list(OrgUnit.objects.get_children(school).values_list("name", flat=True))
    assert grades == ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
    klass = OrgUnit.objects.get(path__startswith=school.path, name="一年级1班")
    assert klass.kind == OrgKind.CLASS and klass.class_students.count() >= 30
    mao = Staff.objects.get(name="毛玉梅")
    assert mao.org == school and mao.user.username == "maoyumei"


def test_every_demo_login_exists_with_its_role_and_org(demo):
    expected_org = {
        "admin_zj": "浙江省",
        "admin_qz": "衢州市",
        "admin_cs": "常山县",
        "admin_js": "江山市",
        "inspector_cs": "常山县",
        "police_cs": "常山县公安局",
        "head_cs1": "一年级1班",
    }
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.full_name
        membership = Membership.objects.select_related("role", "org").get(user=user)
        assert membership.role.code == login.role
        assert membership.org.name == expected_org.get(login.username, "常山县第一小学")
        assert demo.context.users[login.username] == user
        if login.username != "parent_cs1":
            assert demo.context.staff[login.username].user == user
    assert User.objects.get(username="admin_zj").requires_second_factor
    assert User.objects.get(username="admin_qz").requires_second_factor
    assert not User.objects.get(username="admin_cs").requires_second_factor


def test_the_demo_parent_sees_exactly_their_own_child(demo):
    parent = User.objects.get(username="parent_cs1")
    guardian = Guardian.objects.get(user=parent)
    visible = Student.objects.visible_to(parent, "people.view_student")
    assert set(visible) == {link.student for link in guardian.guardianships.all()}
    assert all(s.klass.name == "一年级1班" for s in visible)


def test_the_county_administrator_acts_only_inside_the_county(demo):
    admin = User.objects.get(username="admin_cs")
    assert has_perm_at(admin, "people.change_student", OrgUnit.objects.get(code=STORY_SCHOOL_CODE))
    assert not has_perm_at(admin, "people.change_student", OrgUnit.objects.get(code="330881"))


def test_the_demo_parent_has_a_second_child_waiting_for_the_class_teacher(demo):
    from mofang.platform.people.models import BindingRequest, BindingStatus

    parent, head = User.objects.get(username="parent_cs1"), User.objects.get(username="head_cs1")
    req = BindingRequest.objects.get(user=parent)
    assert req.status == BindingStatus.PENDING and req.student.klass.name == "一年级1班"
    assert BindingRequest.objects.visible_to(head, "people.confirm_binding").filter(pk=req.pk).exists()
    assert not Student.objects.visible_to(parent, "people.view_student").filter(pk=req.student_id).exists()
