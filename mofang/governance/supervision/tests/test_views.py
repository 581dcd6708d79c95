"""The pages: compliance with 采用建议, a visit recorded, a notice issued, replied, verified, the
PDFs, the public list — and refusals (out of scope 404, bad input 400 in Chinese)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.models import InspectorAssignment, Rectification, Visit

from .conftest import visit_with_problem


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_compliance_page_shows_the_shortfall_and_adopts(client, sup):
    login(client, sup.admin)
    page = client.get("/supervision/compliance/").content.decode()
    assert "常山县" in page and "采用建议" in page and "江山市" not in page
    resp = client.post(f"/supervision/compliance/{sup.tree.county.pk}/adopt/")
    assert resp.status_code == 302
    assert InspectorAssignment.objects.get().inspector == sup.inspector
    # another county's administrator cannot adopt here
    from mofang.platform.testing import make_user

    other = make_user("admin_js", "county_admin", sup.tree.other_county)
    assert login(client, other).post(f"/supervision/compliance/{sup.tree.county.pk}/adopt/").status_code == 404


@pytest.mark.django_db
def test_the_inspector_records_a_visit_on_the_page(client, sup):
    login(client, sup.inspector_user)
    page = client.get("/supervision/visits/new/").content.decode()
    assert "责任督学进校督查20看" in page and "食堂食品安全与营养膳食管理" in page
    items = services.checklist_items(sup.checklist)
    data = {
        "school": str(sup.tree.school.pk),
        "visited_on": timezone.localdate().isoformat(),
        "checklist": str(sup.checklist.pk),
    }
    data.update({f"item_{i.pk}": "ok" for i in items})
    data[f"item_{items[2].pk}"] = "problem"
    bad = client.post("/supervision/visits/new/", data)
    assert bad.status_code == 400 and "第3项存在问题，请填写问题说明" in bad.content.decode()
    assert not Visit.objects.exists()
    data[f"note_{items[2].pk}"] = "音乐课被占用"
    data[f"photo_{items[2].pk}"] = SimpleUploadedFile("课表.png", b"\x89PNG\r\n\x1a\nxxxx", content_type="image/png")
    resp = client.post("/supervision/visits/new/", data)
    visit = Visit.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/supervision/visits/{visit.pk}/"
    assert visit.findings.get().evidence
    detail = client.get(resp["Location"]).content.decode()
    assert "音乐课被占用" in detail and "下达整改通知" in detail


@pytest.mark.django_db
def test_issue_reply_verify_through_the_pages(client, sup):
    finding = visit_with_problem(sup).findings.get()
    login(client, sup.inspector_user)
    assert (
        client.post(f"/supervision/findings/{finding.pk}/notice/", {"content": "", "term_days": "30"}).status_code
        == 400
    )
    resp = client.post(f"/supervision/findings/{finding.pk}/notice/", {"content": "完善留样", "term_days": "30"})
    rect = Rectification.objects.get()
    assert resp["Location"] == f"/supervision/rectifications/{rect.pk}/"
    assert f"/cases/{rect.case.pk}/" in client.get(resp["Location"]).content.decode()

    login(client, sup.principal)
    page = client.get(f"/supervision/rectifications/{rect.pk}/").content.decode()
    assert "报送整改结果" in page and "核查通过" not in page
    client.post(f"/supervision/rectifications/{rect.pk}/", {"action": "reply", "comment": "已建立台账"})
    rect.case.refresh_from_db()
    assert rect.case.state_label == "待核查"

    login(client, sup.inspector_user)
    client.post(f"/supervision/rectifications/{rect.pk}/", {"action": "verify", "comment": "属实"})
    rect.case.refresh_from_db()
    assert rect.case.state_label == "已销号"
    resp = client.get(f"/supervision/rectifications/{rect.pk}/notice.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert client.get(f"/supervision/rectifications/{rect.pk}/order.pdf").status_code == 404  # not supervised

    login(client, sup.admin)
    client.post(f"/supervision/rectifications/{rect.pk}/", {"action": "publish", "summary": "食堂留样已规范"})
    client.logout()
    public = client.get("/supervision/public/").content.decode()
    assert "食堂留样已规范" in public and "常山县第一小学" in public
    assert "王督学" not in public and "常山一小校长" not in public


@pytest.mark.django_db
def test_other_county_and_other_school_see_nothing(client, sup):
    finding = visit_with_problem(sup).findings.get()
    rect = services.issue_notice(finding, content="整改", term_days=7, acting_user=sup.inspector_user)
    for user in (sup.other_inspector_user, sup.other_principal):
        login(client, user)
        assert client.get(f"/supervision/rectifications/{rect.pk}/").status_code == 404
        assert client.get(f"/supervision/rectifications/{rect.pk}/notice.pdf").status_code == 404
        assert client.get(f"/supervision/visits/{finding.visit_id}/").status_code == 404
        assert (
            client.post(f"/supervision/findings/{finding.pk}/notice/", {"content": "x", "term_days": "7"}).status_code
            == 404
        )


@pytest.mark.django_db
def test_a_refused_action_is_a_chinese_400(client, sup):
    finding = visit_with_problem(sup).findings.get()
    rect = services.issue_notice(finding, content="整改", term_days=7, acting_user=sup.inspector_user)
    login(client, sup.principal)
    resp = client.post(f"/supervision/rectifications/{rect.pk}/", {"action": "reply", "comment": ""})
    assert resp.status_code == 400 and "须填写意见" in resp.content.decode()
    rect.case.refresh_from_db()
    assert rect.case.state_label == "待整改"  # 签收 rolled back with the refused reply


@pytest.mark.django_db
def test_due_rechecks_are_a_to_do_and_a_filter(client, sup):

    from django.utils import timezone

    finding = visit_with_problem(sup).findings.get()
    rect = services.issue_notice(finding, content="整改", term_days=7, recheck_days=1, acting_user=sup.inspector_user)
    services.reply(rect, comment="已整改", acting_user=sup.principal)
    services.verify(rect, passed=True, acting_user=sup.inspector_user, now=timezone.now() - dt.timedelta(days=2))
    login(client, sup.inspector_user)
    assert "到期回头看" in client.get("/").content.decode()
    listed = client.get("/supervision/rectifications/?recheck=due").content.decode()
    assert rect.case.number in listed
    login(client, sup.principal)
    assert "到期回头看" not in client.get("/").content.decode()
