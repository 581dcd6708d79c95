"""心理健康护航 services: every change (and every read of an individual record) goes through here,
with `acting_user=`, in one transaction, with its audit row."""

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.cases import services as cases
from mofang.platform.notifications.services import notify
from mofang.platform.orgs.models import SchoolType
from mofang.platform.people.models import RollStatus, Student

from . import scales
from .cases import CODE, ack_hours
from .models import (
    Answerer,
    CallerKind,
    Campaign,
    CareAssignment,
    CareRole,
    CrisisAlert,
    HospitalReferral,
    HotlineCall,
    Screening,
)
from .roles import ASSIGN, HOTLINE, MANAGE

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on a phone
SECONDARY = {SchoolType.JUNIOR, SchoolType.SENIOR, SchoolType.COMPLETE_SECONDARY, SchoolType.VOCATIONAL}


def _bad(message: str, field: str | None = None) -> NoReturn:
    raise ValidationError({field: [message]} if field else message)


# --- assignment ----------------------------------------------------------------------------


def _holds_role_at(user, role: str, org) -> bool:
    return any(m.role.code == role and org.path.startswith(m.org.path) for m in user.active_memberships())


def assign(student: Student, user, role: str, *, acting_user) -> CareAssignment:
    """Assign a professional to a student: a 心理教师 of the student's school, or the 班主任 of the
    student's class. By the principal or a psychologist of the school."""
    if not has_perm_at(acting_user, ASSIGN, student.school):
        _bad(gettext("您没有在{name}分配护航责任人的权限").format(name=student.school.name))
    if role == CareRole.PSYCHOLOGIST:
        if not _holds_role_at(user, "psych_teacher", student.school):
            _bad(gettext("{name}不是本校的心理教师").format(name=user), "user")
    elif role == CareRole.HEAD_TEACHER:
        if student.klass is None or not any(
            m.role.code == "head_teacher" and m.org_id == student.klass_id for m in user.active_memberships()
        ):
            _bad(gettext("{name}不是该生所在班级的班主任").format(name=user), "user")
    else:
        _bad(gettext("身份只能是心理教师或班主任"), "role")
    with transaction.atomic():
        a, created = CareAssignment.objects.get_or_create(
            student=student, user=user, defaults={"role": role, "assigned_by": acting_user}
        )
        if not created:
            _bad(gettext("{name}已是该生的护航责任人").format(name=user), "user")
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"分配护航责任人：{student.name} ← {user}（{a.get_role_display()}）",
            obj=a,
            after=snapshot(a),
        )
    return a


def assign_by_username(student: Student, username: str, role: str, *, acting_user) -> CareAssignment:
    """The assignment form names the professional by account; only colleagues holding the role at
    the student's school (psychologist) or class (head teacher) are found."""
    from mofang.platform.accounts.models import User

    wanted = {"psych": "psych_teacher", "head": "head_teacher"}.get(role)
    if wanted is None:
        _bad(gettext("身份只能是心理教师或班主任"), "role")
    user = (
        User.objects.filter(
            username=(username or "").strip(),
            is_active=True,
            memberships__role__code=wanted,
            memberships__org__path__startswith=student.school.path,
        )
        .distinct()
        .first()
    )
    if user is None:
        _bad(gettext("账号不存在，或不是本校的{role}").format(role=CareRole(role).label), "username")
    return assign(student, user, role, acting_user=acting_user)


def unassign(assignment: CareAssignment, *, acting_user) -> None:
    if not has_perm_at(acting_user, ASSIGN, assignment.student.school):
        _bad(gettext("您没有在{name}分配护航责任人的权限").format(name=assignment.student.school.name))
    with transaction.atomic():
        before = snapshot(assignment)
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            summary=f"取消护航责任人：{assignment.student.name} ← {assignment.user}",
            obj=assignment,
            before=before,
        )
        assignment.delete()


# --- campaigns -------------------------------------------------------------------------------


def answerer_for(school) -> str:
    """中学 students answer themselves (PHQ-9/GAD-7 are validated from about 12 years on); for 小学
    (and 九年一贯制, whose pupils are mostly primary) a parent answers the observer version."""
    return Answerer.STUDENT if school.school_type in SECONDARY else Answerer.PARENT


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def create_campaign(school, *, term: str, title: str, opens_on, closes_on, acting_user) -> Campaign:
    """A campaign for every enrolled student of the school, each with a one-time answer code."""
    if not has_perm_at(acting_user, MANAGE, school):
        _bad(gettext("您没有在{name}组织心理筛查的权限").format(name=school.name))
    term, title = (term or "").strip(), (title or "").strip()
    if not term or len(term) > 40:
        _bad(gettext("请填写学期（不超过40个字）"), "term")
    if not title or len(title) > 80:
        _bad(gettext("请填写名称（不超过80个字）"), "title")
    if opens_on is None:
        _bad(gettext("请填写开始日期"), "opens_on")
    if closes_on is None or closes_on < opens_on:
        _bad(gettext("截止日期不能早于开始日期"), "closes_on")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            school=school,
            term=term,
            title=title,
            answerer=answerer_for(school),
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=acting_user,
        )
        students = Student.objects.filter(school=school, status=RollStatus.ENROLLED).order_by("pk")
        codes: set[str] = set()
        rows = []
        for s in students:
            code = _new_code()
            while code in codes or Screening.objects.filter(code=code).exists():
                code = _new_code()
            codes.add(code)
            rows.append(Screening(campaign=campaign, student=s, code=code))
        Screening.objects.bulk_create(rows, batch_size=500)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"新建心理筛查「{title}」（{len(rows)}名学生）",
            obj=campaign,
            after=snapshot(campaign),
        )
    return campaign


def screening_by_code(code: str) -> Screening | None:
    """The questionnaire a one-time code opens (the answering page needs no account)."""
    code = (code or "").strip().upper().replace(" ", "")
    if not code or len(code) > 12:
        return None
    return Screening.objects.select_related("campaign", "student", "campaign__school").filter(code=code).first()


def _answers(values: Sequence, n: int, scale: str) -> list[int]:
    out = []
    for i in range(n):
        v = values[i] if i < len(values) else None
        try:
            a = int(v) if v is not None else -1
        except (TypeError, ValueError):
            a = -1
        if a not in (0, 1, 2, 3):
            _bad(gettext("{scale}第{i}题未作答").format(scale=scale, i=i + 1), f"{scale.lower()}_{i + 1}")
        out.append(a)
    return out


def submit_answers(code: str, phq9: Sequence, gad7: Sequence, *, now=None) -> Screening:
    """Store, score and grade one questionnaire; a positive self-harm answer raises the crisis alert
    in the same transaction (so the assigned professionals' inboxes have it when this returns)."""
    now = now or timezone.now()
    p = _answers(phq9, len(scales.PHQ9), "PHQ-9")
    g = _answers(gad7, len(scales.GAD7), "GAD-7")
    with transaction.atomic():
        s = (
            Screening.objects.select_for_update(of=("self",))
            .select_related("campaign", "campaign__school", "student", "student__school", "student__klass")
            .filter(code=(code or "").strip().upper())
            .first()
        )
        if s is None:
            _bad(gettext("作答码无效"), "code")
        if s.submitted_at is not None:
            _bad(gettext("该作答码已使用，不能再次提交"), "code")
        today = timezone.localdate(now)
        if not s.campaign.opens_on <= today <= s.campaign.closes_on:
            _bad(
                gettext("本次筛查不在作答时间内（{start}至{end}）").format(
                    start=s.campaign.opens_on, end=s.campaign.closes_on
                ),
                "code",
            )
        result = scales.score(p, g)
        s.phq9, s.gad7 = p, g
        s.phq9_total, s.gad7_total, s.risk = result.phq9, result.gad7, result.risk
        s.submitted_at = now
        s.save()
        record(
            actor=None,
            action=AuditAction.UPDATE,
            summary=f"提交心理筛查答卷（{s.campaign.title}）",
            obj=s,
            # no risk level here: principals read the audit log, the risk is for the assigned only
            after={"submitted_at": now.isoformat()},
        )
        if result.self_harm >= 1:
            raise_alert(s, now=now)
    return s


# --- crisis alerts ---------------------------------------------------------------------------


def raise_alert(screening: Screening, *, now) -> CrisisAlert:
    """Alert every assigned professional (inbox + SMS) and open the crisis case, whose first
    deadline is the acknowledgement deadline the overdue scan escalates on."""
    student = screening.student
    due = now + dt.timedelta(hours=ack_hours())
    case = cases.open_case(
        CODE,
        title=f"心理危机预警：{student.school.name}学生（{screening.campaign.title}）",
        reporting_org=student.klass or student.school,
        responsible_org=student.school,
        acting_user=None,
        severity="high",
        description="心理筛查自伤条目（PHQ-9 第9题）阳性，须立即确认并评估。",
        now=now,
    )
    alert = CrisisAlert.objects.create(screening=screening, student=student, raised_at=now, due_at=due, case=case)
    link = f"/mentalhealth/alerts/{alert.pk}/"
    deadline = timezone.localtime(due)
    for a in CareAssignment.objects.filter(student=student).select_related("user").order_by("pk"):
        notify(
            a.user,
            title="心理危机预警",
            body=f"您负责的一名学生（{student.klass.name if student.klass else student.school.name}）"
            f"筛查出现自伤风险，请于{deadline:%m月%d日%H:%M}前登录平台确认并处置。",
            org=student.school,
            link=link,
            channels=("inbox", "sms"),
        )
    record(
        actor=None,
        action=AuditAction.CREATE,
        summary=f"心理危机预警（{case.number}），确认时限{deadline:%Y-%m-%d %H:%M}",
        obj=alert,
    )
    return alert


def acknowledge(alert: CrisisAlert, *, acting_user, comment: str = "", now=None) -> CrisisAlert:
    """An assigned professional confirms the alert: the case moves on to 咨询 (the caller has
    already found the alert through the @assigned scope)."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = CrisisAlert.objects.select_for_update(of=("self",)).select_related("case").get(pk=alert.pk)
        if alert.acknowledged_at is not None:
            _bad(gettext("该预警已确认"))
        alert.acknowledged_at, alert.acknowledged_by = now, acting_user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        if alert.case is not None and alert.case.state == "found":
            cases.fire(alert.case, "acknowledge", acting_user=acting_user, comment=comment, now=now)
        record(actor=acting_user, action=AuditAction.ACTION, summary="确认心理危机预警", obj=alert)
    return alert


# --- reads of individual records ---------------------------------------------------------------


def record_read(obj, *, acting_user, what: str) -> None:
    """Every opening of an individual record is written to the audit log (who, when, which record).
    The summary names the kind of record only: the audit log is read by principals and bureaus,
    who must not learn from it which student had a crisis alert (the row's object id is enough)."""
    record(actor=acting_user, action=AuditAction.REVEAL, summary=f"查看{what}", obj=obj)


def record_list_read(*, acting_user, what: str) -> None:
    """A list of individual records (risk levels by name) is a read too: one audit row per page shown."""
    memberships = acting_user.active_memberships()
    record(
        actor=acting_user,
        action=AuditAction.REVEAL,
        summary=f"查看{what}列表",
        org=memberships[0].org if memberships else None,
    )


# --- the case loop: steps, hospital referral (教医联动), hotline (心理热线) -------------------------------


def step(case, transition: str, *, acting_user, comment: str = "", now=None):
    """One step of the loop (咨询 → 干预 → … → 回访 → 结案) through the case engine, which checks the
    transition, the handler's grant and the comment, and writes the timeline and audit rows."""
    return cases.fire(case, transition, acting_user=acting_user, comment=comment, now=now)


def student_of(case):
    """The student a crisis case is about (through its alert or a hotline call), or None."""
    alert = CrisisAlert.objects.filter(case=case).select_related("student", "student__klass").first()
    if alert is not None:
        return alert.student
    call = HotlineCall.objects.filter(case=case, student__isnull=False).select_related("student").first()
    return call.student if call else None


def referrals_of(case) -> list[HospitalReferral]:
    return list(HospitalReferral.objects.filter(case=case).select_related("referred_by"))


def refer_to_hospital(case, *, hospital: str, department: str = "", acting_user, now=None) -> HospitalReferral:
    """转介诊疗: record which hospital and when; the case enters 诊疗 (unless it is already there)."""
    now = now or timezone.now()
    hospital, department = (hospital or "").strip(), (department or "").strip()
    if not hospital or len(hospital) > 80:
        _bad(gettext("请填写转介医院（不超过80个字）"), "hospital")
    if len(department) > 40:
        _bad(gettext("科室不能超过40个字"), "department")
    with transaction.atomic():
        if case.state != "treat":
            case = cases.fire(case, "treat", acting_user=acting_user, comment=f"转介{hospital}{department}", now=now)
        elif not cases.holds(acting_user, case.responsible_org, permission="mentalhealth.handle_case"):
            _bad(gettext("您没有办理该个案的权限"))
        r = HospitalReferral.objects.create(
            case=case, hospital=hospital, department=department, referred_at=now, referred_by=acting_user
        )
        record(actor=acting_user, action=AuditAction.CREATE, summary=f"转介医院：{hospital}", obj=r, after=snapshot(r))
    return r


def record_referral_outcome(referral: HospitalReferral, *, outcome: str, outcome_on, acting_user) -> HospitalReferral:
    outcome = (outcome or "").strip()
    if not outcome or len(outcome) > 300:
        _bad(gettext("请填写诊疗结果（不超过300个字）"), "outcome")
    if outcome_on is None or outcome_on < timezone.localdate(referral.referred_at):
        _bad(gettext("结果日期不能早于转介日期"), "outcome_on")
    if not cases.holds(acting_user, referral.case.responsible_org, permission="mentalhealth.handle_case"):
        _bad(gettext("您没有办理该个案的权限"))
    with transaction.atomic():
        before = snapshot(referral)
        referral.outcome, referral.outcome_on = outcome, outcome_on
        referral.save(update_fields=["outcome", "outcome_on"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"登记诊疗结果：{referral.hospital}",
            obj=referral,
            before=before,
            after=snapshot(referral),
        )
    return referral


def record_hotline_call(
    org,
    *,
    called_at,
    caller_kind: str,
    caller_name: str = "",
    summary: str,
    risk: str,
    student_no: str = "",
    case_number: str = "",
    open_new_case: bool = False,
    acting_user,
) -> HotlineCall:
    """A 心理热线 call: linked to an existing crisis case (by number), or opening one — always when the
    risk is 危机, or when the operator asks."""
    from mofang.platform.cases.models import Case

    if not has_perm_at(acting_user, HOTLINE, org):
        _bad(gettext("您没有在{name}登记心理热线的权限").format(name=org.name))
    summary, caller_name = (summary or "").strip(), (caller_name or "").strip()
    if caller_kind not in CallerKind.values:
        _bad(gettext("请选择来电人"), "caller_kind")
    if not summary or len(summary) > 2000:
        _bad(gettext("请填写通话摘要（不超过2000个字）"), "summary")
    if len(caller_name) > 40:
        _bad(gettext("来电人称呼不能超过40个字"), "caller_name")
    if risk not in scales.Risk.values:
        _bad(gettext("请选择风险等级"), "risk")
    if called_at is None or called_at > timezone.now():
        _bad(gettext("来电时间不能晚于现在"), "called_at")
    student = None
    if (student_no or "").strip():
        student = (
            Student.objects.filter(student_no=student_no.strip()[:30], school__path__startswith=org.path)
            .select_related("school", "klass")
            .first()
        )
        if student is None:
            _bad(gettext("学籍号不存在或不在本区县"), "student_no")
    case = None
    if (case_number or "").strip():
        case = Case.objects.filter(
            case_type=CODE, number=case_number.strip()[:40], reporting_org__path__startswith=org.path
        ).first()
        case = (
            case
            or Case.objects.filter(
                case_type=CODE, number=case_number.strip()[:40], responsible_org__path__startswith=org.path
            ).first()
        )
        if case is None:
            _bad(gettext("个案编号不存在或不属于本区县"), "case_number")
    with transaction.atomic():
        if case is None and (open_new_case or risk == scales.Risk.CRISIS):
            case = cases.open_case(
                CODE,
                title="心理热线来电" + (f"：{student.school.name}学生" if student else ""),
                reporting_org=org,
                responsible_org=student.school if student else org,
                acting_user=None,
                severity="high" if risk in (scales.Risk.CRISIS, scales.Risk.HIGH) else "normal",
                description=summary[:2000],
            )
        call = HotlineCall.objects.create(
            org=org,
            called_at=called_at,
            caller_kind=caller_kind,
            caller_name=caller_name,
            summary=summary,
            risk=risk,
            student=student,
            case=case,
            taken_by=acting_user,
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"登记心理热线来电（{call.get_risk_display()}）" + (f"，个案{case.number}" if case else ""),
            obj=call,
        )
    return call
