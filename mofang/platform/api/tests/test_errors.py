"""Every answer under /api/ that is not a success is JSON of one shape, in Chinese, naming the
parameter at fault; and the published description says so for every operation (issue 13)."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mofang.platform.testing import make_student, make_user


@pytest.fixture
def api(tree):
    user = make_user("api_err", "county_admin", tree.county)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for k, v in body.items() if k != "detail")
    return body


@pytest.mark.parametrize(
    "url", ["/api/students/?q=%00", "/api/indicator-values/?indicator=students&period=20%0026", "/api/orgs/?%00=1"]
)
def test_a_nul_in_the_query_string_is_a_json_400_naming_the_parameter(api, url):
    body = _error(api.get(url), 400)
    assert "NUL" in body["detail"] and "参数" in body["detail"]


def test_a_nul_in_the_query_string_of_a_page_is_still_the_html_page(tree):
    client = Client()
    client.force_login(make_user("page_nul", "county_admin", tree.county))
    response = client.get("/students/?q=%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/no-such-thing/", "/api/%00/", "/api/students/1/extra/", "/api/x%00y"])
def test_an_unknown_api_route_is_a_json_404(api, path):
    assert "接口不存在" in _error(api.get(path), 404)["detail"]


def test_an_api_route_without_its_slash_still_redirects(api, tree):
    response = api.get("/api/students")
    assert response.status_code == 301 and response["Location"].endswith("/api/students/")


def test_wrong_method_not_found_and_anonymous_are_json_in_chinese(api, tree):
    body = _error(api.delete("/api/students/"), 405)
    assert body["detail"] == "不支持该请求方法（DELETE）"
    assert _error(api.get("/api/students/999999/"), 404)["detail"] == "对象不存在或不在您的数据范围内"
    assert "请先登录" in _error(APIClient().get("/api/students/"), 401)["detail"]
    assert (
        "?"
        not in _error(api.post("/api/timebank/leave-requests/", "{x", content_type="application/json"), 400)["detail"]
    )


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/students/?page_size=abc", "page_size"),
        ("/api/students/?page_size=0", "page_size"),
        ("/api/students/?page_size=501", "page_size"),
        ("/api/students/?page_size=", "page_size"),
        ("/api/students/?page_size=１０", "page_size"),
        ("/api/students/?page=0", "page"),
        ("/api/students/?page=-1", "page"),
        ("/api/students/?page=abc", "page"),
        ("/api/students/?q=" + "长" * 51, "q"),
        ("/api/cases/?state_kind=closed", "state_kind"),
        ("/api/cases/?state_kind=", "state_kind"),
        ("/api/cases/?overdue=maybe", "overdue"),
        ("/api/cases/?queue=2", "queue"),
        ("/api/cases/?case_type=nope", "case_type"),
        ("/api/indicator-values/?indicator=students&kind=class", "kind"),
        ("/api/indicator-values/?indicator=students&parent=-3", "parent"),
        ("/api/indicator-values/?indicator=students&parent=99999999999999999999", "parent"),
        ("/api/indicator-values/?indicator=students&period=2026-13", "period"),
        ("/api/indicator-values/?indicator=", "indicator"),
        ("/api/timebank/entries/?account=abc", "account"),
        ("/api/timebank/statements/?month=2026-1", "month"),
    ],
)
def test_a_wrong_parameter_is_a_400_naming_it_never_silently_ignored(api, tree, url, name):
    make_student(tree.school, "张小明")
    body = _error(api.get(url), 400)
    assert body.get(name)
    assert body["detail"].startswith(f"{name}：")


def test_valid_parameters_still_filter_and_page(api, tree):
    for i in range(3):
        make_student(tree.school, f"学生{i}")
    page = api.get("/api/students/?page_size=2&page=2").json()
    assert page["count"] == 3 and len(page["results"]) == 1
    assert api.get("/api/students/?page_size=500").status_code == 200
    assert api.get("/api/students/?page=last&page_size=2").json()["results"]
    assert api.get("/api/cases/?state_kind=open&overdue=false&queue=true&q=").status_code == 200


def test_a_page_beyond_the_last_is_a_json_404_naming_the_page(api, tree):
    make_student(tree.school, "张小明")
    assert "page=9" in _error(api.get("/api/students/?page=9"), 404)["detail"]


def test_a_missing_indicator_is_a_400_and_documented_as_required(api, client, db):
    assert _error(api.get("/api/indicator-values/"), 400)["indicator"] == ["请提供指标代码（indicator）"]
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/indicator-values/", "/api/indicator-values/{id}/"):
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert params["indicator"]["required"] is True, path
        assert params["period"].get("required", False) is False


def test_every_operation_documents_its_errors_with_the_error_schema(client, db):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 20
    for path, method, op in operations:
        for code in ("400", "401", "403", "404"):
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error", (path, method, code)
        if op["operationId"].endswith("_list"):
            params = {p["name"]: p["schema"] for p in op["parameters"]}
            assert params["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}, path
            assert params["page"] == {"type": "integer", "minimum": 1}, path


def test_enum_parameters_are_documented_as_enums(client, db):
    schema = client.get("/api/schema/?format=json").json()
    cases = {p["name"]: p["schema"] for p in schema["paths"]["/api/cases/"]["get"]["parameters"]}
    assert set(cases["state_kind"]["enum"]) == {"open", "closed_fixed", "closed_not_fixed"}
    assert cases["overdue"]["type"] == "boolean" and cases["queue"]["type"] == "boolean"
    values = {p["name"]: p["schema"] for p in schema["paths"]["/api/indicator-values/"]["get"]["parameters"]}
    assert values["kind"]["enum"] == ["province", "city", "county", "school"]
    assert values["parent"]["type"] == "integer" and values["parent"]["minimum"] == 1


def test_django_level_errors_under_api_are_json_too(rf, settings):
    """What Django answers itself (a bad Host header, an exception no view handled) keeps the shape."""
    from mofang.platform.web.errors import server_error

    settings.ALLOWED_HOSTS = ["testserver"]
    assert "请求无效" in _error(Client().get("/api/students/", HTTP_HOST="evil.example"), 400)["detail"]
    assert Client().get("/students/", HTTP_HOST="evil.example")["Content-Type"].startswith("text/html")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(rf.get("/api/students/"))
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": "服务器内部错误，请稍后重试"}


def test_a_throttled_call_says_when_to_retry_in_chinese():
    from rest_framework import exceptions

    from mofang.platform.api.errors import exception_handler

    response = exception_handler(exceptions.Throttled(wait=2.2), {})
    assert response.status_code == 429 and response["Retry-After"] == "3"
    assert response.data == {"detail": "请求过于频繁，请 3 秒后再试"}
