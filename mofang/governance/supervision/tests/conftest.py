"""Fixtures for 教育督导: inspectors of 常山县, a principal, a visit with one problem."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.models import ItemResult
from mofang.platform.testing import make_user


@pytest.fixture
def sup(tree):
    s = SimpleNamespace(tree=tree)
    s.admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县督导室")
    s.inspector_user = make_user("dx_cs", "inspector", tree.county, full_name="王督学")
    s.other_inspector_user = make_user("dx_js", "inspector", tree.other_county, full_name="江山督学")
    s.principal = make_user("xz_cs", "principal", tree.school, full_name="常山一小校长")
    s.other_principal = make_user("xz_js", "principal", tree.other_school, full_name="江山校长")
    s.inspector = services.add_inspector(
        tree.county, "王督学", full_time=True, user=s.inspector_user, acting_user=s.admin
    )
    s.checklist = shipped_checklist()
    return s


def shipped_checklist():
    """The 20-item list from the data migration (shipped again after a transactional test's flush)."""
    return services.default_checklist()


def visit_with_problem(s, *, problem_note="食堂留样记录缺失"):
    items = services.checklist_items(s.checklist)
    results = {i.pk: {"result": ItemResult.OK} for i in items}
    results[items[14].pk] = {"result": ItemResult.PROBLEM, "note": problem_note}
    return services.record_visit(
        inspector=s.inspector,
        school=s.tree.school,
        visited_on=timezone.localdate(),
        checklist=s.checklist,
        results=results,
        acting_user=s.inspector_user,
    )
