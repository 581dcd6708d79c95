"""The overdue scan: reminders before a deadline, escalation after it — set-based.

Per case type the scan runs a fixed handful of statements whatever the number of cases: one
UPDATE marks the cases it acts on (stamping the deadline it acted for, so a case is reminded
and escalated at most once per deadline — running the scan twice changes nothing), one
INSERT … SELECT writes their timeline events (and hand-offs), one audit row summarises the run,
and one digest per unit member goes to the units concerned.

Boundary: a case is overdue strictly after its deadline (now > due_at); at due_at == now it is
still on time (a case due at 17:00 may be closed at 17:00). A reminder goes out once now is
within `remind_before` of the deadline, up to and including the deadline itself.

The deadline is the case's `due_at`: the end of the case's own due date when it has one
(`Case.due_on`, which overrides the states' deadlines), else the state's deadline, possibly
counted in working days (registry.WorkingDays) — both worked out when the case enters a state or
its due date changes (services), so the scan stays one set-based comparison.
"""

import datetime as dt

from django.db import connection, models, transaction
from django.db.models import Count, F, Min, Q, Value
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.models import Membership
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.jobs.services import PeriodicJob
from mofang.platform.notifications.models import InboxMessage, SMSMessage
from mofang.platform.notifications.services import send_sms_bulk
from mofang.platform.orgs.models import OrgUnit

from .models import Case, CaseEvent, EventKind, ExternalHandoff, SendState, StateKind
from .registry import CASE_TYPES, TO_EXTERNAL, TO_PARENT_UNIT, TO_SUPERVISION, CaseType

SCAN_MINUTES = 5


def _insert_select(model, columns: list[str], source) -> int:
    """INSERT INTO model (columns) SELECT … — `source` is a values() queryset in the same order."""
    sql, params = source.query.sql_with_params()
    qn = connection.ops.quote_name
    cols = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {qn(model._meta.db_table)} ({cols}) {sql}", params)
        return cur.rowcount


def _events(ct: CaseType, marked, kind: str, comment: str, now) -> int:
    source = marked.order_by("pk").values(
        e_case=F("pk"),
        e_at=Value(now, output_field=models.DateTimeField()),
        e_actor_name=Value("系统", output_field=models.CharField()),
        e_kind=Value(kind, output_field=models.CharField()),
        e_transition=Value("", output_field=models.CharField()),
        e_from=F("state"),
        e_to=F("state"),
        e_org=F("responsible_org_id"),
        e_comment=Value(comment, output_field=models.CharField()),
        e_data=Value({}, output_field=models.JSONField()),
    )
    return _insert_select(
        CaseEvent,
        ["case", "at", "actor_name", "kind", "transition", "from_state", "to_state", "org", "comment", "data"],
        source,
    )


def _parent_of_responsible() -> RawSQL:
    """The id of the responsible unit's parent (materialised path minus one step), or itself at the root."""
    qn = connection.ops.quote_name
    org, case = qn(OrgUnit._meta.db_table), qn(Case._meta.db_table)
    step = OrgUnit.steplen
    return RawSQL(
        f"COALESCE((SELECT p.id FROM {org} p JOIN {org} c ON p.path = substr(c.path, 1, length(c.path) - {step}) "
        f"WHERE c.id = {case}.responsible_org_id), {case}.responsible_org_id)",
        [],
        output_field=models.BigIntegerField(),
    )


def _digest(ct: CaseType, marked, title: str, body: str, *, unit=None, permission: str | None = None) -> int:
    """One inbox message (and SMS when the type sends them) per member of each unit concerned —
    the responsible units' queue staff, or (`unit`: an expression for another unit per case, and
    `permission`) the staff of that unit. The message links to its case when it is about one, else
    to the type's list of overdue cases."""
    from .services import staff_of

    per_unit = (
        marked.annotate(unit=unit if unit is not None else F("responsible_org_id"))
        .values_list("unit")
        .annotate(n=Count("pk"), first=Min("pk"))
        .order_by()
    )
    counts, first = {}, {}
    for org_id, n, pk in per_unit:
        counts[org_id], first[org_id] = n, pk
    if not counts:
        return 0
    if permission is not None:
        users = staff_of(list(counts), permission=permission)
    else:
        users = staff_of(list(counts), permission=ct.claim_permission, role=ct.claim_role)
    if not users:
        return 0
    listing = reverse("cases:type_list", args=[ct.code]) + "?overdue=1"
    # which of the units each user belongs to (one query through the membership table)
    through = Membership.objects.filter(user__in=users, org_id__in=list(counts)).values_list("user_id", "org_id")
    per_user: dict[int, int] = {}
    unit_of: dict[int, int] = {}
    for user_id, org_id in through:
        per_user[user_id] = per_user.get(user_id, 0) + counts[org_id]
        unit_of.setdefault(user_id, org_id)
    inbox, sms = [], []
    for u in users:
        n = per_user.get(u.pk)
        if not n:
            continue
        text = body.format(n=n, name=ct.name)
        link = reverse("cases:detail", args=[first[unit_of[u.pk]]]) if n == 1 else listing
        inbox.append(InboxMessage(recipient=u, title=title.format(n=n, name=ct.name), body=text, link=link))
        if ct.sms and u.phone:
            sms.append(SMSMessage(phone=u.phone, text=f"【教育魔方】{text}", org_id=unit_of[u.pk], recipient=u))
    InboxMessage.objects.bulk_create(inbox)
    if sms:
        send_sms_bulk(sms)
    return len(inbox)


def remind(ct: CaseType, now) -> int:
    if ct.remind_before is None:
        return 0
    due_soon = Case.objects.filter(
        case_type=ct.code, state_kind=StateKind.OPEN, due_at__gte=now, due_at__lte=now + ct.remind_before
    )
    n = due_soon.filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_at"))).update(
        reminded_for=F("due_at"), reminded_at=now
    )
    if n:
        marked = Case.objects.filter(case_type=ct.code, reminded_at=now)
        _events(ct, marked, EventKind.REMIND, "即将到期，请尽快办理", now)
        _digest(ct, marked, "{name}即将到期", "您单位有{n}件{name}即将到期，请尽快办理。")
    return n


def escalate_overdue(ct: CaseType, now) -> int:
    rule = ct.escalation
    if rule is None:
        return 0
    due = Case.objects.filter(case_type=ct.code).overdue(now)
    changes = {"escalated_for": F("due_at"), "escalated_at": now, "escalation_count": F("escalation_count") + 1}
    if rule.to == TO_PARENT_UNIT:
        changes.update(responsible_org_id=_parent_of_responsible(), claimed_by=None, claimed_at=None)
    elif rule.to == TO_SUPERVISION:
        changes.update(supervised_at=now)
    n = due.filter(Q(escalated_for__isnull=True) | ~Q(escalated_for=F("due_at"))).update(**changes)
    if not n:
        return 0
    marked = Case.objects.filter(case_type=ct.code, escalated_at=now)
    if rule.to == TO_PARENT_UNIT:
        _events(ct, marked, EventKind.ESCALATE, "逾期未办结，自动上报上级单位", now)
        _digest(ct, marked, "{name}逾期上报", "有{n}件逾期未办结的{name}上报至您单位，请及时认领。")
    elif rule.to == TO_SUPERVISION:
        _events(ct, marked, EventKind.SUPERVISE, "逾期未办结，自动督办", now)
        _digest(ct, marked, "{name}逾期督办", "您单位有{n}件{name}逾期未办结，已被督办。")
        # 督办 comes from the level above: the parent unit follows the case, the unit keeps it
        _digest(
            ct,
            marked.exclude(responsible_org_id=_parent_of_responsible()),
            "下级单位{name}逾期督办",
            "下级单位有{n}件{name}逾期未办结，已督办，请跟踪办理进度。",
            unit=_parent_of_responsible(),
            permission=ct.escalate_permission or ct.claim_permission,
        )
    else:
        new = (
            marked.exclude(handoffs__adapter=rule.adapter)
            .order_by("pk")
            .values(
                h_case=F("pk"),
                h_adapter=Value(rule.adapter, output_field=models.CharField()),
                h_state=Value(SendState.PENDING.value, output_field=models.CharField()),
                h_attempts=Value(0, output_field=models.IntegerField()),
                h_error=Value("", output_field=models.CharField()),
                h_id=Value("", output_field=models.CharField()),
                h_status=Value("", output_field=models.CharField()),
                h_created=Value(now, output_field=models.DateTimeField()),
            )
        )
        _insert_select(
            ExternalHandoff,
            ["case", "adapter", "send_state", "attempts", "last_error", "external_id", "external_status", "created_at"],
            new,
        )
        _events(ct, marked, EventKind.HANDOFF, "逾期未办结，自动转外部平台", now)
    record(
        actor=None,
        action=AuditAction.ACTION,
        summary=f"{ct.name}：{n}件逾期案件自动升级（{rule.to}）",
        after={"case_type": ct.code, "escalated": n, "to": rule.to, "at": now.isoformat()},
    )
    return n


def scan(now=None) -> dict:
    """Remind and escalate for every registered case type; idempotent for a given `now`."""
    now = now or timezone.now()
    out = {"reminded": 0, "escalated": 0}
    with transaction.atomic():
        for ct in CASE_TYPES.values():
            out["reminded"] += remind(ct, now)
            out["escalated"] += escalate_overdue(ct, now)
        if any(ct.escalation and ct.escalation.to == TO_EXTERNAL for ct in CASE_TYPES.values()):
            from .adapters import refresh_sent_handoffs_task, send_pending_handoffs_task

            transaction.on_commit(send_pending_handoffs_task.enqueue)
            transaction.on_commit(refresh_sent_handoffs_task.enqueue)
    return out


def scan_period(now) -> str:
    """The scan runs once per SCAN_MINUTES window."""
    floored = now - dt.timedelta(minutes=now.minute % SCAN_MINUTES, seconds=now.second, microseconds=now.microsecond)
    return floored.strftime("%Y-%m-%dT%H:%M")


def _run(period: str):
    scan()
    return None


OVERDUE_SCAN = PeriodicJob(
    name="cases.overdue_scan", title="闭环案件到期提醒与逾期升级", period_of=scan_period, run=_run
)
