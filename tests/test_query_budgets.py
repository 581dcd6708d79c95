"""Query budgets (issue 12): every scoped list, API list and menu page costs the same number of
queries with many rows as with few — no query per row. See mofang/platform/budgets.py."""

import pytest
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from mofang.platform.api.scoped import ScopedReadOnlyViewSet
from mofang.platform.api.serializers import StudentSerializer
from mofang.platform.budgets import (
    FEW,
    MANY,
    budget_id,
    budget_modules,
    compare,
    discover,
    endpoint,
    measure_scene,
    url_names,
)
from mofang.platform.people.models import Student
from mofang.platform.testing import build_tree
from mofang.platform.web.lists import ScopedListView

ENDPOINTS = {e.name: e for e in discover()}
MODULES = list(budget_modules())
COVERED = {name: m for m in MODULES for name in m.COVERS}
NOT_LISTS = {name: reason for m in MODULES for name, reason in getattr(m, "NOT_LISTS", {}).items()}


def test_discovery_finds_the_lists_pages_and_viewsets():
    """A known sample of each kind is found (and a new one would be: nothing here names them all)."""
    kinds = {e.kind for e in ENDPOINTS.values()}
    assert kinds == {"list", "api", "page"}
    known = {
        "web:student_list": "list",
        "timebank:bank_accounts": "list",  # a list under an argument
        "cases:type_list": "list",
        "institutions:flagged": "list",  # a subclass of a subclass
        "enrollment:admitted_notices": "list",  # a list answered as a PDF
        "student-list": "api",
        "case-list": "api",  # registered by a platform app in ready()
        "timebank-leave-list": "api",  # registered by a module
        "timebank:approvals": "page",  # a menu page that is not a ScopedListView
        "afterschool:terms": "page",
    }
    assert {n: ENDPOINTS[n].kind for n in known if n in ENDPOINTS} == known
    counts = {k: sum(e.kind == k for e in ENDPOINTS.values()) for k in kinds}
    assert counts["list"] >= 37 and counts["api"] >= 10, counts


class _ProbeList(ScopedListView):
    """A list added tomorrow, named nowhere but in its URLconf."""

    model = Student
    permission = "people.view_student"


class _ProbeViewSet(ScopedReadOnlyViewSet):
    serializer_class = StudentSerializer
    permission = "people.view_student"


_router = DefaultRouter()
_router.register("probe", _ProbeViewSet, basename="probe")
urlpatterns = [  # the site's URLs plus the probes (test_a_new_list_or_viewset_is_found)
    path("probe/", _ProbeList.as_view(), name="probe_list"),
    path("probe-api/", include(_router.urls)),
    path("", include("mofang.urls")),
]


def test_a_new_list_or_viewset_is_found(settings):
    settings.ROOT_URLCONF = __name__
    found = {e.name: e.kind for e in discover()}
    assert (found["probe_list"], found["probe-list"]) == ("list", "api")
    assert set(ENDPOINTS) <= set(found)
    # and, found, it has no scene: the coverage test below would name it
    assert not {"probe_list", "probe-list"} & set(COVERED)


def test_every_endpoint_has_a_scene_or_a_reason():
    missing = sorted(set(ENDPOINTS) - set(COVERED) - set(NOT_LISTS))
    assert not missing, (
        "endpoints without a query budget: add them to COVERS (and rows to scene()) in the app's budgets.py, "
        "or — a menu page that lists no rows — to its NOT_LISTS with the reason:\n" + "\n".join(missing)
    )
    stale = sorted((set(NOT_LISTS) - set(ENDPOINTS)) | (set(COVERED) - url_names()))
    assert not stale, f"budgets name endpoints that no longer exist: {stale}"
    both = sorted(set(COVERED) & set(NOT_LISTS))
    assert not both, f"covered and excused at once: {both}"
    excused = sorted(n for n in NOT_LISTS if ENDPOINTS[n].kind != "page")
    assert not excused, f"only a menu page may be excused; a list or API list needs a scene: {excused}"
    slack = {(budget_id(m), name): v for m in MODULES for name, v in getattr(m, "SLACK", {}).items()}
    unexplained = sorted(k for k, (n, reason) in slack.items() if n < 1 or not reason.strip() or k[1] not in COVERED)
    assert not unexplained, f"a slack names a covered endpoint, at least one query and its reason: {unexplained}"


@pytest.mark.parametrize("module", [m for m in MODULES if m.COVERS], ids=budget_id)
def test_query_budget(db, module):
    tree = build_tree()
    endpoints = [endpoint(n, ENDPOINTS) for n in module.COVERS]
    few = measure_scene(module, tree, FEW, endpoints)
    many = measure_scene(module, tree, MANY, endpoints)
    slack = getattr(module, "SLACK", {})
    problems = []
    for (name, label), m in many.items():
        k, reason = slack.get(name, (0, ""))
        problems += compare(name, label, few[(name, label)], m, k, reason)
    assert not problems, "\n\n".join(problems)
