"""Every GET operation, called on the demo province (real rows of every kind the API serves), answers
exactly what the published description says: status code, content type, headers, body schema.

The fuzz test (test_fuzz.py) throws generated input at an almost empty database, so its 200s are
mostly empty lists; this one reads real students, cases, indicator values and time-bank entries
and checks each list and the first row's detail against the schema (issue 13)."""

import pytest
import schemathesis
from django.db import transaction
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks

from mofang.platform.accounts.models import User
from mofang.platform.demo.services import build_demo
from mofang.wsgi import application

load_all_checks()  # the OpenAPI checks register themselves on import
SMALL = 0.05
CONFORMANCE = CHECKS.get_by_names(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
# a detail operation's path parameter, read from the list's first row
LOOKUP = {"/api/indicators/{code}/": "code"}
# parameters the operation requires, with a value the demo has
REQUIRED = {"indicator": "students"}


@pytest.fixture(scope="module")
def _province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(scale=SMALL, seed=7, log=lambda _msg: None)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def token(_province, db, wsgi_keeps_the_test_connection):
    return Token.objects.create(user=User.objects.get(username="admin_cs")).key


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    return [op.ok() for op in schema.get_all_operations() if op.ok().method.upper() == "GET"]


def test_every_read_operation_conforms_on_real_data(token):
    headers = {"Authorization": f"Token {token}"}
    operations = {op.path: op for op in _operations()}
    assert len(operations) >= 20
    checked = set()
    for path, op in sorted(operations.items()):
        if "{" in path:
            continue
        query = {p.name: REQUIRED[p.name] for p in op.query if p.is_required}
        response = op.Case(query={**query, "page_size": 3}).call_and_validate(headers=headers, checks=CONFORMANCE)
        results = response.json()["results"]
        assert results, f"{path}: the demo province has no row here to check"
        detail = path + "{" + LOOKUP.get(path + "{code}/", "id") + "}/"
        if detail in operations:
            key = LOOKUP.get(detail, "id")
            value = results[0][key if key in results[0] else "org"]
            detail_op = operations[detail]
            detail_query = {p.name: REQUIRED[p.name] for p in detail_op.query if p.is_required}
            detail_op.Case(path_parameters={key: value}, query=detail_query).call_and_validate(
                headers=headers, checks=CONFORMANCE
            )
            checked.add(detail)
        checked.add(path)
    assert checked == set(operations)
