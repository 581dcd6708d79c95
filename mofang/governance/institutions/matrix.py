"""校外培训's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives each side — 常山县 ("inside") and 江山市 ("outside") — institutions
registered at the county (one 正常 with a site, a teacher, a white-list entry, an inspection with
an open rectification, a supervised account and a flagged charge; one 筹设; one whose 科技类
application went to the county's department: tree.department inside, a 江山市科技局 outside),
and a public report (查实, waiting for its reward). An application belongs to the county and to
the department it was routed to; everything else to the county. The public pages (no login)
are not permissioned and are tested in tests/test_public.py.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.cases import routing
from mofang.platform.cases import services as cases
from mofang.platform.matrix import Endpoint, Target
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.testing import make_user

from . import services, uscc
from .cases import APPLICATION_ROUTES
from .models import Category, InspectionKind, ListKind
from .roles import (
    DECIDE,
    HANDLE_REPORT,
    INSPECT,
    MANAGE,
    MANAGE_FEES,
    MANAGE_LISTS,
    MANAGE_ROUTES,
    SUBMIT_APPLICATION,
    VIEW,
    VIEW_APPLICATION,
    VIEW_FEES,
)


def _inst(county, name, category, n):
    return services.save_institution(
        acting_user=None,
        name=name,
        credit_code=uscc.make_credit_code("52", county.code, f"MX{n:06d}"),
        category=category,
        region=county,
        address=f"{name}地址",
    )


def _side(county, department, tag: str, base: int) -> dict:
    today = timezone.localdate()
    handler = make_user(f"inst_handler_{base}", "county_admin", county)
    routing.save_rule(APPLICATION_ROUTES, county, Category.TECH, department, acting_user=None)
    spare = routing.save_rule(APPLICATION_ROUTES, county, Category.OTHER, department, acting_user=None)
    inst = _inst(county, f"矩阵{tag}机构", Category.ARTS, base)
    services.decide_application(services.submit_application(inst, acting_user=None), approve=True, acting_user=handler)
    inst.refresh_from_db()
    site = services.add_site(inst, acting_user=None, address=f"矩阵{tag}场所", area=100)
    teacher = services.add_teacher(inst, acting_user=None, name=f"矩阵{tag}教师", subject="美术")
    entry = services.add_to_list(
        inst,
        acting_user=None,
        kind=ListKind.WHITE,
        region=county,
        reason=f"矩阵{tag}名单理由",
        start=today - dt.timedelta(days=1),
    )
    insp = services.record_inspection(
        inst,
        acting_user=None,
        kind=InspectionKind.COVERT,
        date=today,
        inspectors=f"矩阵{tag}检查员",
        findings="违规学科类培训",
        rectify=True,
    )
    services.save_fee_account(inst, acting_user=None, bank="矩阵银行", account_no=f"62220000{base:06d}")
    services.record_charge(
        inst, acting_user=None, student_name=f"矩阵{tag}学员", amount="1000", lessons=80, months=2, paid_on=today
    )
    prep = _inst(county, f"矩阵{tag}筹设机构", Category.TECH, base + 1)
    applying = _inst(county, f"矩阵{tag}申请机构", Category.TECH, base + 2)
    app = services.submit_application(applying, acting_user=None, note=f"矩阵{tag}申请说明")
    report = services.submit_public_report(
        county, target_name=f"矩阵{tag}举报对象", address="某地", description="违规补课"
    )
    cases.claim(report.case, acting_user=handler)
    cases.fire(report.case, "start", acting_user=handler)
    cases.fire(report.case, "substantiate", acting_user=handler, comment="查实")
    return {
        "county": county,
        "department": department,
        "inst": inst,
        "site": site,
        "teacher": teacher,
        "entry": entry,
        "insp": insp,
        "prep": prep,
        "app": app,
        "report": report,
        "tag": tag,
        "name": inst.name,
        "code": inst.credit_code,
        "app_name": applying.name,
        "app_number": app.case.number,
        "list_reason": f"矩阵{tag}名单理由",
        "inspector": f"矩阵{tag}检查员",
        "target": f"矩阵{tag}举报对象",
        "student": f"矩阵{tag}学员",
        "county_option": f'<option value="{county.pk}"',
        "inst_option": f'<option value="{inst.pk}"',
        "region_row": f'data-region="{county.code}"',
        "dept_name": department.name,
        "spare": spare,
        "empty": "",
    }


def make_objects(tree) -> dict:
    other_dept = OrgUnit.objects.add_child(
        tree.other_county, {"name": "江山市科技局", "kind": OrgKind.DEPARTMENT, "code": "330881-tech"}
    )
    return {
        "inside": _side(tree.county, tree.department, "甲", 1),
        "outside": _side(tree.other_county, other_dept, "乙", 11),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs=("county",), **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[x] for x in orgs])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    inst = lambda s: s["inst"].pk  # noqa: E731
    app_orgs = ("county", "department")
    today = timezone.localdate().isoformat()
    return [
        ep("培训机构列表", "list", VIEW, lambda s: "/institutions/", "name"),
        ep("培训机构计数", "count", VIEW, lambda s: "/institutions/?category=arts", "name"),
        ep("培训机构导出", "export", VIEW, lambda s: "/institutions/?export=xlsx", "name"),
        ep("培训机构详情", "detail", VIEW, lambda s: f"/institutions/{inst(s)}/", "code"),
        ep("登记机构页", "detail", MANAGE, lambda s: "/institutions/new/", "county_option"),
        ep("修改机构页", "detail", MANAGE, lambda s: f"/institutions/{inst(s)}/edit/", "name"),
        ep("检查登记页", "detail", INSPECT, lambda s: f"/institutions/{inst(s)}/inspect/", "name"),
        ep(
            "办学审批列表", "list", VIEW_APPLICATION, lambda s: "/institutions/applications/", "app_name", orgs=app_orgs
        ),
        ep(
            "办学审批计数",
            "count",
            VIEW_APPLICATION,
            lambda s: "/institutions/applications/?case__state=submitted",
            "app_name",
            orgs=app_orgs,
        ),
        ep(
            "办学审批导出",
            "export",
            VIEW_APPLICATION,
            lambda s: "/institutions/applications/?export=xlsx",
            "app_name",
            orgs=app_orgs,
        ),
        ep(
            "办学审批详情",
            "detail",
            VIEW_APPLICATION,
            lambda s: f"/institutions/applications/{s['app'].pk}/",
            "app_number",
            orgs=app_orgs,
        ),
        ep("分类审批规则", "detail", MANAGE_ROUTES, lambda s: f"/institutions/routes/{s['county'].pk}/", "dept_name"),
        ep("检查与暗访列表", "list", VIEW, lambda s: "/institutions/inspections/", "inspector"),
        ep("检查与暗访计数", "count", VIEW, lambda s: "/institutions/inspections/?kind=covert", "inspector"),
        ep("检查与暗访导出", "export", VIEW, lambda s: "/institutions/inspections/?export=xlsx", "inspector"),
        ep("黑白名单列表", "list", VIEW, lambda s: "/institutions/lists/", "list_reason"),
        ep("黑白名单计数", "count", VIEW, lambda s: "/institutions/lists/?kind=white", "list_reason"),
        ep("黑白名单导出", "export", VIEW, lambda s: "/institutions/lists/?export=xlsx", "list_reason"),
        ep("发布名单页", "detail", MANAGE_LISTS, lambda s: "/institutions/lists/new/", "inst_option"),
        ep("有奖举报列表", "list", VIEW, lambda s: "/institutions/reports/", "target"),
        ep("有奖举报计数", "count", VIEW, lambda s: "/institutions/reports/?case__state=substantiated", "target"),
        ep("有奖举报导出", "export", VIEW, lambda s: "/institutions/reports/?export=xlsx", "target"),
        ep("有奖举报详情", "detail", VIEW, lambda s: f"/institutions/reports/{s['report'].pk}/", "target"),
        ep("预收费记录", "list", VIEW_FEES, lambda s: "/institutions/fees/", "student"),
        ep("预收费计数", "count", VIEW_FEES, lambda s: "/institutions/fees/?flagged=1", "student"),
        ep("预收费导出", "export", VIEW_FEES, lambda s: "/institutions/fees/?export=xlsx", "student"),
        ep("超限预收费", "list", VIEW_FEES, lambda s: "/institutions/fees/flagged/", "student"),
        ep("超限预收费计数", "count", VIEW_FEES, lambda s: "/institutions/fees/flagged/", "student"),
        ep("超限预收费导出", "export", VIEW_FEES, lambda s: "/institutions/fees/flagged/?export=xlsx", "student"),
        ep("预收费上限", "detail", VIEW_FEES, lambda s: "/institutions/fees/limits/", "region_row"),
        # changes (those that alter what later rows show come last)
        ep(
            "登记机构",
            "change",
            MANAGE,
            lambda s: f"/institutions/new/?region={s['county'].pk}",
            "empty",
            method="POST",
            data={
                "name": "矩阵新机构",
                "credit_code": uscc.make_credit_code("52", "330822", "MN000001"),
                "category": "sports",
            },
        ),
        ep(
            "修改机构",
            "change",
            MANAGE,
            lambda s: f"/institutions/{inst(s)}/edit/?region={s['county'].pk}&credit_code={s['code']}",
            "empty",
            method="POST",
            data={"name": "矩阵改名机构", "category": "arts"},
        ),
        ep(
            "新增办学场所",
            "change",
            MANAGE,
            lambda s: f"/institutions/{inst(s)}/sites/",
            "empty",
            method="POST",
            data={"address": "矩阵新场所", "area": "120"},
        ),
        ep(
            "删除办学场所",
            "change",
            MANAGE,
            lambda s: f"/institutions/{inst(s)}/sites/{s['site'].pk}/delete/",
            "empty",
            method="POST",
        ),
        ep(
            "新增教师",
            "change",
            MANAGE,
            lambda s: f"/institutions/{inst(s)}/teachers/",
            "empty",
            method="POST",
            data={"name": "矩阵新教师", "subject": "舞蹈", "certificate_no": "20193300000000001"},
        ),
        ep(
            "删除教师",
            "change",
            MANAGE,
            lambda s: f"/institutions/{inst(s)}/teachers/{s['teacher'].pk}/delete/",
            "empty",
            method="POST",
        ),
        ep(
            "登记监管账户",
            "change",
            MANAGE_FEES,
            lambda s: f"/institutions/{inst(s)}/fees/account/",
            "empty",
            method="POST",
            data={"bank": "矩阵新银行", "account_no": "6222000011112222"},
        ),
        ep(
            "登记收费",
            "change",
            MANAGE_FEES,
            lambda s: f"/institutions/{inst(s)}/fees/charges/",
            "empty",
            method="POST",
            data={"student_name": "矩阵学员丙", "amount": "800", "lessons": "20", "months": "2", "paid_on": today},
        ),
        ep(
            "设置预收费上限",
            "change",
            MANAGE_FEES,
            lambda s: f"/institutions/fees/limits/{s['county'].pk}/",
            "empty",
            method="POST",
            data={"max_months": "4", "max_lessons": "70"},
        ),
        ep(
            "设置分类审批规则",
            "change",
            MANAGE_ROUTES,
            lambda s: f"/institutions/routes/{s['county'].pk}/?department={s['department'].pk}",
            "empty",
            method="POST",
            data={"category": "sports"},
        ),
        ep(
            "提交办学审批",
            "change",
            SUBMIT_APPLICATION,
            lambda s: f"/institutions/{s['prep'].pk}/apply/",
            "empty",
            method="POST",
            data={"note": "矩阵提交"},
        ),
        ep(
            "登记检查",
            "change",
            INSPECT,
            lambda s: f"/institutions/{inst(s)}/inspect/",
            "empty",
            method="POST",
            data={"kind": "inspection", "date": today, "inspectors": "矩阵检查组"},
        ),
        ep(
            "发布名单",
            "change",
            MANAGE_LISTS,
            lambda s: f"/institutions/lists/new/?institution={s['prep'].pk}&region={s['county'].pk}",
            "empty",
            method="POST",
            data={"kind": "black", "reason": "矩阵黑名单", "start": today},
        ),
        ep(
            "移出名单",
            "change",
            MANAGE_LISTS,
            lambda s: f"/institutions/lists/{s['entry'].pk}/end/",
            "empty",
            method="POST",
            data={"end": today},
        ),
        ep(
            "登记举报奖励",
            "change",
            HANDLE_REPORT,
            lambda s: f"/institutions/reports/{s['report'].pk}/reward/",
            "empty",
            method="POST",
            data={"amount": "300"},
        ),
        ep(
            "审批决定",
            "change",
            DECIDE,
            lambda s: f"/institutions/applications/{s['app'].pk}/decide/",
            "empty",
            orgs=app_orgs,
            method="POST",
            data={"decision": "refuse", "reason": "矩阵不予批准"},
        ),
        ep(
            "整改验收",
            "change",
            INSPECT,
            lambda s: f"/institutions/inspections/{s['insp'].pk}/close/",
            "empty",
            method="POST",
            data={"comment": "矩阵验收"},
        ),
        ep(
            "变更机构状态",
            "change",
            MANAGE,
            lambda s: f"/institutions/{inst(s)}/status/",
            "empty",
            method="POST",
            data={"status": "cancelled", "reason": "矩阵注销"},
        ),
        ep(
            "删除分类审批规则",
            "change",
            MANAGE_ROUTES,
            lambda s: f"/institutions/routes/{s['county'].pk}/delete/{s['spare'].pk}/",
            "empty",
            method="POST",
        ),
    ]
