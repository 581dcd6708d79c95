"""Browser tests: Debian's chromium driven by Playwright (never `playwright install`)."""

import os

import pytest

CHROMIUM = os.environ.get("MOFANG_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still
# synchronous and run before/after page actions, so Django's async guard is relaxed here only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} 不存在：请先运行 scripts/test.sh（会安装 Debian 的 chromium）")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def login(page, username: str, password: str = "Mofang#2026"):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    # wait for the answer to the sign-in, not for the load state: a click does not wait for the
    # navigation it starts, so wait_for_load_state() could return for the login page itself and the
    # next goto() cancel the sign-in
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
