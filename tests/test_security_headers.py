"""Security headers and the TLS reverse proxy (issue 13).

Every kind of answer carries the strict Content-Security-Policy; the proxy settings come from the
environment (MOFANG_PROXY_SSL_HEADER, MOFANG_USE_X_FORWARDED_HOST, MOFANG_SECURE_COOKIES,
MOFANG_HSTS_*, MOFANG_SSL_REDIRECT), and the forwarded headers are believed only from a trusted
proxy (MOFANG_TRUSTED_PROXIES)."""

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from mofang.platform.testing import make_student, make_user

ROOT = pathlib.Path(__file__).resolve().parent.parent
CSP = "Content-Security-Policy"


def directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.fixture
def county_admin(tree):
    return make_user("csp_county", "county_admin", tree.county, full_name="常山县管理员")


def test_every_kind_of_answer_carries_the_strict_policy(client, tree, county_admin):
    student = make_student(tree.school, "张小明", klass=tree.klass)
    anonymous = {
        "login page": client.get("/accounts/login/"),
        "public page": client.get("/enrollment/"),
        "redirect to login": client.get("/students/"),
        "404": client.get("/no-such-page/"),
        "400 (NUL parameter)": client.get("/enrollment/", {"q": "a\x00b"}),
        "API 401": client.get("/api/cases/"),
        "static file": client.get("/static/mofang/mofang.css"),
    }
    client.force_login(county_admin)
    signed_in = {
        "workbench": client.get("/"),
        "list": client.get("/students/"),
        "list searched through htmx": client.get("/students/", {"q": "张"}, headers={"HX-Request": "true"}),
        "xlsx export": client.get("/students/", {"export": "xlsx"}),
        "form": client.get(f"/students/{student.pk}/edit/"),
        "cockpit": client.get("/cockpit/"),
    }
    assert {page: r.status_code for page, r in signed_in.items()} == dict.fromkeys(signed_in, 200)
    answers = {**anonymous, **signed_in}
    assert answers["redirect to login"].status_code == 302 and answers["404"].status_code == 404
    assert answers["400 (NUL parameter)"].status_code == 400 and answers["API 401"].status_code == 401
    for page, response in answers.items():
        assert CSP in response, f"{page}: no {CSP}"
        policy = directives(response[CSP])
        assert policy["default-src"] == ["'self'"], page
        assert policy["script-src"] == ["'self'"], page  # no inline script, no eval, nothing from elsewhere
        assert policy["style-src"] == ["'self'"], page  # no <style> element
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], page


def test_the_api_docs_page_gets_the_strict_policy_too(client, county_admin):
    """/api/docs/ is the platform's own page (no Swagger UI): no path is allowed inline script."""
    client.force_login(county_admin)
    assert client.get("/api/docs/")[CSP] == client.get("/")[CSP]
    assert "'unsafe-inline'" not in directives(client.get("/api/docs/")[CSP])["script-src"]


TEMPLATES = ROOT / "mofang"


def test_no_template_has_an_inline_script_a_style_element_or_an_event_handler_attribute():
    """What the policy would refuse in a browser, found in the source: scripts and styles live in
    static files, handlers are attached from them (data-confirm for a confirmation)."""
    offenders = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path.relative_to(ROOT)}: inline {m.group(0)}")
        for m in re.finditer(r"<style\b|\son[a-z]+\s*=|javascript:|hx-on", text):
            offenders.append(f"{path.relative_to(ROOT)}: {m.group(0).strip()}")
    assert not offenders, "\n".join(offenders)


# --- behind a TLS reverse proxy ----------------------------------------------------------------

PROXY = "10.0.0.5"


def test_unconfigured_a_forwarded_https_or_host_changes_nothing(db):
    r = Client(REMOTE_ADDR=PROXY).get(
        "/accounts/login/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "jy.example.gov.cn"}
    )
    assert r.status_code == 200
    assert "Strict-Transport-Security" not in r
    assert not r.cookies["csrftoken"]["secure"]


BEHIND_PROXY = dict(
    TRUSTED_PROXIES=[PROXY],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    USE_X_FORWARDED_HOST=True,
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    CSRF_COOKIE_SECURE=True,
    SESSION_COOKIE_SECURE=True,
)


@override_settings(**BEHIND_PROXY)
def test_configured_the_trusted_proxy_is_believed(db):
    via_proxy = Client(REMOTE_ADDR=PROXY)
    r = via_proxy.get(
        "/accounts/login/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "jy.example.gov.cn"}
    )
    assert r.status_code == 200
    assert r["Strict-Transport-Security"] == "max-age=31536000"
    assert r.cookies["csrftoken"]["secure"]
    # plain http reaching the proxy is sent to https on the public host name
    r = via_proxy.get("/accounts/login/", headers={"X-Forwarded-Host": "jy.example.gov.cn"})
    assert r.status_code == 301 and r["Location"] == "https://jy.example.gov.cn/accounts/login/"


@override_settings(**BEHIND_PROXY)
def test_configured_a_client_past_the_proxy_cannot_claim_https_or_a_host(db):
    r = Client(REMOTE_ADDR="203.0.113.9").get(
        "/accounts/login/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example.com"}
    )
    assert r.status_code == 301  # not believed to be https: redirected, on its own Host, not evil's
    assert r["Location"] == "https://testserver/accounts/login/"


def settings_from(env: dict[str, str]) -> dict:
    """The settings a process started with these environment variables gets (or its refusal)."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mofang.settings'\n"
        "from django.core.exceptions import ImproperlyConfigured\n"
        "try:\n"
        "    from mofang import settings as s\n"
        "except ImproperlyConfigured as e:\n"
        "    print(json.dumps({'error': str(e)})); raise SystemExit\n"
        "print(json.dumps({k: getattr(s, k, None) for k in ['SECURE_PROXY_SSL_HEADER', 'USE_X_FORWARDED_HOST',"
        " 'CSRF_TRUSTED_ORIGINS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS',"
        " 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'TRUSTED_PROXIES']}))\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MOFANG_", "DATABASE"))}
    base["MOFANG_DATA_DIR"] = os.environ.get("MOFANG_DATA_DIR", str(ROOT / "var"))
    out = subprocess.run([sys.executable, "-c", code], env={**base, **env}, cwd=ROOT, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_environment_unset_means_no_proxy_and_plain_cookies():
    s = settings_from({})
    assert s["SECURE_PROXY_SSL_HEADER"] is None and s["USE_X_FORWARDED_HOST"] is False
    assert s["SESSION_COOKIE_SECURE"] is False and s["CSRF_COOKIE_SECURE"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0 and s["SECURE_SSL_REDIRECT"] is False and s["CSRF_TRUSTED_ORIGINS"] == []


def test_environment_for_a_tls_proxy():
    s = settings_from(
        {
            "MOFANG_TRUSTED_PROXIES": "10.0.0.5",
            "MOFANG_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "MOFANG_USE_X_FORWARDED_HOST": "1",
            "MOFANG_CSRF_TRUSTED_ORIGINS": "https://jy.example.gov.cn",
            "MOFANG_HSTS_SECONDS": "31536000",
            "MOFANG_HSTS_INCLUDE_SUBDOMAINS": "1",
        }
    )
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"] and s["USE_X_FORWARDED_HOST"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True  # on with the TLS proxy
    assert s["SECURE_HSTS_SECONDS"] == 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://jy.example.gov.cn"]
    assert settings_from({"MOFANG_TRUSTED_PROXIES": "10.0.0.5", "MOFANG_PROXY_SSL_HEADER": "X-Forwarded-Proto",
                          "MOFANG_SECURE_COOKIES": "0"})["SESSION_COOKIE_SECURE"] is False  # fmt: skip


def test_environment_mistakes_are_refused_in_chinese():
    assert "MOFANG_TRUSTED_PROXIES" in settings_from({"MOFANG_PROXY_SSL_HEADER": "X-Forwarded-Proto"})["error"]
    assert "MOFANG_TRUSTED_PROXIES" in settings_from({"MOFANG_USE_X_FORWARDED_HOST": "1"})["error"]
    assert "MOFANG_HSTS_SECONDS" in settings_from({"MOFANG_HSTS_SECONDS": "一年"})["error"]
