"""Services over people: edits are audited before → after; revealing a sensitive value is
permission-checked and audit-logged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot

from . import identity

_FIELD_LABEL = {"id_number": "身份证号", "phone": "手机号"}


def _org_of(obj):
    return getattr(obj, "school", None) or getattr(obj, "org", None)


def can_reveal(user, obj) -> bool:
    return has_perm_at(user, "people.view_sensitive", _org_of(obj))


def reveal(obj, field: str, *, acting_user) -> str:
    if not can_reveal(acting_user, obj):
        raise PermissionError("您无权查看完整信息")
    sealed = getattr(obj, f"{field}_sealed", "")
    value = identity.unseal(sealed)
    record(
        actor=acting_user,
        action=AuditAction.REVEAL,
        obj=obj,
        org=_org_of(obj),
        summary=f"查看{obj}的完整{_FIELD_LABEL[field]}",
    )
    return value


STUDENT_EDITABLE = ["name", "klass"]
STAFF_EDITABLE = [
    "position",
    "subject",
    "phone_masked",
    "category",
    "employment",
    "title",
    "teacher_cert_kind",
    "teacher_cert_no",
    "certificates",
    "hired_on",
]


def update_student(student, *, acting_user, name: str, klass) -> None:
    from .models import ClassPlacement
    from .roll import class_grade

    if klass is not None and not klass.path.startswith(student.school.path):
        raise ValidationError({"klass": gettext("班级必须属于该生所在学校")})
    if (
        klass is not None
        and student.grade is not None
        and class_grade(klass, student.school) not in (None, student.grade)
    ):
        raise ValidationError(
            {"klass": gettext("{name}不是{grade_name}的班级").format(name=klass.name, grade_name=student.grade_name)}
        )
    with transaction.atomic():
        before = snapshot(student, STUDENT_EDITABLE)
        student.name, student.klass = name, klass
        student.save(update_fields=["name", "klass", "updated_at"])
        if student.school_year_id and student.grade is not None and before["klass"] != getattr(klass, "pk", None):
            ClassPlacement.objects.update_or_create(  # this year's placement follows the class change
                student=student,
                school_year_id=student.school_year_id,
                defaults={"school": student.school, "grade": student.grade, "klass": klass},
            )
        after = snapshot(student, STUDENT_EDITABLE)
        if before != after:
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=student,
                org=student.school,
                before=before,
                after=after,
                summary=f"修改学生信息：{student.name}",
            )


def update_staff(staff, *, acting_user, position: str, subject: str, phone: str | None = None, **profile) -> None:
    """Edit a staff member; `profile` holds any of category, employment, title, teacher_cert_kind,
    teacher_cert_no, certificates (list of {kind, number, date}) and hired_on."""
    unknown = set(profile) - set(STAFF_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if bool(profile.get("teacher_cert_kind", staff.teacher_cert_kind)) != bool(
        profile.get("teacher_cert_no", staff.teacher_cert_no)
    ):
        raise ValidationError({"teacher_cert_no": gettext("教师资格种类与教师资格证编号须同时填写")})
    with transaction.atomic():
        before = snapshot(staff, STAFF_EDITABLE)
        staff.position, staff.subject = position, subject
        for field, value in profile.items():
            setattr(staff, field, value)
        if phone:
            staff.set_phone(identity.validate_mobile(phone))
        staff.save(update_fields=["position", "subject", "phone_sealed", "phone_masked", *profile, "updated_at"])
        after = snapshot(staff, STAFF_EDITABLE)
        if before != after:
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                obj=staff,
                org=staff.org,
                before=before,
                after=after,
                summary=f"修改教职工信息：{staff.name}",
            )
