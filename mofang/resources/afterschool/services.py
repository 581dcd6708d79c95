"""Every change to 课后服务 goes through these functions (acting_user=, one transaction, an audit
row, notifications on commit).

Seats: a course's `taken` moves only by one conditional UPDATE (… SET taken = taken + 1 WHERE
taken < capacity), so thousands of parents arriving at once can never oversell it; a child's
own selections are checked (limit, clash, duplicate) under the child's row lock, so two clicks
of one parent cannot slip past the limit together. Locks are taken child first, then course.
"""

import datetime as dt
import functools
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, insert_from, record, snapshot
from mofang.platform.dbutils import prepared_cursor, typed_placeholder
from mofang.platform.notifications.services import notify_inbox, send_sms
from mofang.platform.people import identity
from mofang.platform.people.models import Guardianship, RollStatus, Staff, Student

from . import catalogue, engine
from .models import (
    ACTIVE,
    PERIODS,
    WEEKDAYS,
    Attendance,
    Course,
    Rating,
    Selection,
    SelectionMode,
    SelectionStatus,
    Session,
    SurveyResponse,
    Term,
)


def require(user, perm: str, org, *, allow_own: bool = False, message: str = "您没有执行该操作的权限") -> None:
    """Refuse unless `user` holds `perm` on `org`; `user=None` is the system (demo, bench)."""
    if user is not None and not has_perm_at(user, perm, org, allow_own=allow_own):
        raise PermissionDenied(message)


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


class SelectionRefused(ValidationError):
    """A selection refused after the child's selections were read under its lock (a clash, the
    limit, a full course): `held` is how many the child holds, so the answer needs no re-read; a
    full course (`full`) has its `taken` set to its capacity."""

    def __init__(self, message: str, held: int, full: bool = False):
        super().__init__({"course": message})
        self.held = held
        self.full = full


def grade_of(student: Student) -> int | None:
    """The child's grade on the roll (一年级 → 1, 七年级 → 7); None when it is not recorded."""
    return student.grade


# --- terms and courses ------------------------------------------------------------------------


def create_term(
    school, *, name, starts_on, ends_on, opens_at, closes_at, mode=SelectionMode.FIRST_COME, max_courses=2, acting_user
) -> Term:
    require(acting_user, "afterschool.manage", school)
    name = (name or "").strip()
    if not name:
        raise _err("name", "请填写学期名称")
    if len(name) > 50:
        raise _err("name", "学期名称不能超过50个字")
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        raise _err("starts_on", "请填写开课与结课日期")
    if ends_on < starts_on:
        raise _err("ends_on", "结课日期不能早于开课日期")
    if not isinstance(opens_at, dt.datetime) or not isinstance(closes_at, dt.datetime):
        raise _err("opens_at", "请填写选课开始与截止时间")
    if closes_at <= opens_at:
        raise _err("closes_at", "选课截止时间应晚于开始时间")
    if mode not in SelectionMode.values:
        raise _err("mode", "请选择名额分配方式")
    if isinstance(max_courses, bool) or not isinstance(max_courses, int) or not 1 <= max_courses <= 10:
        raise _err("max_courses", "每生限选门数应为1至10之间的整数")
    try:
        with transaction.atomic():
            term = Term.objects.create(
                school=school,
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
                opens_at=opens_at,
                closes_at=closes_at,
                mode=mode,
                max_courses=max_courses,
                created_by=acting_user,
            )
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=term,
                org=school,
                after=snapshot(term),
                summary=f"新建课后服务学期：{term}（{term.get_mode_display()}）",
            )
    except IntegrityError:
        raise _err("name", f"本校已有名为“{name}”的学期") from None
    return term


def publish_course(
    term: Term,
    *,
    name,
    weekday,
    period_from,
    period_to,
    place,
    capacity,
    teacher=None,
    institution=None,
    fee=0,
    description="",
    grade_from=1,
    grade_to=6,
    acting_user,
) -> Course:
    """发布课程. A course names a teacher of the school or an institution on the region's white list."""
    from mofang.governance.institutions.selectors import whitelisted_institutions

    school = term.school
    require(acting_user, "afterschool.manage", school)
    name = (name or "").strip()
    if not name:
        raise _err("name", "请填写课程名称")
    if len(name) > 50:
        raise _err("name", "课程名称不能超过50个字")
    if len(description or "") > 500:
        raise _err("description", "课程介绍不能超过500个字")
    if weekday not in WEEKDAYS:
        raise _err("weekday", "请选择星期一至星期五")
    if period_from not in PERIODS or period_to not in PERIODS:
        raise _err("period_from", "请选择课后服务节次")
    if period_to < period_from:
        raise _err("period_to", "结束节次不能早于起始节次")
    place = (place or "").strip()
    if not place:
        raise _err("place", "请填写上课地点")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 500:
        raise _err("capacity", "名额应为1至500之间的整数")
    for field, g in (("grade_from", grade_from), ("grade_to", grade_to)):
        if isinstance(g, bool) or not isinstance(g, int) or not 1 <= g <= 9:
            raise _err(field, "适用年级应为1至9")
    if grade_to < grade_from:
        raise _err("grade_to", "适用年级止不能小于适用年级起")
    try:
        fee = Decimal(str(fee or 0)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _err("fee", "收费应为金额（元），免费填0") from None
    if not fee.is_finite() or fee < 0 or fee > 100000:
        raise _err("fee", "收费应为0至100000元")
    if (teacher is None) == (institution is None):
        raise _err("teacher", "请选择授课教师或校外机构（二选一）")
    if teacher is not None and not teacher.org.path.startswith(school.path):
        raise _err("teacher", f"授课教师不属于{school.name}")
    if (
        institution is not None
        and not whitelisted_institutions(school, term.starts_on).filter(pk=institution.pk).exists()
    ):
        raise _err(
            "institution",
            f"“{institution.name}”不在{school.name}所在地区的课后服务校外培训机构白名单内，不能承担课后服务课程",
        )
    try:
        with transaction.atomic():
            course = Course.objects.create(
                term=term,
                school=school,
                name=name,
                description=(description or "").strip(),
                weekday=weekday,
                period_from=period_from,
                period_to=period_to,
                place=place,
                capacity=capacity,
                teacher=teacher,
                institution=institution,
                fee=fee,
                grade_from=grade_from,
                grade_to=grade_to,
            )
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=course,
                org=school,
                after=snapshot(course),
                summary=f"发布课后服务课程：{course.name}（{course.schedule}，{capacity}人，{course.provider}）",
            )
    except IntegrityError:
        raise _err("name", f"本学期已有课程“{name}”") from None
    return course


# --- selection --------------------------------------------------------------------------------


def window_state(term: Term, now=None) -> str:
    """'before', 'open' or 'closed'."""
    now = now or timezone.now()
    if now < term.opens_at:
        return "before"
    return "open" if now < term.closes_at else "closed"


def may_act_for(user, student: Student) -> bool:
    """A parent for their own child (the scope layer's "@own"); None is the system."""
    if user is None:
        return True
    return Student.objects.visible_to(user, "afterschool.select").filter(pk=student.pk).exists()


def _window_refusal(term: Term, now=None) -> ValidationError | None:
    state = window_state(term, now)
    if state == "before":
        return _err("course", f"选课尚未开始（{timezone.localtime(term.opens_at):%m月%d日 %H:%M}开始）")
    if state == "closed":
        return _err("course", "选课已截止")
    return None


def _check_window(term: Term, now=None) -> None:
    refused = _window_refusal(term, now)
    if refused is not None:
        raise refused


def _lock_child(user, student: Student, term: Term, *, in_scope: bool = False) -> list[tuple[int, str, engine.Slot]]:
    """The child's row lock, taken only if `user` may act for the child (a parent for their own
    child, the scope layer's "@own"; None is the system), and the child's active selections in
    `term` read under it: (course id, course name, slot) each. `in_scope`: the caller has just read
    `student` through Student.objects.visible_to(user, "afterschool.select"); the lock and the
    selections are then plain statements (the selection surge's), else the lock carries the scope
    check."""
    if user is None or in_scope:
        return _locked_held(student, term)
    rows = Student.objects.select_for_update().filter(pk=student.pk)
    rows = rows.filter(pk__in=Student.objects.visible_to(user, "afterschool.select").values("pk"))
    if rows.values_list("pk", flat=True).first() is None:
        raise PermissionDenied("只能为自己的孩子选课")
    held = (
        Selection.objects.filter(term=term, student=student, status__in=ACTIVE)
        .values_list("course_id", "course__name", "course__weekday", "course__period_from", "course__period_to")
        .order_by("pk")
    )
    return [(c, name, engine.Slot(w, p1, p2)) for c, name, w, p1, p2 in held]


def _locked_held(student: Student, term: Term) -> list[tuple[int, str, engine.Slot]]:
    """The child's row locked, then its active selections in `term` with their courses: two plain
    statements. Not one: under READ COMMITTED a statement that waited for the lock re-reads the
    locked row but sees the joined selections as they were when it began, so a second click's
    join would miss the first click's selection (test_concurrency)."""
    q = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with prepared_cursor() as cur:
        cur.execute(f"SELECT id FROM {q(Student._meta.db_table)} WHERE id = %s{lock}", [student.pk])
        if cur.fetchone() is None:
            raise PermissionDenied("只能为自己的孩子选课")
        cur.execute(
            f"SELECT c.id, c.name, c.weekday, c.period_from, c.period_to FROM {q(Selection._meta.db_table)} x "
            f"JOIN {q(Course._meta.db_table)} c ON c.id = x.course_id "
            f"WHERE x.student_id = %s AND x.term_id = %s AND x.status IN (%s, %s) ORDER BY x.id",
            [student.pk, term.pk, *ACTIVE],
        )
        return [(c, name, engine.Slot(w, p1, p2)) for c, name, w, p1, p2 in cur.fetchall()]


def _take_seat(course: Course) -> int | None:
    """One seat of `course` (先到先得) by a single conditional UPDATE; the seats now taken, or None
    when it was full. RETURNING gives the count the answer shows without reading the course again."""
    table = Course._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET taken = taken + 1 WHERE id = %s AND taken < capacity RETURNING taken", [course.pk]
        )
        row = cur.fetchone()
    return None if row is None else row[0]


def _write_with_the_orm(term, course, student, status, acting_user, summary, *, take_seat) -> Selection | None:
    """The seat (when `take_seat`), the selection and its audit row; None when the course was full."""
    if take_seat:
        taken = _take_seat(course)
        if taken is None:
            return None
        course.taken = taken
    sel = Selection.objects.create(term=term, course=course, student=student, status=status, created_by=acting_user)
    record(actor=acting_user, action=AuditAction.CREATE, obj=sel, org_id=course.school_id, summary=summary)
    return sel


def _write_in_one_statement(term, course, student, status, acting_user, summary, *, take_seat) -> Selection | None:
    """_write_with_the_orm as one PostgreSQL statement (data-modifying WITH): the seat's conditional
    UPDATE, the selection INSERTed from its RETURNING (so nothing when the course was full) and the
    audit row from the selection's — one round trip instead of three, and no ORM save."""
    now = timezone.now()
    values = [term.pk, course.pk, student.pk, status, now, getattr(acting_user, "pk", None)]
    audit_sql, audit_params = insert_from(
        "sel",
        model=Selection,
        actor=acting_user,
        action=AuditAction.CREATE,
        summary=summary,
        org_id=course.school_id,
        at=now,
    )
    sql = _write_sql(take_seat, audit_sql)
    params = [course.pk, *values, *audit_params] if take_seat else [*values, *audit_params]
    with prepared_cursor() as cur:  # parsed and planned once per connection
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return None
    taken, pk = row
    if take_seat:
        course.taken = taken
    sel = Selection(
        pk=pk, term=term, course=course, student=student, status=status, created_at=now, created_by=acting_user
    )
    sel._state.adding, sel._state.db = False, connection.alias
    return sel


@functools.cache
def _write_sql(take_seat: bool, audit_sql: str) -> str:
    """_write_in_one_statement's SQL (the same text every time: written once per process)."""
    q = connection.ops.quote_name
    names = ("term", "course", "student", "status", "created_at", "created_by")
    column = {f.name: f.column for f in Selection._meta.concrete_fields if f.column}
    columns = ", ".join(q(column[f]) for f in names)
    typed = ", ".join(typed_placeholder(Selection._meta.get_field(f)) for f in names)  # server-bound parameters
    if take_seat:
        return (
            f"WITH seat AS (UPDATE {q(Course._meta.db_table)} SET taken = taken + 1 "
            f"WHERE id = %s AND taken < capacity RETURNING taken), "
            f"sel AS (INSERT INTO {q(Selection._meta.db_table)} ({columns}) "
            f"SELECT {typed} FROM seat RETURNING id), "
            f"audit AS ({audit_sql}) SELECT seat.taken, sel.id FROM seat, sel"
        )
    return (
        f"WITH sel AS (INSERT INTO {q(Selection._meta.db_table)} ({columns}) "
        f"VALUES ({typed}) RETURNING id), audit AS ({audit_sql}) SELECT NULL, sel.id FROM sel"
    )


def _refusal(student: Student, course: Course, held, now) -> ValidationError | None:
    """Why `student` cannot take `course` given the active selections `held` (read under the
    child's lock), or None: the window, the school, the roll status, the grade, a repeat, then
    the clash and the limit (engine.refusal)."""
    term = course.term
    refused = _window_refusal(term, now)
    if refused is not None:
        return refused
    if student.school_id != course.school_id:
        return _err("course", "只能选择孩子所在学校的课程")
    if student.status != RollStatus.ENROLLED:
        return _err("course", f"{student.name}当前学籍状态为{student.get_status_display()}，不能选课")
    grade = grade_of(student)
    if grade is not None and not course.grade_from <= grade <= course.grade_to:
        return _err("course", f"“{course.name}”面向{course.grades_text}，{student.name}所在年级不能选")
    if any(course_id == course.pk for course_id, _name, _slot in held):
        return _err("course", f"已选“{course.name}”，不能重复选择")
    slot = engine.Slot(course.weekday, course.period_from, course.period_to)
    reason = engine.refusal(slot, [(name, other) for _c, name, other in held], term.max_courses)
    return SelectionRefused(reason, held=len(held)) if reason else None


def select_course(student: Student, course: Course, *, acting_user, now=None, in_scope: bool = False) -> Selection:
    """选课: capacity (先到先得), clash, the per-student limit; in 抽签 mode an application.

    Pass a course read with its term (course_of_term does): the term is not read again. The
    returned selection carries `active_count`, the child's active selections in the term after
    this one (read under the child's lock), and `course.taken` is updated to the seats taken now,
    so an answer needs no further query. `in_scope=True` says the caller read `student` through
    the scope layer for `acting_user` and "afterschool.select" in this request (the selection page
    does): the "@own" check is then not compiled and run a second time."""
    term = course.term
    sel: Selection | None = None
    with transaction.atomic():
        held = _lock_child(acting_user, student, term, in_scope=in_scope)  # another family's child: refused first
        # A refusal writes nothing, so its transaction commits (only the child's lock is released)
        # and the refusal is raised after it: a ROLLBACK would make psycopg deallocate every
        # prepared statement of the connection (dbutils.prepared_cursor), which the next request
        # would parse and plan again — a third of a surge's answers are refusals.
        refused = _refusal(student, course, held, now)
        if refused is None:
            first_come = term.mode == SelectionMode.FIRST_COME
            status = SelectionStatus.CONFIRMED if first_come else SelectionStatus.APPLIED
            summary = f"为{student.name}{'选课' if first_come else '报名'}：{course.name}"
            write = _write_in_one_statement if connection.vendor == "postgresql" else _write_with_the_orm
            sel = write(term, course, student, status, acting_user, summary, take_seat=first_come)
            if sel is None:  # the seat's conditional UPDATE matched nothing: nothing was written
                course.taken = course.capacity
                refused = SelectionRefused(f"“{course.name}”名额已满", held=len(held), full=True)
    if refused is not None:
        raise refused
    assert sel is not None  # written: no refusal
    sel.active_count = len(held) + 1
    return sel


def withdraw_selection(selection: Selection, *, acting_user, now=None) -> Selection:
    """退选 within the window: the seat is free again at once."""
    if not may_act_for(acting_user, selection.student):
        raise PermissionDenied("只能为自己的孩子退选")
    _check_window(selection.term, now)
    with transaction.atomic():
        Student.objects.select_for_update().filter(pk=selection.student_id).first()
        sel = Selection.objects.select_for_update().get(pk=selection.pk)
        if sel.status not in ACTIVE:
            return sel
        if sel.status == SelectionStatus.CONFIRMED:
            Course.objects.filter(pk=sel.course_id, taken__gt=0).update(taken=F("taken") - 1)
        sel.status, sel.withdrawn_at = SelectionStatus.WITHDRAWN, timezone.now()
        sel.save(update_fields=["status", "withdrawn_at"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=sel,
            org=sel.course.school,
            summary=f"为{sel.student.name}退选：{sel.course.name}",
        )
    return sel


def run_lottery(term: Term, *, seed: str = "", acting_user, now=None) -> dict:
    """摇号 after the window closes (抽签 mode): per course, a seeded shuffle of its applicants; the
    seed and each course's result are published on the term's page. Runs once."""
    require(acting_user, "afterschool.manage", term.school)
    if term.mode != SelectionMode.LOTTERY:
        raise _err("seed", "本学期为先到先得，无需抽签")
    if window_state(term, now) != "closed":
        raise _err("seed", "选课截止后才能抽签")
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64:
        raise _err("seed", "抽签种子不能超过64个字符")
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        if term.lottery_at is not None:
            raise _err("seed", "本学期已抽签，结果已公布")
        courses = {c.pk: c for c in Course.objects.filter(term=term).select_for_update().order_by("pk")}
        apps = list(Selection.objects.filter(term=term, status=SelectionStatus.APPLIED).values_list("pk", "course_id"))
        winners = engine.draw(seed, {pk: c.capacity for pk, c in courses.items()}, apps)
        Selection.objects.filter(pk__in=winners).update(status=SelectionStatus.CONFIRMED)
        Selection.objects.filter(term=term, status=SelectionStatus.APPLIED).exclude(pk__in=winners).update(
            status=SelectionStatus.LOST
        )
        won: dict[int, int] = {}
        for app_id, course_id in apps:
            if app_id in winners:
                won[course_id] = won.get(course_id, 0) + 1
        for pk, _c in courses.items():
            Course.objects.filter(pk=pk).update(taken=won.get(pk, 0))
        term.lottery_seed, term.lottery_at = seed, timezone.now()
        term.save(update_fields=["lottery_seed", "lottery_at"])
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            obj=term,
            org=term.school,
            summary=f"课后服务抽签：种子 {seed}，报名{len(apps)}人次，选上{len(winners)}人次",
        )
    return {"seed": seed, "applications": len(apps), "winners": len(winners)}


# --- roll call and the time bank --------------------------------------------------------------


def roster(course: Course):
    """The children on a course's register (confirmed selections), by name."""
    return (
        Student.objects.filter(
            pk__in=Selection.objects.filter(course=course, status=SelectionStatus.CONFIRMED).values("student")
        )
        .select_related("klass")
        .order_by("klass__path", "name", "pk")
    )


def open_session(course: Course, day: dt.date, *, acting_user) -> Session:
    """The session of `course` on `day` for roll call (created when first submitted)."""
    check_session_day(course, day, acting_user=acting_user)
    session, _ = Session.objects.get_or_create(course=course, date=day)
    return session


def session_for(course: Course, day: dt.date, *, acting_user) -> Session:
    """The stored session, or an unsaved one to show the sheet (a GET writes nothing)."""
    check_session_day(course, day, acting_user=acting_user)
    return Session.objects.filter(course=course, date=day).first() or Session(course=course, date=day)


def check_session_day(course: Course, day: dt.date, *, acting_user) -> None:
    require(acting_user, "afterschool.take_roll", course.school, allow_own=True)
    if (
        acting_user is not None
        and not has_perm_at(acting_user, "afterschool.take_roll", course.school)
        and (course.teacher is None or course.teacher.user_id != acting_user.pk)
    ):
        raise PermissionDenied("只能为自己任教的课程点名")
    if day > timezone.localdate():
        raise _err("date", "不能为将来的日期点名")
    if not course.term.starts_on <= day <= course.term.ends_on:
        raise _err("date", "该日期不在本学期课后服务时间内")
    if day.isoweekday() != course.weekday:
        raise _err("date", f"“{course.name}”{WEEKDAYS.get(course.weekday, '')}上课，该日期没有课")


def submit_roll_call(session: Session, *, absent_ids, acting_user) -> Session:
    """提交点名: stores who was there, tells the guardians of newly absent children (inbox and SMS,
    after commit), and — the first time only — credits the teacher's time account through the time
    bank's own service (record number KH-<session id>, so a resubmission never credits twice)."""
    course = session.course
    absent_ids = {int(x) for x in absent_ids}
    with transaction.atomic():
        session = open_session(course, session.date, acting_user=acting_user)  # the same checks
        session = Session.objects.select_for_update().get(pk=session.pk)
        students = list(roster(course))
        ids = {s.pk for s in students}
        if absent_ids - ids:
            raise _err("absent", "缺勤名单中有不在本课程名册的学生")
        before = dict(Attendance.objects.filter(session=session).values_list("student_id", "present"))
        Attendance.objects.filter(session=session).exclude(student_id__in=ids).delete()
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, student=s, present=s.pk not in absent_ids)
                for s in students
                if s.pk not in before
            ]
        )
        Attendance.objects.filter(session=session, student_id__in=absent_ids, present=True).update(present=False)
        Attendance.objects.filter(session=session, present=False).exclude(student_id__in=absent_ids).update(
            present=True
        )
        newly_absent = [s for s in students if s.pk in absent_ids and before.get(s.pk, True)]
        first = session.submitted_at is None
        session.submitted_at, session.submitted_by = timezone.now(), acting_user
        if first:
            session.duty_record_no = _credit_time_bank(session, acting_user) or ""
        session.save(update_fields=["submitted_at", "submitted_by", "duty_record_no"])
        _tell_guardians(session, newly_absent)
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if not first else AuditAction.CREATE,
            obj=session,
            org=course.school,
            summary=f"{'重新提交' if not first else ''}点名：{course.name} {session.date:%Y-%m-%d}，"
            f"应到{len(students)}人，缺勤{len(absent_ids)}人",
        )
    return session


def _credit_time_bank(session: Session, acting_user) -> str | None:
    """The teacher's after-school periods go to the time bank (if the school opened one)."""
    from mofang.governance.timebank.models import Bank
    from mofang.governance.timebank.services.work import credit_afterschool_session

    course = session.course
    if course.teacher_id is None:
        return None
    bank = Bank.objects.filter(school=course.school).first()
    if bank is None or session.date < bank.started_on:
        return None
    credit_afterschool_session(
        bank,
        course.teacher,
        date=session.date,
        periods=course.periods,
        record_no=session.record_no,
        note=f"课后服务：{course.name}",
        acting_user=acting_user,
    )
    return session.record_no


def _tell_guardians(session: Session, students: list) -> None:
    if not students:
        return
    course = session.course
    links = Guardianship.objects.filter(student__in=students).select_related("guardian__user", "student")
    for link in links:
        g = link.guardian
        text = (
            f"{link.student.name}今天（{session.date:%m月%d日}）未到课后服务课程“{course.name}”"
            f"（{course.place}），请您留意。"
        )
        if g.user_id:
            notify_inbox(g.user, "课后服务缺勤提醒", text, "/afterschool/select/")
        if g.phone_sealed:
            send_sms(
                phone=identity.unseal(g.phone_sealed), text=f"【教育魔方】{text}", org=course.school, recipient=g.user
            )


# --- the survey -------------------------------------------------------------------------------


def answer_survey(term: Term, student: Student, *, rating, comment="", acting_user) -> SurveyResponse:
    """满意度问卷: one answer per child and term, by the child's parent."""
    if not may_act_for(acting_user, student):
        raise PermissionDenied("只能为自己的孩子填写问卷")
    if student.school_id != term.school_id:
        raise _err("rating", "该学期不是孩子所在学校的学期")
    if rating not in Rating.values:
        raise _err("rating", "请选择满意度")
    comment = (comment or "").strip()
    if len(comment) > 300:
        raise _err("comment", "意见建议不能超过300个字")
    try:
        with transaction.atomic():
            resp = SurveyResponse.objects.create(
                term=term, student=student, rating=rating, comment=comment, answered_by=acting_user
            )
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                obj=resp,
                org=term.school,
                summary=f"填写课后服务满意度问卷：{student.name}（{resp.get_rating_display()}）",
            )
    except IntegrityError:
        raise _err("rating", f"{student.name}本学期的问卷已填写，每位学生每学期填写一次") from None
    return resp


def teacher_of_school(school, staff_pk) -> Staff | None:
    return Staff.objects.filter(pk=staff_pk, org__path__startswith=school.path).first() if staff_pk else None


# --- reads for the pages (the caller has already reached the student or school through scope) --


def teachers_of(school):
    return Staff.objects.filter(org__path__startswith=school.path).order_by("name", "pk")


def term_for(student: Student, now=None) -> Term | None:
    """The term a parent chooses in: the latest of the child's school whose window has opened,
    else the next one to open (the rule is catalogue.current_term's; the terms come from its cache)."""
    term, _course = catalogue.term_and_course(student.school_id, None, now)
    return term


def courses_for(student: Student, term: Term):
    from django.db.models import Count, Q

    qs = (
        Course.objects.filter(term=term)
        .select_related("teacher", "institution")
        .annotate(applied_count=Count("selections", filter=Q(selections__status__in=ACTIVE)))
    )
    grade = grade_of(student)
    if grade is not None:
        qs = qs.filter(grade_from__lte=grade, grade_to__gte=grade)
    return qs.order_by("weekday", "period_from", "name")


def course_of_term(term: Term, pk, *, with_applied: bool = False) -> Course | None:
    """The course `pk` of `term`, with what its card shows (teacher, institution; in 抽签 mode the
    applications counted when `with_applied`), its term set to `term` (not read again)."""
    if not pk:
        return None
    qs = Course.objects.filter(term=term, pk=pk).select_related("teacher", "institution")
    if with_applied:
        from django.db.models import Count, Q

        qs = qs.annotate(applied_count=Count("selections", filter=Q(selections__status__in=ACTIVE)))
    course = qs.first()
    if course is not None:
        course.term = term
    return course


def seats_taken(course: Course) -> int:
    """The seats of `course` taken now (a cached course's own `taken` is not kept up to date)."""
    return Course.objects.filter(pk=course.pk).values_list("taken", flat=True).first() or 0


def selections_of(student: Student, term: Term):
    return list(
        Selection.objects.filter(term=term, student=student)
        .select_related("course", "term", "student")
        .order_by("created_at", "pk")
    )


def survey_answer(student: Student, term: Term):
    return SurveyResponse.objects.filter(term=term, student=student).first()


def region_rows(schools, figures) -> list:
    """(county, summed figures) for the counties of the given schools — ratios from summed counts."""
    from mofang.platform.orgs.models import OrgKind, OrgUnit

    from .selectors import Figures

    prefixes = {s.path[:i] for s in schools for i in range(s.steplen, len(s.path), s.steplen)}
    counties = list(OrgUnit.objects.filter(kind=OrgKind.COUNTY, path__in=prefixes).order_by("path"))
    rows = []
    for county in counties:
        total = Figures()
        for s in schools:
            if s.path.startswith(county.path):
                total.add(figures[s.pk])
        rows.append((county, total))
    return rows


def total_of(figures):
    from .selectors import Figures

    total = Figures()
    for f in figures:
        total.add(f)
    return total
