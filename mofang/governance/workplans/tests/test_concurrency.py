"""Concurrent reports for the same month leave one report; concurrent imports never duplicate a
number (row locks on the item and on the list)."""

import pytest
from django.db import connection
from django.utils import timezone

from mofang.governance.workplans import services
from mofang.governance.workplans.models import ProgressReport, WorkItem
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.testing import make_user, race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_of_a_month_leave_one(tree):
    sync_roles()
    admin = make_user("admin_cs", "county_admin", tree.county)
    principal = make_user("xz_cs", "principal", tree.school)
    plan = services.create_plan(tree.county, year=timezone.localdate().year, name="工作要点", acting_user=admin)
    item = services.add_items(
        plan, [services.ItemSpec(number=1, title="事项", target_text="t", lead_unit=tree.school)], acting_user=admin
    )[0]
    month = f"{timezone.localdate():%Y-%m}"
    outcomes = race(
        [
            lambda n=n: services.report_progress(
                item, month=month, text=f"进展{n}", percent=str(10 * n), acting_user=principal
            )
            for n in range(1, 4)
        ]
    )
    assert outcomes == ["ok"] * 3
    assert ProgressReport.objects.filter(item=item).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_numbers_add_them_once(tree):
    sync_roles()
    admin = make_user("admin_cs", "county_admin", tree.county)
    plan = services.create_plan(tree.county, year=timezone.localdate().year, name="工作要点", acting_user=admin)
    spec = services.ItemSpec(number=5, title="事项", target_text="t", lead_unit=tree.county)
    outcomes = race([lambda: services.add_items(plan, [spec], acting_user=admin) for _ in range(3)])
    assert outcomes.count("ok") == 1
    assert all(o == "序号5已存在" for o in outcomes if o != "ok")
    assert WorkItem.objects.filter(plan=plan).count() == 1
