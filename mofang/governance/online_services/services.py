"""一网通办's service functions: apply, the engine's after-transition hook (hand the case on to the
next unit; on 办结 change the roll through roll.py or issue the certificate), certificates and
their verification, the catalogue's upkeep. Every change runs in one transaction and writes its
audit row (the case engine writes the case's own)."""

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm
from mofang.platform.audit.models import AuditAction
from mofang.platform.audit.services import record, snapshot
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case
from mofang.platform.cases.registry import WorkingDays
from mofang.platform.files import sniff
from mofang.platform.notifications.services import notify_inbox
from mofang.platform.orgs.models import OrgKind
from mofang.platform.orgs.selectors import county_of
from mofang.platform.people import grades, roll
from mofang.platform.people.models import Guardianship, RollStatus
from mofang.platform.web.formspec import FieldSpec, parse_form_spec

from .cases import GENERAL, TRANSFER_CROSS, TRANSFER_LOCAL
from .models import Applicant, Application, Certificate, HandlerKind, Result, Service, Workflow
from .roles import APPLY, HANDLE, MANAGE_CATALOGUE

CERTIFICATES = (Workflow.ROLL_CERTIFICATE, Workflow.STUDY_CERTIFICATE)
# 学籍证明 can be issued for a child on the roll (在读 or 休学); 在读证明 only for one in school
CERTIFIABLE: dict[str, tuple] = {
    Workflow.ROLL_CERTIFICATE: (RollStatus.ENROLLED, RollStatus.SUSPENDED),
    Workflow.STUDY_CERTIFICATE: (RollStatus.ENROLLED,),
}
NEEDS_STATUS: dict[str, tuple] = {
    Workflow.TRANSFER: (RollStatus.ENROLLED, RollStatus.SUSPENDED),
    Workflow.SUSPEND: (RollStatus.ENROLLED,),
    Workflow.RESUME: (RollStatus.SUSPENDED,),
    **CERTIFIABLE,
}
TYPE_NAMES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O or 1/I: 20 of them = 100 bits


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


# --- the application form: the platform's form description (文本, 数字, 选项, 日期) ----------------

FORM_TYPES = ("文本", "数字", "选项", "日期")  # materials are the service's attachments
MAX_TEXT = 500


def parse_form(text: str) -> list[FieldSpec]:
    """A service's 申请表 (field lines, mofang/platform/web/formspec.py) → fields; ValidationError
    on `form_spec` listing every bad line."""
    try:
        return parse_form_spec(text, form="申请表", types=FORM_TYPES, max_label=30, max_fields=20)
    except ValidationError as exc:
        raise ValidationError({"form_spec": exc.messages}) from None


def validate_answers(fields: list[FieldSpec], data) -> dict:
    """The submitted answers (a QueryDict or dict, keyed by the field's name) → clean values;
    ValidationError naming each field."""
    clean, errors = {}, {}
    for f in fields:
        value = str(data.get(f.label, "") or "").strip()
        if not value:
            if f.required:
                errors[f.label] = gettext("{label}：请填写").format(label=f.label)
            continue
        if "\x00" in value:
            errors[f.label] = gettext("{label}：含有非法字符，请删除后重试").format(label=f.label)
        elif f.ftype == "text" and len(value) > MAX_TEXT:
            errors[f.label] = gettext("{label}：不能超过{n}个字").format(label=f.label, n=MAX_TEXT)
        elif f.ftype == "number":
            try:
                Decimal(value)
            except InvalidOperation:
                errors[f.label] = gettext("{label}：请填写数字").format(label=f.label)
        elif f.ftype == "choice" and value not in f.choices:
            errors[f.label] = gettext("{label}：只能是{value}").format(label=f.label, value="、".join(f.choices))
        elif f.ftype == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                errors[f.label] = gettext("{label}：日期格式应为 2026-09-01").format(label=f.label)
        clean[f.label] = value
    if errors:
        raise ValidationError(errors)
    return clean


def is_guardian(user, student) -> bool:
    return Guardianship.objects.filter(guardian__user=user, student=student).exists()


def handling_unit(service: Service, school):
    """The unit that handles `service` for a student of `school`."""
    if service.handler_kind == HandlerKind.SCHOOL:
        return school
    county = county_of(school)
    if service.handler_kind == HandlerKind.COUNTY or county is None:
        return county or school
    return county.get_parent() or county


def material_key(i: int) -> str:
    return f"material_{i}"


def check_materials(service: Service, files) -> list:
    """The uploads for the service's materials (field material_<i>): required ones present, each of
    an allowed type (by content) and within its size. Returns [(material name, upload)]."""
    out, errors = [], {}
    for i, m in enumerate(service.materials or []):
        key, name = material_key(i), m.get("name", "材料")
        upload = files.get(key) if files else None
        if upload is None:
            if m.get("required"):
                errors[key] = gettext("{label}：请上传").format(label=name)
            continue
        try:
            kind = sniff(upload, label=name, max_bytes=int(m.get("max_mb", 10)) * 1024 * 1024)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
            continue
        allowed = [TYPE_NAMES[t] for t in m.get("types") or TYPE_NAMES if t in TYPE_NAMES]
        if kind not in allowed:
            errors[key] = gettext("{label}只能是{types}文件").format(
                label=name, types="、".join(t.upper() for t in m.get("types") or TYPE_NAMES)
            )
            continue
        out.append((name, upload))
    if errors:
        raise ValidationError(errors)
    return out


def _check_target(student, target):
    if target is None:
        _refuse("target_school", gettext("转入学校：请选择转入学校"))
    if target.kind != OrgKind.SCHOOL or not grades.has_grades(target.school_type):
        _refuse("target_school", gettext("转入学校：{name}不是中小学校").format(name=target.name))
    if target.pk == student.school_id:
        _refuse("target_school", gettext("转入学校：不能转入孩子现在就读的学校"))


def check_applicant(service: Service, student, acting_user) -> None:
    """May `acting_user` apply for `service` for `student` now: the service open to parents, the
    permission, guardianship, and the child's roll status the service needs."""
    if not service.active:
        _refuse("service", gettext("事项：{service}暂未开通网上办理").format(service=service.name))
    if Applicant.PARENT not in (service.applicants or []):
        _refuse("service", gettext("事项：{service}不能由家长申请").format(service=service.name))
    # 家长 is granted at the root of the tree (phone sign-in): guardianship, checked next, is the scope
    if not has_perm(acting_user, APPLY):
        raise PermissionDenied(gettext("您没有申请一网通办事项的权限"))
    if not is_guardian(acting_user, student):
        _refuse("student", gettext("学生：只能为自己的孩子申请"))
    wanted = NEEDS_STATUS.get(service.workflow)
    if wanted and student.status not in wanted:
        _refuse(
            "student",
            gettext("学生：{name}当前学籍状态为{status}，不能申请{service}").format(
                name=student.name, status=student.get_status_display(), service=service.name
            ),
        )


def transfer_target(service: Service, student, target_school):
    """The school a transfer goes to (checked), None for any other service."""
    if service.workflow != Workflow.TRANSFER:
        return None
    _check_target(student, target_school)
    return target_school


def apply(
    service: Service, student, *, acting_user, answers=None, files=None, target_school=None, now=None
) -> Application:
    """A parent applies for `service` for their own child (guardianship), with the form's answers and
    the materials; the application becomes a case at the handling unit with the service's legal
    time limit (working days) as its due date."""
    now = now or timezone.now()
    check_applicant(service, student, acting_user)
    clean = validate_answers(parse_form(service.form_spec), answers or {})
    uploads = check_materials(service, files)
    target_school = transfer_target(service, student, target_school)
    with transaction.atomic():
        app = open_application(
            service, student, acting_user=acting_user, answers=clean, target_school=target_school, now=now
        )
        for _name, upload in uploads:
            cases.attach(app.case, upload, acting_user=acting_user, now=now)
    return app


def _already_open(student, service: Service):
    _refuse(
        "service", gettext("事项：{name}已有一件{service}申请在办理中").format(name=student.name, service=service.name)
    )


def open_application(
    service: Service, student, *, acting_user, answers: dict, target_school=None, now, note: str = ""
) -> Application:
    """The application and its case (checked answers; inside the caller's transaction), audited."""
    code = GENERAL
    if target_school is not None:
        code = TRANSFER_LOCAL if county_of(target_school) == county_of(student.school) else TRANSFER_CROSS
    unit = handling_unit(service, student.school)
    with transaction.atomic():
        if Application.objects.filter(service=service, student=student, result=Result.PENDING).exists():
            _already_open(student, service)
        title = f"{service.name}：{student.name}"
        if target_school is not None:
            title += f"（转入{target_school.name}）"
        case = cases.open_case(
            code,
            title=title,
            reporting_org=student.school,
            responsible_org=unit,
            acting_user=acting_user,
            description="\n".join(f"{k}：{v}" for k, v in answers.items()),
            due_on=WorkingDays(service.time_limit_days),
            data={"service": service.code},
            now=now,
        )
        try:
            with transaction.atomic():
                app = Application.objects.create(
                    case=case,
                    service=service,
                    student=student,
                    applicant=acting_user,
                    school=student.school,
                    target_school=target_school,
                    answers=answers,
                )
        except IntegrityError:  # a concurrent submit won: the case opened above is undone with it
            _already_open(student, service)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"申请{service.name}（{student.name}，{case.number}）{note}",
            obj=app,
            org=student.school,
            after={"service": service.code, "student": student.pk, "case": case.pk},
        )
    return app


def app_link(app: Application) -> str:
    return reverse("online_services:mine_detail", args=[app.pk])


def _next_unit(app: Application, state: str):
    if state == "out_bureau":
        return county_of(app.school)
    if state == "in_bureau":
        return county_of(app.target_school)
    if state == "in_school":
        return app.target_school
    return None


def hand_on(case: Case, unit) -> None:
    """Inside the engine's transaction (the case row is locked): the next unit of a transfer takes
    the case into its queue; its handlers are told after commit."""
    Case.objects.filter(pk=case.pk).update(responsible_org=unit, claimed_by=None, claimed_at=None)
    case.responsible_org, case.claimed_by, case.claimed_at = unit, None, None
    staff = cases.staff_of([unit], permission=HANDLE)
    title, body = f"新{case.type.name}待办理", f"{case.number}「{case.title}」已交{unit.name}，请及时办理。"
    link = reverse("cases:detail", args=[case.pk])
    transaction.on_commit(lambda: [notify_inbox(u, title, body, link) for u in staff])


def after_case_transition(case: Case, transition, acting_user, now) -> None:
    """The engine's after_transition: follow the case (hand on, settle, return) and tell the applicant."""
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("service", "student", "school", "target_school")
        .get(case=case)
    )
    before = snapshot(app, ["result", "result_text", "decided_at"])
    if transition.code == "agree_out":
        app.out_agreed_by = acting_user
    unit = _next_unit(app, case.state)
    if unit is not None and unit.pk != case.responsible_org_id:
        hand_on(case, unit)
    if case.state == "done":
        settle(app, acting_user=acting_user, now=now)
    elif case.state == "returned":
        last = case.events.exclude(comment="").order_by("-pk").first()
        app.result, app.decided_at = Result.RETURNED, now
        app.result_text = (last.comment if last else "")[:500]
    app.save()
    if app.result:
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{app.service.name}（{app.student.name}）{app.get_result_display()}",
            obj=app,
            org=app.school,
            before=before,
            after=snapshot(app, ["result", "result_text", "decided_at"]),
        )
    title = f"您的{app.service.name}申请：{case.state_label}"
    body = f"{case.number}「{case.title}」{transition.label}，当前状态：{case.state_label}。"
    if app.result_text:
        body += f"说明：{app.result_text}"
    applicant, link = app.applicant, app_link(app)
    transaction.on_commit(lambda: notify_inbox(applicant, title, body, link))
    if app.result:
        from .bundles import after_member

        after_member(app, now=now)  # a bundle's next step starts once this one is 办结


def settle(app: Application, *, acting_user, now) -> None:
    """办结: the roll changes through roll.py (history kept as RollEvents), or the certificate is issued."""
    wf, student, number = app.service.workflow, app.student, app.case.number
    if wf == Workflow.TRANSFER:
        target = app.target_school
        assert target is not None  # a transfer always names it (apply)
        # the sending school agreed (its handler's authority transfers the child out); the receiving
        # school's handler takes the child in
        roll.transfer_out(student, acting_user=app.out_agreed_by, to_school=target.name, reason=f"一网通办转学{number}")
        student.refresh_from_db()
        roll.transfer_in(
            student, acting_user=acting_user, school=target, from_school=app.school.name, reason=f"一网通办转学{number}"
        )
        app.result_text = f"已转入{target.name}"
    elif wf == Workflow.SUSPEND:
        roll.suspend(
            student, acting_user=acting_user, reason=f"一网通办休学{number}：{app.answers.get('休学原因', '')}"
        )
        app.result_text = "已办理休学"
    elif wf == Workflow.RESUME:
        roll.resume(student, acting_user=acting_user, reason=f"一网通办复学{number}")
        app.result_text = "已复学"
    elif wf in CERTIFICATES:
        cert = issue_certificate(app, now=now)
        app.result_text = f"已出具{cert.get_kind_display()}，验证码 {cert.code}"
    else:
        app.result_text = "已办结"
    app.result, app.decided_at = Result.DONE, now


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch in CODE_ALPHABET)[:20]
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


def issue_certificate(app: Application, *, now) -> Certificate:
    student = app.student
    student.refresh_from_db()
    wf = app.service.workflow
    if student.status not in CERTIFIABLE[wf]:
        _refuse(
            "student",
            gettext("学生：{name}当前学籍状态为{status}，不能出具{kind}").format(
                name=student.name, status=student.get_status_display(), kind=Workflow(wf).label
            ),
        )
    school = student.school
    return Certificate.objects.create(
        application=app,
        kind=wf,
        code=new_code(),
        student=student,
        school=school,
        student_name=student.name,
        school_name=school.name,
        status_label=student.get_status_display(),
        grade_label=grades.grade_name(school.school_type, student.grade) if student.grade else "",
        issued_on=timezone.localdate(now),
    )


def verify(code: str) -> Certificate | None:
    """The certificate a public verification code names (None: not valid). Public, no scope: it shows
    only the essentials (name masked)."""
    code = normalise_code(code)
    if len(code) != 23:
        return None
    return Certificate.objects.filter(code=code, revoked=False).select_related("application__case").first()


# --- the catalogue -----------------------------------------------------------------------------


def may_manage_catalogue(acting_user) -> None:
    if acting_user is not None and not has_perm(acting_user, MANAGE_CATALOGUE):
        raise PermissionDenied(gettext("您没有维护一网通办事项目录的权限"))


def upsert(model, values: dict, *, acting_user, what: str):
    """Create or update one row of the catalogue (a Service or a Bundle) by its code, audited."""
    may_manage_catalogue(acting_user)
    with transaction.atomic():
        obj = model.objects.select_for_update().filter(code=values["code"]).first()
        created = obj is None
        before = None if obj is None else snapshot(obj, list(values))
        if obj is None:
            obj = model(code=values["code"])
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        record(
            actor=acting_user,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            summary=f"{'新增' if created else '更新'}{what}「{obj.name}」",
            obj=obj,
            before=before,
            after=snapshot(obj, list(values)),
        )
    return obj, created


def save_service(values: dict, *, acting_user) -> tuple[Service, bool]:
    """Create or update one service of the catalogue by its code (the importer's writer)."""
    return upsert(Service, values, acting_user=acting_user, what="一网通办事项")
