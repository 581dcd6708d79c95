"""校园安全's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives each side — tree.school in 常山县 ("inside") and tree.other_school in
江山市 ("outside") — a hazard reported by the school and routed by the county's table to the
county's police (tree.department inside, a 江山市公安局 made here outside), the county's routing
rules, the school's safety profile and a ticked 一校一单 item, and a 服务指导 visit. A hazard
belongs to both the school and the department it was routed to, so the oracle's orgs are both:
the department sees only the case routed to it.
"""

import datetime as dt

from mofang.platform.cases import routing
from mofang.platform.matrix import Endpoint, Target
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import checklist, services
from .cases import CODE, ROUTES
from .roles import MANAGE_ROUTES, RECORD_VISIT, REPORT, TICK_CHECKLIST, VIEW, VIEW_CHECKLIST, VIEW_VISIT


def _side(school, county, department, tag: str) -> dict:
    from mofang.platform.cases import services as cases

    routing.save_rule(ROUTES, county, "traffic", department, acting_user=None, note=f"矩阵{tag}规则")
    spare = routing.save_rule(ROUTES, county, "environment", department, acting_user=None)
    case = cases.open_case(CODE, title=f"矩阵{tag}隐患", reporting_org=school, acting_user=None, category="traffic")
    checklist.save_profile(school, acting_user=None, near_water=True)
    checklist.set_ticks(school, checklist.current_period(), {"gate_duty": f"矩阵{tag}说明"}, acting_user=None)
    services.record_visit(
        department, school, acting_user=None, date=dt.date(2026, 3, 1), topic="交通安全", result=f"矩阵{tag}指导"
    )
    return {
        "school": school,
        "county": county,
        "department": department,
        "case": case,
        "spare": spare,
        "title": f"矩阵{tag}隐患",
        "rule": f"矩阵{tag}规则",
        "tick": f"矩阵{tag}说明",
        "visit": f"矩阵{tag}指导",
        "code": school.code,
        "school_option": f'<option value="{school.pk}"',
        "empty": "",
    }


def make_objects(tree) -> dict:
    other_police = OrgUnit.objects.add_child(
        tree.other_county, {"name": "江山市公安局", "kind": OrgKind.DEPARTMENT, "code": "330881-police"}
    )
    return {
        "inside": _side(tree.school, tree.county, tree.department, "甲"),
        "outside": _side(tree.other_school, tree.other_county, other_police, "乙"),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs=("school", "department"), **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[x] for x in orgs])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("校园安全隐患台账", "list", VIEW, lambda s: "/campus_safety/", "title"),
        ep("校园安全隐患计数", "count", VIEW, lambda s: "/campus_safety/?category=traffic&state=reported", "title"),
        ep("校园安全隐患导出", "export", VIEW, lambda s: "/campus_safety/?export=xlsx", "title"),
        ep(
            "校园安全态势：未办结隐患",
            "count",
            VIEW,
            lambda s: "/campus_safety/dashboard/",
            "title",
            count_label="未办结隐患",
        ),
        ep(
            "校园安全态势：期间上报",
            "count",
            VIEW,
            lambda s: "/campus_safety/dashboard/",
            "title",
            count_label="期间上报",
        ),
        ep("上报隐患页", "detail", REPORT, lambda s: "/campus_safety/report/", "school_option", orgs=("school",)),
        ep(
            "上报隐患",
            "change",
            REPORT,
            lambda s: f"/campus_safety/report/?school={s['school'].pk}",
            "empty",
            orgs=("school",),
            method="POST",
            data={"category": "vendor", "severity": "normal", "title": "矩阵上报"},
        ),
        ep(
            "分派规则",
            "detail",
            MANAGE_ROUTES,
            lambda s: f"/campus_safety/routes/{s['county'].pk}/",
            "rule",
            orgs=("county",),
        ),
        ep(
            "设置分派规则",
            "change",
            MANAGE_ROUTES,
            lambda s: f"/campus_safety/routes/{s['county'].pk}/?department={s['department'].pk}",
            "empty",
            orgs=("county",),
            method="POST",
            data={"category": "food", "note": "矩阵设置"},
        ),
        ep(
            "一校一单",
            "detail",
            TICK_CHECKLIST,
            lambda s: f"/campus_safety/checklist/?school={s['school'].pk}",
            "tick",
            orgs=("school",),
        ),
        ep(
            "填报一校一单",
            "change",
            TICK_CHECKLIST,
            lambda s: f"/campus_safety/checklist/?school={s['school'].pk}",
            "empty",
            orgs=("school",),
            method="POST",
            data={"action": "ticks", "item": "gate_duty"},
        ),
        ep(
            "学校安全档案",
            "change",
            TICK_CHECKLIST,
            lambda s: f"/campus_safety/checklist/?school={s['school'].pk}",
            "empty",
            orgs=("school",),
            method="POST",
            data={"action": "profile", "boarding": "on"},
        ),
        ep(
            "一校一单完成情况",
            "list",
            VIEW_CHECKLIST,
            lambda s: "/campus_safety/checklist/overview/",
            "code",
            orgs=("school",),
        ),
        ep(
            "一校一单完成情况计数",
            "count",
            VIEW_CHECKLIST,
            lambda s: "/campus_safety/checklist/overview/",
            "code",
            orgs=("school",),
        ),
        ep("服务指导记录", "list", VIEW_VISIT, lambda s: "/campus_safety/visits/", "visit"),
        ep("服务指导计数", "count", VIEW_VISIT, lambda s: "/campus_safety/visits/", "visit"),
        ep("服务指导导出", "export", VIEW_VISIT, lambda s: "/campus_safety/visits/?export=xlsx", "visit"),
        ep(
            "登记服务指导",
            "change",
            RECORD_VISIT,
            lambda s: f"/campus_safety/visits/new/?department={s['department'].pk}&school={s['school'].pk}",
            "empty",
            orgs=("department",),
            method="POST",
            data={"date": "2026-03-02", "topic": "消防安全"},
        ),
        # last: deleting a rule changes what the routing page shows
        ep(
            "删除分派规则",
            "change",
            MANAGE_ROUTES,
            lambda s: f"/campus_safety/routes/{s['county'].pk}/delete/{s['spare'].pk}/",
            "empty",
            orgs=("county",),
            method="POST",
        ),
    ]
