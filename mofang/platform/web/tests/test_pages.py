import io

import openpyxl
import pytest

from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_staff, make_student, make_user


@pytest.fixture
def county_admin(tree):
    return make_user("county", "county_admin", tree.county, full_name="常山县管理员")


def test_login_page_is_chinese(client, db):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert "登录教育魔方" in r.content.decode()


def test_home_lists_todos_for_logged_in_user(client, county_admin):
    client.force_login(county_admin)
    r = client.get("/")
    assert r.status_code == 200
    assert "我的待办" in r.content.decode()


def test_wrong_password_message_names_the_problem(client, county_admin):
    r = client.post("/accounts/login/", {"username": "county", "password": "wrong"})
    assert "用户名或密码错误" in r.content.decode()


def test_student_list_shows_masked_ids_and_only_own_county(client, tree, county_admin):
    mine = make_student(tree.school, "张小明", klass=tree.klass)
    make_student(tree.other_school, "李其他")
    client.force_login(county_admin)
    body = client.get("/students/").content.decode()
    assert "张小明" in body and "李其他" not in body
    assert mine.id_number_masked in body
    assert '<strong class="total-count">1</strong>' in body


def test_student_export_is_xlsx_with_only_visible_rows(client, tree, county_admin):
    make_student(tree.school, "张小明")
    make_student(tree.other_school, "李其他")
    client.force_login(county_admin)
    r = client.get("/students/?export=xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    names = [row[1] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["张小明"]
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_revealing_an_id_number_is_audited(client, tree):
    user = make_user("prov", "province_admin", tree.province)
    staff = make_staff(tree.school, "毛玉梅")
    client.force_login(user)
    # province administrators need TOTP first; the second factor is covered in accounts tests
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    r = client.post(f"/reveal/staff/{staff.pk}/id_number/")
    assert r.status_code == 200
    assert "*" not in r.content.decode()
    assert AuditEntry.objects.filter(action="reveal", object_id=str(staff.pk)).count() == 1


def test_org_tree_children_load_by_htmx(client, tree, county_admin):
    client.force_login(county_admin)
    r = client.get(f"/orgs/{tree.county.pk}/children/", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "常山县第一小学" in body and "江山市" not in body


def test_home_shows_failed_jobs_in_scope_only(client, tree, county_admin):
    from mofang.platform.jobs.models import Job

    Job.objects.create(kind="t", title="本县失败", org=tree.school, status="failed")
    Job.objects.create(kind="t", title="外县失败", org=tree.other_school, status="failed")
    client.force_login(county_admin)
    body = client.get("/").content.decode()
    assert "近7天失败的后台任务" in body
    assert '<div class="label">近7天失败的后台任务</div><div class="value">1</div>' in body


def test_home_overview_counts_only_what_is_in_scope(client, tree, county_admin):
    make_student(tree.school, "张小明")
    make_student(tree.other_school, "李其他")
    client.force_login(county_admin)
    body = client.get("/").content.decode()
    assert '<div class="label">学校</div><div class="value">1</div>' in body
    assert '<div class="label">学生</div><div class="value">1</div>' in body


@pytest.mark.parametrize("url", ["/students/?q=%00", "/indicators/import/?q=a%00b", "/orgs/?page=1&x%00=1"])
def test_a_nul_in_the_query_string_is_a_chinese_400_naming_the_parameter(client, county_admin, url):
    # PostgreSQL text cannot hold NUL: a list's search box passed it to the database (a 500 on PG)
    client.force_login(county_admin)
    r = client.get(url)
    assert r.status_code == 400
    assert "含有非法字符" in r.content.decode()
    assert ("“q”" in r.content.decode()) == ("q=" in url)


def test_search_as_you_type_on_a_list_page_extending_the_base_list_answers_the_rows(client, tree, county_admin):
    # the account list's template extends web/list.html without redefining the list-body partial;
    # the htmx search asked for "accounts/user_list.html#list-body" and answered 500
    client.force_login(county_admin)
    r = client.get("/accounts/users/?q=" + county_admin.username, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-body")
    assert r.status_code == 200
    body = r.content.decode()
    assert county_admin.username in body and "<html" not in body


def test_the_failed_jobs_to_do_opens_a_list_of_exactly_the_jobs_it_counts(client, tree, county_admin):
    import datetime as dt
    import re

    from django.utils import timezone

    from mofang.platform.jobs.models import Job

    Job.objects.create(kind="t", title="本周失败", org=tree.school, status="failed")
    old = Job.objects.create(kind="t", title="上月失败", org=tree.school, status="failed")
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    Job.objects.create(kind="t", title="外县失败", org=tree.other_school, status="failed")
    client.force_login(county_admin)
    home = client.get("/").content.decode()
    card = re.search(
        r'<a [^>]*href="([^"]+)"[^>]*>\s*<div class="label">近7天失败的后台任务</div><div class="value">(\d+)<', home
    )
    assert card, "the to-do card links to its list"
    url, count = card.group(1).replace("&amp;", "&"), int(card.group(2))
    listed = client.get(url).content.decode()
    assert count == 1 and int(re.search(r'class="total-count">(\d+)<', listed).group(1)) == count
    assert "本周失败" in listed and "上月失败" not in listed and "外县失败" not in listed


def test_audit_log_names_records_and_fields_in_chinese(client, tree, county_admin):
    from mofang.platform.audit.services import record

    student = make_student(tree.school, "张小明")
    record(
        actor=county_admin,
        action="update",
        summary="修改学生信息",
        obj=student,
        before={"name": "张小明", "id": student.pk},
        after={"name": "张晓明", "totp": True},
    )
    client.force_login(county_admin)
    body = client.get("/audit/").content.decode()
    assert "people.Student" not in body and "学生" in body
    assert "姓名：张小明" in body and "姓名：张晓明" in body
    assert f"编号：{student.pk}" in body and "动态口令：是" in body


def test_audit_log_shows_case_states_and_module_codes_by_their_chinese_labels(client, tree, county_admin):
    from mofang.platform.audit.services import record

    student = make_student(tree.school, "张小明")
    # a key that is no field of the model, with values that are a case state and a choice elsewhere
    record(
        actor=county_admin,
        action="update",
        summary="状态变更",
        obj=student,
        before={"problems": ["closed"], "kind": "school"},
        after={"visited_on": "2026-12-01"},
    )
    client.force_login(county_admin)
    body = client.get("/audit/").content.decode()
    assert "问题：" in body and "closed" not in body
    assert "类别：学校" in body and "督导日期：2026-12-01" in body
