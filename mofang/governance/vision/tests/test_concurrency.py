"""Concurrent saves of the same pupils on PostgreSQL (the class form and an import, two teachers):
they take turns on the pupils' rows, so there is one result per round and one letter per child."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from mofang.governance.vision import services
from mofang.governance.vision.models import Letter, Screening
from mofang.platform.notifications.models import InboxMessage
from mofang.platform.testing import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_class_write_one_result_and_one_letter_each(cls):
    kids = cls.kids

    def save():
        results = [
            services.Result(
                k.pk,
                k.school_id,
                k.klass_id,
                k.grade,
                dt.date(2026, 10, 15),
                {"right_acuity": Decimal("4.7"), "left_acuity": Decimal("4.8"), "right_sphere": Decimal("-1.50")},
                "none",
            )
            for k in kids
        ]
        services.save_results(results, acting_user=cls.head, org=cls.tree.klass)

    outcomes = race([save, save, save])
    assert outcomes == ["ok", "ok", "ok"], outcomes
    assert Screening.objects.count() == len(kids)
    assert Letter.objects.count() == len(kids)
    assert InboxMessage.objects.filter(recipient=cls.parent).count() == 1
