"""心理健康护航's demo story (registered with the core demo in AppConfig.ready()).

常山县第一小学 ran its autumn screening last week (家长代答): the psychologist psych_cs1 is assigned
to the pupils of 一年级1班, with their head teacher head_cs1. Most answers are 低, a few 中 and 高; one
parent's answer was positive on the self-harm item — psych_cs1 acknowledged the alert and the case
is in 干预; a second crisis answer came in today and waits for
acknowledgement (the to-do on psych_cs1's and head_cs1's home page; unacknowledged for 2 hours it
goes up to the county's 心理健康指导中心, mhc_cs). A 常山县 middle school ran a student-answered
screening with its own certified psychologist (psych_csz, a colleague in the story, no demo sign-in), who counts for 专职心理教师配备率. The
centre's hotline took three calls, one linked to the case.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.demo.registry import DemoLogin, register_demo_login
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.people.models import RollStatus, Staff, Student

from . import services
from .models import CareRole, CrisisAlert, Screening

CS1_CODE = "3308220001"
PSYCH_MID = DemoLogin(
    "psych_csz", "psych_teacher", "心理教师", "常山县一所初中", "中学心理筛查：学生本人作答（PHQ-9 + GAD-7）"
)
CENTRE = DemoLogin(
    "mhc_cs",
    "mh_centre",
    "心理健康指导中心",
    "常山县",
    "危机个案接办（逾期未确认的预警上报至此）、心理热线登记、筛查汇总",
)
register_demo_login(CENTRE)

LOW_P, LOW_G = [0, 1, 0, 1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0, 0]
MEDIUM = ([2, 1, 2, 1, 2, 1, 1, 1, 0], [1, 2, 1, 2, 1, 1, 1])
HIGH = ([2, 2, 2, 2, 2, 2, 2, 1, 0], [2, 2, 2, 2, 2, 2, 2])
CRISIS = ([2, 2, 1, 2, 1, 2, 1, 1, 1], [2, 1, 2, 1, 1, 2, 1])


def _low(rng):
    return [min(3, v + rng.choice((0, 0, 1))) if i < 8 else 0 for i, v in enumerate(LOW_P)], [
        min(3, v + rng.choice((0, 0, 1))) for v in LOW_G
    ]


def _answer_all(rng, campaign, screenings, special, now):
    """Answer `screenings` (about 85%); `special` maps a student id to fixed answers."""
    for s in screenings:
        if s.student_id not in special and rng.random() > 0.85:
            continue
        p, g = special.get(s.student_id) or _low(rng)
        services.submit_answers(s.code, p, g, now=now - dt.timedelta(minutes=rng.randrange(1, 3000)))


def build(ctx) -> None:
    from mofang.platform.demo.story import add_module_login

    cs1 = next((s for s in ctx.schools if s.code == CS1_CODE), None)
    psych, head, principal = (ctx.users.get(u) for u in ("psych_cs1", "head_cs1", "principal_cs1"))
    if cs1 is None or psych is None or principal is None:
        ctx.log("心理健康护航：未找到常山县第一小学或演示账号，跳过")
        return
    county = cs1.ancestor_of_kind(OrgKind.COUNTY)
    rng, now, today = ctx.rng, timezone.now(), timezone.localdate()
    centre = add_module_login(ctx, CENTRE.username, county, "常山县心理健康指导中心")

    # 常山县第一小学: assignments for 一年级1班, a parent-answered campaign
    klass = head.memberships.first().org if head is not None else None
    pupils = list(
        Student.objects.filter(school=cs1, klass=klass, status=RollStatus.ENROLLED).order_by("pk")[:40]
        if klass is not None
        else Student.objects.filter(school=cs1, status=RollStatus.ENROLLED).order_by("pk")[:20]
    )
    for p in pupils:
        services.assign(p, psych, CareRole.PSYCHOLOGIST, acting_user=principal)
        if head is not None and klass is not None:
            services.assign(p, head, CareRole.HEAD_TEACHER, acting_user=psych)
    campaign = services.create_campaign(
        cs1,
        term=f"{today.year}年秋季学期" if today.month >= 8 else f"{today.year}年春季学期",
        title="心理健康筛查（家长代答）",
        opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=7),
        acting_user=psych,
    )
    sheet = list(Screening.objects.filter(campaign=campaign).filter(student__in=pupils).order_by("student_id"))
    extra = list(Screening.objects.filter(campaign=campaign).exclude(student__in=pupils).order_by("student_id")[:60])
    special = {}
    if len(pupils) >= 8:
        special = {
            pupils[0].pk: CRISIS,
            pupils[1].pk: CRISIS,
            pupils[2].pk: HIGH,
            pupils[3].pk: HIGH,
            pupils[4].pk: MEDIUM,
            pupils[5].pk: MEDIUM,
            pupils[6].pk: MEDIUM,
        }
    # the first crisis answer came in last week and was acknowledged; the second is today's
    first = {k: v for k, v in special.items() if k != (pupils[1].pk if len(pupils) >= 8 else None)}
    _answer_all(
        rng,
        campaign,
        [s for s in sheet if s.student_id != (pupils[1].pk if special else None)] + extra,
        first,
        now - dt.timedelta(days=3),
    )
    alert = CrisisAlert.objects.filter(screening__campaign=campaign).order_by("pk").first()
    if alert is not None:
        ack_at = alert.raised_at + dt.timedelta(minutes=35)
        services.acknowledge(alert, acting_user=psych, comment="当日与家长电话沟通，次日面谈", now=ack_at)
        services.step(
            alert.case,
            "intervene",
            acting_user=psych,
            comment="每周一次个别辅导，家校共同关注",
            now=ack_at + dt.timedelta(days=1),
        )
    if special:
        services.submit_answers(
            next(s.code for s in sheet if s.student_id == pupils[1].pk), *CRISIS, now=now - dt.timedelta(minutes=20)
        )

    # a 常山县 middle school: its certified psychologist and a student-answered campaign
    # a 初中 of the county, else its 高中 or 完全中学 (the students answer themselves in each)
    order = (SchoolType.JUNIOR, SchoolType.COMPLETE_SECONDARY, SchoolType.SENIOR)
    secondary = [s for s in ctx.schools if s.path.startswith(county.path) and s.school_type in order]
    mid = min(secondary, key=lambda s: (order.index(s.school_type), s.code), default=None)
    if mid is not None:
        # the school's psychologist: a colleague in the story, not one of the demo's sign-ins
        psych_mid = User.objects.create(username="psych_csz", full_name="中学心理老师", password="!")
        Membership.objects.create(user=psych_mid, role=Role.objects.get(code="psych_teacher"), org=mid)
        staff = Staff.objects.filter(org=mid, category="teacher", user__isnull=True).order_by("pk").first()
        if staff is not None:
            staff.user, staff.subject, staff.position = psych_mid, "心理健康", "心理教师"
            staff.certificates = [{"kind": "心理健康教育B证", "number": "ZJXL2019B0231", "date": "2019-07-01"}]
            staff.save()
            psych_mid.full_name = staff.name
            psych_mid.save(update_fields=["full_name"])
        students = list(Student.objects.filter(school=mid, status=RollStatus.ENROLLED).order_by("pk")[:60])
        for s in students:
            services.assign(s, psych_mid, CareRole.PSYCHOLOGIST, acting_user=psych_mid)
        c2 = services.create_campaign(
            mid,
            term=campaign.term,
            title="心理健康筛查（学生自评）",
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=4),
            acting_user=psych_mid,
        )
        mid_special = {}
        if len(students) >= 6:
            mid_special = {students[0].pk: HIGH, students[1].pk: MEDIUM, students[2].pk: MEDIUM, students[3].pk: HIGH}
        _answer_all(
            rng,
            c2,
            list(Screening.objects.filter(campaign=c2, student__in=students).order_by("student_id")),
            mid_special,
            now - dt.timedelta(days=5),
        )

    # the county centre's hotline
    case = alert.case if alert is not None else None
    calls = [
        ("parent", "王女士", "孩子最近不愿上学、晚上睡不好，想了解怎么和孩子沟通。", "medium", "", ""),
        ("student", "", "考试压力大，和同学关系紧张，聊完后情绪平稳。", "low", "", ""),
    ]
    if case is not None:
        calls.append(
            (
                "parent",
                "家长",
                "个案学生家长来电，反馈孩子在医院复诊情况，情绪较前稳定。",
                "high",
                "",
                case.number or "",
            )
        )
    for i, (kind, name, summary, risk, student_no, number) in enumerate(calls):
        services.record_hotline_call(
            county,
            called_at=now - dt.timedelta(days=2 - i, hours=rng.randrange(1, 6)),
            caller_kind=kind,
            caller_name=name,
            summary=summary,
            risk=risk,
            student_no=student_no,
            case_number=number,
            acting_user=centre,
        )
    ctx.log("心理健康护航：筛查、护航分配、危机预警与个案、心理热线已生成")
