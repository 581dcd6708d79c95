"""Every posted page of 清单管理 refuses bad input through its form: a missing field, a wrong type, a
value out of range or a NUL character is a 400 whose Chinese message names the field, and nothing
is written (no list, item, report or milestone, no audit entry)."""

import pytest
from django.utils import timezone

from mofang.governance.workplans.models import Milestone, ProgressReport, WorkItem, WorkPlan
from mofang.platform.audit.models import AuditEntry

from .test_views import client_for, month


def _refused(resp, message: str):
    body = resp.content.decode()
    assert 400 <= resp.status_code < 500, resp.status_code
    assert message in body, body[-3000:]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": None}, "请填写清单名称"),
        ({"year": "二〇二六"}, "年度应为四位数字"),
        ({"year": "1999"}, "年度应为2000至2100之间的年份"),
        ({"kind": "plan"}, "请选择清单类型"),
        ({"name": "工作\x00要点"}, "清单名称：含有非法字符（NUL）"),
        ({"description": "长" * 2001}, "说明：不能超过2000字"),
        ({"owner": "abc"}, "请选择所属教育局"),
    ],
)
def test_a_bad_new_list_is_refused_naming_the_field(wp, changes, message):
    data = {"owner": wp.tree.county.pk, "year": str(wp.year), "kind": "task", "name": "常山县任务清单"}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    n, before = WorkPlan.objects.count(), AuditEntry.objects.count()
    _refused(client_for(wp.county_admin).post("/workplans/plans/new/", data), message)
    assert WorkPlan.objects.count() == n and AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"month": None}, "月份格式应为YYYY-MM"),
        ({"month": "2026/05"}, "月份格式应为YYYY-MM"),
        ({"text": "检\x00查"}, "进展情况：含有非法字符（NUL）"),
        ({"text": "长" * 2001}, "进展情况不能超过2000字"),
        ({"percent": "一百"}, "完成进度应为数字"),
        ({"percent": "120"}, "完成进度应在0至100之间"),
        ({"percent": "10\x00"}, "完成进度：含有非法字符（NUL）"),
        ({"milestones": "abc"}, "时间节点：请从给定选项中选择"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field(wp, changes, message):
    data = {"month": month(), "text": "开展安全检查", "percent": "50"}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    before = AuditEntry.objects.count()
    _refused(client_for(wp.principal).post(f"/workplans/items/{wp.safety.pk}/", data), message)
    assert not ProgressReport.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_bad_item_is_refused_naming_the_field(wp):
    c = client_for(wp.city_admin)
    n, before = WorkItem.objects.count(), AuditEntry.objects.count()
    good = {"number": "50", "title": "新事项", "target_text": "完成", "lead_unit": "本局"}
    for changes, message in (
        ({"title": ""}, "事项不能为空"),
        ({"number": "五十"}, "应为1至9999的整数"),
        ({"number": "0"}, "应为1至9999的整数"),
        ({"title": "事\x00项"}, "事项：含有非法字符（NUL）"),
        ({"unit": "个个个个个个个个个个个"}, "计量单位不能超过10个字"),
        ({"target_value": "很多"}, "目标值应为数字"),
        ({"milestones": f"{wp.year}-13-01 完成"}, "的日期不存在"),
    ):
        _refused(c.post(f"/workplans/plans/{wp.plan.pk}/items/new/", {**good, **changes}), message)
    _refused(
        c.post(f"/workplans/items/{wp.seats.pk}/edit/", {**good, "number": "1", "lead_unit": "火\x00星县"}),
        "牵头单位：含有非法字符（NUL）",
    )
    assert WorkItem.objects.count() == n and AuditEntry.objects.count() == before
    wp.seats.refresh_from_db()
    assert wp.seats.title == "增加教育资源学位供给"


@pytest.mark.django_db
def test_a_bad_milestone_is_refused_naming_the_field(wp):
    c = client_for(wp.city_admin)
    url = f"/workplans/items/{wp.seats.pk}/milestones/"
    before = (Milestone.objects.count(), AuditEntry.objects.count())
    for data, message in (
        ({"description": "出台方案"}, "节点日期格式应为YYYY-MM-DD"),
        ({"due": "六月底", "description": "出台方案"}, "节点日期格式应为YYYY-MM-DD"),
        ({"due": f"{wp.year}-06-30"}, "请填写节点内容"),
        ({"due": f"{wp.year}-06-30", "description": "出台\x00方案"}, "节点内容：含有非法字符（NUL）"),
        ({"due": f"{wp.year}-06-30", "description": "长" * 201}, "节点内容不能超过200个字"),
        ({"due": f"{timezone.localdate().year + 1}-06-30", "description": "明年"}, "节点日期须在清单年度"),
        ({"action": "remove", "milestone": "第一个"}, "时间节点不存在"),
        ({"action": "remove", "milestone": "999999"}, "时间节点不存在"),
        ({"action": "drop"}, "操作：未知操作"),
    ):
        _refused(c.post(url, data), message)
    assert (Milestone.objects.count(), AuditEntry.objects.count()) == before
