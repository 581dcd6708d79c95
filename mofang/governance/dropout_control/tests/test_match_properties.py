"""Property: for any roll the matching puts each register child in exactly the list an independent
reading of the rules gives (or in none), with the counts adding up."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mofang.governance.dropout_control.models import RegisterBatch, RegisterChild
from mofang.governance.dropout_control.selectors import match
from mofang.platform.people.models import RollEvent, RollStatus
from mofang.platform.people.roll import current_school_year
from mofang.platform.testing import make_id_number, make_student

# what the roll says about one child: no record, or records (status, days since the latest 休学)
RECORD = st.tuples(st.sampled_from([s.value for s in RollStatus]), st.integers(min_value=1, max_value=800))
CHILD = st.lists(RECORD, min_size=0, max_size=2)


def expected(records, today) -> str | None:
    statuses = [s for s, _ in records]
    if not records:
        return "no_record"
    if any(s in ("enrolled", "graduated") for s in statuses):
        return None
    if any(s == "suspended" and days <= 365 for s, days in records):
        return None
    if "transferred_out" in statuses:
        return "transferred"
    return "out"


class _Undo(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(children=st.lists(CHILD, min_size=1, max_size=6))
@example(children=[[("suspended", 400), ("transferred_out", 1)], [("suspended", 400), ("suspended", 10)], []])
def test_every_child_lands_in_the_list_the_rules_give(tree, children):
    today = timezone.localdate()
    try:
        with transaction.atomic():
            year = current_school_year()
            batch = RegisterBatch.objects.create(county=tree.county, reference_date=today, children=len(children))
            want, made = {}, {}
            for i, records in enumerate(children):
                idn = make_id_number("20150301", "M")
                child = RegisterChild(
                    batch=batch,
                    county=tree.county,
                    name=f"儿童{i}",
                    sex="M",
                    birth_date=dt.date(2015, 3, 1),
                    hukou_region="330822",
                    residence_region="330822",
                )
                child.set_id_number(idn)
                child.save()
                for status, days in records:
                    s = make_student(tree.school, f"学生{i}")
                    s.set_id_number(idn)
                    s.status = status
                    s.save()
                    if status == RollStatus.SUSPENDED:
                        RollEvent.objects.create(
                            student=s,
                            kind="suspend",
                            occurred_on=today - dt.timedelta(days=days),
                            school_year=year,
                            school=tree.school,
                            status=status,
                        )
                made[child.pk] = records
                want[child.pk] = expected(records, today)
            m = match(batch, today)
            got = {f.child_id: kind for kind, flagged in m.lists.items() for f in flagged}
            assert len(got) == sum(len(v) for v in m.lists.values())  # no child in two lists
            assert got == {pk: k for pk, k in want.items() if k is not None}, made
            assert m.in_school + m.out_of_school == len(children)
            raise _Undo
    except _Undo:
        pass
