"""Services over guardians (家长) and parents binding their children (绑定孩子).

Every change is one transaction with its audit row. A guardian is one person per phone, shared
by the schools of its children, so the audit row of a change goes to the child's school.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.ratelimit import Limit, Rate, RateLimited
from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.notifications.services import notify_inbox

from . import identity
from .models import RELATIONS, BindingAttempt, BindingRequest, BindingStatus, Guardian, Guardianship, Student
from .roles import CHANGE_GUARDIAN, CONFIRM_BINDING

MAX_FAILED_PER_HOUR = 5
NOT_FOUND = "学籍号（或身份证号）与孩子姓名不匹配，请核对后重试"
TOO_MANY = "尝试次数过多，请1小时后再试"
# A parent's missed tries, per account, through the platform's one limiter; the misses stay
# BindingAttempt rows (what the limiter counts), so that the limit holds across processes.
BINDING_MISSES = Limit(
    "people.binding.user", (Rate(MAX_FAILED_PER_HOUR, 3600, TOO_MANY),), counted_in=(BindingAttempt, "user_id", "at")
)
GUARDIAN_FIELDS = ["name", "phone_masked"]


class BindingRefused(Exception):
    """A try to bind a child that is refused; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def _clean_relation(relation: str) -> str:
    relation = (relation or "").strip()
    if relation not in RELATIONS:
        raise ValidationError({"relation": gettext("关系应为：{value}").format(value="、".join(RELATIONS))})
    return relation


def _clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise ValidationError({field: gettext("姓名不能为空，且不超过50个字")})
    return name


def _school_of(student):
    return student.klass or student.school


def guardian_for_phone(phone: str, name: str) -> Guardian:
    """The guardian with this phone (one person per phone), created when new. Call in a transaction."""
    phone_hash = identity.lookup_hash(phone)
    guardian = Guardian.objects.select_for_update().filter(phone_hash=phone_hash).first()
    if guardian is not None:
        return guardian
    guardian = Guardian(name=name)
    guardian.set_phone(phone)
    try:
        with transaction.atomic():  # a savepoint: a concurrent creator wins, we take its row
            guardian.save()
    except IntegrityError:
        guardian = Guardian.objects.select_for_update().get(phone_hash=phone_hash)
    return guardian


def _require(user, perm: str, student) -> None:
    if not has_perm_at(user, perm, _school_of(student)):
        raise PermissionError("您无权维护该学生的家长")


def add_guardian(student, *, acting_user, name: str, phone: str, relation: str) -> Guardianship:
    _require(acting_user, CHANGE_GUARDIAN, student)
    name, relation = _clean_name(name), _clean_relation(relation)
    try:
        phone = identity.validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages[0]}) from None
    with transaction.atomic():
        guardian = guardian_for_phone(phone, name)
        if Guardianship.objects.filter(guardian=guardian, student=student).exists():
            raise ValidationError({"phone": gettext("该手机号已是这名学生的家长")})
        link = Guardianship.objects.create(guardian=guardian, student=student, relation=relation)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=link,
            org=student.school,
            after={
                "student": student.student_no,
                "name": guardian.name,
                "phone": guardian.phone_masked,
                "relation": relation,
            },
            summary=f"为学生{student.name}添加家长{guardian.name}（{relation}）",
        )
    return link


def update_guardianship(link, *, acting_user, name: str, phone: str = "", relation: str) -> Guardianship:
    """Change a child's guardian: name and relation; a new phone means another person, so the link
    moves to the guardian of that phone (created when new)."""
    student = link.student
    _require(acting_user, CHANGE_GUARDIAN, student)
    name, relation = _clean_name(name), _clean_relation(relation)
    if phone:
        try:
            phone = identity.validate_mobile(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages[0]}) from None
    with transaction.atomic():
        link = Guardianship.objects.select_for_update().select_related("guardian").get(pk=link.pk)
        before = {**snapshot(link.guardian, GUARDIAN_FIELDS), "relation": link.relation}
        guardian = link.guardian
        if phone and identity.lookup_hash(phone) != guardian.phone_hash:
            guardian = guardian_for_phone(phone, name)
            if Guardianship.objects.filter(guardian=guardian, student=student).exclude(pk=link.pk).exists():
                raise ValidationError({"phone": gettext("该手机号已是这名学生的家长")})
            link.guardian = guardian
        if guardian.name != name:
            guardian.name = name
            guardian.save(update_fields=["name", "updated_at"])
        link.relation = relation
        link.save(update_fields=["guardian", "relation", "updated_at"])
        after = {**snapshot(guardian, GUARDIAN_FIELDS), "relation": relation}
        if before != after:
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=link,
                org=student.school,
                before=before,
                after=after,
                summary=f"修改学生{student.name}的家长{guardian.name}",
            )
    return link


def remove_guardianship(link, *, acting_user) -> None:
    student = link.student
    _require(acting_user, CHANGE_GUARDIAN, student)
    with transaction.atomic():
        guardian = link.guardian
        before = {**snapshot(guardian, GUARDIAN_FIELDS), "relation": link.relation, "student": student.student_no}
        link.delete()
        # a guardian with no child left and no login is nobody's: drop the person too
        if guardian.user_id is None and not guardian.guardianships.exists():
            guardian.delete()
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            org=student.school,
            before=before,
            summary=f"移除学生{student.name}的家长{before['name']}",
        )


# --- parents binding a child -------------------------------------------------------------------


def _find_child(number: str, child_name: str):
    number = (number or "").strip().upper()
    if not number or not child_name:
        return None
    if len(number) == 18 and number[:17].isdigit():
        found = Student.objects.filter(id_number_hash=identity.lookup_hash(number), name=child_name).first()
        if found is not None:
            return found
    return Student.objects.filter(student_no=number, name=child_name).first()


def bind_child(user, *, number: str, child_name: str, parent_name: str, relation: str) -> BindingRequest:
    """A parent binds a child by 学籍号 or ID number plus the child's name.

    Bound at once when the parent's phone is an imported guardian of that child; otherwise a
    request waits for the class teacher or 教务. A miss says the same whether the number exists
    or not, and at most MAX_FAILED_PER_HOUR misses an hour are allowed (counted in the database).
    """
    child_name, parent_name = (child_name or "").strip(), _clean_name(parent_name, "parent_name")
    relation = _clean_relation(relation)
    refused = None
    with transaction.atomic():
        # one parent's tries are counted one after the other (the limiter holds the parent's lock
        # until this transaction ends): a burst of requests cannot pass 5 at once
        try:
            BINDING_MISSES.check(user.pk)
        except RateLimited as exc:
            raise BindingRefused(exc.messages[0], exc.status) from None
        student = _find_child(number, child_name)
        if student is None:
            BINDING_MISSES.hit(user.pk)
            refused = BindingRefused(NOT_FOUND)
        else:
            req = _bind_found(user, student, parent_name, relation)
    if refused is not None:  # raised after commit: the failed try must be counted
        raise refused
    return req


def _bind_found(user, student, parent_name: str, relation: str) -> BindingRequest:
    if Guardianship.objects.filter(student=student, guardian__user=user).exists():
        raise BindingRefused(f"您已绑定{student.name}，无需重复绑定")
    pending = BindingRequest.objects.filter(user=user, student=student, status=BindingStatus.PENDING).first()
    if pending is not None:
        return pending
    phone_hash = identity.lookup_hash(user.phone) if user.phone else None
    imported = (
        Guardianship.objects.select_related("guardian").filter(student=student, guardian__phone_hash=phone_hash).first()
        if phone_hash
        else None
    )
    if imported is not None and imported.guardian.user_id in (None, user.pk):
        guardian = imported.guardian
        if guardian.user_id is None:
            guardian.user = user
            guardian.save(update_fields=["user", "updated_at"])
        req = BindingRequest.objects.create(
            user=user,
            student=student,
            parent_name=parent_name,
            relation=relation,
            status=BindingStatus.BOUND,
            decided_at=timezone.now(),
        )
        record(
            actor=user,
            action=AuditAction.CREATE,
            obj=req,
            org=student.school,
            after={"student": student.student_no, "status": req.status},
            summary=f"家长{parent_name}绑定孩子{student.name}（手机号与学校登记的家长一致，自动绑定）",
        )
        notify_inbox(
            user, f"已绑定孩子：{student.name}", f"{student.school.name}学校登记的家长手机号与您一致，已自动绑定。"
        )
        return req
    req = BindingRequest.objects.create(user=user, student=student, parent_name=parent_name, relation=relation)
    record(
        actor=user,
        action=AuditAction.CREATE,
        obj=req,
        org=student.school,
        after={"student": student.student_no, "status": req.status},
        summary=f"家长{parent_name}申请绑定孩子{student.name}，待学校确认",
    )
    notify_inbox(
        user, f"绑定申请已提交：{student.name}", "学校登记的家长手机号与您不一致，需班主任或教务确认，结果将通知您。"
    )
    return req


def _decide(req, acting_user, *, status: str, reason: str = "") -> BindingRequest:
    with transaction.atomic():
        req = BindingRequest.objects.select_for_update().select_related("student__school", "user").get(pk=req.pk)
        student = req.student
        if not has_perm_at(acting_user, CONFIRM_BINDING, _school_of(student)):
            raise PermissionError("您无权处理这名学生的绑定申请")
        if req.status != BindingStatus.PENDING:
            raise ValidationError(gettext("该申请已处理"))
        before = snapshot(req, ["status", "reason"])
        if status == BindingStatus.BOUND:
            if not req.user.phone:
                raise ValidationError(gettext("该家长账号没有手机号，无法绑定"))
            guardian = guardian_for_phone(req.user.phone, req.parent_name)
            if guardian.user_id not in (None, req.user_id):
                raise ValidationError(gettext("该手机号已关联其他账号，无法绑定"))
            if guardian.user_id is None:
                guardian.user = req.user
                guardian.save(update_fields=["user", "updated_at"])
            Guardianship.objects.get_or_create(guardian=guardian, student=student, defaults={"relation": req.relation})
        req.status, req.reason = status, reason
        req.decided_by, req.decided_at = acting_user, timezone.now()
        req.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        verb = "确认" if status == BindingStatus.BOUND else "拒绝"
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=req,
            org=student.school,
            before=before,
            after=snapshot(req, ["status", "reason"]),
            summary=f"{verb}家长{req.parent_name}绑定孩子{student.name}" + (f"：{reason}" if reason else ""),
        )
        if status == BindingStatus.BOUND:
            notify_inbox(
                req.user, f"绑定成功：{student.name}", f"{student.school.name}已确认您与{student.name}的绑定。"
            )
        else:
            notify_inbox(req.user, f"绑定未通过：{student.name}", f"学校未通过您的绑定申请，原因：{reason}")
    return req


def confirm_binding(req, *, acting_user) -> BindingRequest:
    return _decide(req, acting_user, status=BindingStatus.BOUND)


def refuse_binding(req, *, acting_user, reason: str) -> BindingRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("请填写未通过的原因")})
    if len(reason) > 200:
        raise ValidationError({"reason": gettext("原因不能超过200个字")})
    return _decide(req, acting_user, status=BindingStatus.REFUSED, reason=reason)
