"""综合素质评价's services: every change goes through here, with `acting_user=`, audited.

Bad input raises ValidationError with a Chinese message per field (nothing written); a person
without the right raises PermissionDenied. A class's term is open until its 公示 starts; during
公示 its records are locked (only the school's resolution of an objection changes one), and once
archived they are read-only for good (`ensure_editable`).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.files import sniff
from mofang.platform.people.models import Student
from mofang.platform.workdays.calendar import add_working_days

from .models import (
    ENTERED_KINDS,
    KIND_DIMENSION,
    Dimension,
    Evidence,
    Kind,
    Objection,
    ObjectionStatus,
    Publicity,
    PublicityStatus,
    Record,
    Source,
    Status,
    term_name,
    term_of,
)
from .roles import ENTER, OWN, PUBLICIZE, REVIEW, SETTLE

PUBLICITY_WORKING_DAYS = 5  # 公示期：5个工作日（按平台工作日历）
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 3


def term_start(year: int, term: int) -> dt.date:
    return dt.date(year, 9, 1) if term == 1 else dt.date(year + 1, 2, 1)


def term_end(year: int, term: int) -> dt.date:
    return dt.date(year + 1, 1, 31) if term == 1 else dt.date(year + 1, 8, 31)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _actor(user):
    return user if user is not None and user.is_authenticated else None


# --- locks ---------------------------------------------------------------------------------------


def publicity_of(klass_id, year: int, term: int) -> Publicity | None:
    if klass_id is None:
        return None
    return Publicity.objects.filter(klass_id=klass_id, school_year=year, term=term).first()


def term_lock(klass_id, year: int, term: int) -> str:
    """Why the class's term takes no change ("" when it is open)."""
    p = publicity_of(klass_id, year, term)
    if p is None:
        return ""
    if p.status == PublicityStatus.ARCHIVED:
        return gettext("{term}的综合素质评价已归档，记录只读，不能再修改").format(term=term_name(year, term))
    return gettext("{term}的综合素质评价正在公示，公示期间不能新增或修改记录").format(term=term_name(year, term))


def ensure_editable(rec: Record) -> None:
    """Refuse any change to a record of an archived (or publicized) term, or one already decided."""
    if rec.status == Status.ARCHIVED:
        raise ValidationError(
            {"form": gettext("{term}的综合素质评价已归档，记录只读，不能再修改").format(term=rec.term_name)}
        )
    lock = term_lock(rec.klass_id, rec.school_year, rec.term)
    if lock:
        raise ValidationError({"form": lock})


# --- entry ---------------------------------------------------------------------------------------


@dataclass
class Checked:
    dimension: str
    kind: str
    title: str
    description: str
    occurred_on: dt.date
    files: list


def check_input(
    *, dimension, kind, title, description, occurred_on, files=(), today: dt.date, existing_files: int = 0
) -> Checked:
    errors: dict[str, str] = {}
    dimension = (dimension or "").strip()
    kind = (kind or Kind.GENERAL).strip()
    if dimension not in Dimension.values:
        errors["dimension"] = "请选择评价维度（德、智、体、美、劳）"
    if kind not in [k.value for k in ENTERED_KINDS]:
        errors["kind"] = "请选择记录类别"
    elif kind in KIND_DIMENSION and dimension in Dimension.values and KIND_DIMENSION[kind] != dimension:
        errors["kind"] = f"“{Kind(kind).label}”只能记在“{Dimension(KIND_DIMENSION[kind]).label}”维度"
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写标题"
    elif len(title) > 60:
        errors["title"] = "标题不能超过60字"
    description = (description or "").strip()
    if len(description) > 1000:
        errors["description"] = "具体表现不能超过1000字"
    year, term = term_of(today)
    day = None
    if isinstance(occurred_on, dt.date):
        day = occurred_on
    else:
        try:
            day = dt.date.fromisoformat((occurred_on or "").strip())
        except ValueError:
            errors["occurred_on"] = "发生日期格式不正确，请填写如2026-10-15的日期"
    if day is not None and "occurred_on" not in errors:
        if day > today:
            errors["occurred_on"] = "发生日期不能晚于今天"
        elif day < term_start(year, term):
            errors["occurred_on"] = f"发生日期应在本学期内（{term_start(year, term):%Y年%-m月%-d日}以后）"
    files = [f for f in files if f]
    if len(files) + existing_files > MAX_EVIDENCE_FILES:
        errors["files"] = f"每条记录最多{MAX_EVIDENCE_FILES}个证明材料"
    checked = []
    for f in files:
        try:
            checked.append((f, sniff(f, label="证明材料", max_bytes=MAX_EVIDENCE_BYTES)))
        except ValidationError as exc:
            errors["files"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    assert day is not None
    return Checked(dimension, kind, title, description, day, checked)


def _may_enter(user, student: Student) -> str:
    """The source a change by `user` on `student` comes from, or PermissionDenied."""
    if Student.objects.visible_to(user, OWN).filter(pk=student.pk).exists():
        return Source.PARENT
    org = student.klass or student.school
    if has_perm_at(user, ENTER, org):
        return Source.TEACHER
    raise PermissionDenied("您无权为该学生填报综合素质评价")


def enter_record(
    student: Student,
    *,
    dimension,
    kind,
    title,
    description="",
    occurred_on,
    files=(),
    acting_user,
    today: dt.date | None = None,
) -> Record:
    """A parent's or a teacher's record for the current term, awaiting the 班主任's review."""
    today = today or timezone.localdate()
    source = _may_enter(acting_user, student)
    c = check_input(
        dimension=dimension,
        kind=kind,
        title=title,
        description=description,
        occurred_on=occurred_on,
        files=files,
        today=today,
    )
    year, term = term_of(today)
    lock = term_lock(student.klass_id, year, term)
    if lock:
        raise ValidationError({"form": lock})
    with transaction.atomic():
        rec = Record.objects.create(
            student=student,
            school_id=student.school_id,
            klass_id=student.klass_id,
            grade=student.grade,
            school_year=year,
            term=term,
            dimension=c.dimension,
            kind=c.kind,
            title=c.title,
            description=c.description,
            occurred_on=c.occurred_on,
            source=source,
            entered_by=_actor(acting_user),
        )
        _attach(rec, c.files)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"填报综合素质评价：{student.name} {rec.get_dimension_display()} {rec.title}",
            obj=rec,
            after={"dimension": rec.dimension, "kind": rec.kind, "title": rec.title, "files": len(c.files)},
        )
    return rec


def _attach(rec: Record, files) -> None:
    for f, content_type in files:
        Evidence.objects.create(record=rec, file=f, name=f.name[:200], content_type=content_type, size=f.size)


def update_record(
    rec: Record,
    *,
    dimension,
    kind,
    title,
    description="",
    occurred_on,
    files=(),
    acting_user,
    today: dt.date | None = None,
) -> Record:
    """Correct a record awaiting review or returned (it goes back to the 班主任); never after archive."""
    today = today or timezone.localdate()
    ensure_editable(rec)
    _may_enter(acting_user, rec.student)
    if rec.automatic:
        raise ValidationError({"form": gettext("该记录由体质健康测试或课后服务自动生成，不能修改")})
    if rec.status not in (Status.SUBMITTED, Status.RETURNED):
        raise ValidationError({"form": gettext("该记录{status}，不能修改").format(status=rec.get_status_display())})
    c = check_input(
        dimension=dimension,
        kind=kind,
        title=title,
        description=description,
        occurred_on=occurred_on,
        files=files,
        today=max(today, term_start(rec.school_year, rec.term)),
        existing_files=rec.evidence.count(),
    )
    before = {"dimension": rec.dimension, "kind": rec.kind, "title": rec.title, "status": rec.status}
    with transaction.atomic():
        rec.dimension, rec.kind, rec.title = c.dimension, c.kind, c.title
        rec.description, rec.occurred_on = c.description, c.occurred_on
        rec.status, rec.return_reason = Status.SUBMITTED, ""
        rec.save()
        _attach(rec, c.files)
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"修改综合素质评价：{rec.student.name} {rec.title}",
            obj=rec,
            before=before,
            after={"dimension": rec.dimension, "kind": rec.kind, "title": rec.title, "status": rec.status},
        )
    return rec


# --- review --------------------------------------------------------------------------------------


def review(rec: Record, *, approve: bool, reason: str = "", acting_user, now=None) -> Record:
    """The 班主任 approves a record or returns it with a reason."""
    if rec.klass is None or not has_perm_at(acting_user, REVIEW, rec.klass):
        raise PermissionDenied("只有本班班主任可以审核")
    ensure_editable(rec)
    if rec.status != Status.SUBMITTED:
        raise ValidationError(
            {"form": gettext("该记录{status}，不是待审核记录").format(status=rec.get_status_display())}
        )
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": gettext("请填写退回原因")})
    if len(reason) > 300:
        raise ValidationError({"reason": gettext("退回原因不能超过300字")})
    with transaction.atomic():
        rec.status = Status.APPROVED if approve else Status.RETURNED
        rec.return_reason = "" if approve else reason
        rec.reviewed_by, rec.reviewed_at = _actor(acting_user), now or timezone.now()
        rec.save()
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            summary=f"{'审核通过' if approve else '退回'}综合素质评价：{rec.student.name} {rec.title}",
            obj=rec,
            after={"status": rec.status, "reason": reason},
        )
    return rec


# --- 公示, objections, archive -------------------------------------------------------------------


def start_publicity(klass, *, acting_user, today: dt.date | None = None) -> Publicity:
    """Publicize the class's approved records of the current term for N working days."""
    if not has_perm_at(acting_user, PUBLICIZE, klass):
        raise PermissionDenied("您无权发起该班级的公示")
    today = today or timezone.localdate()
    year, term = term_of(today)
    lock = term_lock(klass.pk, year, term)
    if lock:
        raise ValidationError({"form": lock})
    rows = Record.objects.filter(klass=klass, school_year=year, term=term)
    pending = rows.filter(status=Status.SUBMITTED).count()
    if pending:
        raise ValidationError({"form": gettext("还有{n}条记录待审核，请审核完毕后再发起公示").format(n=pending)})
    if not rows.filter(status=Status.APPROVED).exists():
        raise ValidationError({"form": gettext("本学期还没有审核通过的记录，无需公示")})
    school = klass.school
    if school is None:
        raise ValidationError({"form": gettext("班级不属于任何学校")})
    try:
        with transaction.atomic():
            p = Publicity.objects.create(
                school=school,
                klass=klass,
                school_year=year,
                term=term,
                starts_on=today,
                ends_on=add_working_days(today, PUBLICITY_WORKING_DAYS, klass),
                started_by=_actor(acting_user),
            )
            record(
                actor=acting_user,
                action=AuditAction.ACTION,
                summary=f"发起公示：{klass.name} {p.term_name}，至{p.ends_on:%Y-%m-%d}",
                obj=p,
            )
    except IntegrityError:
        raise ValidationError({"form": gettext("该班级本学期已发起公示")}) from None
    return p


def publicity_open(p: Publicity, today: dt.date) -> bool:
    return p.status == PublicityStatus.OPEN and p.starts_on <= today <= p.ends_on


def raise_objection(p: Publicity, rec: Record, *, reason: str, acting_user, today: dt.date | None = None) -> Objection:
    """A parent of the class objects to a record on 公示, with a reason, during the period."""
    today = today or timezone.localdate()
    if not Publicity.objects.visible_to(acting_user, OWN).filter(pk=p.pk).exists():
        raise PermissionDenied("只有本班学生家长可以对公示提出异议")
    if not p.records().filter(pk=rec.pk).exists():
        raise ValidationError({"record": gettext("该记录不在本次公示中")})
    if not publicity_open(p, today):
        raise ValidationError({"form": gettext("公示期已于{day}结束，不能再提出异议").format(day=_day(p.ends_on))})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("请填写异议理由")})
    if len(reason) > 500:
        raise ValidationError({"reason": gettext("异议理由不能超过500字")})
    if Objection.objects.filter(record=rec, raised_by=acting_user, status=ObjectionStatus.OPEN).exists():
        raise ValidationError({"form": gettext("您对该记录的异议正在处理中，请勿重复提交")})
    try:
        with transaction.atomic():
            o = Objection.objects.create(publicity=p, record=rec, reason=reason, raised_by=_actor(acting_user))
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                summary=f"公示异议：{rec.student.name} {rec.title}",
                obj=o,
                after={"reason": reason},
            )
    except IntegrityError:
        raise ValidationError({"form": gettext("您对该记录的异议正在处理中，请勿重复提交")}) from None
    return o


def resolve_objection(o: Objection, *, upheld: bool, resolution: str, acting_user, now=None) -> Objection:
    """The school's decision: upheld revokes the record, dismissed keeps it; with a written reason."""
    p = o.publicity
    if not has_perm_at(acting_user, SETTLE, p.klass):
        raise PermissionDenied("只有学校（校长、教务）可以处理公示异议")
    if p.status == PublicityStatus.ARCHIVED:
        raise ValidationError({"form": gettext("本学期评价已归档，不能再处理异议")})
    if o.status != ObjectionStatus.OPEN:
        raise ValidationError({"form": gettext("该异议已处理（{status}）").format(status=o.get_status_display())})
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": gettext("请填写处理意见")})
    if len(resolution) > 500:
        raise ValidationError({"resolution": gettext("处理意见不能超过500字")})
    with transaction.atomic():
        o.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        o.resolution, o.resolved_by, o.resolved_at = resolution, _actor(acting_user), now or timezone.now()
        o.save()
        if upheld:
            Record.objects.filter(pk=o.record_id).update(status=Status.REVOKED, updated_at=timezone.now())
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            summary=f"处理公示异议：{o.get_status_display()}（{o.record.title}）",
            obj=o,
            after={"status": o.status, "resolution": resolution},
        )
    return o


def archive(p: Publicity, *, acting_user, today: dt.date | None = None, now=None) -> int:
    """Archive the class's term after 公示 ends with every objection resolved: records read-only."""
    today = today or timezone.localdate()
    if not has_perm_at(acting_user, SETTLE, p.klass):
        raise PermissionDenied("只有学校（校长、教务）可以归档")
    if p.status == PublicityStatus.ARCHIVED:
        raise ValidationError({"form": gettext("本学期评价已归档")})
    if today <= p.ends_on:
        raise ValidationError({"form": gettext("公示期至{day}，公示结束后才能归档").format(day=_day(p.ends_on))})
    open_ = p.objections.filter(status=ObjectionStatus.OPEN).count()
    if open_:
        raise ValidationError({"form": gettext("还有{n}条异议未处理，处理完毕后才能归档").format(n=open_)})
    with transaction.atomic():
        n = p.records().filter(status=Status.APPROVED).update(status=Status.ARCHIVED, updated_at=timezone.now())
        p.status, p.archived_at, p.archived_by = PublicityStatus.ARCHIVED, now or timezone.now(), _actor(acting_user)
        p.save()
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            summary=f"归档：{p.klass.name} {p.term_name}，{n}条记录",
            obj=p,
        )
    return n


# --- records that flow in from 体质健康 and 课后服务 ------------------------------------------------

PHYSICAL_WORDS = ("球", "跑", "跳", "田径", "游泳", "武术", "体操", "跆拳道", "棋", "轮滑", "体育", "健美操", "击剑")
ART_WORDS = ("美术", "书法", "舞", "合唱", "乐", "画", "剪纸", "戏", "陶艺", "手工", "琴", "笛", "声乐", "艺术")
SCIENCE_WORDS = ("科学", "编程", "机器人", "科技", "阅读", "数学", "英语", "航模", "创客")


def course_dimension(name: str) -> str:
    """The dimension an after-school course counts in, from its name (体育类 → 体, 艺术类 → 美,
    科技阅读类 → 智, others → 劳)."""
    for words, dim in ((PHYSICAL_WORDS, Dimension.PHYSICAL), (ART_WORDS, Dimension.AESTHETIC)):
        if any(w in name for w in words):
            return dim
    if any(w in name for w in SCIENCE_WORDS):
        return Dimension.INTELLECT
    return Dimension.LABOUR


def _upsert(key: str, fields: dict, counts: dict) -> None:
    rec = Record.objects.filter(source_key=key).first()
    if rec is None:
        if term_lock(fields["klass_id"], fields["school_year"], fields["term"]):
            counts["locked"] += 1
            return
        Record.objects.create(source_key=key, status=Status.APPROVED, **fields)
        counts["created"] += 1
        return
    if term_lock(rec.klass_id, rec.school_year, rec.term) or rec.status != Status.APPROVED:
        counts["locked"] += 1 if any(getattr(rec, k) != v for k, v in fields.items()) else 0
        return
    changed = {k: v for k, v in fields.items() if getattr(rec, k) != v}
    if changed:
        Record.objects.filter(pk=rec.pk).update(**changed, updated_at=timezone.now())
        counts["updated"] += 1


def pull_term(school, year: int, term: int, *, acting_user=None) -> dict:
    """Bring the school's fitness results (first term: the test is run in the autumn) and
    confirmed after-school courses of the term in as approved records. Idempotent: each source row
    makes one record (`source_key`); a changed source updates it until the term is publicized."""
    from mofang.governance.fitness.models import FitnessResult
    from mofang.resources.afterschool.models import Attendance, Selection, SelectionStatus

    counts = {"created": 0, "updated": 0, "locked": 0}
    start, end = term_start(year, term), term_end(year, term)
    with transaction.atomic():
        if term == 1:
            results = FitnessResult.objects.filter(
                school=school, school_year__start_year=year, total__isnull=False
            ).select_related("student")
            for r in results:
                band = r.get_band_display() if r.band else ""
                _upsert(
                    f"fitness:{r.pk}",
                    {
                        "student_id": r.student_id,
                        "school_id": r.school_id,
                        "klass_id": r.klass_id,
                        "grade": r.grade,
                        "school_year": year,
                        "term": term,
                        "dimension": Dimension.PHYSICAL,
                        "kind": Kind.FITNESS,
                        "title": f"体质健康测试{r.total:.1f}分（{band}）" if band else f"体质健康测试{r.total:.1f}分",
                        "description": "《国家学生体质健康标准》学年测试成绩，由体质健康模块自动转入",
                        "occurred_on": min(max(timezone.localtime(r.updated_at).date(), start), end),
                        "source": Source.FITNESS,
                    },
                    counts,
                )
        selections = Selection.objects.filter(
            course__school=school,
            status=SelectionStatus.CONFIRMED,
            term__starts_on__gte=start,
            term__starts_on__lte=end,
        ).select_related("course", "student", "term")
        attended = {
            (c, s): n
            for c, s, n in Attendance.objects.filter(session__course__in={s.course_id for s in selections})
            .values_list("session__course_id", "student_id")
            .annotate(n=Count("pk", filter=Q(present=True)))
        }
        for sel in selections:
            st = sel.student
            n = attended.get((sel.course_id, sel.student_id), 0)
            _upsert(
                f"afterschool:{sel.pk}",
                {
                    "student_id": st.pk,
                    "school_id": sel.course.school_id,
                    "klass_id": st.klass_id,
                    "grade": st.grade,
                    "school_year": year,
                    "term": term,
                    "dimension": course_dimension(sel.course.name),
                    "kind": Kind.AFTERSCHOOL,
                    "title": f"参加课后服务《{sel.course.name}》"[:60],
                    "description": f"{sel.term.name}，到课{n}次；由课后服务模块自动转入",
                    "occurred_on": min(max(sel.term.starts_on, start), end),
                    "source": Source.AFTERSCHOOL,
                },
                counts,
            )
        if counts["created"] or counts["updated"]:
            record(
                actor=acting_user,
                action=AuditAction.IMPORT,
                summary=f"转入体测与课后服务记录：{school.name} {term_name(year, term)}，"
                f"新增{counts['created']}条，更新{counts['updated']}条",
                org=school,
            )
    return counts
