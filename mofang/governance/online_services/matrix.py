"""一网通办's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives each county a parent's 学籍证明 application at its school (常山县第一小学
"inside", 江山市实验小学 "outside"), handled to the end by the county (so a certificate exists), with
one material attached. Both the application and its case belong to the school.

我的申请 (/online_services/mine/) and 申请 (POST /online_services/apply/…) answer only for the
applicant's own applications and children (guardianship, not an org grant): no matrix user is
anybody's applicant or guardian, so for every role the other objects are hidden (perm OWN_ONLY,
held by no role). The public verification page and the catalogue hold no scoped data. Each side also has a 转学一件事 to a
second school of its county (一件事详情: the bundle belongs to both schools).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.cases import services as cases
from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_user

from .models import Certificate
from .roles import HANDLE, VIEW
from .testing import apply_bundle_for, apply_for, parent_of, second_school

OWN_ONLY = "online_services.applicant_only"  # no role holds it: only the applicant/guardian is served


def _side(tag: str, county, school, target_code: str) -> dict:
    parent, child = parent_of(school, f"mx{tag}", child_name=f"矩阵{tag}学生")
    app = apply_for("roll_certificate", parent, child)
    att = cases.attach(app.case, SimpleUploadedFile("证明.pdf", f"%PDF-1.4 矩阵{tag}材料".encode()), acting_user=parent)
    handler = make_user(f"mx_os_{tag}", "county_admin", county)
    for t in ("accept", "approve"):
        app.case.refresh_from_db()
        cases.fire(app.case, t, acting_user=handler)
    cert = Certificate.objects.get(application=app)
    open_app = apply_for("study_certificate", parent, child)
    # a 转学一件事 to another school of the same county (both schools inside the side)
    target = second_school(county, f"矩阵{tag}转入小学", target_code)
    ba = apply_bundle_for("transfer_bundle", parent, child, target_school=target)
    return {
        "school": school,
        "app": app,
        "open_app": open_app,
        "number": app.case.number,
        "open_number": open_app.case.number,
        "cert": cert,
        "pdf": f"certificate-{cert.code}",
        "att": att,
        "att_marker": f"矩阵{tag}材料",
        "child": child,
        "bundle": ba,
        "bundle_number": ba.number,
        "empty": "",
    }


def make_objects(tree) -> dict:
    return {
        "inside": _side("甲", tree.county, tree.school, "3308229801"),
        "outside": _side("乙", tree.other_county, tree.other_school, "3308819801"),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, **kw):
        return Endpoint(
            name=name,
            kind=kind,
            perm=perm,
            inside=Target(url=url(i), marker=i[marker], orgs=[i["school"]]),
            outside=Target(url=url(o), marker=o[marker], orgs=[o["school"]]),
            **kw,
        )

    return [
        ep("办理台列表", "list", VIEW, lambda s: "/online_services/desk/", "number"),
        ep("办理台计数", "count", VIEW, lambda s: "/online_services/desk/?result=done", "number"),
        ep("办理台导出", "export", VIEW, lambda s: "/online_services/desk/?export=xlsx", "number"),
        ep("待我单位办理", "list", VIEW, lambda s: "/online_services/desk/?result=open", "open_number"),
        ep("申请详情", "detail", VIEW, lambda s: f"/online_services/mine/{s['app'].pk}/", "number"),
        ep("证明PDF", "detail", VIEW, lambda s: f"/online_services/certificates/{s['cert'].pk}.pdf", "pdf"),
        ep("办理页面", "detail", VIEW, lambda s: f"/online_services/desk/{s['app'].pk}/", "number"),
        ep("申请案件", "detail", VIEW, lambda s: f"/cases/{s['app'].case_id}/", "number"),
        ep("申请材料", "detail", VIEW, lambda s: f"/cases/attachments/{s['att'].pk}/", "att_marker"),
        ep("一件事详情", "detail", VIEW, lambda s: f"/online_services/bundles/{s['bundle'].pk}/", "bundle_number"),
        ep("我的申请", "list", OWN_ONLY, lambda s: "/online_services/mine/", "number"),
        # changes last
        ep(
            "受理申请",
            "change",
            HANDLE,
            lambda s: f"/online_services/desk/{s['open_app'].pk}/",
            "empty",
            method="POST",
            data={"transition": "accept"},
        ),
        ep(
            "申请事项",
            "change",
            OWN_ONLY,
            lambda s: "/online_services/apply/roll_certificate/",
            "empty",
            method="POST",
            data={"student": str(i["child"].pk), "用途": "升学"},
        ),
        ep(
            "申请一件事",
            "change",
            OWN_ONLY,
            lambda s: "/online_services/bundles/apply/resume_bundle/",
            "empty",
            method="POST",
            data={"student": str(i["child"].pk), "用途": "其他"},
        ),
    ]
