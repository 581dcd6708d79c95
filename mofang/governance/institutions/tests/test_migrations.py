"""The rules of the old 分类审批 table (institutions.RouteRule) move to the case engine's one table,
keyed by the application case type, and come back when the migration is undone."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mofang.platform.cases.models import RouteRule
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add

from ..cases import APPLICATION_ROUTES

pytestmark = pytest.mark.django_db(transaction=True)

OLD = [("institutions", "0002_sites_teachers_cases_fees")]
NEW = [("institutions", "0004_delete_routerule")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_old_rules_move_to_the_engine_table_and_back(tree):
    sports = add(tree.county, "常山县体育局", OrgKind.DEPARTMENT)
    changed = timezone.now() - dt.timedelta(days=30)
    try:
        Old = _migrate(OLD).get_model("institutions", "RouteRule")
        Old.objects.create(county_id=tree.county.pk, category="sports", department_id=sports.pk)
        Old.objects.create(county_id=tree.county.pk, category="other", department_id=tree.department.pk)
        Old.objects.update(updated_at=changed)
        _migrate(NEW)
        moved = {
            (r.county_id, r.category): (r.department_id, r.note, r.updated_at)
            for r in RouteRule.objects.filter(table=APPLICATION_ROUTES.code)
        }
        assert moved == {
            (tree.county.pk, "sports"): (sports.pk, "", changed),
            (tree.county.pk, "other"): (tree.department.pk, "", changed),
        }
        Old = _migrate(OLD).get_model("institutions", "RouteRule")
        back = {(r.county_id, r.category): r.department_id for r in Old.objects.all()}
        assert back == {(tree.county.pk, "sports"): sports.pk, (tree.county.pk, "other"): tree.department.pk}
        assert not RouteRule.objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
