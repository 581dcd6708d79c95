"""批量开通账号 through the platform's import path: every bad row reported, nothing written."""

import pytest

from mofang.platform.accounts.models import Membership, User
from mofang.platform.audit.models import AuditEntry
from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.testing import make_staff, make_user

HEADER = "用户名,姓名,手机号,工号,角色,机构代码\n"


def _run(tmp_path, admin, text, org):
    path = tmp_path / "账号.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return import_file(IMPORTERS["accounts"], str(path), "账号.csv", ImportContext(user=admin, org=org))


def _state():
    return (User.objects.count(), Membership.objects.count(), SMSMessage.objects.count(), AuditEntry.objects.count())


@pytest.fixture
def admin(tree):
    return make_user("admin_cs", "county_admin", tree.county)


def test_a_file_with_bad_rows_reports_each_by_row_and_column_and_writes_nothing(tmp_path, tree, admin):
    make_user("taken", "teacher", tree.other_school)
    far_staff = make_staff(tree.other_school, "江山人")
    before = _state()
    result = _run(
        tmp_path,
        admin,
        (
            "cs_good,王芳,13800000011,,教师,3308220001\n"  # 2: good
            "cs_far,李四,13800000012,,教师,3308810001\n"  # 3: 江山市: outside
            "cs_high,张三,13800000013,,市级管理员,330822\n"  # 4: a role above the county
            "cs_kind,赵六,13800000014,,教师,330822\n"  # 5: a teacher at a county
            "taken,钱七,13800000015,,教师,3308220001\n"  # 6: username of another county
            "cs_phone,孙八,1380000,,教师,3308220001\n"  # 7: bad phone
            f"cs_staff,周九,13800000016,{far_staff.staff_no},教师,3308220001\n"  # 8: staff out of scope
            "cs_role,吴十,13800000017,,校工,3308220001\n"  # 9: unknown role
            "cs_good,王芳,13800000011,,教师,3308220001\n"  # 10: repeated
        ),
        tree.county,
    )
    by_row = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert "「江山市实验小学」不在您的管理范围内" in by_row[(3, "机构代码")]
    assert "不能授予「市级管理员」角色" in by_row[(4, "角色")]
    assert "只能授予在学校" in by_row[(5, "机构代码")]
    assert by_row[(6, "用户名")] == "用户名已被其他单位的账号使用"
    assert (7, "手机号") in by_row
    assert "不在您的数据范围内" in by_row[(8, "工号")]
    assert by_row[(9, "角色")] == "角色“校工”不存在"
    assert "与第2行重复" in by_row[(10, "用户名")]
    assert 2 not in {e["row"] for e in result["errors"]}
    assert result["created"] == 0
    assert _state() == before


def test_a_good_file_opens_accounts_links_staff_sends_passwords_and_is_idempotent(tmp_path, tree, admin):
    staff = make_staff(tree.school, "周九")
    rows = f"cs_a,王芳,13800000011,,教师,3308220001\ncs_b,周九,13800000016,{staff.staff_no},教务,3308220001\n"
    result = _run(tmp_path, admin, rows, tree.county)
    assert result["errors"] == [] and result["created"] == 2
    a, b = User.objects.get(username="cs_a"), User.objects.get(username="cs_b")
    assert a.must_change_password and a.home_org == tree.school
    assert [(m.role.code, m.org) for m in b.memberships.all()] == [("academic", tree.school)]
    staff.refresh_from_db()
    assert staff.user == b
    sms = SMSMessage.objects.get(phone="13800000011")
    password = sms.text.split("临时密码")[1].split("，")[0]
    assert a.check_password(password)
    assert AuditEntry.objects.filter(object_type="accounts.User", object_id=str(a.pk), action="create").exists()
    # the same file again: no new account, no new SMS
    again = _run(tmp_path, admin, rows, tree.county)
    assert again["errors"] == [] and (again["created"], again["updated"]) == (0, 2)
    assert User.objects.filter(username__startswith="cs_").count() == 2
    assert SMSMessage.objects.count() == 2


def test_the_template_is_offered_to_account_managers_only(client, tree, admin):
    client.force_login(admin)
    assert "账号" in client.get("/imports/").content.decode()
    assert client.get("/imports/accounts/template/").status_code == 200
    client.force_login(make_user("t1", "teacher", tree.school))
    assert client.get("/imports/accounts/template/").status_code == 404
