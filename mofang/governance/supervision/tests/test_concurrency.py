"""A double click on 下达整改通知 and concurrent verifications: exactly one wins (row locks)."""

from types import SimpleNamespace

import pytest
from django.db import connection

from mofang.governance.supervision import services
from mofang.governance.supervision.models import Rectification
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.cases.models import Case
from mofang.platform.testing import make_user, race

from .conftest import shipped_checklist, visit_with_problem

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.postgres,
]


@pytest.mark.django_db(transaction=True)
def test_a_double_click_issues_one_notice(tree):
    sync_roles()
    inspector_user = make_user("dx_cs", "inspector", tree.county)
    inspector = services.add_inspector(tree.county, "王督学", full_time=True, user=inspector_user, acting_user=None)
    s = SimpleNamespace(tree=tree, inspector=inspector, inspector_user=inspector_user, checklist=shipped_checklist())
    finding = visit_with_problem(s).findings.get()
    outcomes = race(
        [
            lambda: services.issue_notice(finding, content="整改", term_days=7, acting_user=inspector_user)
            for _ in range(3)
        ]
    )
    assert outcomes.count("ok") == 1
    assert all(o == "该问题已下达整改通知" for o in outcomes if o != "ok")
    assert Rectification.objects.count() == 1 and Case.objects.count() == 1
