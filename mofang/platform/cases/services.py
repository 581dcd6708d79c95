"""Every change to a case: open, claim, fire a transition, comment, attach, escalate, re-open.

Each function takes `acting_user=`, runs in one transaction with the case row locked, refuses
anything outside the type's declared graph or the user's grants (ValidationError, Chinese),
writes the timeline event and the audit row together, and notifies after commit.
"""

import datetime as dt
import decimal
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform import files
from mofang.platform.accounts.models import Role, User
from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.notifications.services import notify
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.text import strip_control
from mofang.platform.workdays.calendar import add_working_days, end_of_day

from .models import Case, CaseAttachment, CaseEvent, EventKind, ExternalHandoff, SendState, StateKind
from .registry import (
    OPEN,
    REPORTING,
    TO_EXTERNAL,
    TO_PARENT_UNIT,
    TO_SUPERVISION,
    CaseType,
    Transition,
    WorkingDays,
    case_type,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
AUDITED = [
    "state",
    "responsible_org",
    "claimed_by",
    "due_at",
    "due_on",
    "closed_at",
    "reopened_count",
    "escalation_count",
]


# --- who may act --------------------------------------------------------------------------


def holds(user, org, *, permission: str | None = None, role: str | None = None) -> bool:
    """Whether `user` holds `permission` (or the role `role`) on the subtree containing `org`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if permission and has_perm_at(user, permission, org):
        return True
    return bool(role) and any(
        m.role.code == role and org.path.startswith(m.org.path) for m in user.active_memberships()
    )


def may_fire(case: Case, t: Transition, user) -> bool:
    if t.claimant_only and (case.claimed_by_id is None or case.claimed_by_id != getattr(user, "pk", None)):
        return False
    if t.at == REPORTING:
        if user is not None and user.is_authenticated and case.reporter_id == user.pk:
            return True
        return holds(user, case.reporting_org, permission=t.permission, role=t.role)
    return holds(user, case.responsible_org, permission=t.permission, role=t.role)


def may_claim(case: Case, user) -> bool:
    ct = case.type
    return holds(user, case.responsible_org, permission=ct.claim_permission, role=ct.claim_role)


def available_transitions(case: Case, user) -> list[Transition]:
    """The transitions `user` may fire on `case` now (for the buttons a page shows)."""
    return [t for t in case.type.transitions_from(case.state) if may_fire(case, t, user)]


def staff_of(units, *, permission: str | None = None, role: str | None = None) -> list:
    """Active users holding a membership *at* one of `units` whose role grants `permission` or is
    `role` — the unit's own staff who work its queue (not everybody above it in the tree)."""
    role_ids = [
        r.pk for r in Role.objects.all() if (permission and permission in r.permissions) or (role and r.code == role)
    ]
    if not role_ids:
        return []
    unit_ids = [u.pk if hasattr(u, "pk") else u for u in units]
    return list(
        User.objects.filter(is_active=True, memberships__org_id__in=unit_ids, memberships__role_id__in=role_ids)
        .distinct()
        .order_by("pk")
    )


# --- helpers ------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",)).select_related("reporting_org", "responsible_org").get(pk=case.pk)
    )


def _sync(target: Case, fresh: Case) -> Case:
    """Bring the caller's instance in line with the row as changed (services lock a fresh copy)."""
    if target is not fresh:
        for f in Case._meta.concrete_fields:
            setattr(target, f.attname, getattr(fresh, f.attname))
        target._state.fields_cache = dict(fresh._state.fields_cache)
    return target


def _event(
    case: Case,
    kind: str,
    actor,
    at,
    *,
    transition: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=at,
        kind=kind,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=str(actor) if actor is not None and actor.is_authenticated else "系统",
        org=case.responsible_org,
        comment=comment,
        data=data or {},
    )


def _audit(case: Case, actor, summary: str, before: dict | None, action: str = AuditAction.ACTION) -> None:
    record(
        actor=actor,
        action=action,
        summary=f"{case.type.name}{case.number}：{summary}",
        obj=case,
        org=case.responsible_org,
        before=before,
        after=snapshot(case, AUDITED),
    )


def case_link(case: Case) -> str:
    """Where a message about `case` takes its reader: the case page."""
    return reverse("cases:detail", args=[case.pk])


def _notify_later(users_of, title: str, body: str, case: Case) -> None:
    """Notify after commit; `users_of` is called then, so a rolled-back change notifies nobody.
    Every message links to the case it is about."""
    channels = ("inbox", "sms") if case.type.sms else ("inbox",)
    org, link = case.responsible_org, case_link(case)

    def send():
        for user in users_of():
            notify(user, title=title, body=body, org=org, channels=channels, link=link)

    transaction.on_commit(send)


def _queue_staff(case: Case):
    ct = case.type
    return lambda: staff_of([case.responsible_org], permission=ct.claim_permission, role=ct.claim_role)


def parent_unit(org: OrgUnit) -> OrgUnit | None:
    """The unit directly above `org` (None at the root)."""
    return OrgUnit.objects.filter(path=org.path[: -OrgUnit.steplen]).first() if org.depth > 1 else None


def supervisors_of(case: Case) -> list:
    """督办 comes from the level above: the staff of the responsible unit's parent who may escalate
    (or claim) this type there — they follow the case; the responsible unit keeps it."""
    ct = case.type
    parent = parent_unit(case.responsible_org)
    if parent is None:
        return []
    if ct.escalate_permission:
        return staff_of([parent], permission=ct.escalate_permission)
    return staff_of([parent], permission=ct.claim_permission, role=ct.claim_role)


def _state_due(case: Case, ct: CaseType, now):
    """When the case is due: the end of its own due date when it has one, else the state's deadline
    from `now` (a timedelta, or N working days on the responsible unit's calendar), else never."""
    if case.state_kind != OPEN:
        return None
    if case.due_on is not None:
        return end_of_day(case.due_on)
    allowed = ct.deadline(case.state, case.severity)
    if allowed is None:
        return None
    if isinstance(allowed, WorkingDays):
        return end_of_day(add_working_days(now, allowed.days, case.responsible_org))
    return now + allowed


def _enter(case: Case, ct: CaseType, state: str, now) -> None:
    case.state = state
    case.state_kind = ct.state(state).kind
    case.state_entered_at = now
    case.due_at = _state_due(case, ct, now)


def _refuse(message: str, field: str | None = None) -> NoReturn:
    raise ValidationError({field: message} if field else message)


def _must_be_open(case: Case) -> None:
    if not case.is_open:
        _refuse(gettext("案件{number}已办结，不能再办理").format(number=case.number))


# --- opening ------------------------------------------------------------------------------


def _coordinate(value, name: str, limit: int):
    if value in (None, ""):
        return None
    try:
        v = decimal.Decimal(str(value)).quantize(decimal.Decimal("0.000001"))
    except (decimal.InvalidOperation, ValueError):
        _refuse(gettext("{name}不是有效的数字").format(name=name), "lon" if name == "经度" else "lat")
    if not -limit <= v <= limit:
        _refuse(
            gettext("{name}必须在-{limit}到{limit}之间").format(name=name, limit=limit),
            "lon" if name == "经度" else "lat",
        )
    return v


def open_case(
    code: str,
    *,
    title: str,
    reporting_org,
    acting_user,
    responsible_org=None,
    description: str = "",
    category: str = "",
    severity: str = "normal",
    lon=None,
    lat=None,
    address: str = "",
    public: bool = False,
    data: dict | None = None,
    due_on=None,
    now=None,
) -> Case:
    """Report a case: it enters the type's initial state in the responsible unit's queue (routed by
    the type's router when no unit is given) and the unit's staff are told after commit.

    `due_on`: the case's own due date (a date, or WorkingDays(n) counted from today on the responsible
    unit's calendar — a service's legal time limit), overriding the states' deadlines."""
    ct = case_type(code)
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        _refuse(gettext("请填写标题"), "title")
    if len(title) > 200:
        _refuse(gettext("标题不能超过200个字"), "title")
    if severity not in dict(ct.severities):
        _refuse(
            gettext("紧急程度只能是：{value}").format(value="、".join(label for _, label in ct.severities)), "severity"
        )
    if ct.categories and category not in dict(ct.categories):
        _refuse(gettext("类别只能是：{value}").format(value="、".join(label for _, label in ct.categories)), "category")
    lon, lat = _coordinate(lon, "经度", 180), _coordinate(lat, "纬度", 90)
    if (lon is None) != (lat is None):
        _refuse(gettext("经度和纬度须同时填写"), "lat")
    if (
        acting_user is not None
        and ct.report_permission
        and not holds(acting_user, reporting_org, permission=ct.report_permission)
    ):
        _refuse(gettext("您没有在{name}上报{name2}的权限").format(name=reporting_org.name, name2=ct.name))
    if responsible_org is None and ct.router is not None:
        responsible_org = ct.router(reporting_org, category, lon, lat)
    if responsible_org is None:
        _refuse(gettext("没有找到负责处理该类事项的单位，请指定责任单位"), "responsible_org")
    if isinstance(due_on, WorkingDays):
        if not 0 < due_on.days <= 1000:
            _refuse(gettext("期限的工作日数应在1至1000之间"), "due_on")
        due_on = add_working_days(now, due_on.days, responsible_org)
    elif due_on is not None:
        _check_due_on(due_on, now)
    with transaction.atomic():
        case = Case(
            case_type=ct.code,
            title=title,
            description=description,
            category=category,
            severity=severity,
            lon=lon,
            lat=lat,
            address=address[:200],
            public=public,
            reporter=acting_user if acting_user is not None and acting_user.is_authenticated else None,
            reporting_org=reporting_org,
            responsible_org=responsible_org,
            opened_at=now,
            due_on=due_on,
            data=data or {},
        )
        _enter(case, ct, ct.initial, now)
        case.save()
        case.number = f"{ct.number_prefix}{timezone.localtime(now):%Y%m%d}{case.pk:06d}"
        Case.objects.filter(pk=case.pk).update(number=case.number)
        _event(
            case,
            EventKind.OPEN,
            acting_user,
            now,
            to_state=case.state,
            comment=description[:2000],
            data={"due_on": due_on.isoformat()} if due_on else None,
        )
        _audit(case, acting_user, f"上报「{title}」，交{responsible_org.name}办理", None, AuditAction.CREATE)
        _notify_later(
            _queue_staff(case),
            f"新{ct.name}待认领",
            f"{case.number}「{title}」已交{responsible_org.name}，请及时认领。",
            case,
        )
    return case


# --- the queue ------------------------------------------------------------------------------


def claim(case: Case, *, acting_user, now=None) -> Case:
    """认领: one user of the responsible unit takes the case; concurrent claims — exactly one wins."""
    now = now or timezone.now()
    target = case
    with transaction.atomic():
        case = _locked(case)
        _must_be_open(case)
        if not may_claim(case, acting_user):
            _refuse(gettext("您不能认领{name}的案件").format(name=case.responsible_org.name))
        if case.claimed_by_id is not None:
            if case.claimed_by_id == acting_user.pk:
                _refuse(gettext("您已认领该案件"))
            _refuse(gettext("该案件已由{claimed_by}认领").format(claimed_by=case.claimed_by))
        before = snapshot(case, AUDITED)
        case.claimed_by, case.claimed_at = acting_user, now
        case.first_claimed_at = case.first_claimed_at or now
        case.save(update_fields=["claimed_by", "claimed_at", "first_claimed_at"])
        _event(case, EventKind.CLAIM, acting_user, now, from_state=case.state, to_state=case.state)
        _audit(case, acting_user, "认领", before)
    return _sync(target, case)


def fire(case: Case, transition: str, *, acting_user, comment: str = "", now=None) -> Case:
    """Fire one declared transition; anything outside the graph or the user's grants is refused."""
    now = now or timezone.now()
    comment = strip_control(comment or "").strip()  # invisible control characters break exports
    target = case
    with transaction.atomic():
        case = _locked(case)
        ct = case.type
        t = ct.transition(case.state, transition)
        if t is None:
            known = next((x for x in ct.transitions if x.code == transition), None)
            name = known.label if known else transition
            _refuse(
                gettext("案件当前状态为「{state_label}」，不能执行「{name}」").format(
                    state_label=case.state_label, name=name
                )
            )
        reopening = ct.is_reopening(t)
        if t.claimant_only and case.claimed_by_id is None:
            _refuse(gettext("请先认领案件，再执行「{label}」").format(label=t.label))
        if not may_fire(case, t, acting_user):
            _refuse(gettext("您没有执行「{label}」的权限").format(label=t.label))
        if t.needs_comment and not comment:
            _refuse(gettext("执行「{label}」须填写意见").format(label=t.label), "comment")
        before = snapshot(case, AUDITED)
        from_state = case.state
        leaving_due = case.due_at
        if reopening:
            case.due_on = None  # the case's own date was for the first handling; 回头看 runs on the states' deadlines
        _enter(case, ct, t.target, now)
        if case.state_kind != StateKind.OPEN:
            case.closed_at = now
            case.closed_on_time = leaving_due is None or now <= leaving_due
        elif reopening:
            case.reopened_count += 1
            case.closed_at = case.closed_on_time = None
            case.claimed_by = case.claimed_at = None  # back to the unit's queue
        case.save()
        _event(
            case,
            EventKind.TRANSITION,
            acting_user,
            now,
            transition=t.code,
            from_state=from_state,
            to_state=case.state,
            comment=comment[:5000],
        )
        _audit(case, acting_user, f"{t.label}（{ct.state_label(from_state)} → {case.state_label}）", before)
        _notify_next(case, ct, t)
        if ct.after_transition is not None:
            ct.after_transition(case, t, acting_user, now)
    return _sync(target, case)


def _notify_next(case: Case, ct: CaseType, fired: Transition) -> None:
    """Tell whoever acts next: the claimant or queue for the responsible side, the reporter side
    for confirmations; the reporter when the case closes."""
    title = f"{ct.name}{case.number}：{fired.label}"
    body = f"「{case.title}」现为「{case.state_label}」。"
    reporter_id, claimant_id = case.reporter_id, case.claimed_by_id
    nexts = ct.transitions_from(case.state)

    def users():
        ids = set()
        if not case.is_open and reporter_id:
            ids.add(reporter_id)
        for t in nexts:
            if t.at == REPORTING:
                if reporter_id:
                    ids.add(reporter_id)
                if t.permission or t.role:
                    ids.update(u.pk for u in staff_of([case.reporting_org], permission=t.permission, role=t.role))
            elif t.claimant_only and claimant_id:
                ids.add(claimant_id)
            else:
                ids.update(u.pk for u in staff_of([case.responsible_org], permission=t.permission, role=t.role))
        return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))

    _notify_later(users, title, body, case)


def reopen(case: Case, *, acting_user, comment: str, transition: str | None = None, now=None) -> Case:
    """回头看: fire the type's transition out of the case's closed state (the only one, or the named one)."""
    ct = case.type
    case.refresh_from_db(fields=["state", "state_kind"])
    if not ct.reopenable:
        _refuse(gettext("{name}办结后不能重新打开").format(name=ct.name))
    if case.is_open:
        _refuse(gettext("案件尚未办结，无需重新打开"))
    if transition is None:
        choices = ct.transitions_from(case.state)
        if not choices:
            _refuse(gettext("「{state_label}」的案件不能重新打开").format(state_label=case.state_label))
        transition = choices[0].code
    return fire(case, transition, acting_user=acting_user, comment=comment, now=now)


# --- the case's own due date ----------------------------------------------------------------


def _check_due_on(due_on, now) -> None:
    if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
        _refuse(gettext("案件期限不是有效的日期（格式：2026-10-09）"), "due_on")
    if due_on < timezone.localtime(now).date():
        _refuse(gettext("案件期限不能早于今天"), "due_on")
    if due_on.year > 2100:
        _refuse(gettext("案件期限不能晚于2100年"), "due_on")


def may_set_due_date(case: Case, user) -> bool:
    ct = case.type
    if not ct.due_date_permission or not case.is_open:
        return False
    org = case.reporting_org if ct.due_date_at == REPORTING else case.responsible_org
    return holds(user, org, permission=ct.due_date_permission)


def set_due_date(case: Case, due_on, *, acting_user, reason: str = "", now=None) -> Case:
    """Set, change or clear (None) the case's own due date — an inspector's 整改期限, a legal time
    limit extended by decision. While set it overrides the states' deadlines; cleared, the current
    state's deadline counts again from when the case entered it. Timeline and audit record the change."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if due_on is not None:
        _check_due_on(due_on, now)
    target = case
    with transaction.atomic():
        case = _locked(case)
        _must_be_open(case)
        if not may_set_due_date(case, acting_user):
            _refuse(gettext("您没有设置该案件期限的权限"))
        if case.due_on == due_on:
            _refuse(gettext("案件期限没有变化"), "due_on")
        ct, previous = case.type, case.due_on
        before = snapshot(case, AUDITED)
        case.due_on = due_on
        case.due_at = _state_due(case, ct, case.state_entered_at)
        case.save(update_fields=["due_on", "due_at"])
        shown = f"{due_on:%Y-%m-%d}" if due_on else "按各环节时限"
        was = f"{previous:%Y-%m-%d}" if previous else "按各环节时限"
        text = f"案件期限：{was} → {shown}" + (f"。理由：{reason[:1000]}" if reason else "")
        _event(
            case,
            EventKind.DUE,
            acting_user,
            now,
            from_state=case.state,
            to_state=case.state,
            comment=text,
            data={
                "due_on": due_on.isoformat() if due_on else None,
                "previous": previous.isoformat() if previous else None,
            },
        )
        _audit(case, acting_user, text, before)
        _notify_later(
            lambda: [u for u in [case.claimed_by] if u is not None] or _queue_staff(case)(),
            f"{ct.name}{case.number}期限调整",
            f"「{case.title}」{text}",
            case,
        )
    return _sync(target, case)


# --- comments and attachments -------------------------------------------------------------


def may_see(case: Case, user) -> bool:
    if user is not None and user.is_authenticated and case.reporter_id == user.pk:
        return True
    perm = case.type.view_permission
    return bool(perm) and (
        holds(user, case.reporting_org, permission=perm)
        or holds(user, case.responsible_org, permission=perm)
        or holds(user, case.responsible_org, permission=case.type.claim_permission, role=case.type.claim_role)
    )


def comment(case: Case, text: str, *, acting_user, now=None) -> CaseEvent:
    now = now or timezone.now()
    text = strip_control(text or "").strip()  # invisible control characters break exports
    if not text:
        _refuse(gettext("请填写意见内容"), "comment")
    with transaction.atomic():
        case = _locked(case)
        if not may_see(case, acting_user):
            _refuse(gettext("您不能对该案件发表意见"))
        event = _event(case, EventKind.COMMENT, acting_user, now, comment=text[:5000])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{case.type.name}{case.number}：发表意见",
            obj=case,
            org=case.responsible_org,
            after={"comment": text[:500]},
        )
    return event


def sniff_upload(upload) -> str:
    """The content type from the file's first bytes; ValidationError (Chinese, on "file") when not allowed."""
    try:
        return files.sniff(upload, label="附件", max_bytes=MAX_ATTACHMENT_BYTES)
    except ValidationError as exc:
        _refuse(exc.messages[0], "file")


def attach(case: Case, upload, *, acting_user, now=None) -> CaseAttachment:
    now = now or timezone.now()
    kind = sniff_upload(upload)
    with transaction.atomic():
        case = _locked(case)
        if not may_see(case, acting_user):
            _refuse(gettext("您不能为该案件上传附件"))
        name = (getattr(upload, "name", "") or "附件").rsplit("/", 1)[-1][:200]
        att = CaseAttachment.objects.create(
            case=case, file=upload, original_name=name, content_type=kind, size=upload.size, uploaded_by=acting_user
        )
        _event(case, EventKind.ATTACH, acting_user, now, comment=name, data={"attachment": att.pk})
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{case.type.name}{case.number}：上传附件{name}",
            obj=case,
            org=case.responsible_org,
            after={"attachment": att.pk, "size": att.size},
        )
    return att


# --- escalation ---------------------------------------------------------------------------


def escalate(case: Case, *, acting_user=None, to: str | None = None, reason: str = "", now=None) -> Case:
    """一键上报 / 督办 / 转四平台 by hand (the overdue scan does the same for many cases at once).

    An escalation of the kind the type's overdue rule does counts for the case's current deadline,
    as the scan's own: the scan will not escalate the case again until it has a new deadline."""
    now = now or timezone.now()
    target = case
    with transaction.atomic():
        case = _locked(case)
        ct = case.type
        _must_be_open(case)
        if acting_user is not None and not holds(acting_user, case.responsible_org, permission=ct.escalate_permission):
            _refuse(gettext("您没有上报该案件的权限"))
        to = to or (ct.escalation.to if ct.escalation else TO_PARENT_UNIT)
        before = snapshot(case, AUDITED)
        if to == TO_PARENT_UNIT:
            parent = parent_unit(case.responsible_org)
            if parent is None:
                _refuse(gettext("已是最上级单位，不能再上报"))
            old = case.responsible_org
            case.responsible_org, case.claimed_by, case.claimed_at = parent, None, None
            summary, kind, data = f"上报{parent.name}（原由{old.name}办理）", EventKind.ESCALATE, {"from_org": old.pk}
        elif to == TO_SUPERVISION:
            case.supervised_at = now
            summary, kind, data = "督办", EventKind.SUPERVISE, {}
        elif to == TO_EXTERNAL:
            adapter = ct.handoff_adapter or (
                ct.escalation.adapter if ct.escalation and ct.escalation.to == TO_EXTERNAL else "record"
            )
            handoff, created = ExternalHandoff.objects.get_or_create(case=case, adapter=adapter)
            if not created and handoff.send_state != SendState.FAILED:
                _refuse(gettext("该案件已转交外部平台"))
            if not created:
                ExternalHandoff.objects.filter(pk=handoff.pk).update(send_state=SendState.PENDING, attempts=0)
            summary, kind, data = f"转外部平台（{adapter}）", EventKind.HANDOFF, {"handoff": handoff.pk}
            from .adapters import send_handoff_task

            transaction.on_commit(lambda: send_handoff_task.enqueue(handoff.pk))
        else:
            raise ValueError(f"unknown escalation {to!r}")
        case.escalation_count += 1
        if ct.escalation is not None and to == ct.escalation.to and case.due_at is not None:
            # what the overdue scan would do for this deadline is done: stamp it as the scan does, so
            # the scan does not escalate the case again for the same deadline (a new one may)
            case.escalated_for = case.due_at
        case.save()
        _event(
            case, kind, acting_user, now, from_state=case.state, to_state=case.state, comment=reason[:2000], data=data
        )
        _audit(case, acting_user, summary, before)
        if to == TO_PARENT_UNIT:
            _notify_later(
                _queue_staff(case),
                f"{ct.name}{case.number}已上报至本单位",
                f"「{case.title}」由下级单位上报，请及时认领。",
                case,
            )
        elif to == TO_SUPERVISION:
            _notify_later(
                _queue_staff(case), f"{ct.name}{case.number}被督办", f"「{case.title}」已被督办，请尽快办结。", case
            )
            unit = case.responsible_org.name
            _notify_later(
                lambda: supervisors_of(case),
                f"{ct.name}{case.number}已督办",
                f"「{case.title}」由{unit}办理，已督办，请跟踪办理进度。",
                case,
            )
    return _sync(target, case)


__all__ = [
    "TO_EXTERNAL",
    "TO_PARENT_UNIT",
    "TO_SUPERVISION",
    "attach",
    "available_transitions",
    "case_link",
    "claim",
    "comment",
    "escalate",
    "fire",
    "may_claim",
    "may_fire",
    "may_see",
    "may_set_due_date",
    "open_case",
    "parent_unit",
    "reopen",
    "set_due_date",
    "staff_of",
    "supervisors_of",
]
