"""放弃录取: before the draw a parent withdraws (after a confirmation in the page); once a
published draw has admitted the child, the seat is given up only by a request with a reason that
the admitting school (or its county bureau) confirms — the seat is then lost for good — or
refuses. One displayed state per registration; every step audited; another school, another
county and another parent see nothing."""

import pytest
from django.test import RequestFactory

from mofang.governance.enrollment import menu, registration, waivers
from mofang.governance.enrollment.models import Admission, RegistrationStatus, WaiverStatus
from mofang.platform.audit.models import AuditEntry
from mofang.platform.notifications.models import InboxMessage
from mofang.platform.testing import make_user

from .test_results import _publish, results  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admitted(results):  # noqa: F811
    _publish(results)
    results.reg = results.regs["儿童101"]
    results.adm = Admission.objects.get(registration=results.reg)
    assert results.adm.school == results.primary
    return results


def _my_page(client, reg) -> str:
    client.force_login(reg.owner)
    return client.get("/enrollment/my/").content.decode()


def test_before_the_draw_withdrawing_asks_first_and_frees_the_child(client, district):
    from mofang.platform.accounts.phone import parent_user_for

    from .conftest import born
    from .test_registration import _submit, child_id

    parent = parent_user_for("13911113333")
    [reg] = _submit(district, parent, child_id(born("primary", district.years[0])))
    page = _my_page(client, reg)
    assert "已报名，待派位" in page and "已报名</td>" not in page
    assert 'data-confirm="确认撤回李小明的' in page and "撤回后不参加本次派位" in page
    assert client.post(f"/enrollment/my/{reg.pk}/withdraw/").status_code == 302
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.WITHDRAWN
    assert AuditEntry.objects.filter(summary__startswith="撤回李小明").exists()


def test_an_admitted_child_cannot_be_withdrawn_at_a_click(client, admitted):
    reg = admitted.reg
    page = _my_page(client, reg)
    # one state on the card: 已录取, never 已报名 beside it; no 撤回 button, a 申请放弃录取 form instead
    assert "已录取：常山县第一小学" in page and "已报名" not in page
    assert f"/enrollment/my/{reg.pk}/withdraw/" not in page and f"/enrollment/my/{reg.pk}/waive/" in page
    assert "学校确认后不可恢复" in page and "常山县第一小学的" in page
    r = client.post(f"/enrollment/my/{reg.pk}/withdraw/", follow=True)
    assert "不能直接撤回报名" in r.content.decode()
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


def test_a_request_needs_a_reason_and_writes_nothing_without_one(client, admitted):
    reg = admitted.reg
    client.force_login(reg.owner)
    before = AuditEntry.objects.count()
    r = client.post(f"/enrollment/my/{reg.pk}/waive/", {"reason": "  "})
    assert r.status_code == 400 and "放弃原因：请填写" in r.content.decode()
    r = client.post(f"/enrollment/my/{reg.pk}/waive/", {"reason": "长" * 201})
    assert r.status_code == 400 and "放弃原因：不能超过200个字" in r.content.decode()
    admitted.adm.refresh_from_db()
    assert admitted.adm.waiver_status == WaiverStatus.NONE and AuditEntry.objects.count() == before


def test_the_school_confirms_and_the_seat_is_lost(client, admitted, django_capture_on_commit_callbacks):
    reg, adm = admitted.reg, admitted.adm
    client.force_login(reg.owner)
    assert client.post(f"/enrollment/my/{reg.pk}/waive/", {"reason": "随父母工作调动去杭州"}).status_code == 302
    page = _my_page(client, reg)
    assert "放弃申请待学校确认" in page and "已录取：" not in page
    assert f"/enrollment/my/{reg.pk}/waive/" not in page  # one request at a time
    # the principal's to-do links to the filtered list, which links to the request
    request = RequestFactory().get("/")
    request.user = admitted.principal
    [todo] = [t for t in menu.todos(request) if "放弃录取" in t.title]
    assert todo.count == 1 and todo.url == "/enrollment/manage/waivers/?waiver_status=pending"
    client.force_login(admitted.principal)
    listing = client.get(todo.url).content.decode()
    assert (
        "儿童101" in listing
        and "随父母工作调动去杭州" in listing
        and f"/enrollment/manage/waivers/{adm.pk}/" in listing
    )
    page = client.get(f"/enrollment/manage/waivers/{adm.pk}/").content.decode()
    assert "不可恢复" in page and 'data-confirm="确认儿童101放弃常山县第一小学的录取？' in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/enrollment/manage/waivers/{adm.pk}/", {"action": "confirm"})
    assert r.status_code == 302
    adm.refresh_from_db()
    reg.refresh_from_db()
    assert adm.waiver_status == WaiverStatus.CONFIRMED and adm.waiver_decided_by == admitted.principal
    assert reg.status == RegistrationStatus.WITHDRAWN
    assert InboxMessage.objects.filter(recipient=reg.owner, title__contains="已确认").exists()
    summaries = list(AuditEntry.objects.filter(object_id=str(adm.pk)).values_list("summary", flat=True))
    assert any("申请放弃儿童101" in s for s in summaries) and any("确认儿童101放弃" in s for s in summaries)
    # the parent reads one state; the school's 录取名单 and notices no longer carry the child
    page = _my_page(client, reg)
    assert "已放弃录取：常山县第一小学" in page and "已撤回" not in page and "notice.pdf" not in page
    client.force_login(admitted.principal)
    assert "儿童101" not in client.get("/enrollment/manage/admitted/").content.decode()
    assert client.post(f"/enrollment/manage/waivers/{adm.pk}/", {"action": "confirm"}).status_code == 400
    # the draw's record still re-verifies: the admission row is kept
    from mofang.governance.enrollment import draws

    assert draws.verify_draw(adm.draw) == []


def test_the_school_refuses_with_a_note_and_the_admission_stands(client, admitted):
    reg, adm = admitted.reg, admitted.adm
    waivers.request_waiver(reg, "想去民办学校", acting_user=reg.owner)
    client.force_login(admitted.principal)
    r = client.post(f"/enrollment/manage/waivers/{adm.pk}/", {"action": "refuse", "note": ""})
    assert r.status_code == 400 and "退回理由：请填写" in r.content.decode()
    r = client.post(f"/enrollment/manage/waivers/{adm.pk}/", {"action": "refuse", "note": "民办学校已满额"})
    assert r.status_code == 302
    page = _my_page(client, reg)
    assert "已录取：常山县第一小学" in page and "放弃申请未获同意（民办学校已满额）" in page
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


def test_other_schools_counties_and_parents_cannot_decide(client, admitted):
    reg, adm = admitted.reg, admitted.adm
    waivers.request_waiver(reg, "搬家", acting_user=reg.owner)
    url = f"/enrollment/manage/waivers/{adm.pk}/"
    outsiders = [
        admitted.hz_principal,  # another school of the same county
        admitted.other_admin,  # another county's bureau
        admitted.regs["儿童103"].owner,  # another parent
        reg.owner,  # the parent cannot confirm their own request
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "confirm"}).status_code == 404
        assert "儿童101" not in client.get("/enrollment/manage/waivers/").content.decode()
    # the county bureau may decide
    client.force_login(admitted.admin)
    assert client.post(url, {"action": "confirm"}).status_code == 302
    # and 教务 of the admitting school sees it in the list
    academic = make_user("jw_cs1", "academic", admitted.primary)
    client.force_login(academic)
    assert "儿童101" in client.get("/enrollment/manage/waivers/").content.decode()


def test_a_child_not_admitted_reads_one_state_and_has_nothing_to_give_up(client, admitted):
    [refused] = [
        r
        for r in (admitted.regs["杭州甲"], admitted.regs["杭州乙"])
        if Admission.objects.get(registration=r).school is None
    ]
    page = _my_page(client, refused)
    assert "未录取" in page and "已报名" not in page and "/waive/" not in page and "/withdraw/" not in page
    assert registration.admission_status(refused) == "未录取"
    r = client.post(f"/enrollment/my/{refused.pk}/waive/", {"reason": "无"})
    assert r.status_code == 400 and "该报名没有可放弃的录取" in r.content.decode()
