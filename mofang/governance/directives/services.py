"""政令一键智达 services: resolve targets, send, 签收, 填报, 转发, 催办, 锁定. Each takes
`acting_user=`, runs in one transaction, writes an audit row and notifies after commit."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.models import Membership
from mofang.platform.accounts.scope import grants_for, has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.files import sniff
from mofang.platform.notifications.models import InboxMessage, SMSMessage
from mofang.platform.notifications.services import send_sms_bulk
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.formspec import FieldSpec

from .forms_spec import validate_answer
from .models import Attachment, Delivery, Directive, DirectiveKind, FormField

TARGET_KINDS = {
    OrgKind.SCHOOL: "学校",
    OrgKind.DEPARTMENT: "部门",
    OrgKind.COUNTY: "区县教育局",
    OrgKind.CITY: "市教育局",
}
REMIND_INTERVAL = dt.timedelta(hours=1)
DUPLICATE = "该政令已经发送，请勿重复提交"
MAX_FILE = 10 * 1024 * 1024
# who at a unit signs and answers for it: its own bureau administrators or its unit roles
ACT_PERMS = ("directives.answer", "directives.send")


@dataclass
class TargetRule:
    """Which units a directive goes to: regions × org kind × school types × ownership, plus picks.

    Empty lists mean "any"; the rule is always resolved inside the sender org's subtree and the
    sender's own scope, so no rule can reach a unit outside it."""

    regions: list[int] = field(default_factory=list)
    kind: str = OrgKind.SCHOOL
    school_types: list[str] = field(default_factory=list)
    ownerships: list[str] = field(default_factory=list)
    picks: list[int] = field(default_factory=list)
    use_rule: bool = True

    def as_json(self) -> dict:
        return {
            "regions": self.regions,
            "kind": self.kind,
            "school_types": self.school_types,
            "ownerships": self.ownerships,
            "picks": self.picks,
            "use_rule": self.use_rule,
        }


def sender_orgs(user) -> list[OrgUnit]:
    """The bureaus `user` may send from: where a membership grants directives.send."""
    ids = [g.org_id for g in grants_for(user, "directives.send") if not g.own]
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))


def scope_units(user, sender_org):
    """Every unit a directive from `sender_org` by `user` may reach (never the sender itself)."""
    return (
        OrgUnit.objects.visible_to(user, "directives.send")
        .filter(path__startswith=sender_org.path)
        .exclude(pk=sender_org.pk)
    )


def resolve_targets(user, sender_org, rule: TargetRule) -> list[OrgUnit]:
    """The units the rule picks, in tree order; only inside the sender's scope."""
    if not has_perm_at(user, "directives.send", sender_org):
        raise ValidationError(gettext("发文单位：您没有以该单位发送政令的权限"))
    base = scope_units(user, sender_org)
    cond = Q(pk__in=[])
    if rule.use_rule:
        ruled = Q(kind=rule.kind) if rule.kind in TARGET_KINDS else Q(pk__in=[])
        if rule.regions:
            regions = list(base.filter(pk__in=rule.regions).values_list("path", flat=True))
            if rule.regions and not regions:
                ruled &= Q(pk__in=[])
            region_q = Q(pk__in=[])
            for path in regions:
                region_q |= Q(path__startswith=path)
            ruled &= region_q
        if rule.kind == OrgKind.SCHOOL:
            if rule.school_types:
                ruled &= Q(school_type__in=rule.school_types)
            if rule.ownerships:
                ruled &= Q(ownership__in=rule.ownerships)
        cond |= ruled
    if rule.picks:
        cond |= Q(pk__in=rule.picks, kind__in=list(TARGET_KINDS))
    return list(base.filter(cond).order_by("path"))


def find_picks(user, sender_org, lines: list[str]) -> tuple[list[int], list[str]]:
    """Individual units by code (学校标识码/区划代码) or exact name, inside the sender's scope."""
    base = scope_units(user, sender_org)
    ids, errors = [], []
    for n, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        unit = base.filter(Q(code=text) | Q(name=text), kind__in=list(TARGET_KINDS)).first()
        if unit is None:
            errors.append(f"单独选择的单位：第{n}行“{text[:30]}”不在您的发文范围内或不存在")
        else:
            ids.append(unit.pk)
    return ids, errors


def unit_members(unit_ids) -> dict[int, list]:
    """Users who sign and answer for each unit (a membership at the unit whose role acts there)."""
    out: dict[int, list] = {}
    for m in Membership.objects.filter(org_id__in=list(unit_ids)).select_related("user", "role"):
        acts = m.user.is_active and any(p in m.role.permissions for p in ACT_PERMS)
        if acts and m.user not in out.setdefault(m.org_id, []):
            out[m.org_id].append(m.user)
    return out


def can_act(user, delivery: Delivery) -> bool:
    """签收/填报/转发 need a membership at the addressed unit itself, not above it."""
    return any(g.org_id == delivery.unit_id and not g.own for p in ACT_PERMS for g in grants_for(user, p))


def check_file(upload, label: str) -> str:
    return sniff(upload, label=label, max_bytes=MAX_FILE)


def directive_errors(*, title: str, body: str, kind: str, deadline, targets, now=None) -> list[str]:
    """Every problem with a directive's own fields, each message naming the field."""
    now = now or timezone.now()
    errors = []
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors.append("标题：请填写标题")
    elif len(title) > 100:
        errors.append("标题：不能超过100个字")
    if not body:
        errors.append("正文：请填写正文")
    if kind not in DirectiveKind.values:
        errors.append("类别：请选择通知或任务")
    if deadline is None:
        errors.append("截止时间：请填写有效的截止时间")
    elif deadline <= now:
        errors.append("截止时间：必须晚于现在")
    if not targets:
        errors.append("发送对象：没有符合条件的单位")
    return errors


@transaction.atomic
def send_directive(
    *,
    sender_org,
    title: str,
    body: str,
    kind: str,
    deadline,
    targets: list[OrgUnit],
    fields: Sequence[FieldSpec] = (),
    attachments=(),
    forward_required: bool = False,
    rule: dict | None = None,
    parent_delivery: Delivery | None = None,
    submit_key: str = "",
    acting_user,
    now=None,
) -> Directive:
    """一键智达: one directive, one delivery per target unit, in one transaction; the units'
    members get an inbox message after commit."""
    now = now or timezone.now()
    title, body = (title or "").strip(), (body or "").strip()
    errors = directive_errors(title=title, body=body, kind=kind, deadline=deadline, targets=targets, now=now)
    if acting_user is not None and not has_perm_at(acting_user, "directives.send", sender_org):
        errors.append("发文单位：您没有以该单位发送政令的权限")
    for n, upload in enumerate(attachments, 1):
        try:
            check_file(upload, f"附件{n}")
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    submit_key = (submit_key or "")[:36]
    if submit_key and Directive.objects.filter(submit_key=submit_key).exists():
        raise ValidationError(DUPLICATE, code="duplicate")
    try:
        with transaction.atomic():
            directive = Directive.objects.create(
                sender_org=sender_org,
                created_by=acting_user,
                title=title,
                body=body,
                kind=kind,
                deadline=deadline,
                forward_required=forward_required,
                needs_answer=kind == DirectiveKind.TASK or bool(fields),
                rule=rule or {},
                parent_delivery=parent_delivery,
                sent_at=now,
                submit_key=submit_key,
            )
    except IntegrityError:  # the same form submitted twice at once: the other one won
        raise ValidationError(DUPLICATE, code="duplicate") from None
    FormField.objects.bulk_create(
        [
            FormField(
                directive=directive,
                order=n,
                key=f"f{n}",
                label=f.label,
                ftype=f.ftype,
                required=f.required,
                choices=f.choices,
                columns=f.columns,
            )
            for n, f in enumerate(fields, 1)
        ]
    )
    Delivery.objects.bulk_create([Delivery(directive=directive, unit=u) for u in targets])
    for upload in attachments:
        Attachment.objects.create(
            directive=directive, file=upload, name=upload.name[:150], content_type=check_file(upload, "附件")
        )
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=directive,
        org=sender_org,
        summary=f"发送{directive.get_kind_display()}《{title}》至{len(targets)}个单位",
        after={"targets": len(targets), "deadline": deadline.isoformat(), "rule": rule or {}},
    )
    unit_ids = [u.pk for u in targets]
    link = "/directives/deliveries/?mine=1"
    notice_title = f"{sender_org.name}{directive.get_kind_display()}：{title}"[:100]
    notice_body = f"请于{timezone.localtime(deadline):%Y年%m月%d日 %H:%M}前{directive.done_rule}。"

    def notify_units():
        members = unit_members(unit_ids)
        InboxMessage.objects.bulk_create(
            [
                InboxMessage(recipient=u, title=notice_title, body=notice_body, link=link)
                for users in members.values()
                for u in users
            ]
        )

    transaction.on_commit(notify_units)
    return directive


def _lock(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update().select_related("directive", "unit").get(pk=delivery.pk)


def _require_actor(delivery: Delivery, acting_user) -> None:
    if acting_user is not None and not can_act(acting_user, delivery):
        raise ValidationError(gettext("只有接收单位的人员才能签收、填报或转发"), code="not_member")


def _mark_done(d: Delivery, now) -> None:
    if d.done_at is None:
        d.done_at = now
        d.late = now > d.directive.deadline


@transaction.atomic
def sign(delivery: Delivery, *, acting_user, now=None) -> Delivery:
    """签收: once; for a notice that asks nothing more, signing is doing."""
    now = now or timezone.now()
    d = _lock(delivery)
    _require_actor(d, acting_user)
    if d.signed_at is not None:
        return d
    d.signed_at, d.signed_by = now, acting_user
    if not d.directive.needs_answer and not d.directive.forward_required:
        _mark_done(d, now)
    d.save(update_fields=["signed_at", "signed_by", "done_at", "late"])
    record(
        actor=acting_user,
        action=AuditAction.ACTION,
        obj=d,
        org=d.unit,
        summary=f"{d.unit.name}签收《{d.directive.title}》",
    )
    return d


def can_revise(delivery: Delivery, now=None) -> tuple[bool, str]:
    """Whether the unit may (still) submit its answer, and why not."""
    now = now or timezone.now()
    if delivery.answered_at is None:
        return True, ""
    if delivery.directive.locked:
        return False, "发文单位已锁定填报，不能再修改"
    if now > delivery.directive.deadline:
        return False, "已过截止时间，不能再修改填报"
    return True, ""


@transaction.atomic
def answer(delivery: Delivery, data, files, *, acting_user, now=None) -> Delivery:
    """填报: validate every field server-side (messages name the field); store all or nothing.
    An answer after the deadline is marked 逾期; revising is allowed until the deadline unless locked."""
    now = now or timezone.now()
    d = _lock(delivery)
    _require_actor(d, acting_user)
    if not d.directive.needs_answer:
        raise ValidationError(gettext("该通知无需填报，签收即可"))
    ok, why = can_revise(d, now)
    if not ok:
        raise ValidationError(why)
    fields = list(d.directive.fields.all())
    reply = (data.get("reply") or "").strip()
    if len(reply) > 2000:
        raise ValidationError(gettext("回复：不能超过2000个字"))
    cleaned, uploads = validate_answer(fields, data, files, previous=d.answer, check_file=check_file)
    if d.directive.kind == DirectiveKind.TASK and not fields and not reply:
        raise ValidationError(gettext("回复：请填写办理情况"))
    before = {"answer": d.answer, "reply": d.reply} if d.answered_at else None
    for key, upload in uploads.items():
        d.files.filter(field_key=key).delete()
        att = Attachment.objects.create(
            directive=d.directive,
            delivery=d,
            field_key=key,
            file=upload,
            name=upload.name[:150],
            content_type=check_file(upload, "文件"),
        )
        cleaned[key] = {"name": att.name, "id": att.pk}
    d.answer, d.reply = cleaned, reply
    if d.signed_at is None:
        d.signed_at, d.signed_by = now, acting_user
    first = d.answered_at is None
    d.answered_at, d.answered_by = now, acting_user
    _mark_done(d, now)
    d.save()
    record(
        actor=acting_user,
        action=AuditAction.CREATE if first else AuditAction.UPDATE,
        obj=d,
        org=d.unit,
        summary=f"{d.unit.name}{'填报' if first else '修改填报'}《{d.directive.title}》"
        + ("（逾期）" if d.late and first else ""),
        before=before,
        after={"answer": d.answer, "reply": d.reply},
    )
    return d


@transaction.atomic
def forward(
    delivery: Delivery,
    *,
    title: str,
    body: str,
    deadline,
    targets: list[OrgUnit],
    copy_form: bool = True,
    rule: dict | None = None,
    submit_key: str = "",
    acting_user,
    now=None,
) -> Directive:
    """转发: the unit re-sends the directive to units under it; for a forward-only notice that
    is what makes the unit's own delivery done."""
    now = now or timezone.now()
    d = _lock(delivery)
    _require_actor(d, acting_user)
    if acting_user is not None and not has_perm_at(acting_user, "directives.forward", d.unit):
        raise ValidationError(gettext("您没有转发政令的权限"))
    parent = d.directive
    fields = []
    if copy_form:
        fields = [FieldSpec(f.label, f.ftype, f.required, f.choices, f.columns) for f in parent.fields.all()]
    child = send_directive(
        sender_org=d.unit,
        title=title,
        body=body,
        kind=parent.kind,
        deadline=deadline,
        targets=targets,
        fields=fields,
        rule=rule,
        parent_delivery=d,
        submit_key=submit_key,
        acting_user=acting_user,
        now=now,
    )
    # the higher bureau's attachments go down with it (the same stored files)
    Attachment.objects.bulk_create(
        [
            Attachment(directive=child, file=a.file.name, name=a.name, content_type=a.content_type)
            for a in parent.attachments.filter(delivery__isnull=True)
        ]
    )
    if d.signed_at is None:
        d.signed_at, d.signed_by = now, acting_user
    if d.forwarded_at is None:
        d.forwarded_at = now
    if parent.forward_required and not parent.needs_answer:
        _mark_done(d, now)
    d.save(update_fields=["signed_at", "signed_by", "forwarded_at", "done_at", "late"])
    return child


@transaction.atomic
def remind(directive: Directive, *, acting_user, now=None) -> tuple[int, int]:
    """催办 the units not yet done: SMS (platform outbox) and inbox to their members; a unit
    reminded within the last hour is skipped. Returns (units reminded, units skipped)."""
    now = now or timezone.now()
    if acting_user is not None and not has_perm_at(acting_user, "directives.send", directive.sender_org):
        raise ValidationError(gettext("您没有催办该政令的权限"))
    pending = list(
        Delivery.objects.select_for_update()
        .filter(directive=directive, done_at__isnull=True)
        .select_related("unit")
        .order_by("pk")
    )
    due = [d for d in pending if d.reminded_at is None or now - d.reminded_at >= REMIND_INTERVAL]
    members = unit_members(d.unit_id for d in due)
    deadline = f"{timezone.localtime(directive.deadline):%m月%d日 %H:%M}"
    text = f"【教育魔方】请于{deadline}前{directive.done_rule}《{directive.title[:30]}》（{directive.sender_org.name}催办）"
    inbox, sms = [], []
    for d in due:
        for user in members.get(d.unit_id, []):
            inbox.append(
                InboxMessage(
                    recipient=user,
                    title=f"催办：{directive.title}"[:100],
                    body=text,
                    link="/directives/deliveries/?mine=1",
                )
            )
            if user.phone:
                sms.append(SMSMessage(phone=user.phone, text=text, org=d.unit, recipient=user))
        d.reminded_at = now
    Delivery.objects.bulk_update(due, ["reminded_at"])
    InboxMessage.objects.bulk_create(inbox)
    if sms:
        send_sms_bulk(sms)
    record(
        actor=acting_user,
        action=AuditAction.ACTION,
        obj=directive,
        org=directive.sender_org,
        summary=f"催办《{directive.title}》：{len(due)}个单位，{len(pending) - len(due)}个一小时内已催办",
    )
    return len(due), len(pending) - len(due)


@transaction.atomic
def set_locked(directive: Directive, locked: bool, *, acting_user) -> Directive:
    if acting_user is not None and not has_perm_at(acting_user, "directives.send", directive.sender_org):
        raise ValidationError(gettext("您没有锁定该政令填报的权限"))
    directive.locked = locked
    directive.save(update_fields=["locked"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=directive,
        org=directive.sender_org,
        summary=f"{'锁定' if locked else '解锁'}《{directive.title}》的填报",
    )
    return directive


def visible_attachment(user, pk) -> Attachment | None:
    """An attachment through the scope layer: the directive's own file for its sender's scope and
    for the units it was sent to; an answer's file for the answering unit and the sender's scope."""
    directives = Directive.objects.visible_to(user, "directives.view").values("pk")
    deliveries = Delivery.objects.visible_to(user, "directives.view_delivery")
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        Attachment.objects.select_related("directive__sender_org")
        .filter(pk=pk)
        .filter(
            Q(directive__in=directives)
            | Q(delivery__in=deliveries.values("pk"))
            | Q(delivery__isnull=True, directive__in=deliveries.values("directive_id"))
        )
        .first()
    )


def open_attachment(att: Attachment, *, acting_user):
    """The file of an attachment found by visible_attachment, opened for download; every download
    is audited (an answer's file is a unit's report)."""
    record(
        actor=acting_user,
        action=AuditAction.ACTION,
        obj=att.directive,
        org=att.directive.sender_org,
        summary=f"下载政令附件“{att.name}”",
    )
    return att.file.open("rb")
