"""Every change 控辍保学 makes, each in one transaction with its audit row (the case engine and the
roll's service functions write their own timeline and audit rows).

- write_register_rows: the importer's rows into a new batch (the import path audits the import);
- open_cases: every child out of school in a batch without an open case gets one for the county;
- persuade / readmit / explain: the case's steps. 复学 changes the roll only through
  people.roll (resume for 休学 and 辍学, transfer_in for 转出, enrol_student for a child with no record), so
  the next matching no longer lists the child.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.cases import services as cases
from mofang.platform.people import identity, roll
from mofang.platform.people.models import RollStatus, Student

from .cases import CODE, THROUGH_SERVICE
from .models import ChildCase, ExplainReason, ListKind, RegisterBatch, RegisterChild
from .roles import HANDLE


def write_register_rows(rows: list[dict], ctx) -> int:
    """One chunk of checked rows into the import's batch (created with the first chunk)."""
    county = ctx.state["county"]
    batch = ctx.state.get("batch")
    if batch is None:
        batch = RegisterBatch.objects.create(
            county=county, reference_date=ctx.state["reference"], created_by=ctx.user, filename=""
        )
        ctx.state["batch"] = batch
    sealer = ctx.state["sealer"]
    objs = []
    for row in rows:
        idn = row["id_number"]
        objs.append(
            RegisterChild(
                batch=batch,
                county=county,
                name=row["name"],
                sex=row["sex"],
                birth_date=row["birth_date"],
                hukou_region=row["hukou_region"],
                residence_region=row["residence_region"],
                id_number_sealed=sealer.seal(idn),
                id_number_hash=sealer.lookup_hash(idn),
                id_number_masked=identity.mask_id_number(idn),
            )
        )
    RegisterChild.objects.bulk_create(objs, batch_size=1000)
    batch.children += len(objs)
    batch.save(update_fields=["children"])
    return len(objs)


def _require(user, county, perm=HANDLE) -> None:
    if not has_perm_at(user, perm, county):
        raise PermissionDenied("您无权办理该区县的控辍保学案件")


def open_cases(batch: RegisterBatch, *, acting_user, today: dt.date | None = None) -> int:
    """A case for every child of the batch out of school who has no open case in the county (nor a
    case closed with a 说明)."""
    from .selectors import match

    _require(acting_user, batch.county)
    m = match(batch, today)
    flagged = [f for kind in ListKind.values for f in m.lists[kind]]
    if not flagged:
        return 0
    children = RegisterChild.objects.in_bulk([f.child_id for f in flagged])
    # a child with an open case, or whose case was closed with a 说明 (出国, 送教上门 …), gets no new one
    open_hashes = set(
        ChildCase.objects.filter(county=batch.county)
        .filter(Q(open=True) | ~Q(reason=""))
        .values_list("id_number_hash", flat=True)
    )
    opened = 0
    with transaction.atomic():
        for f in flagged:
            child = children[f.child_id]
            if child.id_number_hash in open_hashes:
                continue
            case = cases.open_case(
                CODE,
                title=f"{child.name}（{child.id_number_masked}）{ListKind(f.kind).label}",
                reporting_org=batch.county,
                responsible_org=batch.county,
                acting_user=acting_user,
                category=f.kind,
                description=f"{batch.reference_date:%Y-%m-%d}名册比对：{ListKind(f.kind).label}",
                data={"child": child.pk, "batch": batch.pk},
            )
            ChildCase.objects.create(
                case=case, county=batch.county, child=child, id_number_hash=child.id_number_hash, list_kind=f.kind
            )
            open_hashes.add(child.id_number_hash)
            opened += 1
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            org=batch.county,
            summary=f"控辍保学：{batch}比对，新立案{opened}件",
        )
    return opened


def persuade(cc: ChildCase, *, acting_user, comment: str):
    _require(acting_user, cc.county)
    return cases.fire(cc.case, "persuade", acting_user=acting_user, comment=comment)


def _close(cc: ChildCase, transition: str, acting_user, comment: str, reason: str = ""):
    token = THROUGH_SERVICE.set(True)
    try:
        cases.fire(cc.case, transition, acting_user=acting_user, comment=comment)
    finally:
        THROUGH_SERVICE.reset(token)
    cc.open = False
    cc.reason = reason
    cc.save(update_fields=["open", "reason"])


def explain(cc: ChildCase, *, acting_user, reason: str, comment: str) -> None:
    """说明: the child is accounted for (出国, 送教上门, 随迁就读 …); the reason is required."""
    _require(acting_user, cc.county)
    if reason not in ExplainReason.values:
        raise ValidationError({"reason": gettext("请选择说明原因")})
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": gettext("请填写情况说明")})
    if len(comment) > 500:
        raise ValidationError({"comment": gettext("情况说明不能超过500字")})
    with transaction.atomic():
        _close(cc, "explain", acting_user, f"{ExplainReason(reason).label}：{comment}", reason)


def readmit(
    cc: ChildCase,
    *,
    acting_user,
    school=None,
    grade: int | None = None,
    student_no: str = "",
    comment: str = "",
    occurred_on: dt.date | None = None,
) -> None:
    """复学: back on the roll through people.roll, then the case closes. For a child with no roll
    record a school (in the county), a grade and a 学籍号 are needed; for 转出 a school."""
    _require(acting_user, cc.county)
    if school is not None and not (school.path.startswith(cc.county.path) and school.kind == "school"):
        raise ValidationError({"school": gettext("请选择本区县的学校")})
    child = cc.child
    with transaction.atomic():
        student = Student.objects.filter(id_number_hash=cc.id_number_hash).order_by("-pk").first()
        reason = f"控辍保学复学（{cc.case.number}）"
        if student is None:
            if school is None:
                raise ValidationError({"school": gettext("请选择复学学校")})
            if not (student_no or "").strip():
                raise ValidationError({"student_no": gettext("请填写学籍号")})
            roll.enrol_student(
                acting_user=acting_user,
                school=school,
                student_no=student_no.strip(),
                name=child.name,
                sex=child.sex,
                birth_date=child.birth_date,
                id_number=identity.unseal(child.id_number_sealed),
                grade=grade,
                occurred_on=occurred_on,
                reason=reason,
            )
        elif student.status in (RollStatus.SUSPENDED, RollStatus.DROPPED_OUT):  # 复学 / 劝返复学
            roll.resume(student, acting_user=acting_user, grade=grade, reason=reason, occurred_on=occurred_on)
        elif student.status == RollStatus.TRANSFERRED_OUT:
            if school is None:
                raise ValidationError({"school": gettext("请选择接收学校")})
            roll.transfer_in(
                student, acting_user=acting_user, school=school, grade=grade, occurred_on=occurred_on, reason=reason
            )
        _close(cc, "readmit", acting_user, (comment or "").strip() or f"已复学（{timezone.localdate():%Y-%m-%d}）")
