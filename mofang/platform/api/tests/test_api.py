import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mofang.platform.testing import make_student, make_user


@pytest.fixture
def api(tree):
    user = make_user("api_cs", "county_admin", tree.county)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_schema_is_served_from_the_platform(client, tree):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/students/" in schema.content


def test_docs_are_a_chinese_reference_page_for_administrators(client, tree):
    assert client.get("/api/docs/")["Location"].startswith("/accounts/login/")
    client.force_login(make_user("docs_cs", "county_admin", tree.county))
    r = client.get("/api/docs/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "<h1>接口文档</h1>" in page and "<h2>学生</h2>" in page and "使用说明" in page
    # the students list: method and path, its Chinese summary, its parameters, answers and fields
    students = page.split('id="students_list"', 1)[1].split("</article>", 1)[0]
    assert "<code>/api/students/</code>" in students and ">GET</code>" in students and "学生列表" in students
    for parameter in ("q", "page", "page_size"):
        assert f"<code>{parameter}</code>" in students, parameter
    assert "每页条数，1 到 500，默认 50" in students and "查询参数" in students
    assert "<code>403</code>" in students and "没有该操作的权限" in students
    assert "认证方式（<code>Token</code>）" in students  # a description's `code span` is an identifier
    assert "<code>id_number</code>" in students and "脱敏后的身份证号" in students
    # no Swagger UI, no script of its own, the raw description one click away
    assert "swagger" not in page.lower() and "<script>" not in page and "<style" not in page
    assert 'href="/api/schema/"' in page


def test_docs_refuse_a_teacher_with_the_apis_chinese_403(client, tree):
    client.force_login(make_user("docs_t", "teacher", tree.school))
    r = client.get("/api/docs/")
    assert r.status_code == 403 and r.json()["detail"] == "您没有执行该操作的权限"


def test_students_are_scoped_and_ids_masked(api, tree):
    mine = make_student(tree.school, "张小明")
    make_student(tree.other_school, "李其他")
    data = api.get("/api/students/").json()
    assert data["count"] == 1
    assert data["results"][0]["id_number"] == mine.id_number_masked


def test_out_of_scope_detail_is_a_chinese_404(api, tree):
    other = make_student(tree.other_school, "李其他")
    r = api.get(f"/api/students/{other.pk}/")
    assert r.status_code == 404 and r.json()["detail"] == "对象不存在或不在您的数据范围内"


def test_anonymous_gets_a_chinese_401(db):
    r = APIClient().get("/api/students/")
    assert r.status_code == 401 and "请先登录" in r.json()["detail"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999"])
def test_bad_page_numbers_never_crash(api, tree, page):
    make_student(tree.school, "张小明")
    assert api.get(f"/api/students/?page={page}").status_code < 500


def test_token_calls_create_no_session(api, tree):
    """An integration calling with its token is not a browser: no session row per call (issue 13)."""
    from django.contrib.sessions.models import Session

    make_student(tree.school, "张小明")
    for _ in range(20):
        response = api.get("/api/students/")
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
