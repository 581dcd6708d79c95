"""督导整改 in Chromium: the inspector records a visit and issues a 整改通知 from it, the school
replies on the notice page, the inspector verifies on the case page (/cases/<pk>/) — closed."""

import pytest
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.models import Rectification
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inspector_issues_school_replies_inspector_verifies(page):
    sync_roles()
    tree = build_tree()
    inspector_user = make_user("dx_cs", "inspector", tree.county, full_name="王督学")
    make_user("xz_cs", "principal", tree.school, full_name="张校长")
    services.add_inspector(tree.county, "王督学", full_time=True, user=inspector_user, acting_user=None)
    checklist = services.default_checklist()  # a transactional test starts from a flushed database
    items = services.checklist_items(checklist)

    # the inspector records the visit: item 15 has a problem
    login(page, "dx_cs")
    page.goto("/supervision/visits/new/")
    page.select_option("#school", label="常山县第一小学")
    page.fill("#visited_on", timezone.localdate().isoformat())
    page.check(f"input[name=item_{items[14].pk}][value=problem]")
    page.click("button:has-text('保存督查记录')")
    page.wait_for_selector("text=第15项存在问题，请填写问题说明")  # refused, nothing saved
    page.check(f"input[name=item_{items[14].pk}][value=problem]")
    page.fill(f"input[name=note_{items[14].pk}]", "食堂留样记录缺失")
    page.click("button:has-text('保存督查记录')")
    page.wait_for_selector("text=督查记录已保存，发现问题1项")

    # … and issues the 整改通知 from the visit page
    page.fill("#findings textarea[name=content]", "完善食堂留样制度，每餐留样不少于48小时。")
    page.select_option("#findings select[name=term_days]", "15")
    page.click("#findings button:has-text('下达整改通知')")
    page.wait_for_selector("text=已下达")
    assert page.locator("#state").inner_text() == "待整改"
    rect = Rectification.objects.get()

    # the school replies on the notice page
    page.context.clear_cookies()
    login(page, "xz_cs")
    page.goto("/supervision/rectifications/")
    page.click(f"text={rect.case.number}")
    page.fill("#reply_comment", "已购置留样柜，安排专人登记。")
    page.set_input_files(
        "#reply_files", files=[{"name": "留样台账.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 ledger"}]
    )
    page.click("#reply button:has-text('报送整改结果')")
    page.wait_for_selector("text=整改结果已报送，等待督学核查")
    assert page.locator("#state").inner_text() == "待核查"

    # the inspector verifies on the engine's case page
    page.context.clear_cookies()
    login(page, "dx_cs")
    page.goto(f"/supervision/rectifications/{rect.pk}/")
    page.click("text=办理记录（时间线）")
    page.wait_for_url(f"**/cases/{rect.case.pk}/")
    page.click("#case-actions button:has-text('核查通过（销号）')")
    page.wait_for_selector("text=案件现为「已销号」")
    rect.case.refresh_from_db()
    assert rect.case.state_label == "已销号"
    page.goto(f"/supervision/rectifications/{rect.pk}/")
    assert page.locator("#state").inner_text() == "已销号"
    pdf = page.request.get(f"/supervision/rectifications/{rect.pk}/notice.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
