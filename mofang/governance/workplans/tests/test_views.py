"""The pages as the bureau and the lead units use them: scope, filters, export, reports, PDF, import."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from mofang.governance.workplans import pdf, services
from mofang.governance.workplans.models import WorkItem
from mofang.governance.workplans.status import evaluate_many
from mofang.governance.workplans.views import scorecard_summary
from mofang.platform.audit.models import AuditEntry
from mofang.platform.imports.exports import xlsx_bytes
from mofang.platform.jobs.models import Job

from .conftest import import_lines


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, confirmed=True, name="t")
        session = c.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return c


def month() -> str:
    return f"{timezone.localdate():%Y-%m}"


@pytest.mark.django_db
def test_a_county_cannot_see_another_countys_list(wp):
    c = client_for(wp.county_admin)
    assert c.get(f"/workplans/plans/{wp.other_plan.pk}/").status_code == 404
    assert c.get(f"/workplans/plans/{wp.other_plan.pk}/scorecard.pdf").status_code == 404
    page = c.get("/workplans/plans/").content.decode()
    assert wp.other_plan.name not in page
    items = c.get("/workplans/items/").content.decode()
    assert "江山市校内托管全覆盖" not in items and "推进书香校园建设" not in items
    # the city's list is not the county's, but the items the county's units lead are
    assert wp.plan.name not in page
    assert "增加教育资源学位供给" in items and "切实维护校园安全稳定" in items


@pytest.mark.django_db
def test_the_city_sees_its_list_with_counts_filters_and_export(wp):
    services.report_progress(
        wp.safety, month=month(), text="完成全部学校安全检查", percent="100", acting_user=wp.principal
    )
    c = client_for(wp.city_admin)
    page = c.get(f"/workplans/plans/{wp.plan.pk}/").content.decode()
    assert re.search(r'class="total-count">3<', page)
    assert "增加教育资源学位供给" in page and "推进书香校园建设" in page
    filtered = c.get(f"/workplans/plans/{wp.plan.pk}/?status=on_track").content.decode()
    assert re.search(r'class="total-count">1<', filtered) and "切实维护校园安全稳定" in filtered
    by_lead = c.get(f"/workplans/plans/{wp.plan.pk}/?lead={wp.tree.county.pk}").content.decode()
    assert re.search(r'class="total-count">1<', by_lead) and "增加教育资源学位供给" in by_lead
    r = c.get(f"/workplans/plans/{wp.plan.pk}/?status=on_track&export=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "分类", "事项") and len(rows) == 2
    assert rows[1][2] == "切实维护校园安全稳定" and rows[1][8] == "按进度完成" and rows[1][5] == "常山县公安局"


@pytest.mark.django_db
def test_the_lead_unit_reports_and_the_status_changes_on_the_list(wp):
    c = client_for(wp.principal)
    r = c.post(
        f"/workplans/items/{wp.safety.pk}/", {"month": month(), "text": "开展校园安全隐患排查", "percent": "100"}
    )
    assert r.status_code == 302
    page = client_for(wp.city_admin).get(f"/workplans/plans/{wp.plan.pk}/").content.decode()
    row = re.search(r'<tr data-item="2">.*?</tr>', page, re.S).group(0)
    assert "按进度完成" in row and month() in row
    detail = c.get(f"/workplans/items/{wp.safety.pk}/").content.decode()
    assert "开展校园安全隐患排查" in detail


@pytest.mark.django_db
def test_a_bad_report_names_the_field_and_writes_nothing(wp):
    r = client_for(wp.county_admin).post(f"/workplans/items/{wp.seats.pk}/", {"month": month(), "text": ""})
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写进展情况" in body and "请填写完成值（目标值2610个）" in body
    assert not wp.seats.reports.exists()


@pytest.mark.django_db
def test_a_cooperating_unit_sees_the_item_but_cannot_report(wp):
    c = client_for(wp.police)
    assert "切实维护校园安全稳定" in c.get(f"/workplans/items/{wp.safety.pk}/").content.decode()
    r = c.post(f"/workplans/items/{wp.safety.pk}/", {"month": month(), "text": "配合检查", "percent": "50"})
    assert r.status_code == 403 and not wp.safety.reports.exists()
    assert c.get(f"/workplans/items/{wp.seats.pk}/").status_code == 404
    assert c.get(f"/workplans/plans/{wp.plan.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_attachment_must_be_a_pdf_jpg_or_png(wp):
    bad = SimpleUploadedFile("a.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    r = client_for(wp.principal).post(
        f"/workplans/items/{wp.safety.pk}/", {"month": month(), "text": "附件", "percent": "10", "files": [bad]}
    )
    assert r.status_code == 400 and "附件只能是PDF、JPG或PNG文件" in r.content.decode()
    ok = SimpleUploadedFile("检查记录.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    r = client_for(wp.principal).post(
        f"/workplans/items/{wp.safety.pk}/", {"month": month(), "text": "附件", "percent": "10", "files": [ok]}
    )
    assert r.status_code == 302
    att = wp.safety.reports.get().attachments.get()
    assert att.name == "检查记录.pdf"
    url = f"/workplans/items/{wp.safety.pk}/attachments/{att.pk}/"
    assert url in client_for(wp.city_admin).get(f"/workplans/items/{wp.safety.pk}/").content.decode()
    r = client_for(wp.police).get(url)  # the cooperating unit reads it too
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF-1.4")
    assert client_for(wp.other_admin).get(url).status_code == 404
    assert client_for(wp.city_admin).get(f"/workplans/items/{wp.seats.pk}/attachments/{att.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_import_page_lists_every_bad_row_in_chinese(wp, django_capture_on_commit_callbacks):
    content = xlsx_bytes(
        "清单事项",
        services.HEADERS,
        [["", "", "事项", "目标", "", "常山县"] + [""] * 7, ["9", "", "事项", "目标", "", "火星县"] + [""] * 7],
    )
    c = client_for(wp.city_admin)
    # the list's 导入事项 is the platform's import page for this list; the import runs as a job
    page = c.get(f"/workplans/plans/{wp.plan.pk}/import/", follow=True)
    assert page.redirect_chain[-1][0] == f"/imports/workplans_items/?plan={wp.plan.pk}"
    assert wp.plan.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the import job starts after the commit
        r = c.post(page.redirect_chain[-1][0], {"file": SimpleUploadedFile("清单.xlsx", content)})
    job = Job.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))
    body = c.get(r["Location"]).content.decode()
    assert job.status == "failed" and "未写入任何数据" in body
    lines = import_lines(job.result)
    assert "第2行“序号”：不能为空" in lines and any(
        line.startswith("第3行“牵头单位”：找不到单位“火星县”") for line in lines
    )
    assert "找不到单位“火星县”" in body
    assert WorkItem.objects.filter(plan=wp.plan).count() == 3
    r = c.get("/workplans/import-template.xlsx", follow=True)
    assert openpyxl.load_workbook(io.BytesIO(r.content)).active["A1"].value == "序号"
    # a county administrator cannot import into the city's list
    assert (
        client_for(wp.county_admin)
        .post(f"/imports/workplans_items/?plan={wp.plan.pk}", {"file": SimpleUploadedFile("清单.xlsx", content)})
        .status_code
        == 404
    )
    assert client_for(wp.county_admin).get(f"/workplans/plans/{wp.plan.pk}/import/").status_code == 404


@pytest.mark.django_db
def test_a_good_file_is_imported_through_the_platform_page(wp, django_capture_on_commit_callbacks):
    content = xlsx_bytes(
        "清单事项", services.HEADERS, [["20", "", "新增事项", "完成年度任务", "", "常山县"] + [""] * 7]
    )
    c = client_for(wp.city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/imports/workplans_items/?plan={wp.plan.pk}", {"file": SimpleUploadedFile("清单.xlsx", content)})
    assert r.status_code == 302
    assert WorkItem.objects.get(plan=wp.plan, number=20).lead_unit == wp.tree.county
    assert "导入清单事项 清单.xlsx：新增1条" in AuditEntry.objects.get(action="import").summary
    # an import into a list is started from the list, not offered on the import index
    assert "/imports/workplans_items/" not in c.get("/imports/").content.decode()
    assert c.get("/imports/workplans_items/").status_code == 404


@pytest.mark.django_db
def test_a_new_list_is_checked_and_created(wp):
    c = client_for(wp.county_admin)
    r = c.post("/workplans/plans/new/", {"owner": wp.tree.county.pk, "year": "abc", "kind": "task", "name": ""})
    assert r.status_code == 400 and "年度应为四位数字" in r.content.decode()
    r = c.post(
        "/workplans/plans/new/",
        {"owner": wp.tree.county.pk, "year": str(wp.year), "kind": "task", "name": "常山县任务清单"},
    )
    assert r.status_code == 302
    r = c.post(
        "/workplans/plans/new/",
        {"owner": wp.tree.county.pk, "year": str(wp.year), "kind": "task", "name": "常山县任务清单"},
    )
    assert r.status_code == 400 and "已有同名清单" in r.content.decode()
    r = c.post(
        "/workplans/plans/new/",
        {"owner": wp.tree.other_county.pk, "year": str(wp.year), "kind": "task", "name": "越权清单"},
    )
    assert r.status_code == 400 and "请选择所属教育局" in r.content.decode()


def _embedded_text_codes(data: bytes) -> set[int]:
    codes = set()
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S) + re.findall(
        rb"beginbfchar(.*?)endbfchar", data, re.S
    ):
        codes |= {int(m, 16) for m in re.findall(rb"<([0-9A-Fa-f]{4})>\s*(?:\n|$)", block)}
        codes |= {int(m, 16) for m in re.findall(rb"> <([0-9A-Fa-f]{4})>", block)}
    return codes


@pytest.mark.django_db
def test_the_scorecard_pdf_embeds_its_font_and_text(wp):
    services.report_progress(wp.seats, month=month(), text="新增学位3000个", value="3000", acting_user=wp.county_admin)
    items = list(WorkItem.objects.filter(plan=wp.plan).select_related("lead_unit", "plan", "plan__owner"))
    evs = evaluate_many(items)
    rows = [(i, evs[i.pk], "") for i in items]
    counts = {
        s: sum(1 for e in evs.values() if e.status == s) for s in ("on_track", "exceeded", "behind", "not_started")
    }
    summary = scorecard_summary(wp.plan, counts)
    assert "其中1项超额完成" in summary
    data = pdf.scorecard_pdf(wp.plan, rows, summary, compress=False)
    assert data.startswith(b"%PDF-") and b"/FontFile2" in data
    assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYi", data)
    codes = _embedded_text_codes(data)
    for text in ("成绩单", "增加教育资源学位供给", "常山县第一小学", "超额完成", "未开始", "新增学位"):
        assert {ord(ch) for ch in text} <= codes, text
    r = client_for(wp.city_admin).get(f"/workplans/plans/{wp.plan.pk}/scorecard.pdf")
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    page = client_for(wp.city_admin).get(f"/workplans/plans/{wp.plan.pk}/scorecard/").content.decode()
    assert "共3项，1项按进度完成（其中1项超额完成）" in page


@pytest.mark.django_db
def test_the_owner_adds_and_edits_items_and_milestones(wp):
    c = client_for(wp.county_admin)
    county_plan = services.create_plan(wp.tree.county, year=wp.year, name="常山县工作要点", acting_user=wp.county_admin)
    r = c.post(
        f"/workplans/plans/{county_plan.pk}/items/new/",
        {"number": "x", "title": "", "target_text": "t", "lead_unit": "火星县", "direction": "差不多"},
    )
    body = r.content.decode()
    assert r.status_code == 400
    for text in ("应为1至9999的整数", "事项不能为空", "找不到单位“火星县”", "应为“达到或超过”或“不超过”"):
        assert text in body, text
    r = c.post(
        f"/workplans/plans/{county_plan.pk}/items/new/",
        {
            "number": "7",
            "title": "提高中小学生艺术素养",
            "target_text": "艺术特长达标率达到90%以上",
            "lead_unit": "常山县第一小学",
            "cooperating": "常山县公安局",
            "target_value": "90",
            "unit": "%",
            "milestones": f"{wp.year}-12-31 完成达标测评",
        },
    )
    assert r.status_code == 302
    item = WorkItem.objects.get(plan=county_plan, number=7)
    assert item.milestones.get().description == "完成达标测评"
    r = c.post(
        f"/workplans/items/{item.pk}/edit/",
        {
            "number": "8",
            "title": "提高中小学生艺术素养",
            "target_text": "艺术特长达标率达到92%",
            "lead_unit": "本局",
            "target_value": "92",
            "unit": "%",
            "direction": "达到或超过",
        },
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.number, item.target_value, item.lead_unit) == (8, 92, wp.tree.county)
    assert not item.cooperating_units.exists()
    r = c.post(f"/workplans/items/{item.pk}/milestones/", {"due": "2000-01-01", "description": "过早"})
    assert r.status_code == 400 and f"节点日期须在清单年度{wp.year}年内" in r.content.decode()
    c.post(f"/workplans/items/{item.pk}/milestones/", {"due": f"{wp.year}-06-30", "description": "出台方案"})
    assert item.milestones.count() == 2
    ms = item.milestones.get(description="出台方案")
    c.post(f"/workplans/items/{item.pk}/milestones/", {"action": "remove", "milestone": ms.pk})
    assert item.milestones.count() == 1
    # the city's items are not the county's to edit, even those it leads
    assert c.get(f"/workplans/items/{wp.seats.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_the_list_pages_query_count_does_not_grow_with_items(wp):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(wp.city_admin)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    plan_url, items_url = f"/workplans/plans/{wp.plan.pk}/", "/workplans/items/"
    before = count(plan_url), count(items_url)
    services.add_items(
        wp.plan,
        [
            services.ItemSpec(
                number=100 + n,
                title=f"事项{n}",
                target_text="t",
                lead_unit=wp.tree.school,
                cooperating=(wp.tree.department,),
            )
            for n in range(30)
        ],
        acting_user=wp.city_admin,
    )
    for item in WorkItem.objects.filter(plan=wp.plan, number__gte=100)[:10]:
        services.report_progress(item, month=month(), text="进展", percent="50", acting_user=wp.principal)
        item.milestones.create(due=timezone.localdate(), description="节点")
    assert (count(plan_url), count(items_url)) == before
