"""The case pages as a user meets them: the department claims and resolves through the page, the
reporting school confirms; refusals are 400 with the service's message; out of scope is 404."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mofang.platform.cases import services
from mofang.platform.cases.models import CaseAttachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post(client, case, **data):
    return client.post(f"/cases/{case.pk}/", data)


def test_the_department_claims_and_resolves_and_the_school_confirms_through_the_page(report, world):
    case = report(title="校门口占道经营", lon="118.51", lat="28.90", address="南门")
    dept, school = _client(world.liaison), _client(world.principal)
    page = dept.get(f"/cases/{case.pk}/").content.decode()
    assert "校门口占道经营" in page and "待认领" in page and 'value="claim"' in page
    assert 'value="start"' not in page  # 开始处置 needs the claim first
    assert 'id="case-map"' in page and "/static/vendor/echarts/echarts.min.js" in page  # the place, offline

    r = _post(dept, case, action="claim")
    assert r.status_code == 302
    page = dept.get(f"/cases/{case.pk}/").content.decode()
    assert "已认领，请及时办理" in page and "王联络" in page and 'value="start"' in page

    assert _post(dept, case, action="fire", transition="start").status_code == 302
    r = _post(dept, case, action="fire", transition="resolve", comment="已联系城管清理摊位")
    assert r.status_code == 302
    # the school sees the result and the confirm button; the department does not
    page = school.get(f"/cases/{case.pk}/").content.decode()
    assert "待确认" in page and "已联系城管清理摊位" in page and 'value="confirm"' in page
    assert 'value="confirm"' not in dept.get(f"/cases/{case.pk}/").content.decode()

    r = school.post(f"/cases/{case.pk}/", {"action": "fire", "transition": "confirm"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "已执行「确认销号」，案件现为「已销号」" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_on_time is True
    timeline = r.content.decode().split('id="timeline"')[1]
    for step in ("创建", "认领", "开始处置", "办结反馈", "确认销号", "待确认 → 已销号"):
        assert step in timeline


def test_a_refusal_is_a_400_with_the_services_message_and_changes_nothing(report, world):
    case = report()
    dept = _client(world.liaison)
    r = _post(dept, case, action="fire", transition="start")
    assert r.status_code == 400 and "请先认领案件，再执行「开始处置」" in r.content.decode()
    _post(dept, case, action="claim")
    _post(dept, case, action="fire", transition="start")
    r = _post(dept, case, action="fire", transition="resolve", comment="  ")
    assert r.status_code == 400 and "执行「办结反馈」须填写意见" in r.content.decode()
    r = _post(_client(world.liaison2), case, action="claim")
    assert r.status_code == 400 and "该案件已由王联络认领" in r.content.decode()
    r = _post(dept, case, action="attach", file=SimpleUploadedFile("a.exe", b"MZ\x90\0" * 10))
    assert r.status_code == 400 and "附件只能是PDF、JPG或PNG文件" in r.content.decode()
    r = _post(dept, case, action="dance")
    assert r.status_code == 400 and "未知的操作" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "handling" and list(case.events.values_list("kind", flat=True)) == [
        "open",
        "claim",
        "transition",
    ]


def test_out_of_scope_cases_and_attachments_are_404(report, world):
    case = report()
    att = services.attach(case, SimpleUploadedFile("现场.png", PNG), acting_user=world.principal)
    outsider = _client(world.other_liaison)
    assert outsider.get(f"/cases/{case.pk}/").status_code == 404
    assert _post(outsider, case, action="comment", comment="越权").status_code == 404
    assert outsider.get(f"/cases/attachments/{att.pk}/").status_code == 404
    assert _client(world.teacher).get(f"/cases/{case.pk}/").status_code == 404  # no view permission
    assert outsider.get("/cases/999999/").status_code == 404
    r = _client(world.liaison).get(f"/cases/attachments/{att.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    assert "attachment" in r["Content-Disposition"]


def test_comments_and_attachments_grow_the_timeline_with_a_download_link(report, world):
    case = report()
    school = _client(world.principal)
    assert _post(school, case, action="comment", comment="请尽快处理").status_code == 302
    assert _post(school, case, action="attach", file=SimpleUploadedFile("现场照片.png", PNG)).status_code == 302
    att = CaseAttachment.objects.get(case=case)
    page = school.get(f"/cases/{case.pk}/").content.decode()
    assert "请尽快处理" in page and f'href="/cases/attachments/{att.pk}/"' in page and "现场照片.png" in page


def test_the_queue_lists_only_my_units_unclaimed_cases_and_exports(report, world):
    mine = report(title="待认领甲")
    claimed = report(title="已认领乙")
    services.claim(claimed, acting_user=world.liaison)
    report(
        title="江山的案件", responsible_org=world.other_dept, reporting_org=world.tree.other_school, acting_user=None
    )
    dept = _client(world.liaison)
    page = dept.get("/cases/?view=queue").content.decode()
    assert "待认领甲" in page and "已认领乙" not in page and "江山的案件" not in page
    assert 'class="total-count">1<' in page
    page = dept.get("/cases/").content.decode()
    assert "待认领甲" in page and "已认领乙" in page and "江山的案件" not in page
    assert "测试隐患" in page and "办理中 <strong>2</strong> 件" in page  # the type's card
    # the county administrator sees the case but does not work the department's queue
    assert "待认领甲" not in _client(world.county_admin).get("/cases/?view=queue").content.decode()
    r = dept.get("/cases/t/casetest.hazard/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "类型", "标题") and {row[2] for row in rows[1:]} == {"待认领甲", "已认领乙"}
    assert mine.number in {row[0] for row in rows}
    assert dept.get("/cases/t/no.such/").status_code == 404
    assert _client(world.teacher).get("/cases/t/casetest.hazard/").status_code == 404


def test_overdue_cases_are_marked_and_filtered(report, world):
    import datetime as dt

    from django.utils import timezone

    late = report(title="超期未认领", severity="high", now=timezone.now() - dt.timedelta(hours=3))
    report(title="按期未认领")
    dept = _client(world.liaison)
    page = dept.get("/cases/?overdue=1").content.decode()
    assert "超期未认领" in page and "按期未认领" not in page
    assert 'id="overdue-mark">逾期' in dept.get(f"/cases/{late.pk}/").content.decode()


def test_the_report_page_filters_by_period_and_region_and_exports(report, world):
    report()
    report(responsible_org=world.other_dept, reporting_org=world.tree.other_school, acting_user=None)
    admin = _client(world.county_admin)
    page = admin.get("/cases/t/casetest.hazard/report/").content.decode()
    assert "常山县公安局" in page and "江山市公安局" not in page
    r = admin.get(f"/cases/t/casetest.hazard/report/?region={world.tree.other_county.pk}")
    assert r.status_code == 400 and "地区不存在或不在您的数据范围内" in r.content.decode()
    r = admin.get("/cases/t/casetest.hazard/report/?start=2026-13-01")
    assert r.status_code == 400 and "开始日期不是有效的日期" in r.content.decode()
    r = admin.get("/cases/t/casetest.hazard/report/?start=2000-01-01&end=2000-01-31")
    assert "该期间没有案件" in r.content.decode()
    r = admin.get("/cases/t/casetest.hazard/report/?export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "责任单位" and [row[0] for row in rows[1:]] == ["常山县公安局"]


@pytest.mark.parametrize("action", ["escalate", "handoff"])
def test_escalation_buttons_for_the_responsible_side(report, world, action):
    case = report()
    dept = _client(world.liaison)
    page = dept.get(f"/cases/{case.pk}/").content.decode()
    assert "一键上报" in page and "转四平台" in page
    assert "一键上报" not in _client(world.principal).get(f"/cases/{case.pk}/").content.decode()
    r = _post(dept, case, action=action, reason="跨部门事项")
    assert r.status_code == 302
    case.refresh_from_db()
    if action == "escalate":
        assert case.responsible_org == world.tree.county
    else:
        assert case.handoffs.count() == 1
    assert case.events.last().comment == "跨部门事项"


@pytest.mark.parametrize(("action", "label"), [("escalate", "上报理由"), ("handoff", "转四平台理由")])
def test_each_escalation_needs_its_own_reason_and_asks_first(report, world, action, label):
    case = report()
    dept = _client(world.liaison)
    page = dept.get(f"/cases/{case.pk}/").content.decode()
    # two forms, each with its own reason box and a confirmation before the irreversible step
    assert 'id="escalate-form"' in page and 'id="handoff-form"' in page
    assert page.count('name="reason"') == 2 and page.count("此操作不可撤销") >= 2
    events = case.events.count()
    r = _post(dept, case, action=action, reason="  ", comment="另一个框里的字")
    assert r.status_code == 400 and f"请填写{label}" in r.content.decode()
    case.refresh_from_db()
    assert case.responsible_org == world.dept and case.escalation_count == 0 and not case.handoffs.exists()
    assert case.events.count() == events


def test_a_claimed_case_no_longer_reads_waiting_to_be_claimed(report, world):
    case = report()
    dept = _client(world.liaison)
    assert "待认领（办理中）" in dept.get(f"/cases/{case.pk}/").content.decode()
    assert _post(dept, case, action="claim").status_code == 302
    page = dept.get(f"/cases/{case.pk}/").content.decode()
    assert "待认领（办理中）" not in page and "已认领，待处置（办理中）" in page
    assert "已认领，待处置" in dept.get("/cases/").content.decode()


def test_a_unit_the_case_moved_away_from_sees_where_it_went_and_who_holds_it(report, world):
    case = report()
    services.claim(case, acting_user=world.liaison)
    services.escalate(case, acting_user=world.liaison, reason="需县里协调")
    services.claim(case, acting_user=world.county_admin)
    r = _client(world.liaison).get(f"/cases/{case.pk}/")
    text = r.content.decode()
    assert r.status_code == 200 and case.title not in text
    assert "已转办" in text and world.tree.county.name in text and str(world.county_admin) in text


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_pages_cost_the_same_queries_for_few_and_many_rows(report, world):
    dept = _client(world.liaison)
    case = report()
    for _ in range(2):
        report()
    few_list, few_detail = _queries(dept, "/cases/"), _queries(dept, f"/cases/{case.pk}/")
    for _ in range(27):
        services.claim(report(), acting_user=world.liaison)
    for n in range(8):
        services.comment(case, f"意见{n}", acting_user=world.principal)
    assert _queries(dept, "/cases/") == few_list
    assert _queries(dept, f"/cases/{case.pk}/") == few_detail


def test_the_menu_shows_cases_only_to_who_may_view_a_case_type(world, tree):
    from mofang.platform.testing import make_user

    nobody = make_user("bank_auditor_x", "bank_auditor", tree.school, full_name="专管员")
    assert 'href="/cases/"' in _client(world.liaison).get("/").content.decode()
    assert 'href="/cases/"' not in _client(nobody).get("/").content.decode()


def test_each_report_export_writes_exactly_one_audit_row(report, world):
    from mofang.platform.audit.models import AuditEntry

    report()
    admin = _client(world.county_admin)
    for n in (1, 2):
        assert admin.get("/cases/t/casetest.hazard/report/?export=xlsx").status_code == 200
        exports = AuditEntry.objects.filter(action="export", actor=world.county_admin)
        assert exports.count() == n and exports.latest("pk").summary.startswith("导出")


def test_a_unit_the_case_moved_away_from_sees_only_that_it_was_moved(report, world):
    """常山县 held a case its school reported, wrote to it and attached a file, then passed it up to
    衢州市: the county no longer reads the case (detail, attachment, lists, export, API) although it
    is above the school; its list says 已转办至衢州市 and when. The school and the city still read it."""
    from mofang.platform.cases.queries import visible_cases
    from mofang.platform.testing import make_user

    case = report(title="校门口违停严重", responsible_org=world.tree.county)
    services.comment(case, "县里已约谈交警", acting_user=world.county_admin)
    att = services.attach(case, SimpleUploadedFile("约谈记录.png", PNG), acting_user=world.county_admin)
    county = _client(world.county_admin)
    assert "校门口违停严重" in county.get(f"/cases/{case.pk}/").content.decode()  # held: readable
    services.escalate(case, acting_user=world.county_admin, reason="需市里协调")

    # its page (a message still links there) says only where it went and who holds it now
    moved = county.get(f"/cases/{case.pk}/").content.decode()
    assert "校门口违停严重" not in moved and "县里已约谈交警" not in moved
    assert "已转办" in moved and "衢州市" in moved and "待认领" in moved
    assert county.get(f"/cases/attachments/{att.pk}/").status_code == 404
    page = county.get("/cases/").content.decode()
    assert "校门口违停严重" not in page and "县里已约谈交警" not in page
    assert f"{case.number}</a> 已转办至衢州市（" in page
    assert 'class="total-count">0<' in page
    sheet = openpyxl.load_workbook(io.BytesIO(county.get("/cases/?export=xlsx").content)).active
    assert "校门口违停严重" not in str(list(sheet.values))
    assert county.get(f"/api/cases/{case.pk}/").status_code == 404
    assert county.get("/api/cases/").json()["count"] == 0
    assert county.post(f"/cases/{case.pk}/", {"action": "comment", "comment": "再看看"}).status_code == 404

    # the reporting school and the city that holds it now still read everything
    school = _client(world.principal)
    page = school.get(f"/cases/{case.pk}/").content.decode()
    assert "校门口违停严重" in page and "县里已约谈交警" in page
    assert school.get(f"/cases/attachments/{att.pk}/").status_code == 200
    city = make_user("city1", "county_admin", world.tree.city)  # the example type grants administrators so
    assert list(visible_cases(city).values_list("pk", flat=True)) == [case.pk]
    assert list(CaseAttachment.objects.visible_to(city, "casetest.view")) == [att]
