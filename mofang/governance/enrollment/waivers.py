"""放弃录取 (giving up an admission): after a draw is published, a parent no longer withdraws a
registration at a click; they ask the admitting school to release the seat, with a reason. The
school (principal, 教务) or the county bureau confirms — the 学位 at that school is lost and
cannot be restored, the registration is withdrawn — or refuses with a note. Every step is
audited and the parent is told the decision in the inbox.

The Admission row stays whatever happens: the draw's stored record must still re-verify.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.notifications.services import notify_inbox

from .models import Admission, DrawStatus, Registration, RegistrationStatus, WaiverStatus

MAX_TEXT = 200
_FIELDS = ["waiver_status", "waiver_reason", "waiver_note"]


def school_name(admission: Admission) -> str:
    return admission.school.name if admission.school is not None else ""


def loss_warning(admission: Admission) -> str:
    """What a confirmed waiver costs, said before anyone confirms it."""
    return gettext(
        "放弃后将失去{child}在{school}的{year}年{stage}学位，学校确认后不可恢复，也不会再参加本次派位。"
    ).format(
        child=admission.registration.child_name,
        school=school_name(admission),
        year=admission.draw.year,
        stage=admission.draw.get_stage_display(),
    )


def _text(value: str, field: str, label: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: gettext("{label}：请填写").format(label=label)})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: gettext("{label}：不能超过{n}个字").format(label=label, n=MAX_TEXT)})
    return value


def request_waiver(reg: Registration, reason: str, *, acting_user) -> Admission:
    """The parent asks to give up the admission of `reg` (the caller checked ownership)."""
    reason = _text(reason, "reason", gettext("放弃原因"), required=True)
    with transaction.atomic():
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        adm = (
            Admission.objects.select_for_update(of=("self",))
            .select_related("draw", "school", "registration")
            .filter(registration=reg, draw__status=DrawStatus.PUBLISHED, school__isnull=False)
            .first()
        )
        if adm is None or reg.status != RegistrationStatus.SUBMITTED:
            raise ValidationError({"reason": gettext("该报名没有可放弃的录取")})
        if adm.waiver_status == WaiverStatus.PENDING:
            raise ValidationError({"reason": gettext("已提交放弃申请，请等待学校确认")})
        before = snapshot(adm, _FIELDS)
        adm.waiver_status = WaiverStatus.PENDING
        adm.waiver_reason = reason
        adm.waiver_requested_at = timezone.now()
        adm.waiver_decided_at, adm.waiver_decided_by, adm.waiver_note = None, None, ""
        adm.save(
            update_fields=[
                "waiver_status",
                "waiver_reason",
                "waiver_requested_at",
                "waiver_decided_at",
                "waiver_decided_by",
                "waiver_note",
            ]
        )
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"申请放弃{reg.child_name}在{school_name(adm)}的录取",
            obj=adm,
            org=adm.school,
            before=before,
            after=snapshot(adm, _FIELDS),
        )
    return adm


def decide_waiver(adm: Admission, *, confirm: bool, note: str = "", acting_user) -> Admission:
    """The admitting school or its bureau confirms (seat released, registration withdrawn) or
    refuses (note required) a pending request."""
    note = _text(note, "note", gettext("退回理由"), required=not confirm)
    with transaction.atomic():
        # the registration first, then its admission: the same order as request_waiver
        reg = Registration.objects.select_for_update().get(pk=adm.registration_id)
        adm = (
            Admission.objects.select_for_update(of=("self",))
            .select_related("draw__county", "school", "registration")
            .get(pk=adm.pk)
        )
        if acting_user is not None and not (
            has_perm_at(acting_user, "enrollment.decide_waiver", adm.school)
            or has_perm_at(acting_user, "enrollment.decide_waiver", adm.draw.county)
        ):
            raise PermissionDenied(gettext("您没有处理放弃录取申请的权限"))
        if adm.waiver_status != WaiverStatus.PENDING:
            raise ValidationError({"note": gettext("该放弃申请已处理")})
        before = snapshot(adm, _FIELDS)
        adm.waiver_status = WaiverStatus.CONFIRMED if confirm else WaiverStatus.REFUSED
        adm.waiver_note = note
        adm.waiver_decided_at = timezone.now()
        adm.waiver_decided_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
        adm.save(update_fields=["waiver_status", "waiver_note", "waiver_decided_at", "waiver_decided_by"])
        if confirm:
            reg.status = RegistrationStatus.WITHDRAWN
            reg.withdrawn_at = adm.waiver_decided_at
            reg.save(update_fields=["status", "withdrawn_at"])
        verb = "确认" if confirm else "退回"
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{verb}{reg.child_name}放弃{school_name(adm)}录取的申请",
            obj=adm,
            org=adm.school,
            before=before,
            after=snapshot(adm, _FIELDS),
        )
        owner, child, school = reg.owner, reg.child_name, school_name(adm)
        if confirm:
            title = f"{child}放弃{school}录取的申请已确认"
            body = f"{school}已确认放弃录取，该学位已释放，不可恢复。"
        else:
            title = f"{child}放弃{school}录取的申请未获同意"
            body = f"{school}退回了放弃录取申请：{note}。录取仍然有效。"
        transaction.on_commit(lambda: notify_inbox(owner, title, body, "/enrollment/my/"))
    return adm


def pending_waivers(user):
    """Requests waiting for this user's decision (the to-do and the filtered list)."""
    return Admission.objects.visible_to(user, "enrollment.decide_waiver").filter(waiver_status=WaiverStatus.PENDING)
