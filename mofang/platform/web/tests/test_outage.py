"""Outages of the services behind the site (issue 13): Redis is a speed-up only, and a database
outage answers a Chinese 503 and heals by itself."""

import os
import socket

import pytest
from django.db import connection
from django.test import Client, override_settings

from mofang.platform.testing import make_user
from mofang.settings import redis_cache


def closed_port() -> int:
    """A local port where nothing listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dead_redis():
    return {"default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}


def signed_in(client: Client, path: str = "/") -> bool:
    """True for the page served to a signed-in user, False for the way to the login page."""
    response = client.get(path)
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return False
    assert response.status_code == 200, (path, response.status_code)
    return response.wsgi_request.user.is_authenticated


def test_signed_in_pages_are_served_while_redis_is_down(tree):
    user = make_user("redis_down", "county_admin", tree.county)
    with override_settings(CACHES=dead_redis()):
        client = Client()
        client.force_login(user)
        assert signed_in(client, "/")
        assert signed_in(client, "/enrollment/?q=hz")  # the public look-up reads and writes the cache
        assert signed_in(client, "/")
        client.post("/accounts/logout/")
        assert not signed_in(client)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis (REDIS_URL)")
def test_a_redis_outage_neither_signs_out_nor_brings_back_a_signed_out_session(tree):
    user = make_user("redis_blip", "county_admin", tree.county)
    stays, leaves = Client(), Client()
    live = {"default": redis_cache(os.environ["REDIS_URL"])}
    with override_settings(CACHES=live):
        stays.force_login(user)
        leaves.force_login(user)
        assert signed_in(stays) and signed_in(leaves)
    old_cookie = leaves.cookies["sessionid"].value
    with override_settings(CACHES=dead_redis()):  # Redis unreachable (its data kept)
        assert signed_in(stays)
        leaves.post("/accounts/logout/")
        assert not signed_in(leaves)
    with override_settings(CACHES=live):  # Redis back
        assert signed_in(stays)
        assert not signed_in(leaves)
        replay = Client()  # the cookie of the signed-out session (another tab, a copied cookie)
        replay.cookies["sessionid"] = old_cookie
        assert not signed_in(replay)  # signing out ended it, although Redis missed the sign-out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a refused connection needs PostgreSQL over TCP")
@pytest.mark.django_db(transaction=True)
def test_a_database_outage_is_a_chinese_503_and_the_site_recovers(tree):
    user = make_user("db_down", "county_admin", tree.county)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    assert signed_in(client)
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port()  # PostgreSQL unreachable for the next requests
    try:
        page = client.get("/")
        api = client.get("/api/students/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert page.status_code == 503 and page["Retry-After"]
    assert "数据库暂时不可用，请稍后重试" in page.content.decode()
    assert api.status_code == 503 and api.json()["detail"] == "数据库暂时不可用，请稍后重试"
    assert signed_in(client)  # the next request reconnects, still signed in
