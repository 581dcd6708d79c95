"""A one-time code submitted twice at once (a double tap, two phones) on PostgreSQL: the row lock
lets exactly one answer in and raises exactly one crisis alert."""

import pytest
from django.db import connection

from mofang.governance.mentalhealth import services
from mofang.governance.mentalhealth.models import CrisisAlert, Screening
from mofang.platform.notifications.models import InboxMessage
from mofang.platform.testing import race

from .conftest import CRISIS

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_a_code_submitted_four_times_at_once_counts_once(mh):
    code = mh.code[mh.a.pk]
    outcomes = race([lambda: services.submit_answers(code, *CRISIS) for _ in range(4)])
    assert sorted(outcomes) == ["ok"] + ["该作答码已使用，不能再次提交"] * 3
    assert Screening.objects.get(code=code).risk == "crisis"
    assert CrisisAlert.objects.count() == 1
    assert InboxMessage.objects.filter(title="心理危机预警").count() == 2  # psychologist + head teacher, once
