"""Roll services (学籍): every change of a student's roll status goes through one of these.

Each takes `acting_user=` (None is the system: demo, bench), checks the user's permission at the
school, runs in one transaction with the student row locked, appends a RollEvent, keeps the
year's ClassPlacement and writes the audit row with before/after. Impossible changes are refused
with a Chinese message (ValidationError naming the field). The full 转学 workflow (applications,
approval by both schools) will be built on transfer_out/transfer_in.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.orgs.selectors import county_of

from . import grades, identity
from .models import ClassPlacement, RollEvent, RollEventKind, RollStatus, SchoolYear, Student, Term, TermNumber

CHANGE = "people.change_student"
ROLL_FIELDS = ["school", "klass", "entry_year", "grade", "school_year", "status"]


# --- school years --------------------------------------------------------------------------


def ensure_school_year(start_year: int) -> SchoolYear:
    """The school year starting in September of `start_year`, created with its two terms if it is
    not set up yet (1 Sep – 31 Jan, 1 Feb – 31 Aug). Reference data: no audit row."""
    year = SchoolYear.objects.filter(start_year=start_year).first()
    if year is not None:
        return year
    with transaction.atomic():
        year, created = SchoolYear.objects.get_or_create(
            start_year=start_year,
            defaults={"starts_on": dt.date(start_year, 9, 1), "ends_on": dt.date(start_year + 1, 8, 31)},
        )
        if created:
            Term.objects.bulk_create(
                [
                    Term(
                        school_year=year,
                        number=TermNumber.FIRST,
                        starts_on=dt.date(start_year, 9, 1),
                        ends_on=dt.date(start_year + 1, 1, 31),
                    ),
                    Term(
                        school_year=year,
                        number=TermNumber.SECOND,
                        starts_on=dt.date(start_year + 1, 2, 1),
                        ends_on=dt.date(start_year + 1, 8, 31),
                    ),
                ]
            )
    return year


def current_school_year(today: dt.date | None = None) -> SchoolYear:
    """The school year that today falls in, found by date (set up on first use)."""
    today = today or timezone.localdate()
    return SchoolYear.on(today) or ensure_school_year(grades.school_year_start(today))


# --- helpers -------------------------------------------------------------------------------


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _require(user, school: OrgUnit) -> None:
    if user is not None and not has_perm_at(user, CHANGE, school):
        raise PermissionDenied("您无权办理该校的学籍异动")


def _grade_range(school: OrgUnit) -> tuple[int, int]:
    if school.kind != OrgKind.SCHOOL or not grades.has_grades(school.school_type):
        raise _err("school", f"{school.name}不是按年级招生的学校，不能办理学籍")
    return grades.GRADE_RANGE[school.school_type]


def _check_grade(school: OrgUnit, grade) -> int:
    low, high = _grade_range(school)
    try:
        grade = int(grade)
    except (TypeError, ValueError):
        raise _err("grade", "请选择年级") from None
    if not low <= grade <= high:
        raise _err(
            "grade",
            f"{school.name}没有{grades.GRADE_NAMES.get(grade, grade)}"
            f"（{grades.grade_name(school.school_type, low)}至"
            f"{grades.grade_name(school.school_type, high)}）",
        )
    return grade


def class_grade(klass: OrgUnit, school: OrgUnit) -> int | None:
    """The grade of a class, from the grade node it hangs under (None when the tree does not say)."""
    parent = OrgUnit.objects.get_parent(klass)
    if parent is None or parent.kind != OrgKind.GRADE:
        return None
    return grades.grade_from_name(school.school_type, parent.name)


def _check_class(school: OrgUnit, klass: OrgUnit | None, grade: int) -> None:
    if klass is None:
        return
    if klass.kind != OrgKind.CLASS or not klass.path.startswith(school.path):
        raise _err("klass", "班级必须属于该生所在学校")
    g = class_grade(klass, school)
    if g is not None and g != grade:
        raise _err(
            "klass",
            f"{klass.name}是{grades.grade_name(school.school_type, g)}的班级，"
            f"与年级（{grades.grade_name(school.school_type, grade)}）不符",
        )


def _place(student: Student, year: SchoolYear) -> None:
    """This year's placement follows the student's current grade and class."""
    if student.grade is None:  # every caller has checked the grade; a placement cannot be without one
        raise _err("grade", f"{student.name}的年级未登记，不能编入班级")
    ClassPlacement.objects.update_or_create(
        student=student,
        school_year=year,
        defaults={"school": student.school, "grade": student.grade, "klass": student.klass},
    )


def _event(
    student: Student,
    kind: str,
    *,
    year: SchoolYear,
    on: dt.date | None,
    acting_user,
    other_school: str = "",
    reason: str = "",
) -> RollEvent:
    return RollEvent.objects.create(
        student=student,
        kind=kind,
        occurred_on=on or timezone.localdate(),
        school_year=year,
        school=student.school,
        grade=student.grade,
        klass=student.klass,
        status=student.status,
        other_school=other_school[:100],
        reason=reason[:200],
        created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )


def _locked(student: Student) -> Student:
    return (
        Student.objects.select_for_update(of=("self",))
        .select_related("school", "klass", "school_year")
        .get(pk=student.pk)
    )


def _save(
    student: Student,
    before: dict,
    kind: str,
    *,
    acting_user,
    year: SchoolYear,
    on,
    other_school="",
    reason="",
    place=True,
) -> RollEvent:
    student.save()
    event = _event(student, kind, year=year, on=on, acting_user=acting_user, other_school=other_school, reason=reason)
    if place:
        _place(student, year)
    label = RollEventKind(kind).label
    record(
        actor=acting_user,
        action=AuditAction.UPDATE if kind != RollEventKind.ENROL else AuditAction.CREATE,
        obj=student,
        org=student.school,
        before=before,
        after=snapshot(student, ROLL_FIELDS),
        summary=f"学籍异动（{label}）：{student.name} {student.student_no}",
    )
    return event


def _status_text(student: Student) -> str:
    return str(RollStatus(student.status).label)


# --- the roll changes ----------------------------------------------------------------------


def enrol_student(
    *,
    acting_user,
    school: OrgUnit,
    student_no: str,
    name: str,
    sex: str,
    birth_date: dt.date,
    id_number: str,
    grade: int | None = None,
    klass: OrgUnit | None = None,
    occurred_on: dt.date | None = None,
    transferred_from: str = "",
    reason: str = "",
) -> Student:
    """入学 (or 转入 from outside the platform when `transferred_from` names the old school): a new
    student on the school's roll, in the first grade unless `grade` says otherwise."""
    _require(acting_user, school)
    low, _high = _grade_range(school)
    grade = low if grade is None else _check_grade(school, grade)
    _check_class(school, klass, grade)
    if not student_no.strip():
        raise _err("student_no", "学籍号不能为空")
    try:
        idn = identity.validate_id_number(id_number)
    except ValidationError as exc:
        raise _err("id_number", exc.messages[0]) from None
    if identity.id_birth_date(idn) != birth_date:
        raise _err("birth_date", "出生日期与身份证号不一致")
    if identity.id_sex(idn) != sex:
        raise _err("sex", "性别与身份证号不一致")
    year = current_school_year(occurred_on)
    with transaction.atomic():
        if Student.objects.filter(student_no=student_no).exists():
            raise _err("student_no", f"学籍号 {student_no} 已在学籍中")
        if Student.objects.filter(id_number_hash=identity.lookup_hash(idn)).exists():
            raise _err("id_number", "该身份证号已有学籍，请办理转入而不是新建学籍")
        student = Student(
            student_no=student_no,
            name=name,
            sex=sex,
            birth_date=birth_date,
            school=school,
            klass=klass,
            enrolled_on=occurred_on or timezone.localdate(),
            grade=grade,
            entry_year=grades.entry_year_for(school.school_type, grade, year.start_year),
            school_year=year,
            status=RollStatus.ENROLLED,
        )
        student.set_id_number(idn)
        kind = RollEventKind.TRANSFER_IN if transferred_from else RollEventKind.ENROL
        _save(
            student,
            {},
            kind,
            acting_user=acting_user,
            year=year,
            on=occurred_on,
            other_school=transferred_from,
            reason=reason,
        )
    return student


def transfer_out(
    student: Student, *, acting_user, to_school: str = "", occurred_on: dt.date | None = None, reason: str = ""
) -> RollEvent:
    """转出: the student leaves the school's roll (for another school); the class is vacated."""
    _require(acting_user, student.school)
    with transaction.atomic():
        s = _locked(student)
        if s.status not in (RollStatus.ENROLLED, RollStatus.SUSPENDED):
            raise _err("status", f"只有在读或休学的学生才能转出（{s.name}当前为{_status_text(s)}）")
        before = snapshot(s, ROLL_FIELDS)
        s.status, s.klass = RollStatus.TRANSFERRED_OUT, None
        return _save(
            s,
            before,
            RollEventKind.TRANSFER_OUT,
            acting_user=acting_user,
            year=current_school_year(),
            on=occurred_on,
            other_school=to_school,
            reason=reason,
            place=False,
        )


def transfer_in(
    student: Student,
    *,
    acting_user,
    school: OrgUnit,
    grade: int | None = None,
    klass: OrgUnit | None = None,
    from_school: str = "",
    occurred_on: dt.date | None = None,
    reason: str = "",
) -> RollEvent:
    """转入: a student who was transferred out (of this or another school on the platform) joins
    `school` in `grade` (by default the grade they left in)."""
    _require(acting_user, school)
    year = current_school_year(occurred_on)
    with transaction.atomic():
        s = _locked(student)
        if s.status != RollStatus.TRANSFERRED_OUT:
            raise _err("status", f"只有已转出的学生才能转入（{s.name}当前为{_status_text(s)}）")
        grade = _check_grade(school, s.grade if grade is None else grade)
        _check_class(school, klass, grade)
        before = snapshot(s, ROLL_FIELDS)
        from_school = from_school or s.school.name
        s.school, s.klass, s.grade, s.school_year, s.status = school, klass, grade, year, RollStatus.ENROLLED
        s.entry_year = grades.entry_year_for(school.school_type, grade, year.start_year)
        return _save(
            s,
            before,
            RollEventKind.TRANSFER_IN,
            acting_user=acting_user,
            year=year,
            on=occurred_on,
            other_school=from_school,
            reason=reason,
        )


def suspend(student: Student, *, acting_user, reason: str = "", occurred_on: dt.date | None = None) -> RollEvent:
    """休学: the student keeps a place on the roll but leaves the class."""
    _require(acting_user, student.school)
    with transaction.atomic():
        s = _locked(student)
        if s.status != RollStatus.ENROLLED:
            raise _err("status", f"只有在读的学生才能休学（{s.name}当前为{_status_text(s)}）")
        before = snapshot(s, ROLL_FIELDS)
        s.status, s.klass = RollStatus.SUSPENDED, None
        return _save(
            s,
            before,
            RollEventKind.SUSPEND,
            acting_user=acting_user,
            year=current_school_year(),
            on=occurred_on,
            reason=reason,
            place=False,
        )


def resume(
    student: Student,
    *,
    acting_user,
    grade: int | None = None,
    klass: OrgUnit | None = None,
    reason: str = "",
    occurred_on: dt.date | None = None,
) -> RollEvent:
    """复学: a suspended student returns — or a dropped-out one is persuaded back (劝返复学, 控辍保学) —
    by default to the grade they left, in this school year (the 入学年份 moves with them to their new cohort)."""
    _require(acting_user, student.school)
    year = current_school_year(occurred_on)
    with transaction.atomic():
        s = _locked(student)
        if s.status not in (RollStatus.SUSPENDED, RollStatus.DROPPED_OUT):
            raise _err("status", f"只有休学或辍学的学生才能复学（{s.name}当前为{_status_text(s)}）")
        grade = _check_grade(s.school, s.grade if grade is None else grade)
        _check_class(s.school, klass, grade)
        before = snapshot(s, ROLL_FIELDS)
        s.status, s.grade, s.klass, s.school_year = RollStatus.ENROLLED, grade, klass, year
        s.entry_year = grades.entry_year_for(s.school.school_type, grade, year.start_year)
        return _save(s, before, RollEventKind.RESUME, acting_user=acting_user, year=year, on=occurred_on, reason=reason)


def promote(
    student: Student, *, acting_user, klass: OrgUnit | None = None, occurred_on: dt.date | None = None
) -> RollEvent:
    """升级 of one student into the next grade for the next school year (the year-end job does a
    whole county at once, the same way). Serialised with that job by the county's row lock."""
    _require(acting_user, student.school)
    with transaction.atomic():
        lock_county_of(student.school)
        s = _locked(student)
        if s.status != RollStatus.ENROLLED:
            raise _err("status", f"只有在读的学生才能升级（{s.name}当前为{_status_text(s)}）")
        if s.grade is None or s.school_year is None:
            raise _err("grade", f"{s.name}的年级或学年未登记，不能升级")
        _low, high = _grade_range(s.school)
        if s.grade >= high:
            raise _err("grade", f"{s.name}已在最高年级（{s.grade_name}），应办理毕业而不是升级")
        target = s.school_year.start_year + 1
        if target > current_school_year().start_year + 1:
            raise _err(
                "school_year", f"{s.name}已升入{grades.school_year_name(s.school_year.start_year)}，不能再次升级"
            )
        year = ensure_school_year(target)
        grade = s.grade + 1
        if klass is None and s.klass is not None:
            klass = next_class(s.klass, s.school)
        _check_class(s.school, klass, grade)
        before = snapshot(s, ROLL_FIELDS)
        s.grade, s.klass, s.school_year = grade, klass, year
        return _save(
            s, before, RollEventKind.PROMOTE, acting_user=acting_user, year=year, on=occurred_on or year.starts_on
        )


def graduate(student: Student, *, acting_user, occurred_on: dt.date | None = None) -> RollEvent:
    """毕业: a student in the school's last grade completes it and leaves the roll."""
    _require(acting_user, student.school)
    with transaction.atomic():
        lock_county_of(student.school)
        s = _locked(student)
        if s.status != RollStatus.ENROLLED:
            raise _err("status", f"只有在读的学生才能毕业（{s.name}当前为{_status_text(s)}）")
        _low, high = _grade_range(s.school)
        if s.grade != high:
            raise _err(
                "grade",
                f"只有{grades.grade_name(s.school.school_type, high)}的学生才能毕业"
                f"（{s.name}在{s.grade_name or '未登记年级'}）",
            )
        before = snapshot(s, ROLL_FIELDS)
        s.status, s.klass = RollStatus.GRADUATED, None
        year = s.school_year or current_school_year()
        return _save(s, before, RollEventKind.GRADUATE, acting_user=acting_user, year=year, on=occurred_on, place=False)


def record_dropout(student: Student, *, acting_user, reason: str, occurred_on: dt.date | None = None) -> RollEvent:
    """辍学: the student has left school without a transfer; the reason is required (控辍保学)."""
    _require(acting_user, student.school)
    if not (reason or "").strip():
        raise _err("reason", "请填写辍学原因")
    with transaction.atomic():
        s = _locked(student)
        if s.status not in (RollStatus.ENROLLED, RollStatus.SUSPENDED):
            raise _err("status", f"只有在读或休学的学生才能登记辍学（{s.name}当前为{_status_text(s)}）")
        before = snapshot(s, ROLL_FIELDS)
        s.status, s.klass = RollStatus.DROPPED_OUT, None
        return _save(
            s,
            before,
            RollEventKind.DROPOUT,
            acting_user=acting_user,
            year=current_school_year(),
            on=occurred_on,
            reason=reason.strip(),
            place=False,
        )


# --- shared with the year-end job -----------------------------------------------------------


def lock_county_of(school: OrgUnit) -> None:
    """Promotions of a county (the job, or one student) take the county's row lock first, so the
    job's history rows and a single promotion can never both be written for one student."""
    county = county_of(school)
    if county is not None:
        list(OrgUnit.objects.select_for_update().filter(pk=county.pk).values_list("pk"))


def next_class(klass: OrgUnit, school: OrgUnit) -> OrgUnit | None:
    """Next year's class of a class: the class at the same place in the next grade (一年级2班 →
    二年级2班); None when the next grade has fewer classes."""
    mapping = class_map(school.path, {school.pk: school.school_type})
    target = mapping.get(klass.pk)
    return OrgUnit.objects.filter(pk=target).first() if target else None


def class_map(path: str, school_types: dict[int, str]) -> dict[int, int]:
    """Class id → next year's class id for every class under `path` (one query over the tree)."""
    nodes = list(
        OrgUnit.objects.filter(path__startswith=path, kind__in=[OrgKind.SCHOOL, OrgKind.GRADE, OrgKind.CLASS])
        .order_by("path")
        .values_list("pk", "path", "kind", "name")
    )
    step = OrgUnit.steplen
    school_at = {p: pk for pk, p, kind, _n in nodes if kind == OrgKind.SCHOOL and pk in school_types}
    grade_at: dict[str, tuple[int, int]] = {}  # grade node path → (school id, grade)
    classes: dict[tuple[int, int], list[int]] = {}  # (school id, grade) → class ids in tree order
    class_key: dict[int, tuple[int, int, int]] = {}
    for pk, p, kind, name in nodes:
        if kind == OrgKind.GRADE:
            school_id = school_at.get(p[:-step])
            if school_id is not None:
                g = grades.grade_from_name(school_types[school_id], name)
                if g is not None:
                    grade_at[p] = (school_id, g)
        elif kind == OrgKind.CLASS:
            key = grade_at.get(p[:-step])
            if key is not None:
                row = classes.setdefault(key, [])
                class_key[pk] = (*key, len(row))
                row.append(pk)
    out = {}
    for pk, (school_id, g, i) in class_key.items():
        nxt = classes.get((school_id, g + 1), [])
        if i < len(nxt):
            out[pk] = nxt[i]
    return out
