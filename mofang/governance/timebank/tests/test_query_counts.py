"""Query budgets: pages and the monthly run cost the same number of queries for 3 or 30 teachers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofang.governance.timebank import services
from mofang.platform.testing import make_staff

from .conftest import last_month, month_of


def _grow(tree, bank, people, n):
    staff = [make_staff(tree.school, f"教师{i}", phone=f"1390570{i:04d}") for i in range(n)]
    services.open_accounts(bank, acting_user=people.academic)
    for s in staff:
        services.record_afterschool_duty(bank, s, date=last_month(), periods=2, acting_user=people.academic)
        services.record_substitution(bank, s, date=last_month(), periods=1, acting_user=people.academic)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_monthly_run_is_bulk(tree, bank, people):
    month = month_of(last_month())
    _grow(tree, bank, people, 3)
    small = _queries(lambda: services.generate_monthly_statements(bank, month, acting_user=None))
    services.record_afterschool_duty(bank, people.mao, date=last_month(), periods=1, acting_user=None)
    _grow(tree, bank, people, 30)
    large = _queries(lambda: services.generate_monthly_statements(bank, month, acting_user=None))
    assert large <= small + 2, (small, large)  # a bulk_update batch or two, never one query per teacher
    assert small <= 20


def test_list_pages_do_not_query_per_row(client, tree, bank, people):
    client.force_login(people.principal)
    urls = [
        "/timebank/accounts/",
        "/timebank/banks/",
        "/timebank/entries/",
        "/timebank/substitutions/",
        f"/timebank/banks/{bank.pk}/",
    ]
    _grow(tree, bank, people, 3)
    small = {u: _queries(lambda u=u: client.get(u)) for u in urls}
    _grow(tree, bank, people, 20)
    large = {u: _queries(lambda u=u: client.get(u)) for u in urls}
    assert large == small
