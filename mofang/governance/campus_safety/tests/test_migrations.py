"""The routing rules of the old 校园安全 table (campus_safety.RouteRule) move to the case engine's
one table with every field, the catch-all included, and come back when the migration is undone."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mofang.platform.cases.models import RouteRule
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add

from ..cases import ROUTES

pytestmark = pytest.mark.django_db(transaction=True)

OLD = [("campus_safety", "0001_initial")]
NEW = [("campus_safety", "0003_delete_routerule")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_old_rules_move_to_the_engine_table_and_back(tree):
    fire = add(tree.county, "常山县消防救援大队", OrgKind.DEPARTMENT)
    other_police = add(tree.other_county, "江山市公安局", OrgKind.DEPARTMENT)
    changed = timezone.now() - dt.timedelta(days=30)
    try:
        Old = _migrate(OLD).get_model("campus_safety", "RouteRule")
        Old.objects.create(
            county_id=tree.county.pk, category="traffic", department_id=tree.department.pk, note="护学岗"
        )
        Old.objects.create(county_id=tree.county.pk, category="", department_id=fire.pk)
        Old.objects.create(county_id=tree.other_county.pk, category="traffic", department_id=other_police.pk)
        Old.objects.update(updated_at=changed)
        _migrate(NEW)
        moved = {
            (r.county_id, r.category): (r.department_id, r.note, r.updated_at)
            for r in RouteRule.objects.filter(table=ROUTES.code)
        }
        assert moved == {
            (tree.county.pk, "traffic"): (tree.department.pk, "护学岗", changed),
            (tree.county.pk, ""): (fire.pk, "", changed),
            (tree.other_county.pk, "traffic"): (other_police.pk, "", changed),
        }
        assert RouteRule.objects.count() == 3
        Old = _migrate(OLD).get_model("campus_safety", "RouteRule")
        back = {(r.county_id, r.category): (r.department_id, r.note) for r in Old.objects.all()}
        assert back == {
            (tree.county.pk, "traffic"): (tree.department.pk, "护学岗"),
            (tree.county.pk, ""): (fire.pk, ""),
            (tree.other_county.pk, "traffic"): (other_police.pk, ""),
        }
        assert not RouteRule.objects.filter(table=ROUTES.code).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
