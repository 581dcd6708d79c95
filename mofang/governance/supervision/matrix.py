"""教育督导's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives each county (常山县 "inside", 江山市 "outside") an inspector (the marker
of the 督学配备 page and the visit lists), a visit to its school with two findings, and four
整改通知: one to read (and a 督办单), one waiting for the school's reply, one waiting for the
inspector's verification; the second finding is left for 下达整改通知. The public 督导整改公示
needs no login and is not in the matrix (test_views proves it names no person).
"""

from django.utils import timezone

from mofang.platform.cases import services as cases
from mofang.platform.cases.registry import TO_SUPERVISION
from mofang.platform.matrix import Endpoint, Target, register_matrix_place
from mofang.platform.testing import make_user

from . import config, services
from .models import ItemResult

register_matrix_place("inspector", "county")  # 责任督学 of the county's schools


def _side(tag: str, county, school) -> dict:
    actor = make_user(f"mx_dx_{tag}", "inspector", county, full_name=f"矩阵{tag}督学")
    principal = make_user(f"mx_xz_{tag}", "principal", school, full_name=f"矩阵{tag}校长")
    inspector = services.add_inspector(county, f"矩阵{tag}督学", full_time=True, user=actor, acting_user=None)
    checklist = services.default_checklist()
    items = services.checklist_items(checklist)
    results: dict[int, dict] = {i.pk: {"result": ItemResult.OK} for i in items}
    for n in range(4):
        results[items[n].pk] = {"result": ItemResult.PROBLEM, "note": f"矩阵{tag}问题{n}"}
    visit = services.record_visit(
        inspector=inspector,
        school=school,
        visited_on=timezone.localdate(),
        checklist=checklist,
        results=results,
        acting_user=actor,
    )
    f = list(visit.findings.order_by("visit_item__item__order"))
    main = services.issue_notice(f[0], content=f"矩阵{tag}整改内容", term_days=30, acting_user=actor)
    cases.escalate(main.case, acting_user=actor, to=TO_SUPERVISION, reason="矩阵督办")
    to_reply = services.issue_notice(f[1], content="待报送", term_days=30, acting_user=actor)
    to_verify = services.issue_notice(f[2], content="待核查", term_days=30, acting_user=actor)
    services.reply(to_verify, comment="已整改", acting_user=principal)
    admin = make_user(f"mx_dds_{tag}", "county_admin", county, full_name=f"矩阵{tag}督导室")
    own_list = config.create_checklist(county, name=f"矩阵{tag}清单", acting_user=admin)
    config.add_item(own_list, f"矩阵{tag}条目", acting_user=admin)
    return {
        "county": county,
        "school": school,
        "inspector": inspector.name,
        "checklist": own_list,
        "checklist_name": own_list.name,
        "inspector_obj": inspector,
        "visit": visit,
        "note": "矩阵" + tag + "问题0",
        "finding": f[3],
        "main": main,
        "number": main.case.number,
        "order": services.supervision_order_number(main),
        "to_reply": to_reply,
        "to_verify": to_verify,
        "reply_no": to_reply.case.number,
        "empty": "",
    }


def make_objects(tree) -> dict:
    from mofang.platform.accounts.models import Membership, Role

    out = {
        "inside": _side("甲", tree.county, tree.school),
        "outside": _side("乙", tree.other_county, tree.other_school),
    }
    # a login with the inspector role in both counties, for 登记督学 on either side
    both = make_user("mx_dx_both", "inspector", tree.county, full_name="矩阵两地督学")
    Membership.objects.create(user=both, role=Role.objects.get(code="inspector"), org=tree.other_county)
    return out


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs=("school",), **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[x] for x in orgs])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    rect_orgs = ("county", "school")
    return [
        ep(
            "督学配备",
            "detail",
            "supervision.view_compliance",
            lambda s: f"/supervision/compliance/?county={s['county'].pk}",
            "inspector",
            orgs=("county",),
        ),
        ep(
            "采用督学责任区建议",
            "change",
            "supervision.assign",
            lambda s: f"/supervision/compliance/{s['county'].pk}/adopt/",
            "empty",
            orgs=("county",),
            method="POST",
        ),
        ep("进校督查列表", "list", "supervision.view_visit", lambda s: "/supervision/visits/", "inspector"),
        ep("进校督查计数", "count", "supervision.view_visit", lambda s: "/supervision/visits/", "inspector"),
        ep(
            "进校督查导出",
            "export",
            "supervision.view_visit",
            lambda s: "/supervision/visits/?export=xlsx",
            "inspector",
        ),
        ep(
            "进校督查详情",
            "detail",
            "supervision.view_visit",
            lambda s: f"/supervision/visits/{s['visit'].pk}/",
            "note",
        ),
        ep(
            "下达整改通知",
            "change",
            "supervision.issue_notice",
            lambda s: f"/supervision/findings/{s['finding'].pk}/notice/",
            "empty",
            method="POST",
            data={"content": "矩阵整改", "term_days": "30"},
        ),
        ep(
            "整改通知列表",
            "list",
            "supervision.view_rectification",
            lambda s: "/supervision/rectifications/",
            "number",
            orgs=rect_orgs,
        ),
        ep(
            "整改通知导出",
            "export",
            "supervision.view_rectification",
            lambda s: "/supervision/rectifications/?export=xlsx",
            "number",
            orgs=rect_orgs,
        ),
        ep(
            "整改通知详情",
            "detail",
            "supervision.view_rectification",
            lambda s: f"/supervision/rectifications/{s['main'].pk}/",
            "number",
            orgs=rect_orgs,
        ),
        ep(
            "整改通知书PDF",
            "detail",
            "supervision.view_rectification",
            lambda s: f"/supervision/rectifications/{s['main'].pk}/notice.pdf",
            "number",
            orgs=rect_orgs,
        ),
        ep(
            "督办单PDF",
            "detail",
            "supervision.view_rectification",
            lambda s: f"/supervision/rectifications/{s['main'].pk}/order.pdf",
            "order",
            orgs=rect_orgs,
        ),
        # the school replies (签收 + 报送): rectify on the school; others in scope are refused with a 400
        ep(
            "报送整改结果",
            "change",
            "supervision.rectify",
            lambda s: f"/supervision/rectifications/{s['to_reply'].pk}/",
            "empty",
            method="POST",
            data={"action": "reply", "comment": "矩阵整改情况"},
        ),
        # the inspector verifies on the reporting side (the county)
        ep(
            "核查整改",
            "change",
            "supervision.verify",
            lambda s: f"/supervision/rectifications/{s['to_verify'].pk}/",
            "empty",
            orgs=("county",),
            method="POST",
            data={"action": "verify", "comment": "矩阵核查"},
        ),
        # 督查清单 and 督学名册: the county's 督导室 (configure) on the county's own rows
        ep(
            "督查清单列表",
            "list",
            "supervision.configure",
            lambda s: "/supervision/checklists/",
            "checklist_name",
            orgs=("county",),
        ),
        ep(
            "督查清单详情",
            "detail",
            "supervision.configure",
            lambda s: f"/supervision/checklists/{s['checklist'].pk}/",
            "checklist_name",
            orgs=("county",),
        ),
        ep(
            "新建督查清单",
            "change",
            "supervision.configure",
            lambda s: f"/supervision/checklists/new/?county={s['county'].pk}",
            "empty",
            orgs=("county",),
            method="POST",
            data={"name": "矩阵新清单"},
        ),
        ep(
            "修改督查清单条目",
            "change",
            "supervision.configure",
            lambda s: f"/supervision/checklists/{s['checklist'].pk}/",
            "empty",
            orgs=("county",),
            method="POST",
            data={"action": "add", "text": "矩阵新条目"},
        ),
        ep(
            "复制督查清单",
            "change",
            "supervision.configure",
            lambda s: f"/supervision/checklists/{s['checklist'].pk}/copy/",
            "empty",
            orgs=("county",),
            method="POST",
        ),
        ep(
            "督学名册",
            "list",
            "supervision.configure",
            lambda s: f"/supervision/inspectors/?county={s['county'].pk}",
            "inspector",
            orgs=("county",),
        ),
        ep(
            "登记督学",
            "change",
            "supervision.configure",
            lambda s: f"/supervision/inspectors/?county={s['county'].pk}",
            "empty",
            orgs=("county",),
            method="POST",
            data={"username": "mx_dx_both"},
        ),
        ep(
            "修改督学专兼职",
            "change",
            "supervision.configure",
            lambda s: f"/supervision/inspectors/{s['inspector_obj'].pk}/",
            "empty",
            orgs=("county",),
            method="POST",
            data={"action": "full_time"},
        ),
    ]
