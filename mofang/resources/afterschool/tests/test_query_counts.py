"""What a selection costs the database (issue 17): at most 8 statements for a selection POST of its
own — the child through scope, the term and the course (from the cached catalogue once another
selection has read them), the child's lock, the child's selections, the seat, the selection and its
audit row (on PostgreSQL the last three are one statement) — besides what every signed-in request
costs (session, user, memberships, the shell's inbox count: the platform's, counted apart)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofang.resources.afterschool.models import Course, Selection, SelectionStatus

# statements of being signed in (the platform's middleware and shell), and the test's savepoints
SIGNED_IN = ('"django_session"', '"accounts_user"', '"accounts_membership"', '"notifications_inboxmessage"')


def own_queries(ctx) -> list[str]:
    out = []
    for q in ctx.captured_queries:
        sql = q["sql"]
        if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            continue
        if any(sql.split(" WHERE ")[0].find(f"FROM {t}") >= 0 for t in SIGNED_IN):
            continue
        out.append(sql)
    return out


def _post(client, url, course, action="select"):
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(url, {"action": action, "course": course.pk}, HTTP_HX_REQUEST="true")
    return r, own_queries(ctx), len(ctx.captured_queries)


def test_a_selection_post_makes_at_most_8_queries_and_answers_from_what_it_locked(client, people, courses):
    client.force_login(people.parent)
    url = f"/afterschool/select/{people.child.pk}/"
    client.get(url)
    r, own, total = _post(client, url, courses.jungle)
    assert r.status_code == 200 and "已为张小明选上“丛林穿越”" in r.content.decode()
    assert len(own) <= 8, "\n".join(own)
    assert total <= 8 + 6, total  # with the signed-in request's own few and the savepoints
    body = r.content.decode()
    # the answer shows the count and the seats as stored, read from the locked rows and RETURNING
    assert 'id="held-count" hx-swap-oob="true">1<' in body
    assert "已选1" in body and Course.objects.get(pk=courses.jungle.pk).taken == 1
    r, own, _ = _post(client, url, courses.future)
    assert r.status_code == 200 and len(own) <= 8, "\n".join(own)
    assert 'id="held-count" hx-swap-oob="true">2<' in r.content.decode()
    assert Selection.objects.filter(student=people.child, status=SelectionStatus.CONFIRMED).count() == 2


def test_a_refused_selection_stays_within_the_budget_and_shows_the_stored_state(client, people, courses):
    client.force_login(people.other_parent)
    client.post(f"/afterschool/select/{people.other_child.pk}/", {"action": "select", "course": courses.future.pk})
    client.force_login(people.parent)
    url = f"/afterschool/select/{people.child.pk}/"
    r, own, _ = _post(client, url, courses.future)  # the one seat is gone
    assert r.status_code == 400 and "名额已满" in r.content.decode()
    # answered from what the service read under the child's lock: no selection or card read again
    assert len(own) <= 6, "\n".join(own)
    body = r.content.decode()
    assert 'id="held-count" hx-swap-oob="true">0<' in body
    assert '<span class="as-full">名额已满</span>' in body and "名额1，已选1" in body
    # a clash (丛林穿越 and 鲁班学艺 share the second period), refused the same way, with the count
    _post(client, url, courses.jungle)
    r, own, _ = _post(client, url, courses.luban)
    assert r.status_code == 400 and len(own) <= 6, "\n".join(own)
    assert 'id="held-count" hx-swap-oob="true">1<' in r.content.decode()


def test_with_the_catalogue_cached_a_selection_reads_no_term_and_no_course(client, people, courses):
    client.force_login(people.other_parent)
    client.post(f"/afterschool/select/{people.other_child.pk}/", {"action": "select", "course": courses.jungle.pk})
    client.force_login(people.parent)
    r, own, _ = _post(client, f"/afterschool/select/{people.child.pk}/", courses.jungle)
    assert r.status_code == 200 and "已为张小明选上“丛林穿越”" in r.content.decode()
    assert not [q for q in own if 'FROM "afterschool_term"' in q or 'FROM "afterschool_course"' in q], own
    # the child, the lock, its selections; the seat, the selection and the audit row (one on PostgreSQL)
    assert len(own) <= (4 if connection.vendor == "postgresql" else 6), "\n".join(own)
