"""The enrollment cache version is read once per request (platform.cacheversion): a 报名 POST asked
the cache for it three times (the form's two option lists and the county's 报名时间), one round
trip each. A change made by the request itself is still seen at once, another request's from the
next request on, and outside a request (a task, a command) every read goes to the cache."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.utils import timezone

from mofang.governance.enrollment import policy, services
from mofang.governance.enrollment.models import Registration
from mofang.platform import cacheversion

from .conftest import born
from .test_registration import _form_data, child_id

KEY = services.CACHE_VERSION_KEY


@pytest.fixture
def version_reads(monkeypatch):
    """How many times the cache was asked for the enrollment version (the real cache, counted)."""
    reads = []
    real_get = cache.get

    def counted(key, *args, **kwargs):
        if key == KEY:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counted)
    return reads


@pytest.fixture
def parent(district):
    from mofang.platform.accounts.phone import parent_user_for

    return parent_user_for("13911112222")


@pytest.fixture
def in_a_request():
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


@pytest.mark.django_db
def test_a_registration_post_asks_the_cache_for_the_version_once(client, district, parent, version_reads):
    now = timezone.now()
    policy.set_window(
        district.tree.county, district.years[0], now - dt.timedelta(days=1), now + dt.timedelta(days=1),
        acting_user=district.admin,
    )  # fmt: skip
    client.force_login(parent)
    client.get("/enrollment/register/")  # the option lists and the window cached
    version_reads.clear()
    r = client.post("/enrollment/register/", _form_data(district, child_id(born("primary", district.years[0], 5))))
    assert r.status_code == 302 and Registration.objects.count() == 1
    assert len(version_reads) == 1


@pytest.mark.django_db
def test_another_requests_change_is_seen_from_the_next_request_on(district, in_a_request):
    first = services.cache_version()
    cache.incr(KEY)  # another process's bump
    assert services.cache_version() == first  # this request's entries stay of one version
    request_finished.send(sender=None)
    request_started.send(sender=None)
    assert services.cache_version() == first + 1


@pytest.mark.django_db
def test_a_requests_own_change_is_seen_at_once(district, in_a_request):
    first = services.cache_version()
    services.invalidate_public_cache()
    assert services.cache_version() > first
    assert services.cache_version() == cache.get(KEY)


@pytest.mark.django_db
def test_outside_a_request_every_read_goes_to_the_cache(district):
    request_finished.send(sender=None)  # whatever ran before: no request now
    first = cacheversion.version(KEY)
    cache.incr(KEY)
    assert cacheversion.version(KEY) == first + 1
