"""The county's to-do, the cockpit's 待办与逾期 row, and the case engine's overdue scan for 控辍保学."""

import datetime as dt

import pytest
from django.utils import timezone

from mofang.platform.cases import overdue
from mofang.platform.cases.models import Case
from mofang.platform.testing import cockpit_row, todo_count

from .conftest import run_import

pytestmark = pytest.mark.django_db


def test_open_cases_are_the_countys_to_do_and_the_cockpits_row_and_go_overdue(client, county, tmp_path):
    run_import(county.admin, county.tree.county, tmp_path, county.rows)
    client.force_login(county.admin)
    assert todo_count(client, "控辍保学待办案件") == 5
    assert cockpit_row(client, "dropout_control.open_cases") == (5, 0)
    # 待核查 has five working days: a month on, every case is past it and the scan supervises it
    later = timezone.now() + dt.timedelta(days=30)
    out = overdue.scan(later)
    assert out["escalated"] >= 5
    cases = Case.objects.filter(case_type="dropout_control.child")
    assert all(c.supervised_at is not None for c in cases)
    Case.objects.filter(case_type="dropout_control.child").update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert cockpit_row(client, "dropout_control.open_cases") == (5, 5)
    client.force_login(county.other_admin)
    assert todo_count(client, "控辍保学待办案件") == 0
