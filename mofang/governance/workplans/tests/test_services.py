"""Import (every bad row reported, nothing written), monthly reports and the monthly reminder."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.workplans import services
from mofang.governance.workplans.models import ProgressReport, WorkItem
from mofang.platform.imports.exports import xlsx_bytes
from mofang.platform.notifications.models import InboxMessage

from .conftest import import_lines, run_import


def sheet(*rows: dict, headers=None) -> bytes:
    headers = headers or services.HEADERS
    return xlsx_bytes("清单事项", headers, [[r.get(h, "") for h in headers] for r in rows])


def good(n, **kw):
    return {"序号": str(n), "事项": f"事项{n}", "目标任务": "完成年度任务", "牵头单位": "常山县", **kw}


@pytest.mark.django_db
def test_a_good_file_creates_the_items_with_units_targets_and_milestones(wp):
    y = wp.year
    result = run_import(
        wp.plan,
        sheet(
            good(
                15,
                事项="促进学前教育优质普惠发展",
                目标任务="公办幼儿园在园幼儿占比达46%",
                目标值="46%",
                计量单位="%",
                年初基数="44",
                配合单位="常山县第一小学、常山县公安局",
                时间节点=f"{y}-06-30 出台行动计划；{y}-12-31 完成",
            ),
            good(16, 牵头单位="本局", 目标方向="不超过", 目标值="1"),
        ),
        wp.city_admin,
    )
    assert result["created"] == 2, result["errors"]
    items = list(WorkItem.objects.filter(plan=wp.plan, number__in=[15, 16]).order_by("number"))
    first = WorkItem.objects.get(plan=wp.plan, number=15)
    assert (first.target_value, first.baseline, first.unit) == (46, 44, "%")
    assert {u.name for u in first.cooperating_units.all()} == {"常山县第一小学", "常山县公安局"}
    assert [m.description for m in first.milestones.all()] == ["出台行动计划", "完成"]
    assert items[1].lead_unit == wp.tree.city and items[1].direction == "lower"


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(wp):
    y = wp.year
    content = sheet(
        good(20),
        good(1),  # row 3: number already in the list
        good(21, 牵头单位="江山市实验小学"),  # row 4: outside the city? no — but see below
        good(22, 牵头单位="不存在的学校", 目标值="四十六"),  # row 5: two errors
        {"序号": "23", "事项": "", "目标任务": "x", "牵头单位": "常山县"},  # row 6: 事项 empty
        good(20),  # row 7: duplicate of row 2
        good(24, 时间节点="2020-06-30 太早"),  # row 8: milestone outside the year
        good(25, 目标方向="差不多"),  # row 9
    )
    before = WorkItem.objects.count()
    lines = import_lines(run_import(wp.plan, content, wp.city_admin))
    assert "第3行“序号”：序号1在清单中已存在" in lines
    assert any(line.startswith("第5行“牵头单位”：找不到单位“不存在的学校”") for line in lines)
    assert "第5行“目标值”：目标值应为数字" in lines
    assert "第6行“事项”：不能为空" in lines
    assert "第7行“序号”：序号20与第2行重复" in lines
    assert any(line.startswith("第8行“时间节点”：节点日期2020-06-30不在清单年度") for line in lines)
    assert "第9行“目标方向”：应为“达到或超过”或“不超过”" in lines
    assert not any(line.startswith("第4行") for line in lines)  # 江山市实验小学 is in 衢州市
    assert not any(line.startswith("第2行") for line in lines)
    assert WorkItem.objects.count() == before
    assert y


@pytest.mark.django_db
def test_a_county_list_cannot_name_a_unit_of_another_county(wp):
    lines = import_lines(run_import(wp.other_plan, sheet(good(2, 牵头单位="常山县第一小学")), wp.other_admin))
    assert lines[0].startswith("第2行“牵头单位”：找不到单位“常山县第一小学”")


@pytest.mark.django_db
def test_a_file_without_the_template_columns_is_refused(wp):
    lines = import_lines(run_import(wp.plan, sheet({"名称": "x"}, headers=["名称"]), wp.city_admin))
    assert "第1行“序号”：缺少此列，请使用模板" in lines
    lines = import_lines(run_import(wp.plan, b"not a workbook", wp.city_admin))
    assert "无法读取文件" in lines[0]


@pytest.mark.django_db
def test_one_report_per_item_per_month_the_second_replaces_the_first(wp):
    month = f"{timezone.localdate():%Y-%m}"
    services.report_progress(wp.safety, month=month, text="开展安全检查", percent="30", acting_user=wp.principal)
    services.report_progress(wp.safety, month=month, text="完成安全检查", percent="40", acting_user=wp.principal)
    report = ProgressReport.objects.get(item=wp.safety)
    assert (report.text, report.percent) == ("完成安全检查", 40)


@pytest.mark.django_db
def test_a_report_is_checked_field_by_field(wp):
    with pytest.raises(ValidationError) as exc:
        services.report_progress(wp.seats, month=f"{wp.year + 1}-01", text="", acting_user=wp.county_admin)
    errors = exc.value.message_dict
    assert errors["month"] == [f"月份须在清单年度{wp.year}年内"]
    assert errors["text"] == ["请填写进展情况"]
    assert errors["value"] == ["请填写完成值（目标值2610个）"]
    with pytest.raises(ValidationError) as exc:
        services.report_progress(wp.safety, month="2026-13", text="x", percent="120", acting_user=wp.principal)
    assert exc.value.message_dict["percent"] == ["完成进度应在0至100之间"]
    assert exc.value.message_dict["month"] == ["月份格式应为YYYY-MM，如2026-05"]
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_a_future_month_cannot_be_reported(wp):
    today = timezone.localdate()
    if today.month == 12:
        pytest.skip("no later month in this year")
    with pytest.raises(ValidationError) as exc:
        services.report_progress(
            wp.safety, month=f"{today.year}-{today.month + 1:02d}", text="x", percent="1", acting_user=wp.principal
        )
    assert exc.value.message_dict["month"] == ["不能报送未来月份的进展"]


@pytest.mark.django_db
def test_reporting_marks_milestones_done(wp):
    ms = wp.safety.milestones.create(due=dt.date(wp.year, 12, 31), description="完成平安校园创建")
    services.report_progress(
        wp.safety,
        month=f"{timezone.localdate():%Y-%m}",
        text="已创建",
        percent="100",
        done_milestones=[str(ms.pk)],
        acting_user=wp.principal,
    )
    ms.refresh_from_db()
    assert ms.done_on == timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_the_monthly_reminder_goes_to_lead_units_that_have_not_reported(wp):
    month = f"{timezone.localdate():%Y-%m}"
    services.report_progress(wp.seats, month=month, text="新增学位1200个", value="1200", acting_user=wp.county_admin)
    sent = services.send_reminders(month)
    to = set(InboxMessage.objects.values_list("recipient__username", flat=True))
    # 常山县 reported; the school (安全) and 江山 (阅读, its own list) did not; the police only cooperate
    assert to == {"xz_cs", "xz_js", "admin_js"}
    assert sent == 3
    assert "尚未报送" in InboxMessage.objects.filter(recipient__username="xz_cs").get().body


def test_the_reminder_runs_from_the_25th():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    assert services.reminder_period(dt.datetime(2026, 11, 24, 12, tzinfo=tz)) is None
    assert services.reminder_period(dt.datetime(2026, 11, 25, 9, tzinfo=tz)) == "2026-11"
