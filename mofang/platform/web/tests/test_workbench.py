"""The workbench shell (issue 14): each role's home shows its own apps, grouped by business, and
only figures that mean something for it; the platform's running pages (数据导入, 后台任务, 接口文档)
are neither shown to nor opened by parents, teachers and liaisons; personal data is watermarked."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mofang.platform.accounts.models import Role
from mofang.platform.accounts.registry import ROLES
from mofang.platform.budgets import url_names
from mofang.platform.matrix import role_places
from mofang.platform.testing import build_tree, make_student, make_user
from mofang.platform.web.registry import PERSONAL_DATA_PAGES
from mofang.platform.web.roles import VIEW_API_DOCS

RUNNING_PAGES = {"数据导入": "/imports/", "后台任务": "/jobs/", "接口文档": "/api/docs/"}
FRONT_LINE = ("parent", "teacher", "head_teacher", "psych_teacher", "dept_liaison")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, confirmed=True, name="shell")
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def _tiles(html: str) -> set[str]:
    return set(re.findall(r'data-app="([^"]+)"', html))


def _figures(html: str) -> set[str]:
    section = html.split('id="overview"', 1)[1].split("</div>\n", 1)[0] if 'id="overview"' in html else ""
    return set(re.findall(r'<div class="label">([^<]+)</div>', section))


@pytest.fixture
def people(tree):
    return {
        "county": make_user("wb_county", "county_admin", tree.county, full_name="常山县管理员"),
        "teacher": make_user("wb_teacher", "teacher", tree.school, full_name="毛玉梅"),
        "police": make_user("wb_police", "dept_liaison", tree.department, full_name="公安联络员"),
        "parent": make_user("wb_parent", "parent", tree.county, full_name="张家长"),
        "principal": make_user("wb_principal", "principal", tree.school, full_name="校长"),
    }


def test_home_groups_the_roles_apps_by_business(tree, people):
    html = _client(people["county"]).get("/").content.decode()
    assert "工作台" in html and "我的待办" in html and "我的应用" in html
    sections = re.findall(r'<section class="biz biz-(\w+)"', html)
    assert sections[:1] == ["management"] and "platform" in sections
    assert sections == sorted(sections, key=["management", "resources", "data", "platform"].index)
    assert {"主数据", "运行监控", "账号与权限"} <= _tiles(html)


@pytest.mark.parametrize("who", ["teacher", "police", "parent"])
def test_front_line_roles_never_see_imports_jobs_or_api_docs(tree, people, who):
    html = _client(people[who]).get("/").content.decode()
    for label in RUNNING_PAGES:
        assert label not in html, (who, label)
    assert "运行监控" not in _tiles(html)


def test_a_liaison_sees_no_school_count_and_a_parent_no_student_count(tree, people):
    make_student(tree.school, "张小明", klass=tree.klass)
    assert _figures(_client(people["police"]).get("/").content.decode()) == set()
    assert "学生" not in _figures(_client(people["parent"]).get("/").content.decode())
    assert "学校" not in _figures(_client(people["principal"]).get("/").content.decode())  # its own school only
    county = _figures(_client(people["county"]).get("/").content.decode())
    assert {"学校", "学生", "教职工"} <= county


@pytest.mark.django_db
def test_imports_jobs_and_api_docs_refuse_every_role_without_their_permission_with_403():
    """The permission matrix of the running pages: 200 for a role that may open them, 403 for any
    other — parents, teachers and liaisons among them."""
    from mofang.platform.imports.base import IMPORTERS

    tree = build_tree()
    places = role_places()
    failures = []
    for code in sorted(ROLES):
        user = make_user(f"wb403_{code}", code, getattr(tree, places[code]))
        perms = {p.split("@")[0] for p in Role.objects.get(code=code).permissions}
        may = {
            "数据导入": any(i.permission in perms for i in IMPORTERS.values() if not i.target_param),
            "后台任务": "jobs.view_job" in perms,
            "接口文档": VIEW_API_DOCS in perms,
        }
        if code in FRONT_LINE and any(may.values()):
            failures.append(f"{code} may open {[k for k, v in may.items() if v]}")
        client = _client(user)
        for label, url in RUNNING_PAGES.items():
            status = client.get(url).status_code
            if status != (200 if may[label] else 403):
                failures.append(f"{code} {label}: HTTP {status}, expected {200 if may[label] else 403}")
    assert not failures, "\n".join(failures)


def test_api_docs_are_a_chinese_page_for_administrators(tree, people):
    r = _client(people["county"]).get("/api/docs/")
    body = r.content.decode()
    assert r.status_code == 200 and 'lang="zh-Hans"' in body and "<h1>接口文档</h1>" in body
    assert "<script>" not in body and "<style" not in body  # rendered on the server, no inline script
    refused = _client(people["principal"]).get("/api/docs/")
    assert refused.status_code == 403 and "权限" in refused.content.decode()


def test_student_pages_carry_the_viewers_watermark_and_the_home_does_not(tree, people):
    student = make_student(tree.school, "张小明", klass=tree.klass)
    client = _client(people["county"])
    for url in ("/students/", f"/students/{student.pk}/"):
        html = client.get(url).content.decode()
        assert re.search(r'class="watermark"[^>]*data-watermark="常山县管理员 \d{4}-\d\d-\d\d \d\d:\d\d"', html), url
    assert 'class="watermark"' not in client.get("/").content.decode()
    svg = client.get("/watermark.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and "常山县管理员" in svg.content.decode()
    assert "no-store" in svg["Cache-Control"]


def test_every_personal_data_page_is_a_real_url_name():
    assert url_names() >= PERSONAL_DATA_PAGES, sorted(PERSONAL_DATA_PAGES - url_names())


def test_a_parent_gets_the_tab_bar_and_a_county_admin_the_desk_shell(tree, people):
    parent = _client(people["parent"]).get("/").content.decode()
    assert 'class="tabbar"' in parent and 'class="phone-shell"' in parent
    for tab in ("首页", "应用", "消息", "我的"):
        assert re.search(rf"</span>{tab}", parent), tab
    county = _client(people["county"]).get("/").content.decode()
    assert 'class="tabbar"' not in county and 'class="desk-shell"' in county


def test_apps_and_me_pages(tree, people):
    client = _client(people["teacher"])
    apps = client.get("/apps/").content.decode()
    assert "<h1>应用</h1>" in apps and _tiles(apps) == _tiles(client.get("/").content.decode())
    me = client.get("/me/").content.decode()
    assert "毛玉梅" in me and "常山县第一小学 · 教师" in me and reverse("accounts:password_change") in me


def test_favicon_ico_is_served(client, db):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r["Content-Type"] == "image/x-icon"
    assert b"".join(r.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_date_fields_of_platform_forms_are_date_inputs_for_the_picker(tree, people):
    from mofang.platform.web.forms import StaffForm

    html = str(StaffForm()["hired_on"])
    assert 'type="date"' in html
