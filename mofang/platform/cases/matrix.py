"""The case pages, report, attachment download and API in the permission matrix
(see mofang/platform/matrix.py), over the example type `casetest.hazard` (cases/examples.py).

"inside": a case 常山县第一小学 reported to 常山县公安局 (tree.department); "outside": one
江山市实验小学 reported to 江山市's department. A case is visible on its reporting and its
responsible unit's subtrees, so both are the target's orgs. (待我单位认领 is narrower than the
oracle — the queue of the units one works *at* — and is tested in tests/test_pages.py.) Markers: the title (pages, lists,
exports, API), the department's cell (report), the attachment's bytes (download).

A second part (matrix_moved.py) checks a case that moved away from the units that held it.
"""

import sys

from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.matrix import Endpoint, Target

from . import matrix_moved

PERM = "casetest.view"


def make_objects(tree) -> dict:
    from mofang.platform.accounts.roles import sync_roles
    from mofang.platform.orgs.models import OrgKind
    from mofang.platform.testing import add, make_user

    from . import services
    from .examples import HAZARD, register_examples

    register_examples()
    sync_roles()  # the Role rows carry the example type's grants
    other_dept = add(tree.other_county, "江山市矩阵公安局", OrgKind.DEPARTMENT)
    objs = {}
    for side, school, dept, tag in (
        ("inside", tree.school, tree.department, "甲"),
        ("outside", tree.other_school, other_dept, "乙"),
    ):
        case = services.open_case(
            HAZARD.code,
            title=f"矩阵案件{tag}",
            reporting_org=school,
            responsible_org=dept,
            category="traffic",
            acting_user=None,
        )
        uploader = make_user(f"matrix_cases_{side}", "principal", school)  # not the matrix user
        att = services.attach(
            case, SimpleUploadedFile(f"矩阵{tag}.pdf", f"%PDF-1.4 矩阵附件{tag}".encode()), acting_user=uploader
        )
        objs[side] = {
            "case": case,
            "title": case.title,
            "dept": f"<td>{dept.name}</td>",
            "dept_name": dept.name,
            "attachment": att,
            "file": f"矩阵附件{tag}",
            "orgs": [school, dept],
            "empty": "",
        }
    return objs


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, url, marker, **kw):
        return Endpoint(
            name=name,
            kind=kind,
            perm=PERM,
            inside=Target(url(i), i[marker], i["orgs"]),
            outside=Target(url(o), o[marker], o["orgs"]),
            **kw,
        )

    code = "casetest.hazard"
    return [
        ep("闭环案件列表", "list", lambda s: "/cases/?q=矩阵", "title"),
        ep("闭环案件计数", "count", lambda s: "/cases/?q=矩阵", "title"),
        ep("闭环案件导出", "export", lambda s: "/cases/?q=矩阵&export=xlsx", "title"),
        ep("类型案件列表", "list", lambda s: f"/cases/t/{code}/?q=矩阵", "title"),
        ep("类型案件计数", "count", lambda s: f"/cases/t/{code}/?q=矩阵", "title"),
        ep("类型案件导出", "export", lambda s: f"/cases/t/{code}/?export=xlsx", "title"),
        ep("案件详情", "detail", lambda s: f"/cases/{s['case'].pk}/", "title"),
        ep("案件统计", "list", lambda s: f"/cases/t/{code}/report/", "dept"),
        ep("案件统计导出", "export", lambda s: f"/cases/t/{code}/report/?export=xlsx", "dept_name"),
        ep("案件附件下载", "detail", lambda s: f"/cases/attachments/{s['attachment'].pk}/", "file"),
        ep(
            "发表意见",
            "change",
            lambda s: f"/cases/{s['case'].pk}/",
            "empty",
            method="POST",
            data={"action": "comment", "comment": "矩阵意见"},
        ),
        ep("案件接口列表", "list", lambda s: "/api/cases/?q=矩阵", "title", api=True),
        ep("案件接口计数", "count", lambda s: "/api/cases/?q=矩阵", "title", api=True),
        ep("案件接口详情", "detail", lambda s: f"/api/cases/{s['case'].pk}/", "title", api=True),
    ]


PARTS = [sys.modules[__name__], matrix_moved]
