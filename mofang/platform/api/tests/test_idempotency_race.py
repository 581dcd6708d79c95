"""Two deliveries of one batch at the same moment (a caller's retry racing its first try): with the
same Idempotency-Key exactly one writes, the other answers the same."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from mofang.platform.people.models import Student
from mofang.platform.testing import make_id_number, make_user, race

from ..keys import create_key
from ..models import IdempotentAnswer

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_with_one_idempotency_key_write_once(tree):
    admin = make_user("race_admin", "county_admin", tree.county)
    _key, secret = create_key(acting_user=admin, name="并发系统", org=tree.county, kinds=["roll"])
    batch = [
        {
            "action": "enrol",
            "student_no": "GRACE0001",
            "school_code": "3308220001",
            "name": "并发",
            "sex": "男",
            "birth_date": "2018-09-01",
            "id_number": make_id_number("20180901", "M"),
        }
    ]
    answers = []

    def deliver():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
        r = client.post("/api/roll-changes/", batch, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
        answers.append((r.status_code, r.json()))

    assert race([deliver, deliver, deliver]) == ["ok"] * 3
    assert [code for code, _body in answers] == [200] * 3, answers
    assert all(body == answers[0][1] for _code, body in answers)  # the same answer (key order aside)
    assert Student.objects.filter(student_no="GRACE0001").count() == 1
    assert IdempotentAnswer.objects.count() == 1
