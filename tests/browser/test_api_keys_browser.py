"""接口密钥 at a desk (1366×768): a county administrator makes a key for the city's 12345 hotline, sees
the secret once and the key listed, the key files an Open311 report; the administrator revokes it
after a confirmation, and the revoked key is refused (Open311 and the write API alike)."""

import pytest

from mofang.platform.api.models import ApiKey
from mofang.platform.testing import build_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = {
    "service_code": "campus_safety.hazard",
    "lat": "28.90",
    "long": "118.51",  # 常山县
    "description": "市民来电：校门口流动摊贩占道",
    "attribute[category]": "vendor",
}


def test_an_administrator_creates_lists_and_revokes_a_key_and_the_revoked_key_is_refused(page):
    tree = build_tree()
    make_user("keys_cs", "county_admin", tree.county, full_name="常山县管理员")
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "keys_cs")
    page.goto("/api-keys/")
    page.fill("#key-name", "常山县12345热线")
    page.select_option("#key-org", str(tree.county.pk))
    page.check("input[name=kinds][value=open311]")
    page.click("#key-create button[type=submit]")

    secret = page.locator("#one-time-secret").inner_text().strip()
    key = ApiKey.objects.get(name="常山县12345热线")
    assert secret.startswith(f"{key.prefix}.") and "只显示这一次" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    filed = page.request.post("/open311/v2/requests.json", form={**REPORT, "api_key": secret})
    assert filed.status == 201, filed.text()

    page.click("text=返回接口密钥列表")
    row = page.locator("tbody tr", has_text="常山县12345热线")
    assert "有效" in row.inner_text() and "Open311/12345 报事" in row.inner_text()
    assert secret not in page.content()  # listed, never the secret again

    row.get_by_role("link", name="吊销").click()
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("#key-revoke")
    key.refresh_from_db()
    assert key.revoked_at is None  # asked, and not confirmed: nothing revoked
    page.once("dialog", lambda d: answer(d, True))
    page.click("#key-revoke")
    page.wait_for_url("**/api-keys/")
    assert asked == ["确认吊销“常山县12345热线”的接口密钥？此操作不可撤销。"] * 2
    assert "已吊销" in page.locator("tbody tr", has_text="常山县12345热线").inner_text()
    key.refresh_from_db()
    assert key.revoked_at is not None

    refused = page.request.post("/open311/v2/requests.json", form={**REPORT, "api_key": secret})
    assert refused.status == 403 and "已吊销" in refused.json()[0]["description"]
    api = page.request.post("/api/roll-changes/", data=[], headers={"Authorization": f"Api-Key {secret}"})
    assert api.status == 401 and api.json()["detail"] == "接口密钥无效或已吊销"
