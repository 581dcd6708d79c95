"""Bounded schemathesis run over every operation of the published description (issue 13).

Each operation gets generated requests, valid and invalid (schemathesis' examples, coverage and
fuzzing phases, positive and negative modes), and every answer is checked against the description:

- not_a_server_error: no input produces a 5xx;
- status_code_conformance: the status is one the operation documents (400/401/403/404 included);
- content_type_conformance, response_schema_conformance, response_headers_conformance: the body
  is JSON of the documented schema (the `Error` shape for errors), with the documented headers;
- negative_data_rejection: a parameter of the wrong type, out of range or not among the choices
  is refused with a 4xx, never silently ignored;
- and the others schemathesis runs by default (ignored_auth, unsupported_method, ...).

positive_data_acceptance is left out: a request can match the schema and still name something
that does not exist (an indicator code, a teacher without a time account), which is a 400 by the
platform's rules that no schema can express.

The fuzz meets an almost empty database; test_every_read_operation_conforms_on_real_data runs the
same conformance checks on every GET operation over the demo province's real rows.

MOFANG_FUZZ_EXAMPLES sets the examples per operation (small by default, so the run stays within a
minute or two; raise it for a longer hunt).
"""

import os

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks

from mofang.platform.accounts.models import User
from mofang.platform.demo.services import build_demo
from mofang.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
MAX_EXAMPLES = int(os.environ.get("MOFANG_FUZZ_EXAMPLES", "10"))
load_all_checks()  # the OpenAPI checks register themselves on import
NOT_CHECKED = [CHECKS.get_one("positive_data_acceptance")]


@pytest.fixture
def token(tree, wsgi_keeps_the_test_connection):
    from mofang.platform.testing import make_staff, make_student, make_user

    user = make_user("fuzz", "county_admin", tree.county)
    make_student(tree.school, "张小明", klass=tree.klass)
    make_staff(tree.school, "毛玉梅")
    return Token.objects.create(user=user).key


@pytest.fixture
def api_key(tree, token):
    """A key of every record kind for the county (the write operations authenticate by key only)."""
    from mofang.platform.accounts.models import User as Account
    from mofang.platform.api.keys import create_key
    from mofang.platform.api.registry import WRITE_KINDS

    admin = Account.objects.get(username="fuzz")
    return create_key(acting_user=admin, name="模糊测试系统", org=tree.county, kinds=list(WRITE_KINDS))[1]


def _auth(case, token: str, api_key: str) -> dict:
    security = case.operation.definition.raw.get("security") or []
    if any("ApiKeyAuth" in s for s in security):
        return {"Authorization": f"Api-Key {api_key}"}
    return {"Authorization": f"Token {token}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_conforms_to_the_published_description(case, token, api_key):
    case.call_and_validate(headers=_auth(case, token, api_key), excluded_checks=NOT_CHECKED)


def test_the_fuzz_covers_every_registered_route():
    from mofang.platform.api.registry import API_ROUTES

    described = {op.ok().path for op in schema.get_all_operations()}
    for prefix, viewset, _basename in API_ROUTES:
        assert f"/api/{prefix}/" in described, prefix
        if getattr(viewset, "retrieve", None) is not None:
            lookup = viewset.lookup_url_kwarg or viewset.lookup_field
            assert f"/api/{prefix}/{{{'id' if lookup == 'pk' else lookup}}}/" in described, prefix


# --- the same checks on real data -------------------------------------------------------------

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
def admin_token(_province, db, wsgi_keeps_the_test_connection):
    return Token.objects.create(user=User.objects.get(username="admin_cs")).key


def _read_operations():
    return [op.ok() for op in schema.get_all_operations() if op.ok().method.upper() == "GET"]


def test_every_read_operation_conforms_on_real_data(admin_token):
    """The fuzz runs on an almost empty database, so its 200s are mostly empty lists: here every
    list and the first row's detail are read on the demo province (real students, cases, indicator
    values, time-bank entries) and checked against the description."""
    headers = {"Authorization": f"Token {admin_token}"}
    operations = {op.path: op for op in _read_operations()}
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
