"""清单管理's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives each county (常山县 "inside", 江山市 "outside") a list of this year owned
by the county with one item led by the county's school; the inside item has the county's
department (常山县公安局) as cooperating unit, so a dept_liaison sees that item and nothing else.
The import template (no object) needs only manage anywhere and is not in the matrix.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_user

from . import services
from .models import PlanKind


class _Upload:
    """A file for the test client that can be sent more than once (inside, then outside)."""

    name = "清单事项.xlsx"

    def __init__(self, content: bytes):
        self.content = content

    def read(self, *args):
        return self.content


def _side(tag: str, county, school, coop) -> dict:
    admin = make_user(f"mx_qd_{tag}", "county_admin", county, full_name=f"矩阵{tag}教育局")
    year = timezone.localdate().year
    plan = services.create_plan(county, year=year, name=f"矩阵{tag}清单", kind=PlanKind.POINTS, acting_user=admin)
    spec = services.ItemSpec(
        number=1,
        title=f"矩阵{tag}事项",
        target_text="完成年度任务",
        lead_unit=school,
        cooperating=(coop,) if coop is not None else (),
    )
    item = services.add_items(plan, [spec], acting_user=admin)[0]
    principal = make_user(f"mx_qdxz_{tag}", "principal", school)
    report = services.report_progress(
        item,
        month=f"{timezone.localdate():%Y-%m}",
        text=f"矩阵{tag}进展",
        percent="10",
        files=[SimpleUploadedFile("附件.pdf", f"%PDF-1.4 矩阵{tag}附件".encode())],
        acting_user=principal,
    )
    return {
        "county": county,
        "school": school,
        "plan": plan,
        "plan_name": plan.name,
        "item": item,
        "title": item.title,
        "pdf": f"workplan-{plan.pk}",
        "empty": "",
        "attachment": report.attachments.get(),
        "att_marker": f"矩阵{tag}附件",
        "orgs": (county, school) + ((coop,) if coop is not None else ()),
    }


def make_objects(tree) -> dict:
    return {
        "inside": _side("甲", tree.county, tree.school, tree.department),
        "outside": _side("乙", tree.other_county, tree.other_school, None),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]
    month = f"{timezone.localdate():%Y-%m}"
    from mofang.platform.imports.exports import xlsx_bytes

    row = {"序号": "9", "事项": "矩阵导入事项", "目标任务": "完成年度任务", "牵头单位": "本局"}
    upload = _Upload(xlsx_bytes("清单事项", services.HEADERS, [[row.get(h, "") for h in services.HEADERS]]))

    def ep(name, kind, perm, url, marker, orgs="county", **kw):
        def target(side):
            return Target(
                url=url(side), marker=side[marker], orgs=list(side["orgs"]) if orgs == "item" else [side[orgs]]
            )

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("工作清单列表", "list", "workplans.view_plan", lambda s: "/workplans/plans/", "plan_name"),
        ep("工作清单计数", "count", "workplans.view_plan", lambda s: "/workplans/plans/", "plan_name"),
        ep("工作清单导出", "export", "workplans.view_plan", lambda s: "/workplans/plans/?export=xlsx", "plan_name"),
        ep("清单详情", "detail", "workplans.view_plan", lambda s: f"/workplans/plans/{s['plan'].pk}/", "title"),
        ep(
            "清单事项导出（按清单）",
            "export",
            "workplans.view_plan",
            lambda s: f"/workplans/plans/{s['plan'].pk}/?export=xlsx",
            "title",
        ),
        ep("成绩单", "detail", "workplans.view_plan", lambda s: f"/workplans/plans/{s['plan'].pk}/scorecard/", "title"),
        ep(
            "成绩单PDF",
            "detail",
            "workplans.view_plan",
            lambda s: f"/workplans/plans/{s['plan'].pk}/scorecard.pdf",
            "pdf",
        ),
        # importing a list's items is the platform's import page for that list
        ep(
            "导入页面",
            "detail",
            "workplans.manage",
            lambda s: f"/imports/workplans_items/?plan={s['plan'].pk}",
            "plan_name",
        ),
        ep("清单事项列表", "list", "workplans.view_item", lambda s: "/workplans/items/", "title", orgs="item"),
        ep("清单事项计数", "count", "workplans.view_item", lambda s: "/workplans/items/", "title", orgs="item"),
        ep(
            "清单事项导出",
            "export",
            "workplans.view_item",
            lambda s: "/workplans/items/?export=xlsx",
            "title",
            orgs="item",
        ),
        ep(
            "事项详情",
            "detail",
            "workplans.view_item",
            lambda s: f"/workplans/items/{s['item'].pk}/",
            "title",
            orgs="item",
        ),
        ep(
            "进展附件",
            "detail",
            "workplans.view_item",
            lambda s: f"/workplans/items/{s['item'].pk}/attachments/{s['attachment'].pk}/",
            "att_marker",
            orgs="item",
        ),
        # changes last: they add rows the counts above would see
        ep(
            "导入清单事项",
            "change",
            "workplans.manage",
            lambda s: f"/imports/workplans_items/?plan={s['plan'].pk}",
            "empty",
            method="POST",
            data={"file": upload},
        ),
        ep(
            "新建清单",
            "change",
            "workplans.manage",
            lambda s: f"/workplans/plans/new/?owner={s['county'].pk}",
            "empty",
            method="POST",
            data={"year": str(timezone.localdate().year), "kind": "points", "name": "矩阵新清单"},
        ),
        ep(
            "提醒报送",
            "change",
            "workplans.manage",
            lambda s: f"/workplans/plans/{s['plan'].pk}/remind/",
            "empty",
            method="POST",
        ),
        # the lead unit (the school) reports; a region above it may report for it
        ep(
            "报送进展",
            "change",
            "workplans.report",
            lambda s: f"/workplans/items/{s['item'].pk}/",
            "empty",
            orgs="school",
            method="POST",
            data={"month": month, "text": "矩阵进展", "percent": "50"},
        ),
        # editing items: the list's owner (manage on the owner region)
        ep(
            "新增事项页面",
            "detail",
            "workplans.manage",
            lambda s: f"/workplans/plans/{s['plan'].pk}/items/new/",
            "plan_name",
        ),
        ep(
            "新增事项",
            "change",
            "workplans.manage",
            lambda s: f"/workplans/plans/{s['plan'].pk}/items/new/",
            "empty",
            method="POST",
            data={"number": "50", "title": "矩阵新增事项", "target_text": "完成", "lead_unit": "本局"},
        ),
        ep("修改事项页面", "detail", "workplans.manage", lambda s: f"/workplans/items/{s['item'].pk}/edit/", "title"),
        ep(
            "新增时间节点",
            "change",
            "workplans.manage",
            lambda s: f"/workplans/items/{s['item'].pk}/milestones/",
            "empty",
            method="POST",
            data={"due": f"{timezone.localdate().year}-12-31", "description": "矩阵节点"},
        ),
        ep(
            "修改事项",
            "change",
            "workplans.manage",
            lambda s: f"/workplans/items/{s['item'].pk}/edit/",
            "empty",
            method="POST",
            data={
                "number": "1",
                "title": "矩阵改名事项",
                "target_text": "完成",
                "lead_unit": "本局",
                "direction": "达到或超过",
            },
        ),
    ]
