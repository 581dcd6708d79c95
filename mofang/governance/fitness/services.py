"""体质健康 services: a result's scored outcome, and saving a class's results from the teacher's form.

Every change goes through a named function taking `acting_user=`, in one transaction, with its
audit row. The import goes through the platform's import path (importers.py), which writes its
own audit row; both compute the outcome with `outcome()` so a result reads the same however it
came in.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.people.roll import current_school_year

from .models import MEASURED, SCORED, FitnessResult, result_key
from .scoring import ITEMS, InvalidValue, check_value, items_for, parse_value, score

ENTER = "fitness.enter"

# The fields a result's outcome fills, in a fixed order (the import's COPY columns use it).
OUTCOME_FIELDS = (
    *MEASURED,
    "bmi",
    "bmi_class",
    *(f"score_{code}" for code in SCORED),
    "base_total",
    "bonus_total",
    "total",
    "band",
)


def scorable(grade) -> bool:
    """The standard covers 一年级 to 高三 (1..12 on the national grade scale)."""
    return grade is not None and 1 <= grade <= 12


def outcome(grade: int, sex: str, values: dict) -> dict:
    """The model fields of a result with these raw values: values, BMI, item scores, totals, band."""
    result = score(grade, sex, values)
    out: dict = {code: values.get(code) for code in MEASURED}
    out["bmi"] = result.bmi
    out["bmi_class"] = result.bmi_class or ""
    for code in SCORED:
        item = result.items.get(code)
        out[f"score_{code}"] = int(item.score) if item is not None else None
    out["base_total"] = result.base_total
    out["bonus_total"] = int(result.bonus_total or 0)
    out["total"] = result.total
    out["band"] = result.band or ""
    return out


def check_cells(grade: int, sex: str, cells: dict[str, str]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Parse and check a child's cells (item code → text): (values, errors by item code).

    A blank cell is 未测; an item that does not belong to the grade and sex is refused when filled.
    """
    values: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for code, text in cells.items():
        text = (text or "").strip()
        if not text:
            continue
        try:
            value = parse_value(code, text)
            check_value(code, value, grade, sex)
        except InvalidValue as exc:
            errors[code] = str(exc)
            continue
        values[code] = value
    return values, errors


def save_class_results(klass, students, cells_by_student: dict, *, acting_user) -> tuple[int, dict]:
    """The teacher's form for one class: every child's row at once, all or nothing.

    `cells_by_student`: student id → {item code: text}. Returns (results saved, {}) or raises
    ValidationError with `error_dict`-like details in `.cell_errors` ({student id: {code: msg}}).
    A child whose row is all blank keeps what they had (nothing is deleted from here).
    """
    if not has_perm_at(acting_user, ENTER, klass):
        raise PermissionDenied("您没有权限录入该班的体质健康成绩")
    year = current_school_year()
    cell_errors: dict[int, dict[str, str]] = {}
    prepared = []
    for student in students:
        cells = cells_by_student.get(student.pk, {})
        if not any((t or "").strip() for t in cells.values()):
            continue
        if not scorable(student.grade):
            cell_errors[student.pk] = {"": "该生没有一至十二年级的年级，不能按标准评分"}
            continue
        allowed = set(items_for(student.grade, student.sex))
        for code in cells:
            if code not in allowed and (cells[code] or "").strip():
                cell_errors.setdefault(student.pk, {})[code] = f"{ITEMS[code].label}不是该生年级的测试项目"
        values, errors = check_cells(student.grade, student.sex, {c: t for c, t in cells.items() if c in allowed})
        if errors:
            cell_errors.setdefault(student.pk, {}).update(errors)
        if student.pk not in cell_errors:
            prepared.append((student, values))
    if cell_errors:
        exc = ValidationError(gettext("有单元格填写有误，未保存任何成绩"))
        exc.cell_errors = cell_errors  # type: ignore[attr-defined]
        raise exc
    with transaction.atomic():
        for student, values in prepared:
            fields = outcome(student.grade, student.sex, values)
            FitnessResult.objects.update_or_create(
                student_year=result_key(student.pk, year.start_year),
                defaults={
                    "student": student,
                    "school_year": year,
                    "school_id": student.school_id,
                    "klass_id": student.klass_id,
                    "grade": student.grade,
                    "sex": student.sex,
                    **fields,
                },
            )
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=klass,
            org=klass,
            summary=f"录入体质健康成绩：{klass.name} {len(prepared)}人（{year}）",
        )
    return len(prepared), {}
