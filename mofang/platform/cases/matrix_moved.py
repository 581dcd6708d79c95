"""A case that moved away from the units that held it, in the permission matrix (issue 13).

"inside": 常山县第一小学 reported it to 常山县公安局 (tree.department), which wrote to it and attached a
file, then passed it up to 常山县 (tree.county), which passed it up to 衢州市 (tree.city). It belongs to
the reporting school and the city now; the department and the county it moved away from no longer
see it through their own grants — the county although it is above the school (they see only a line
已转办至…, cases.queries.moved_away). "outside": the same story in 江山市. Markers: the title (pages,
lists, exports, API), the attachment's bytes (download).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.matrix import Endpoint, Target

PERM = "casetest.view"


def make_objects(tree) -> dict:
    from mofang.platform.accounts.roles import sync_roles
    from mofang.platform.orgs.models import OrgKind
    from mofang.platform.testing import add, make_user

    from . import services
    from .examples import HAZARD, register_examples
    from .registry import TO_PARENT_UNIT

    register_examples()
    sync_roles()  # the Role rows carry the example type's grants
    other_dept = add(tree.other_county, "江山市转办矩阵公安局", OrgKind.DEPARTMENT)
    objs = {}
    for side, school, dept, county, tag in (
        ("inside", tree.school, tree.department, tree.county, "甲"),
        ("outside", tree.other_school, other_dept, tree.other_county, "乙"),
    ):
        case = services.open_case(
            HAZARD.code,
            title=f"转办矩阵{tag}",
            reporting_org=school,
            responsible_org=dept,
            category="traffic",
            acting_user=None,
        )
        handler = make_user(f"matrix_moved_{side}", "dept_liaison", dept)  # not the matrix user
        services.comment(case, f"转办矩阵意见{tag}", acting_user=handler)
        att = services.attach(
            case, SimpleUploadedFile(f"转办{tag}.pdf", f"%PDF-1.4 转办附件{tag}".encode()), acting_user=handler
        )
        services.escalate(case, to=TO_PARENT_UNIT, reason="需上级协调")  # to the county
        services.escalate(case, to=TO_PARENT_UNIT, reason="需上级协调")  # to the city
        objs[side] = {
            "case": case,
            "title": case.title,
            "attachment": att,
            "file": f"转办附件{tag}",
            "orgs": [school, tree.city],
            "moved_from": [dept, county],
        }
    return objs


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, url, marker, **kw):
        return Endpoint(
            name=name,
            kind=kind,
            perm=PERM,
            inside=Target(url(i), i[marker], i["orgs"], i["moved_from"]),
            outside=Target(url(o), o[marker], o["orgs"], o["moved_from"]),
            **kw,
        )

    code = "casetest.hazard"
    return [
        ep("转办案件列表", "list", lambda s: "/cases/?q=转办矩阵", "title"),
        ep("转办案件计数", "count", lambda s: "/cases/?q=转办矩阵", "title"),
        ep("转办案件导出", "export", lambda s: "/cases/?q=转办矩阵&export=xlsx", "title"),
        ep("转办类型案件计数", "count", lambda s: f"/cases/t/{code}/?q=转办矩阵", "title"),
        ep("转办类型案件导出", "export", lambda s: f"/cases/t/{code}/?export=xlsx", "title"),
        ep("转办案件详情", "detail", lambda s: f"/cases/{s['case'].pk}/", "title"),
        ep("转办案件附件下载", "detail", lambda s: f"/cases/attachments/{s['attachment'].pk}/", "file"),
        ep("转办案件接口计数", "count", lambda s: "/api/cases/?q=转办矩阵", "title", api=True),
        ep("转办案件接口详情", "detail", lambda s: f"/api/cases/{s['case'].pk}/", "title", api=True),
    ]
