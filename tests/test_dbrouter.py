"""The read-replica router (issue 13, mofang/platform/dbrouter.py).

On PostgreSQL a second connection alias, "replica", points at the same test database and is
read-only (default_transaction_read_only), as a streaming replica is: the cockpit's and a list's
queries go there, a POST's go to the primary, and a request that wrote — or a browser that just
wrote — reads from the primary (read-your-writes). Without DATABASE_REPLICA_URL nothing changes."""

import pytest
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from mofang.platform.accounts.models import User
from mofang.platform.dbrouter import PIN_COOKIE, REPLICA, ReplicaMiddleware, replica_ok
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.testing import make_student, make_user

PASSWORD = "Mofang#2026"
# what the middleware before the view reads on the primary: the session, the signed-in user and
# their memberships (whether a second factor is required)
PRE_VIEW_TABLES = ("django_session", "accounts_user", "accounts_membership", "otp_", "axes_")


def tables(queries) -> set[str]:
    import re

    return {t for q in queries for t in re.findall(r'FROM "([a-z_]+)"', q["sql"])}


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """A read-only second alias on the test database, declared for this module's tests only (a
    test mirror of "default", so Django neither creates nor flushes it)."""
    if connection.vendor != "postgresql":
        pytest.skip("the replica test needs PostgreSQL")
    alias = dict(connections["default"].settings_dict)
    options = dict(alias.get("OPTIONS") or {})
    options["options"] = (options.get("options", "") + " -c default_transaction_read_only=on").strip()
    connections.settings[REPLICA] = {**alias, "OPTIONS": options, "TEST": {**alias["TEST"], "MIRROR": "default"}}
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica(replica_alias, settings):
    """The replica alias, routed as in production (DATABASE_REPLICA_URL sets the same router)."""
    settings.DATABASE_ROUTERS = ["mofang.platform.dbrouter.ReplicaRouter"]
    return connections[REPLICA]


def captured(client, method, url, **kwargs):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections[REPLICA]) as copy:
        response = getattr(client, method)(url, **kwargs)
    return response, primary.captured_queries, copy.captured_queries


@pytest.fixture
def county_admin(tree):
    make_student(tree.school, "张小明", klass=tree.klass)
    return make_user("rr_county", "county_admin", tree.county, full_name="常山县管理员")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_cockpit_and_lists_read_from_the_replica_and_a_post_writes_the_primary(client, county_admin, replica):
    # signing in is a POST: it writes the session on the primary, reads nothing from the replica,
    # and pins this browser to the primary for a few seconds
    r, primary, copy = captured(
        client, "post", "/accounts/login/", data={"username": "rr_county", "password": PASSWORD}
    )
    assert r.status_code == 302
    assert copy == [] and any(q["sql"].startswith("INSERT") for q in primary)
    assert client.cookies[PIN_COOKIE].value == "1"
    r, primary, copy = captured(client, "get", "/cockpit/")
    assert r.status_code == 200 and copy == []  # read-your-writes: the replica may lag behind

    del client.cookies[PIN_COOKIE]  # the pin has run out
    for url, table in (
        ("/cockpit/", "orgs_orgunit"),
        ("/students/", "people_student"),
        ("/students/?export=xlsx", "people_student"),
    ):
        r, primary, copy = captured(client, "get", url)
        assert r.status_code == 200, url
        assert table in tables(copy), url  # the page's own reads
        assert all(t.startswith(PRE_VIEW_TABLES) for t in tables(primary)), (url, tables(primary))
        assert not any(q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for q in copy)
        # the export records itself in the audit log, on the primary, which pins the browser
        wrote = any(q["sql"].startswith("INSERT") for q in primary)
        assert wrote == ("export" in url) and (PIN_COOKIE in r.cookies) == wrote, url
        client.cookies.pop(PIN_COOKIE, None)
    assert "张小明" in client.get("/students/").content.decode()

    # a page not marked read-only stays on the primary
    r, primary, copy = captured(client, "get", "/")
    assert r.status_code == 200 and copy == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_request_that_wrote_reads_its_own_write_from_the_primary(tree, replica):
    seen = {}

    @replica_ok
    def view(request):
        seen["before"] = OrgUnit.objects.filter(pk=tree.school.pk).values_list("name", flat=True).db
        OrgUnit.objects.filter(pk=tree.school.pk).update(name="常山县第一小学（新）")
        qs = OrgUnit.objects.filter(pk=tree.school.pk).values_list("name", flat=True)
        seen["after"], seen["name"] = qs.db, qs.get()
        with transaction.atomic():
            seen["in_transaction"] = OrgUnit.objects.all().db
        return HttpResponse("ok")

    def handler(request):  # as Django's handler does inside the middleware: process_view, then the view
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaMiddleware(handler)
    response = middleware(RequestFactory().get("/"))
    assert seen == {"before": REPLICA, "after": "default", "name": "常山县第一小学（新）", "in_transaction": "default"}
    assert response.cookies[PIN_COOKIE].value == "1"
    # outside a request (a worker, a command) everything is the primary
    assert OrgUnit.objects.all().db == "default" and User.objects.all().db == "default"


@pytest.mark.django_db
def test_without_a_replica_nothing_is_routed_and_nothing_pinned(client, county_admin):
    assert REPLICA not in connections.settings
    r = client.post("/accounts/login/", {"username": "rr_county", "password": PASSWORD})
    assert r.status_code == 302 and PIN_COOKIE not in r.cookies
    assert client.get("/cockpit/").status_code == 200
