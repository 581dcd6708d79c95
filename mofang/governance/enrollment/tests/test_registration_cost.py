"""What a 报名 costs (issue 17): at most 12 statements for a registration POST — in fact 4 of its
own (the county's 报名时间 until the cache holds it, the posted public school checked in the
database, the registration, its audit row; the parent's earlier registration only when one is
bound) — besides what every signed-in
request costs (session, user, memberships, the shell's inbox count: the platform's, counted
apart). The form's option lists and the county's 报名时间 come from the cache, dropped when a
community, a plan, a school or the window changes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofang.governance.enrollment import services
from mofang.governance.enrollment.models import Registration
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.testing import add

from .conftest import born
from .test_registration import _form_data, child_id, parent  # noqa: F401  (parent: a fixture)

SIGNED_IN = ('"django_session"', '"accounts_user"', '"accounts_membership"', '"notifications_inboxmessage"')


def own_queries(ctx) -> list[str]:
    """The statements of the request itself: not the savepoints of the test's transaction, not
    those of being signed in."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
        and not any(f"FROM {t}" in q["sql"].split(" WHERE ")[0] for t in SIGNED_IN)
    ]


def test_a_registration_post_makes_at_most_12_queries(district, parent, client):  # noqa: F811
    client.force_login(parent)
    url = f"/enrollment/register/?school={district.primary.pk}"
    assert client.get(url).status_code == 200  # fills the option lists' cache
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(url, _form_data(district, child_id(born("primary", district.years[0]))))
    assert r.status_code == 302, r.content.decode()
    assert len(ctx.captured_queries) <= 12, "\n".join(q["sql"] for q in ctx.captured_queries)
    own = own_queries(ctx)
    assert len(own) <= 4, "\n".join(own)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200 and len(own_queries(ctx)) <= 1  # the parent's own registrations (多孩绑定)
    assert "李小明（" in r.content.decode()  # the one just made, offered for 多孩绑定
    # a twin bound to the first registration: one more statement (the bound one, read once)
    first = Registration.objects.get()
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(
            url,
            _form_data(
                district,
                child_id(born("primary", district.years[0]), seq="125"),
                child_name="李小红",
                bind_with=str(first.pk),
            ),
        )
    assert r.status_code == 302, r.content.decode()
    assert len(ctx.captured_queries) <= 12 and len(own_queries(ctx)) <= 7, "\n".join(own_queries(ctx))
    first.refresh_from_db()
    assert Registration.objects.get(child_name="李小红").multiple_group == first.multiple_group != ""


def test_a_refused_registration_shows_the_form_with_its_lists_and_errors(district, parent, client):  # noqa: F811
    client.force_login(parent)
    url = f"/enrollment/register/?school={district.primary.pk}"
    r = client.post(url, _form_data(district, "123"))
    body = r.content.decode()
    assert r.status_code == 400 and 'data-field="id_number"' in body and 'aria-invalid="true"' in body
    assert 'value="李小明"' in body and f'<option value="{district.primary.pk}" selected>常山县第一小学' in body
    # a public school posted that is not the community's 学区 school: refused, checked in the database
    r = client.post(url, _form_data(district, child_id(born("primary", district.years[0])), public_school="999999"))
    assert r.status_code == 400 and "学区公办学校" in r.content.decode()


def test_the_cached_lists_follow_a_new_school_a_renamed_one_and_a_changed_community(district, parent, client):  # noqa: F811
    client.force_login(parent)
    url = f"/enrollment/register/?school={district.primary.pk}"
    assert "常山县第一小学" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(own_queries(ctx)) <= 1  # served from the cache
    # a private school opens in the county: offered at once
    add(
        district.tree.county,
        "常山县育才学校",
        OrgKind.SCHOOL,
        "3308220077",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PRIVATE,
    )
    assert "常山县育才学校" in client.get(url).content.decode()
    # the school is renamed
    district.primary.name = "常山县实验小学"
    district.primary.save(update_fields=["name"])
    assert "常山县实验小学" in client.get(url).content.decode()
    # the community's 学区 gets a second school
    services.save_community(
        district.tree.county,
        "定阳花园",
        primary_schools=[district.primary, district.hz],
        junior_schools=[district.junior],
        acting_user=district.admin,
    )
    body = client.get(url).content.decode()
    assert "杭州小学" in body
    r = client.post(
        url, _form_data(district, child_id(born("primary", district.years[0])), public_school=str(district.hz.pk))
    )
    assert r.status_code == 302, r.content.decode()


def test_the_cached_form_rows_never_show_one_parents_children_to_another(district, parent, client):  # noqa: F811
    # the rows of an unbound form come from the cache (rendered once per school and community), the
    # 多孩绑定 list is each parent's own: 李小明 is offered to his parent only
    from django.core.cache import cache

    from mofang.platform.accounts.phone import parent_user_for

    cache.clear()
    url = f"/enrollment/register/?school={district.primary.pk}"
    client.force_login(parent)
    fresh = client.get(url).content.decode()  # rendered, and its rows put into the cache
    r = client.post(url, _form_data(district, child_id(born("primary", district.years[0]))))
    assert r.status_code == 302
    mine = client.get(url).content.decode()
    assert "李小明（" in mine and "李小明（" not in fresh
    other = parent_user_for("13900001111")
    client.force_login(other)
    theirs = client.get(url).content.decode()
    assert "李小明（" not in theirs
    assert _form_part(theirs) == _form_part(fresh)  # the same form, from the cache


def _form_part(page: str) -> str:
    import re

    form = page[page.index('<form method="post"') : page.index("</form>", page.index('<form method="post"'))]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form)


def test_a_withdrawn_registration_is_no_longer_offered_for_binding(district, parent, client):  # noqa: F811
    client.force_login(parent)
    url = f"/enrollment/register/?school={district.primary.pk}"
    r = client.post(url, _form_data(district, child_id(born("primary", district.years[0]))))
    assert r.status_code == 302
    assert "李小明（" in client.get(url).content.decode()  # offered for 多孩绑定
    first = Registration.objects.get()
    assert client.post(f"/enrollment/my/{first.pk}/withdraw/").status_code == 302
    assert "李小明（" not in client.get(url).content.decode()
