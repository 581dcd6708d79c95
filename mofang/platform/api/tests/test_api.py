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


def test_schema_and_docs_are_served_from_the_platform(client, tree):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/students/" in schema.content
    assert client.get("/api/docs/")["Location"].startswith("/accounts/login/")  # a page for administrators
    client.force_login(make_user("docs_cs", "county_admin", tree.county))
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


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
