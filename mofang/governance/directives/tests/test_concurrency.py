"""A double click on 一键发送 sends once; two 催办 at once remind each unit once (row locks)."""

import pytest
from django.db import connection

from mofang.governance.directives import services
from mofang.governance.directives.models import Delivery, Directive
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.notifications.models import SMSMessage

from .conftest import send

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.fixture
def synced(transactional_db):
    sync_roles()


def test_a_double_click_sends_once(synced, request):
    zl = request.getfixturevalue("zl")
    outcomes = race_send(zl)
    assert outcomes.count("ok") == 1
    assert all(o == services.DUPLICATE for o in outcomes if o != "ok")
    assert Directive.objects.count() == 1 and Delivery.objects.count() == 3


def race_send(zl):
    from mofang.platform.testing import race

    return race([lambda: send(zl, kind="notice", submit_key="k-1") for _ in range(3)])


def test_concurrent_reminders_remind_each_unit_once(synced, request):
    from mofang.platform.testing import race

    zl = request.getfixturevalue("zl")
    d = send(zl, kind="notice")
    outcomes = race([lambda: services.remind(d, acting_user=zl.admin) for _ in range(3)])
    assert outcomes == ["ok"] * 3
    assert SMSMessage.objects.count() == 2  # the two principals with phones, once each
