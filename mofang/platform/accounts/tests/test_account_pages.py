"""账号管理 pages: what an administrator sees and what every refusal leaves behind (nothing)."""

import io

import openpyxl
import pytest
from django.conf import settings

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.audit.models import AuditEntry
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.testing import make_staff, make_user

PASSWORD = "Mofang#2026"


@pytest.fixture
def admin(tree, client):
    user = make_user("admin_cs", "county_admin", tree.county, full_name="常山县管理员")
    client.force_login(user)
    return user


@pytest.fixture
def teacher(tree):
    return make_user("t_cs", "teacher", tree.school, full_name="常山教师")


def _written():
    return (
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
        SMSMessage.objects.count(),
        list(User.objects.values_list("full_name", "is_active", "password")),
    )


def _text(r):
    return r.content.decode()


# --- refusals: HTTP 403/400, a Chinese reason, nothing written -----------------------------------


@pytest.mark.parametrize(
    "role,where,status,reason",
    [
        ("teacher", "other_school", 403, "「江山市实验小学」不在您的管理范围内"),
        ("province_admin", "county", 403, "您的角色（区县管理员）不能授予「省级管理员」角色"),
        ("city_admin", "city", 403, "「衢州市」不在您的管理范围内"),
        ("county_admin", "county", 403, "不能授予「区县管理员」角色"),
        ("teacher", "county", 403, "「教师」角色只能授予在学校"),
        ("teacher", "school", 400, "该账号已在常山县第一小学担任教师"),
    ],
)
def test_a_refused_grant_says_why_and_writes_nothing(client, tree, admin, teacher, role, where, status, reason):
    before = _written()
    org = getattr(tree, where)
    r = client.post(f"/accounts/users/{teacher.pk}/grant/", {"role": role, "org": org.code})
    assert r.status_code == status
    assert reason in _text(r)
    assert _written() == before


def test_nobody_changes_their_own_memberships(client, tree, admin):
    before = _written()
    r = client.post(f"/accounts/users/{admin.pk}/grant/", {"role": "teacher", "org": tree.school.code})
    assert r.status_code == 403 and "不能修改自己的任职" in _text(r)
    own = admin.memberships.get()
    r = client.post(f"/accounts/users/{admin.pk}/revoke/{own.pk}/")
    assert r.status_code == 403 and "不能撤销自己的任职" in _text(r)
    r = client.post(f"/accounts/users/{admin.pk}/deactivate/")
    assert r.status_code == 403 and "不能在账号管理中修改自己的账号" in _text(r)
    assert _written() == before


def test_a_county_cannot_take_over_an_account_that_also_serves_above_it(client, tree, admin, teacher):
    Membership.objects.create(user=teacher, role=Role.objects.get(code="city_admin"), org=tree.city)
    before = _written()
    for url in ("reset-password/", "deactivate/", "unlock/"):
        r = client.post(f"/accounts/users/{teacher.pk}/{url}", {"delivery": "show"})
        assert r.status_code == 403, url
        assert "该账号在您管理范围以外还有任职（衢州市 · 市级管理员）" in _text(r)
    assert _written() == before


def test_an_account_of_another_county_is_absent(client, tree, admin):
    other = make_user("t_js", "teacher", tree.other_school, full_name="江山教师")
    before = _written()
    assert client.get(f"/accounts/users/{other.pk}/").status_code == 404
    assert (
        client.post(f"/accounts/users/{other.pk}/grant/", {"role": "teacher", "org": tree.school.code}).status_code
        == 404
    )
    assert client.post(f"/accounts/users/{other.pk}/reset-password/", {"delivery": "show"}).status_code == 404
    assert "江山教师" not in _text(client.get("/accounts/users/"))
    assert _written() == before


def test_a_teacher_has_no_account_pages(client, tree, teacher):
    client.force_login(teacher)
    assert client.get("/accounts/users/").status_code == 404
    assert client.get("/accounts/users/new/").status_code == 404


def test_creating_an_account_out_of_scope_is_refused(client, tree, admin):
    before = _written()
    r = client.post(
        "/accounts/users/new/",
        {
            "username": "new_js",
            "full_name": "新教师",
            "role": "teacher",
            "org": tree.other_school.code,
            "delivery": "show",
        },
    )
    assert r.status_code == 403
    assert "「江山市实验小学」不在您的管理范围内" in _text(r)
    assert _written() == before


def test_bad_input_is_a_400_naming_the_field(client, tree, admin, teacher):
    before = _written()
    r = client.post(
        "/accounts/users/new/",
        {
            "username": "t_cs",
            "full_name": "重名",
            "phone": "12345",
            "role": "teacher",
            "org": tree.school.code,
            "delivery": "show",
        },
    )
    assert r.status_code == 400
    assert "用户名“t_cs”已被使用" in _text(r) or "手机号" in _text(r)
    r = client.post(
        "/accounts/users/new/",
        {"username": "x1", "full_name": "甲", "role": "teacher", "org": "999", "delivery": "show"},
    )
    assert r.status_code == 400 and "机构不存在" in _text(r)
    r = client.post(
        "/accounts/users/new/",
        {
            "username": "x2",
            "full_name": "甲",
            "phone": "1380000",
            "role": "teacher",
            "org": tree.school.code,
            "delivery": "show",
        },
    )
    assert r.status_code == 400 and "手机号" in _text(r)
    assert _written() == before


# --- creating, from a staff record ----------------------------------------------------------------


def test_an_account_from_a_staff_record_takes_name_and_phone_and_links_it(client, tree, admin):
    staff = make_staff(tree.school, "毛小红", phone="13811112222")
    r = client.post(
        "/accounts/users/new/",
        {
            "staff_no": staff.staff_no,
            "username": "maoxh",
            "role": "teacher",
            "org": tree.school.code,
            "delivery": "show",
        },
    )
    assert r.status_code == 200
    password = r.content.decode().split('id="one-time-password" class="mono">')[1].split("<")[0]
    user = User.objects.get(username="maoxh")
    staff.refresh_from_db()
    assert (user.full_name, user.phone, user.home_org, user.must_change_password) == (
        "毛小红",
        "13811112222",
        tree.school,
        True,
    )
    assert staff.user == user
    assert user.check_password(password)
    assert [(m.role.code, m.org) for m in user.memberships.all()] == [("teacher", tree.school)]
    entry = AuditEntry.objects.get(object_type="accounts.User", object_id=str(user.pk), action="create")
    assert entry.before is None and entry.after["memberships"] == ["常山县第一小学·教师"]
    assert password not in str(entry.after)


def test_the_staff_page_offers_an_account_only_while_the_staff_member_has_none(client, tree, admin):
    staff = make_staff(tree.school, "毛小红", phone="13811112222")
    page = client.get(f"/staff/{staff.pk}/").content.decode()
    assert f'href="/accounts/users/new/?staff_no={staff.staff_no}"' in page
    form = client.get(f"/accounts/users/new/?staff_no={staff.staff_no}").content.decode()
    assert f'value="{staff.staff_no}"' in form  # the 工号 comes filled in
    staff.user = make_user("maoxh", "teacher", tree.school)
    staff.save(update_fields=["user"])
    assert "开通账号" not in client.get(f"/staff/{staff.pk}/").content.decode()


def test_a_staff_record_out_of_scope_or_already_linked_is_refused(client, tree, admin, teacher):
    far = make_staff(tree.other_school, "江山人")
    linked = make_staff(tree.school, "已开通", user=teacher)
    before = _written()
    for staff, msg in ((far, "不在您的数据范围内"), (linked, "已有账号")):
        r = client.post(
            "/accounts/users/new/",
            {
                "staff_no": staff.staff_no,
                "username": "z1",
                "role": "teacher",
                "org": tree.school.code,
                "delivery": "show",
            },
        )
        assert r.status_code == 400 and msg in _text(r)
    assert _written() == before


# --- reset password, forced change, unlock ---------------------------------------------------------


def test_reset_password_by_sms_puts_it_in_the_outbox_and_forces_a_change(client, tree, admin, teacher):
    teacher.phone = "13900001111"
    teacher.save()
    r = client.post(f"/accounts/users/{teacher.pk}/reset-password/", {"delivery": "sms"})
    assert r.status_code == 200 and "已通过短信发送到 139****1111" in _text(r)
    sms = SMSMessage.objects.get(phone="13900001111")
    password = sms.text.split("临时密码")[1].split("，")[0]
    teacher.refresh_from_db()
    assert teacher.check_password(password) and not teacher.check_password(PASSWORD)
    assert teacher.must_change_password
    entry = AuditEntry.objects.filter(object_id=str(teacher.pk)).latest("id")
    assert entry.before["must_change_password"] is False and entry.after["must_change_password"] is True


def test_reset_by_sms_without_a_phone_is_a_400(client, tree, admin, teacher):
    before = _written()
    r = client.post(f"/accounts/users/{teacher.pk}/reset-password/", {"delivery": "sms"})
    assert r.status_code == 400 and "没有登记手机号" in _text(r)
    assert _written() == before


def test_a_user_with_a_one_time_password_must_change_it_first(client, tree, admin, teacher):
    r = client.post(f"/accounts/users/{teacher.pk}/reset-password/", {"delivery": "show"})
    password = r.content.decode().split('id="one-time-password" class="mono">')[1].split("<")[0]
    client.logout()
    client.post("/accounts/login/", {"username": "t_cs", "password": password})
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/password/")
    r = client.get("/", HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == "/accounts/password/"
    r = client.get("/api/students/")
    assert r.status_code == 403 and "请先修改初始密码" in r.json()["detail"]
    r = client.get("/accounts/password/")
    assert "您正在使用临时密码" in _text(r)
    r = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "Qingshan#7788", "new_password2": "Qingshan#7788"},
    )
    assert r.status_code == 302
    assert client.get("/").status_code == 200  # still signed in, free to go
    teacher.refresh_from_db()
    assert not teacher.must_change_password and teacher.check_password("Qingshan#7788")


@pytest.mark.parametrize(
    "new,message",
    [
        ("Ab1#xyz", "密码太短，至少需要8个字符"),
        ("password123", "这个密码太常见了"),
        ("20261234567", "密码只包含数字"),
        ("changshan_teacher1", "密码跟 用户名 太相似了"),
        ("Zz13911112222", "不能包含您的手机号"),
        ("Ab#111122", "不能包含您的手机号"),
    ],
)
def test_the_password_policy_refuses_weak_passwords_in_chinese(client, tree, teacher, new, message):
    teacher.phone = "13911112222"
    teacher.username = "changshan_teacher"
    teacher.save()
    client.force_login(teacher)
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert r.status_code == 400
    assert message in _text(r)
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)


def test_changing_the_password_needs_the_current_one(client, tree, teacher):
    client.force_login(teacher)
    r = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Qingshan#7788", "new_password2": "Qingshan#7788"},
    )
    assert r.status_code == 400 and "当前密码不正确" in _text(r)


def test_a_locked_out_account_is_a_todo_and_unlocking_lets_it_log_in(client, tree, admin, teacher):
    other = client.__class__()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        other.post("/accounts/login/", {"username": "t_cs", "password": "wrong-password"})
    assert other.post("/accounts/login/", {"username": "t_cs", "password": PASSWORD}).status_code == 429
    teacher.refresh_from_db()
    assert teacher.locked_at is not None
    home = _text(client.get("/"))
    assert "待解锁账号" in home
    page = _text(client.get(f"/accounts/users/{teacher.pk}/"))
    assert "连续输错密码，已锁定" in page and "解锁账号" in page
    r = client.post(f"/accounts/users/{teacher.pk}/unlock/")
    assert r.status_code == 302
    teacher.refresh_from_db()
    assert teacher.locked_at is None
    assert "待解锁账号" not in _text(client.get("/"))
    assert other.post("/accounts/login/", {"username": "t_cs", "password": PASSWORD}).status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(teacher.pk), summary__startswith="解锁账号").get()
    assert entry.before["locked_at"] and entry.after["locked_at"] is None


# --- edit, stop, grant, revoke and the account's history -----------------------------------------


def test_every_change_is_on_the_accounts_page_with_before_and_after(client, tree, admin, teacher):
    client.post(f"/accounts/users/{teacher.pk}/edit/", {"full_name": "常山教师乙", "phone": "13900002222"})
    client.post(f"/accounts/users/{teacher.pk}/grant/", {"role": "head_teacher", "org": f"#{tree.klass.pk}"})
    m = teacher.memberships.get(role__code="teacher")
    client.post(f"/accounts/users/{teacher.pk}/revoke/{m.pk}/")
    client.post(f"/accounts/users/{teacher.pk}/deactivate/")
    teacher.refresh_from_db()
    assert (teacher.full_name, teacher.phone, teacher.is_active) == ("常山教师乙", "13900002222", False)
    assert [mm.role.code for mm in teacher.memberships.all()] == ["head_teacher"]
    entries = list(AuditEntry.objects.filter(object_id=str(teacher.pk)).order_by("id"))
    assert [e.summary.split(" ")[0] for e in entries] == ["修改账号", "授予账号", "撤销账号", "停用账号"]
    assert entries[0].before["full_name"] == "常山教师" and entries[0].after["full_name"] == "常山教师乙"
    assert entries[1].after["memberships"] == ["一年级1班·班主任", "常山县第一小学·教师"]
    assert entries[2].after["memberships"] == ["一年级1班·班主任"]
    assert entries[3].before["is_active"] is True and entries[3].after["is_active"] is False
    page = _text(client.get(f"/accounts/users/{teacher.pk}/"))
    for e in entries:
        assert e.summary in page
    assert "重新启用" in page
    # a stopped account cannot log in
    client.logout()
    assert client.post("/accounts/login/", {"username": "t_cs", "password": PASSWORD}).status_code == 200


def test_an_account_whose_last_membership_was_revoked_stays_with_its_unit(client, tree, admin, teacher):
    m = teacher.memberships.get()
    client.post(f"/accounts/users/{teacher.pk}/revoke/{m.pk}/")
    assert not teacher.memberships.exists()
    assert client.get(f"/accounts/users/{teacher.pk}/").status_code == 200


# --- the list: search, filters, count, export ---------------------------------------------------


def test_the_list_searches_filters_counts_and_exports_the_subtree(client, tree, admin, teacher):
    make_user("p_cs", "principal", tree.school, full_name="常山校长")
    make_user("t_js", "teacher", tree.other_school, full_name="江山教师")
    teacher.phone = "13912345678"
    teacher.save()
    r = _text(client.get("/accounts/users/"))
    assert 'class="total-count">3<' in r  # admin, teacher, principal
    assert "江山教师" not in r
    assert 'class="total-count">1<' in _text(client.get("/accounts/users/?q=1391234"))
    assert 'class="total-count">1<' in _text(client.get("/accounts/users/?role=principal"))
    r = _text(client.get(f"/accounts/users/?org={tree.school.pk}"))
    assert 'class="total-count">2<' in r and ">admin_cs<" not in r
    assert 'class="total-count">0<' in _text(client.get(f"/accounts/users/?org={tree.other_school.pk}"))
    client.post(f"/accounts/users/{teacher.pk}/deactivate/")
    assert 'class="total-count">1<' in _text(client.get("/accounts/users/?status=inactive"))
    r = client.get("/accounts/users/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("用户名", "姓名", "手机号", "任职")
    assert sorted(row[1] for row in rows[1:]) == sorted(["常山县管理员", "常山教师", "常山校长"])
    assert "139****5678" in [row[2] for row in rows[1:]]


def test_odd_numbers_and_choices_in_urls_and_forms_are_never_a_500(client, tree, admin, teacher):
    big = "9" * 30
    answers = [
        client.get(f"/accounts/users/{big}/"),
        client.get(f"/accounts/users/?org={big}"),
        client.post(f"/accounts/users/{teacher.pk}/grant/", {"role": "teacher", "org": f"#{big}"}),
        client.post(f"/accounts/users/{teacher.pk}/grant/", {"role": "nonsense", "org": tree.school.code}),
        client.post(f"/accounts/users/{teacher.pk}/revoke/{big}/"),
        client.post(f"/accounts/users/{teacher.pk}/reset-password/", {"delivery": "carrier-pigeon"}),
        client.get("/accounts/users/?page=99999&role=xx&status=zz"),
    ]
    assert [r.status_code for r in answers] == [404, 200, 400, 400, 404, 400, 200]


def test_search_as_you_type_swaps_just_the_list(client, tree, admin, teacher):
    r = client.get("/accounts/users/?q=常山教师", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-body")
    body = r.content.decode()
    assert r.status_code == 200 and body.lstrip().startswith('<div id="list-body">')
    assert 'class="total-count">1<' in body and "t_cs" in body


def test_the_list_and_an_account_page_cost_the_same_queries_for_few_or_many_accounts(client, tree, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(url):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    for i in range(3):
        make_user(f"few{i}", "teacher", tree.school)
    cost("/accounts/users/")  # the signed-in user's memberships into the cache (accounts.access)
    list_few = cost("/accounts/users/")
    target = make_user("many_target", "teacher", tree.school)
    detail_few = cost(f"/accounts/users/{target.pk}/")
    for i in range(20):
        u = make_user(f"many{i}", "teacher", tree.school)
        Membership.objects.create(user=u, role=Role.objects.get(code="head_teacher"), org=tree.klass)
    Membership.objects.create(user=target, role=Role.objects.get(code="head_teacher"), org=tree.klass)
    assert cost("/accounts/users/") == list_few
    assert cost(f"/accounts/users/{target.pk}/") <= detail_few + 1


def test_a_city_administrator_passes_totp_before_account_pages_and_before_the_password_change(client, tree):
    city = make_user("admin_qz", "city_admin", tree.city)
    city.must_change_password = True
    city.save()
    client.force_login(city)
    for url in ("/accounts/users/", "/accounts/password/", "/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/"), url
    assert client.get("/accounts/otp/").status_code == 200
