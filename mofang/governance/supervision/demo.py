"""The 教育督导 demo story in 常山县: the county's inspectors (inspector_cs and enough others for
the staffing rules), the 责任区 adopted from the proposal, two visits, and 整改通知 in each state —
待整改, 待核查, 已销号 and published, overdue with a 督办单 (挂牌督导)."""

import datetime as dt

from django.utils import timezone

from mofang.platform.cases import services as cases
from mofang.platform.cases.registry import TO_SUPERVISION
from mofang.platform.demo.names import NamePicker
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import compliance, services
from .models import Inspector, InspectorAssignment, ItemResult

COUNTY_CODE = "330822"


def _visit(inspector, actor, school, checklist, day, problems: dict[int, str]):
    items = services.checklist_items(checklist)
    results: dict[int, dict] = {i.pk: {"result": ItemResult.OK} for i in items}
    for order, note in problems.items():
        results[items[order - 1].pk] = {"result": ItemResult.PROBLEM, "note": note}
    return services.record_visit(
        inspector=inspector,
        school=school,
        visited_on=day,
        checklist=checklist,
        results=results,
        summary="按《责任督学进校督查20看》逐项查看。",
        acting_user=actor,
    )


def _make_lead_responsible_for(lead, story, admin) -> None:
    """inspector_cs becomes the 责任督学 of the story school (常山县第一小学) by swapping one school
    with whoever the proposal gave it to — unless a big school (1∶1) is involved."""
    current = InspectorAssignment.objects.filter(school=story).select_related("inspector").first()
    if current is None or current.inspector_id == lead.pk:
        return
    _report, facts = compliance.county_report(lead.county)
    held = facts["current"]
    if any(facts["schools"][s].big for s in held.get(lead.pk, []) + held.get(current.inspector_id, [])):
        return
    if held.get(lead.pk):
        swap = OrgUnit.objects.get(pk=held[lead.pk][-1])
        services.assign_school(current.inspector, swap, acting_user=admin)
    services.assign_school(lead, story, acting_user=admin)


def build(ctx) -> None:
    county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, code=COUNTY_CODE).first()
    actor, admin, principal = (ctx.users.get(u) for u in ("inspector_cs", "admin_cs", "principal_cs1"))
    if county is None or actor is None or Inspector.objects.filter(county=county).exists():
        ctx.log("教育督导：未找到常山县或已生成，跳过")
        return
    report, _facts = compliance.county_report(county)
    total = max(report.need_total, 1)
    full = compliance.full_time_needed(total)
    names = NamePicker(ctx.rng)
    staff = ctx.staff.get("inspector_cs")
    lead = services.add_inspector(
        county, actor.full_name or "责任督学", full_time=True, user=actor, staff=staff, acting_user=admin
    )
    for n in range(1, total):
        services.add_inspector(county, names.adult(ctx.rng.choice("MF")), full_time=n < full, acting_user=admin)
    services.adopt_proposal(county, acting_user=admin)
    story = principal.active_memberships()[0].org if principal is not None else None
    schools = [s for s in ctx.schools if s.kind == OrgKind.SCHOOL and s.path.startswith(county.path)]
    if story is None or story not in schools:
        ctx.log("教育督导：未找到常山县第一小学，只生成督学与责任区")
        return
    _make_lead_responsible_for(lead, story, admin)
    mine = list(InspectorAssignment.objects.filter(inspector=lead).exclude(school=story).select_related("school"))
    # a small demo (--scale 0.02) has only the story school in 常山县: the second visit is left out
    other = mine[0].school if mine else next((s for s in schools if s.pk != story.pk), None)

    checklist = services.default_checklist()
    today = timezone.localdate()
    now = timezone.now()
    v1 = _visit(
        lead,
        actor,
        story,
        checklist,
        today - dt.timedelta(days=45),
        {
            5: "部分班级书面作业时长超过规定，缺少作业公示",
            15: "食堂留样记录不完整，缺少周末留样",
            14: "教学楼二楼灭火器过期",
            8: "体育活动时间被挤占",
        },
    )
    v2 = (
        _visit(
            lead, actor, other, checklist, today - dt.timedelta(days=10), {16: "放学时段校门口车辆拥堵，缺少护导人员"}
        )
        if other is not None
        else None
    )
    f = {x.visit_item.item.order: x for x in v1.findings.all()}

    # 已销号 and published
    done = services.issue_notice(
        f[5],
        content="严格控制书面作业总量，建立作业公示制度。",
        term_days=15,
        acting_user=actor,
        now=now - dt.timedelta(days=44),
    )
    services.reply(
        done, comment="已建立年级作业统筹与每日公示制度。", acting_user=principal, now=now - dt.timedelta(days=35)
    )
    services.verify(
        done, passed=True, comment="抽查三个班级，作业公示到位。", acting_user=actor, now=now - dt.timedelta(days=30)
    )
    services.publish(done, summary="学校已建立作业统筹与每日公示制度，经责任督学核查整改到位。", acting_user=admin)
    # overdue: signed, never reported — 督办单, 挂牌督导
    late = services.issue_notice(
        f[14],
        content="立即更换过期灭火器，全面排查消防设施。",
        term_days=7,
        major=True,
        acting_user=actor,
        now=now - dt.timedelta(days=44),
    )
    cases.fire(late.case, "start", acting_user=principal, now=now - dt.timedelta(days=43))
    cases.escalate(
        late.case, acting_user=None, to=TO_SUPERVISION, reason="逾期未办结，自动督办", now=now - dt.timedelta(days=35)
    )
    # 待核查
    waiting = services.issue_notice(
        f[15],
        content="完善食堂留样制度，每餐留样不少于48小时。",
        term_days=30,
        acting_user=actor,
        now=now - dt.timedelta(days=40),
    )
    services.reply(
        waiting, comment="已补齐留样设备并安排专人登记。", acting_user=principal, now=now - dt.timedelta(days=2)
    )
    # 待整改
    if v2 is not None:
        services.issue_notice(
            v2.findings.get(),
            content="放学时段安排教师护导，协调交警疏导校门口交通。",
            term_days=30,
            acting_user=actor,
            now=now - dt.timedelta(days=9),
        )
    n = 1 if v2 is None else 2
    ctx.log(f"教育督导：常山县督学{total}名（专职{full}名），进校督查{n}次，整改通知{n + 2}件")
