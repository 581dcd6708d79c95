"""Bounded schemathesis run over the whole OpenAPI description: no input may produce a 5xx."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from mofang.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
MAX_EXAMPLES = int(os.environ.get("MOFANG_FUZZ_EXAMPLES", "25"))


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The real WSGI app closes the DB connection at the end of each request (as in production);
    in a test that would drop the test transaction, so, like Django's test client, don't."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(tree):
    from mofang.platform.testing import make_staff, make_student, make_user

    user = make_user("fuzz", "county_admin", tree.county)
    make_student(tree.school, "张小明", klass=tree.klass)
    make_staff(tree.school, "毛玉梅")
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_input_produces_a_server_error(case, token):
    from schemathesis.checks import CHECKS

    case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, excluded_checks=[CHECKS.get_one("positive_data_acceptance")]
    )
