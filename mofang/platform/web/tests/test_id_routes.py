"""Every route that takes a row id answers 404 for an id no database can hold (it was a 500:
the SQLite driver overflows on 2^63), and a plain integer route converter cannot slip back in."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mofang.platform.testing import make_user
from mofang.platform.web.converters import MAX_ID, IdConverter


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _patterns(p, route)
        elif isinstance(p, URLPattern):
            yield route, p


def test_no_route_takes_a_plain_int():
    plain = [route for route, p in _patterns(get_resolver()) if "<int:" in route]
    assert plain == [], f"use <id:…> for row ids: {plain}"


@pytest.mark.django_db
def test_every_id_route_answers_404_beyond_a_bigint(client, tree):
    client.force_login(make_user("huge_id_admin", "county_admin", tree.county))
    routes = [route for route, p in _patterns(get_resolver()) if "<id:" in route]
    assert len(routes) > 50
    too_big = str(MAX_ID + 1)
    for route in routes:
        url = "/" + route.replace("^", "").replace("$", "")
        while "<id:" in url:
            start = url.index("<id:")
            url = url[:start] + too_big + url[url.index(">", start) + 1 :]
        if "<" in url:  # other converters (slugs, codes): fill with a plausible word
            url = re.sub(r"<(?:str|slug):[^>]+>", "x", url)
            url = re.sub(r"<[^>]+>", "1", url)
        assert client.get(url).status_code == 404, url


def test_the_converter_round_trips_the_largest_id():
    c = IdConverter()
    assert c.to_python(str(MAX_ID)) == MAX_ID and c.to_url(MAX_ID) == str(MAX_ID)
    with pytest.raises(ValueError):
        c.to_python(str(MAX_ID + 1))


@pytest.mark.django_db
def test_every_api_detail_answers_404_beyond_a_bigint(client, tree):
    from mofang.platform.api.registry import API_ROUTES
    from mofang.platform.api.scoped import ScopedReadOnlyViewSet

    client.force_login(make_user("huge_id_api", "county_admin", tree.county))
    checked = 0
    for prefix, viewset, _basename in API_ROUTES:
        if issubclass(viewset, ScopedReadOnlyViewSet):
            assert client.get(f"/api/{prefix}/{MAX_ID + 1}/").status_code == 404, prefix
            assert client.get(f"/api/{prefix}/{MAX_ID}/").status_code == 404, prefix
            assert client.get(f"/api/{prefix}/abc/").status_code == 404, prefix
            checked += 1
    assert checked >= 5
