"""The demo's 科技局 story in Chromium (issue 14): 常山县未来少儿科学馆's application passed its deadline
and the overdue scan ran. Escalation is 督办 — the county supervises and the department keeps the
case — so keji_cs opens the message in the inbox, lands on the case, claims and approves it; the
county's administrator is told of the 督办 with a link to the same case."""

import pytest

from mofang.governance.institutions.models import Institution, Status
from mofang.platform.cases import overdue
from mofang.platform.cases.models import Case
from mofang.platform.demo.services import build_demo
from mofang.platform.demo.story import DEMO_PASSWORD
from mofang.platform.notifications.models import InboxMessage

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "常山县未来少儿科学馆"


def test_keji_cs_approves_the_overdue_application_from_the_message_link(page):
    build_demo(scale=0.02, seed=7, log=lambda *_: None)
    case = Case.objects.get(case_type="institutions.application", title__startswith=NAME)
    assert case.is_overdue(case.opened_at + (case.due_at - case.opened_at) * 2)
    overdue.scan()  # what `mofang serve`'s periodic job does: the application is long overdue
    case.refresh_from_db()
    assert case.responsible_org.name == "常山县科技局" and case.supervised_at is not None

    # every message the engine sent about it links to it
    about = InboxMessage.objects.filter(body__contains=case.number)
    assert about.exists() and all(m.link == f"/cases/{case.pk}/" for m in about)

    login(page, "keji_cs", DEMO_PASSWORD)
    page.goto("/inbox/")
    page.click(f"a:has-text('{case.number}')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert page.locator("#case-body").inner_text().count("督办") >= 1
    page.click("#case-actions button:has-text('认领')")
    page.wait_for_selector("#case-claimant:has-text('科技局联络员')")
    page.once("dialog", lambda d: d.accept())  # 批准 is final: the page asks first
    page.click("#case-actions button:has-text('批准')")
    page.wait_for_selector("#case-state:has-text('已批准')")
    assert Institution.objects.get(name=NAME).status == Status.NORMAL

    # the county supervised it: its administrator's message opens the same case
    page.context.clear_cookies()
    login(page, "admin_cs", DEMO_PASSWORD)
    page.goto("/inbox/")
    page.click("a:has-text('下级单位培训机构办学审批逾期督办')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "已批准" in page.locator("#case-state").inner_text()
