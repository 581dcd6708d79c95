"""The grant table: who may grant which role where (table-driven over the real tree and roles)."""

import pytest

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.accounts.policy import can_grant, grant_refusal
from mofang.platform.accounts.registry import GRANT_RULES, ROLES, allow_grant, register_role
from mofang.platform.testing import make_user

# (granter role, granter's place, role granted, place granted, allowed)
CASES = [
    ("county_admin", "county", "teacher", "school", True),
    ("county_admin", "county", "principal", "school", True),
    ("county_admin", "county", "head_teacher", "klass", True),
    ("county_admin", "county", "inspector", "county", True),
    ("county_admin", "county", "dept_liaison", "department", True),
    ("county_admin", "county", "teacher", "other_school", False),  # outside the subtree
    ("county_admin", "county", "county_admin", "county", False),  # own level
    ("county_admin", "county", "city_admin", "city", False),  # above
    ("county_admin", "county", "province_admin", "county", False),
    ("county_admin", "county", "teacher", "county", False),  # a teacher belongs to a school
    ("county_admin", "county", "parent", "school", False),  # parents come from the phone login
    ("city_admin", "city", "county_admin", "county", True),
    ("city_admin", "city", "county_admin", "other_county", True),
    ("city_admin", "city", "city_admin", "city", False),
    ("province_admin", "province", "city_admin", "city", True),
    ("province_admin", "province", "province_admin", "province", False),
    ("principal", "school", "teacher", "school", True),
    ("principal", "school", "head_teacher", "klass", True),
    ("principal", "school", "principal", "school", False),
    ("principal", "school", "teacher", "other_school", False),
    ("academic", "school", "teacher", "school", False),  # no accounts.change_user at all
    ("teacher", "school", "teacher", "school", False),
]


@pytest.mark.parametrize("granter,place,role,where,allowed", CASES, ids=[f"{c[0]}-{c[2]}@{c[3]}" for c in CASES])
def test_grant_table(tree, granter, place, role, where, allowed):
    actor = make_user("actor", granter, getattr(tree, place))
    assert can_grant(actor, role, getattr(tree, where)) is allowed


def test_no_role_grants_its_own_role_or_one_ranked_above_it():
    """Property over the whole declared table: a granter only grants roles ranked below its own."""
    assert GRANT_RULES
    for (granter, role), rule in GRANT_RULES.items():
        assert ROLES[role].rank > ROLES[granter].rank, (granter, role)
        assert rule.org_kinds


def test_refusals_name_the_reason_in_chinese(tree):
    actor = make_user("actor", "county_admin", tree.county)
    assert "江山市实验小学" in grant_refusal(actor, "teacher", tree.other_school)
    assert "不在您的管理范围内" in grant_refusal(actor, "teacher", tree.other_school)
    assert grant_refusal(actor, "province_admin", tree.county) == "您的角色（区县管理员）不能授予「省级管理员」角色"
    assert "只能授予在学校" in grant_refusal(actor, "teacher", tree.county)


def test_a_module_extends_the_table_for_its_own_role(tree):
    register_role("matrix_probe", "测试角色", rank=90)
    try:
        Role.objects.create(code="matrix_probe", name="测试角色", rank=90)
        actor = make_user("actor", "county_admin", tree.county)
        assert not can_grant(actor, "matrix_probe", tree.county)
        allow_grant("county_admin", "matrix_probe", at=("county",))
        assert can_grant(actor, "matrix_probe", tree.county)
    finally:
        GRANT_RULES.pop(("county_admin", "matrix_probe"), None)
        ROLES.pop("matrix_probe", None)


def test_province_and_city_admins_keep_totp_compulsory():
    assert ROLES["province_admin"].second_factor and ROLES["city_admin"].second_factor
    register_role("city_admin", "市级管理员", second_factor=False, rank=20)  # a module re-registering it
    assert ROLES["city_admin"].second_factor


def test_account_managers_hold_the_new_permissions():
    for code in ("province_admin", "city_admin", "county_admin", "principal"):
        assert {"accounts.view_user", "accounts.change_user"} <= ROLES[code].permissions
    for code in ("teacher", "academic", "parent", "inspector"):
        assert not {"accounts.view_user", "accounts.change_user"} & ROLES[code].permissions


def test_accounts_are_visible_through_any_membership_once_and_through_the_home_org(tree):
    admin = make_user("admin", "county_admin", tree.county)
    other = make_user("admin_js", "county_admin", tree.other_county)
    both = make_user("both", "teacher", tree.school)
    Membership.objects.create(user=both, role=Role.objects.get(code="head_teacher"), org=tree.klass)
    Membership.objects.create(user=both, role=Role.objects.get(code="teacher"), org=tree.other_school)
    orphan = User.objects.create_user("orphan", password="x", home_org=tree.school)
    mine = User.objects.visible_to(admin, "accounts.view_user")
    assert list(mine.filter(username="both")) == [both]  # two memberships in the county: one row
    assert mine.filter(username="both").count() == 1
    assert mine.filter(pk=orphan.pk).exists()
    assert User.objects.visible_to(other, "accounts.view_user").filter(pk=both.pk).exists()
    assert not User.objects.visible_to(other, "accounts.view_user").filter(pk=orphan.pk).exists()
    assert not User.objects.visible_to(both, "accounts.view_user").exists()  # a teacher sees no accounts


def test_every_granted_role_is_declared_by_an_installed_app():
    """A module may grant its permissions to another module's role (the cockpit to 督学); the role
    must then exist once every app is loaded, or the grant is a typo that silently does nothing."""
    from mofang.platform.accounts.registry import ROLES, unregistered_grants

    assert unregistered_grants() == {}
    assert {"inspector", "bank_auditor", "notary"} <= set(ROLES)


def test_module_roles_are_declared_by_their_modules_not_the_core():
    import pathlib

    core_roles = pathlib.Path(__file__).resolve().parent.parent / "roles.py"
    text = core_roles.read_text(encoding="utf-8")
    for module_role in ("inspector", "bank_auditor", "notary"):
        assert f'"{module_role}"' not in text, module_role
