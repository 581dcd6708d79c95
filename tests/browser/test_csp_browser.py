"""The strict Content-Security-Policy in Chromium (issue 13): the main pages — login, the public
入学早知道 pages with their map, the workbench, the cockpit map and 大屏, a list searched through
htmx, the hazard report form with its clickable map, the campus-safety charts — run with no
violation reported, and each answer carries the policy. A script injected into a page is refused,
so the listener that finds none would have found one."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mofang.governance.enrollment import services as enrollment
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.testing import build_tree, make_student, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reported from every document the page loads (an init script runs before the page's own).
LISTEN = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});"""


@pytest.fixture
def world():
    sync_roles()
    tree = build_tree()
    OrgUnit.objects.filter(pk=tree.school.pk).update(longitude="118.511000", latitude="28.902000")
    OrgUnit.objects.filter(pk=tree.other_school.pk).update(longitude="118.620000", latitude="28.740000")
    enrollment.save_community(
        tree.county,
        "定阳花园",
        primary_schools=[tree.school],
        longitude="118.520000",
        latitude="28.910000",
        acting_user=None,
    )
    make_student(tree.school, "王小明", klass=tree.klass)
    make_user("csp_county", "county_admin", tree.county, full_name="常山县教育局")
    make_user("csp_principal", "principal", tree.school, full_name="常山县第一小学校长")
    return tree


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and every answer lacking the header collected."""
    found: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console", lambda m: ("Content Security Policy" in m.text or "CSP violation" in m.text) and found.append(m.text)
    )

    def no_header(response):
        if response.request.resource_type == "document" and "content-security-policy" not in response.headers:
            found.append(f"no Content-Security-Policy header on {response.url}")

    page.on("response", no_header)
    page.found = found
    return page


def visit(page, url, ready):
    page.goto(url)
    page.wait_for_selector(ready, state="attached")


def test_the_main_pages_run_under_the_policy_without_a_violation(watched, world):
    page = watched
    school = reverse("enrollment:school", args=[world.school.pk])
    # anonymous: the login page and the public 入学早知道 pages (the school page draws its map)
    visit(page, reverse("accounts:login"), "#id_username")
    visit(page, reverse("enrollment:index"), "form")
    visit(page, school, "#district-map svg")

    # a county administrator: workbench, cockpit map (schools as points) and 大屏, a list
    # searched through htmx, the campus-safety charts
    login(page, "csp_county")
    visit(page, reverse("web:home"), "main.content")
    visit(page, reverse("cockpit:index"), "#cockpit-map svg")
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    visit(page, reverse("cockpit:screen"), "#cockpit-map svg")
    page.wait_for_selector("#cockpit-map[data-state=ready]")
    visit(page, reverse("web:student_list"), "#list-body")
    with page.expect_response(lambda r: "q=" in r.url):
        page.fill("input[name=q]", "王小明")
    page.wait_for_selector("#list-body :text('王小明')")
    visit(page, reverse("campus_safety:dashboard"), "#chart-units canvas")

    # a principal: the hazard report form; a click on its map fills in the position
    page.context.clear_cookies()
    login(page, "csp_principal")
    visit(page, reverse("campus_safety:report"), "#school-map svg")
    box = page.locator("#school-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#id_lon")).not_to_have_value("")

    assert page.found == []

    # the listener is live: a script put into the page is refused and reported
    inject = "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }"
    with page.expect_console_message(lambda m: "CSP violation" in m.text):
        page.evaluate(inject)
    assert page.evaluate("() => window.ran") is None
    assert any("script-src" in m for m in page.found), page.found
