"""A signed-in request as cheap as a page should be (issue 17): the shell from the cache, the session
from the cache, and every change of what a user may do or of the inbox seen at once."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.accounts.services import grant_membership, revoke_membership
from mofang.platform.notifications.models import InboxMessage
from mofang.platform.notifications.services import notify_inbox
from mofang.platform.testing import make_user

# What a deployment with Redis runs (the tests' cache is local memory in one process, which is
# shared by every "process" of a test, as Redis is by every web process)
SESSIONS = "mofang.platform.accounts.sessions"

# A signed-in page and an htmx partial with a warm cache: the user row (django.contrib.auth checks
# the session against it) and nothing else of the shell's — no session, membership, menu or inbox
# query.
SHELL_QUERIES = 1


@pytest.fixture
def shared(settings):
    settings.SESSION_ENGINE = SESSIONS
    settings.MOFANG_SHARED_CACHE = True
    cache.clear()
    yield
    cache.clear()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as q:
        r = client.get(url, **headers)
    assert r.status_code == 200, (url, r.status_code)
    return r, [x["sql"] for x in q.captured_queries]


def _menu(client) -> set[str]:
    body = client.get(reverse("web:apps")).content.decode()
    nav = body[body.index('<nav class="mainnav"') : body.index("</nav>")]
    return set(re.findall(r'<a href="[^"]+">([^<]+)</a>', nav))


def _badge(client) -> str:
    body = client.get(reverse("web:apps")).content.decode()
    m = re.search(r'class="inbox-link">消息(?:<span class="badge">(\d+)</span>)?', body)
    assert m is not None
    return m.group(1) or "0"


def test_a_signed_in_page_and_an_htmx_partial_make_only_the_user_query_with_a_warm_cache(shared, tree):
    principal = make_user("sc_principal", "principal", tree.school)
    notify_inbox(principal, "待办")
    client = _signed_in(principal)
    _queries(client, reverse("web:apps"))  # cold: the memberships and the unread count into the cache
    r, sql = _queries(client, reverse("web:apps"))
    assert len(sql) == SHELL_QUERIES, sql
    assert "accounts_user" in sql[0]
    body = r.content.decode()
    assert "组织机构" in body and 'class="badge">1<' in body and "常山县第一小学 · 校长" in body
    # an htmx partial: the view's own two queries (the node, its children), nothing of the shell
    partial = reverse("web:org_children", args=[tree.school.pk])
    _queries(client, partial, HTTP_HX_REQUEST="true")
    r, sql = _queries(client, partial, HTTP_HX_REQUEST="true")
    assert len(sql) == SHELL_QUERIES + 2, sql
    assert not any("inboxmessage" in s or "accounts_membership" in s or "django_session" in s for s in sql)
    assert "mainnav" not in r.content.decode()


def test_the_shell_of_an_htmx_partial_is_never_computed(shared, tree, monkeypatch):
    from mofang.platform.web import shell

    principal = make_user("sc_partial", "principal", tree.school)
    client = _signed_in(principal)

    def boom(*a, **k):
        raise AssertionError("the shell was built for a partial")

    monkeypatch.setattr(shell, "_build_menu", boom)
    monkeypatch.setattr("mofang.platform.web.context_processors.unread_count", boom)
    shell._MENUS.clear()
    r = client.get(reverse("web:org_children", args=[tree.school.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200


def test_a_revoked_grant_and_a_new_one_change_the_menu_and_the_access_at_once(shared, tree):
    principal = make_user("sc_boss", "principal", tree.school)
    teacher = make_user("sc_teacher", "teacher", tree.school)
    client = _signed_in(teacher)
    assert "组织机构" in _menu(client) and "学生" not in _menu(client)
    assert client.get(reverse("web:student_list")).status_code in (403, 404)

    grant_membership(teacher, acting_user=principal, role_code="academic", org=tree.school)
    assert {"学生", "教职工"} <= _menu(client)
    assert client.get(reverse("web:student_list")).status_code == 200

    academic = Membership.objects.get(user=teacher, role__code="academic")
    revoke_membership(academic, acting_user=principal)
    assert "学生" not in _menu(client) and "教职工" not in _menu(client)
    assert client.get(reverse("web:student_list")).status_code in (403, 404)

    revoke_membership(Membership.objects.get(user=teacher, role__code="teacher"), acting_user=principal)
    assert "组织机构" not in _menu(client)
    assert client.get(reverse("web:org_detail", args=[tree.school.pk])).status_code in (403, 404)


def test_memberships_written_without_signals_and_a_role_changed_take_effect_at_once(shared, tree):
    teacher = make_user("sc_bulk", "teacher", tree.school)
    client = _signed_in(teacher)
    assert "学生" not in _menu(client)
    Membership.objects.bulk_create([Membership(user=teacher, role=Role.objects.get(code="academic"), org=tree.school)])
    assert "学生" in _menu(client)
    Membership.objects.filter(user=teacher, role__code="academic").update(org=tree.other_school)
    assert client.get(reverse("web:org_detail", args=[tree.other_school.pk])).status_code == 200
    Membership.objects.filter(user=teacher, role__code="academic").delete()
    assert "学生" not in _menu(client)

    role = Role.objects.get(code="teacher")
    role.permissions = [*role.permissions, "people.view_student"]
    role.save()
    assert "学生" in _menu(client)


def test_a_full_save_of_an_old_copy_of_the_user_does_not_bring_old_memberships_back(shared, tree):
    principal = make_user("sc_owner", "principal", tree.school)
    teacher = make_user("sc_stale", "teacher", tree.school)
    stale = User.objects.get(pk=teacher.pk)
    client = _signed_in(teacher)
    grant_membership(teacher, acting_user=principal, role_code="academic", org=tree.school)
    assert "学生" in _menu(client)
    revoke_membership(Membership.objects.get(user=teacher, role__code="academic"), acting_user=principal)
    stale.full_name = "改名"
    stale.save()  # loaded before both changes: its access version is two behind
    assert "学生" not in _menu(client)
    assert User.objects.get(pk=teacher.pk).full_name == "改名"


def test_the_unread_count_follows_the_inbox_at_once(shared, tree):
    user = make_user("sc_inbox", "teacher", tree.school)
    client = _signed_in(user)
    assert _badge(client) == "0"
    notify_inbox(user, "一条")
    assert _badge(client) == "1"
    InboxMessage.objects.bulk_create([InboxMessage(recipient=user, title=f"批量{i}") for i in range(3)])
    assert _badge(client) == "4"
    first = user.inbox.order_by("pk").first()
    client.post(reverse("web:inbox_read", args=[first.pk]))
    assert _badge(client) == "3"
    user.inbox.update(read_at=first.read_at or "2026-01-01T00:00:00Z")
    assert _badge(client) == "0"
    notify_inbox(user, "又一条")
    InboxMessage.objects.filter(recipient=user, read_at__isnull=True).delete()
    assert _badge(client) == "0"


def test_sessions_outlive_the_cache_and_a_signed_out_session_stays_signed_out(shared, tree):
    make_user("sc_session", "teacher", tree.school)
    client = Client()
    assert client.post("/accounts/login/", {"username": "sc_session", "password": "Mofang#2026"}).status_code == 302
    assert client.get(reverse("web:apps")).status_code == 200
    cache.clear()  # Redis lost (restarted empty, or flushed): nobody is signed out
    r = client.get(reverse("web:apps"))
    assert r.status_code == 200 and "sc_session" in r.content.decode()
    old = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = old
    assert replay.get(reverse("web:apps")).status_code == 302  # to the login page: the cached copy went too


def test_a_signed_in_page_writes_no_session(shared, tree):
    user = make_user("sc_nowrite", "teacher", tree.school)
    client = _signed_in(user)
    client.get(reverse("web:apps"))
    r, sql = _queries(client, reverse("web:apps"))
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT")) for s in sql), sql
    assert "sessionid" not in r.cookies


def test_a_signed_in_page_reads_the_cache_twice_the_unread_count_with_the_memberships(shared, tree, monkeypatch):
    # the session, then the memberships and the unread count in one read: request.user is a lazy
    # wrapper (two, with django-otp), and the count used to miss what was read with the memberships
    # and read the cache a third time on every page
    from django.core.cache import caches

    user = make_user("sc_reads", "teacher", tree.school)
    notify_inbox(user, "一条")
    client = _signed_in(user)
    client.get(reverse("web:apps"))  # cold
    backend = caches["default"]
    reads: list[list[str]] = []
    inside = []  # local memory's get_many calls its own get: count the outer call only
    for name in ("get", "get_many"):
        real = getattr(backend, name)

        def spy(keys, *args, _real=real, **kwargs):
            if not inside:
                reads.append([keys] if isinstance(keys, str) else list(keys))
            inside.append(1)
            try:
                return _real(keys, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, name, spy)
    r, _sql = _queries(client, reverse("web:apps"))
    assert 'class="badge">1<' in r.content.decode()
    assert len(reads) == 2, reads
    assert any("unread" in k for k in reads[1]) and any("access" in k for k in reads[1]), reads


def test_the_first_page_after_a_login_reads_no_memberships_and_counts_no_inbox(shared, tree):
    user = make_user("sc_first", "teacher", tree.school)
    notify_inbox(user, "一条")
    client = Client()
    assert client.post("/accounts/login/", {"username": "sc_first", "password": "Mofang#2026"}).status_code == 302
    r, sql = _queries(client, reverse("web:apps"))
    assert len(sql) == SHELL_QUERIES, sql
    assert 'class="badge">1<' in r.content.decode()
