"""校园安全's demo story (registered with the core demo in AppConfig.ready()).

常山县's routing table sends 交通、治安 to 常山县公安局, 消防 to the 消防救援大队, 食品安全 and
流动摊贩 to the 市场监督管理局, 卫生 matters (生态环境) to the 卫生健康局; 防溺水 and 施工 have no
rule, so they wait in the county's 待分派 queue. 常山县第一小学 (principal_cs1) has reported a
handful of hazards in different states: one waiting to be claimed by the police (police_cs can
claim it), one in hand, one waiting for the school's confirmation, one closed, one re-opened by
回头看, one 待分派, one overdue. The school has a safety profile (near water, on a main road) with
this month partly ticked, and the police have made a 服务指导 visit.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.cases import routing
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import RouteRule
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import checklist, services
from .cases import CODE, ROUTES

COUNTY_CODE = "330822"  # 常山县
# category → a word in the department's name
RULES = {
    "traffic": "公安",
    "order": "公安",
    "fire": "消防",
    "food": "市场监督",
    "vendor": "市场监督",
    "environment": "卫生",
}


def build(ctx) -> None:
    county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, code=COUNTY_CODE).first()
    if county is None or RouteRule.objects.filter(table=ROUTES.code, county=county).exists():
        ctx.log("校园安全：未找到常山县或已生成，跳过")
        return
    admin, principal, police = (ctx.users.get(u) for u in ("admin_cs", "principal_cs1", "police_cs"))
    departments = routing.departments_of(county)
    for category, word in RULES.items():
        dept = next((d for d in departments if word in d.name), None)
        if dept is not None:
            routing.save_rule(ROUTES, county, category, dept, acting_user=admin, note="演示规则")
    school = (
        next((m.org for m in principal.active_memberships() if m.org.kind == OrgKind.SCHOOL), None)
        if principal is not None
        else None
    )
    if school is None:
        schools = [s for s in ctx.schools if s.kind == OrgKind.SCHOOL and s.path.startswith(county.path)]
        school = min(schools, key=lambda s: s.code) if schools else None
    if school is None:
        ctx.log("校园安全：常山县没有学校，跳过隐患")
        return
    now = timezone.now()
    ago = lambda **kw: now - dt.timedelta(**kw)  # noqa: E731

    def hazard(category, title, *, severity="normal", when, description=""):
        return cases.open_case(
            CODE,
            title=title,
            reporting_org=school,
            acting_user=principal,
            category=category,
            severity=severity,
            description=description,
            address=school.address,
            now=when,
            lon=school.longitude,
            lat=school.latitude,
        )

    hazard(
        "traffic",
        "放学时段校门口接送车辆乱停",
        when=ago(hours=3),
        description="定阳路校门口双向车道被占用，学生穿行危险",
    )
    if police is not None:
        c = hazard("order", "校门外有社会闲散人员聚集", when=ago(days=2))
        cases.claim(c, acting_user=police, now=ago(days=2, hours=-1))
        cases.fire(c, "start", acting_user=police, now=ago(days=2, hours=-1))
        c = hazard("traffic", "上学时段护学岗人手不足", when=ago(days=5))
        cases.claim(c, acting_user=police, now=ago(days=5, hours=-2))
        cases.fire(c, "start", acting_user=police, now=ago(days=5, hours=-2))
        cases.fire(c, "resolve", acting_user=police, comment="已增派两名辅警早晚高峰到岗", now=ago(days=4))
        c = hazard("traffic", "校门口斑马线磨损", when=ago(days=20))
        cases.claim(c, acting_user=police, now=ago(days=20, hours=-3))
        cases.fire(c, "start", acting_user=police, now=ago(days=20, hours=-3))
        cases.fire(c, "resolve", acting_user=police, comment="已协调交通部门重新施划", now=ago(days=18))
        cases.fire(c, "confirm", acting_user=principal, now=ago(days=17))
        c = hazard("order", "学校周边网吧接纳未成年人", when=ago(days=30))
        cases.claim(c, acting_user=police, now=ago(days=30, hours=-4))
        cases.fire(c, "start", acting_user=police, now=ago(days=30, hours=-4))
        cases.fire(c, "resolve", acting_user=police, comment="已责令整改并立案查处", now=ago(days=27))
        cases.fire(c, "confirm", acting_user=principal, now=ago(days=26))
        cases.reopen(c, acting_user=principal, comment="回头看：近期又发现学生出入", now=ago(days=1))
    hazard("drowning", "学校西侧池塘缺少护栏和警示牌", severity="high", when=ago(hours=1))
    hazard("fire", "校外商铺堵占消防通道", severity="high", when=ago(hours=5))  # overdue: not claimed in 2 hours
    # 一校一单 and 服务指导
    checklist.save_profile(school, acting_user=principal, near_water=True, main_road=True)
    checklist.set_ticks(
        school, checklist.current_period(), {"gate_duty": "每日早晚到岗", "fire_check": ""}, acting_user=principal
    )
    if police is not None:
        dept = next(m.org for m in police.active_memberships() if m.org.kind == OrgKind.DEPARTMENT)
        services.record_visit(
            dept,
            school,
            acting_user=police,
            date=timezone.localdate() - dt.timedelta(days=7),
            topic="交通安全",
            result="查看护学岗设置与校门口交通组织，建议增设减速带",
        )
    ctx.log("校园安全：常山县分派规则与第一小学的隐患、一校一单、服务指导已生成")
