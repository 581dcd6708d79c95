"""教师发展's services: the county's rules, the imported records, a teacher's points, ladder
applications through the case engine and 名师工作室. Each change runs in one transaction, checks the
acting user's permission at the unit, writes its audit row; a refusal is a ValidationError whose
message starts with the field's Chinese name."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.cases import services as cases
from mofang.platform.orgs.models import OrgKind
from mofang.platform.orgs.selectors import county_of

from . import engine, sources
from .cases import LADDER_CASE
from .models import (
    ActivityRecord,
    CapPeriod,
    Category,
    LadderApplication,
    LadderLevel,
    PointRule,
    Recognition,
    Result,
    Studio,
    StudioActivity,
    StudioMember,
    StudioOutput,
)
from .roles import APPLY, MANAGE_STUDIO, RECOGNIZE, RULES

# 常山县's rules in the demo and for a county that has set none yet (the bureau changes them on the
# rules page): (category, points per unit, cap, cap period)
DEFAULT_RULES = (
    (Category.SUBSTITUTION, "0.5", "10", CapPeriod.MONTH),
    (Category.AFTERSCHOOL, "1", "12", CapPeriod.MONTH),
    (Category.TEACHING_LOAD, "0.1", "60", CapPeriod.YEAR),
    (Category.TRAINING, "0.2", "20", CapPeriod.YEAR),
    (Category.HOME_VISIT, "1", "20", CapPeriod.YEAR),
    (Category.PUBLIC_LESSON, "3", "15", CapPeriod.YEAR),
    (Category.AWARD_COUNTY, "5", None, CapPeriod.NONE),
    (Category.AWARD_CITY, "10", None, CapPeriod.NONE),
    (Category.AWARD_PROVINCE, "20", None, CapPeriod.NONE),
)


def ensure_levels() -> list[LadderLevel]:
    """The six rungs with their default criteria (migration 0002 adds them; a flushed database —
    the demo's rebuild, transactional tests — gets them back here). Existing rows are kept."""
    from .migrations import LEVELS  # one list for the migration and the code

    for rank, name, years, points, hours, text in LEVELS:
        LadderLevel.objects.get_or_create(
            rank=rank,
            defaults=dict(
                name=name,
                min_years_below=years,
                min_points=Decimal(points),
                min_training_hours=Decimal(hours),
                criteria=text,
            ),
        )
    return list(LadderLevel.objects.order_by("rank"))


def ladder_levels() -> list[LadderLevel]:
    """The rungs for the ladder page (the levels are the platform's, not scoped data)."""
    return list(LadderLevel.objects.order_by("rank")) or ensure_levels()


def _refuse(message: str):
    """A refusal: the message starts with the field's Chinese name."""
    raise ValidationError(message)


# --- rules -------------------------------------------------------------------------------------


def _decimal(raw, field: str, *, required=True, low=Decimal(0), high=Decimal(1000)) -> Decimal | None:
    raw = ("" if raw is None else str(raw)).strip()
    if not raw:
        if required:
            _refuse(gettext("{field}不能为空").format(field=field))
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        _refuse(gettext("{field}应为数字").format(field=field))
    if not value.is_finite() or not low <= value <= high:
        _refuse(gettext("{field}应在{low}～{high}之间").format(field=field, low=low, high=high))
    if value != value.quantize(Decimal("0.01")):
        _refuse(gettext("{field}最多两位小数").format(field=field))
    return value


def set_rule(county, *, category, points_per_unit, cap, cap_period, effective_from, note="", acting_user):
    """A county's rule for one category from a date on (the same date replaces that day's rule)."""
    if county is None or county.kind != OrgKind.COUNTY:
        _refuse(gettext("区县：积分规则按区县设置"))
    if acting_user is not None and not has_perm_at(acting_user, RULES, county):
        raise PermissionDenied("您无权设置该区县的积分规则")
    if category not in Category.values:
        _refuse(gettext("积分类别：请选择积分类别"))
    if cap_period not in CapPeriod.values:
        _refuse(gettext("上限周期：请选择不设上限、每月或每年"))
    ppu = _decimal(points_per_unit, "每单位积分", high=Decimal(100))
    cap_value = _decimal(cap, "积分上限", required=cap_period != CapPeriod.NONE, high=Decimal(10000))
    if cap_period == CapPeriod.NONE:
        cap_value = None
    if not isinstance(effective_from, dt.date):
        _refuse(gettext("生效日期：请填写日期"))
    if len(note or "") > 200:
        _refuse(gettext("依据：不超过200字"))
    with transaction.atomic():
        rule, created = PointRule.objects.update_or_create(
            county=county,
            category=category,
            effective_from=effective_from,
            defaults=dict(
                points_per_unit=ppu,
                cap=cap_value,
                cap_period=cap_period,
                note=note or "",
                created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
            ),
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            summary=f"设置{county.name}积分规则：{rule}，{rule.cap_text()}",
            obj=rule,
            org=county,
            after={"category": category, "points_per_unit": str(ppu), "cap": str(cap_value), "period": cap_period},
        )
    return rule


def ensure_default_rules(county, *, effective_from: dt.date, acting_user=None) -> int:
    """The default rules for a county that has none (demo, tests)."""
    if PointRule.objects.filter(county=county).exists():
        return 0
    for category, ppu, cap, period in DEFAULT_RULES:
        set_rule(
            county,
            category=category,
            points_per_unit=ppu,
            cap=cap,
            cap_period=period,
            effective_from=effective_from,
            note="县教育局教师积分制管理办法",
            acting_user=acting_user,
        )
    return len(DEFAULT_RULES)


# --- imported records --------------------------------------------------------------------------


@dataclass
class Activity:
    """One checked row of the import, ready to save."""

    school_id: int
    staff_id: int
    record_no: str
    category: str
    date: dt.date
    quantity: Decimal
    title: str


def save_activities(rows: list[Activity], *, acting_user) -> tuple[int, int]:
    """Insert new records; a number already recorded with the same content changes nothing (the
    importer refuses one with different content). Returns (created, unchanged)."""
    existing = set(
        ActivityRecord.objects.filter(
            school_id__in={r.school_id for r in rows}, record_no__in={r.record_no for r in rows}
        ).values_list("school_id", "record_no")
    )
    new = [
        ActivityRecord(
            school_id=r.school_id,
            staff_id=r.staff_id,
            record_no=r.record_no,
            category=r.category,
            date=r.date,
            quantity=r.quantity,
            title=r.title,
            imported_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        )
        for r in rows
        if (r.school_id, r.record_no) not in existing
    ]
    ActivityRecord.objects.bulk_create(new)
    return len(new), len(rows) - len(new)


# --- points -----------------------------------------------------------------------------------


def points_of(staff, year: int, *, user=None, perm: str = "") -> engine.Result:
    """A teacher's lines for a calendar year (caps per month/year need the whole year)."""
    start, end = sources.year_bounds(year)
    return engine.compute(sources.sources(user, perm, [staff.pk], start, end), sources.rules_of(county_of(staff.org)))


def training_hours(staff, year: int) -> tuple[tuple[int, int], Decimal]:
    """((cycle's first year, last year), 继续教育学时 recorded in that cycle up to `year`)."""
    first, last = engine.cycle_of(year)
    hours = ActivityRecord.objects.filter(
        staff=staff, category=Category.TRAINING, date__year__gte=first, date__year__lte=year
    ).aggregate(s=Sum("quantity"))["s"]
    return (first, last), hours or Decimal(0)


# --- the growth ladder ---------------------------------------------------------------------------


def current_level(staff) -> Recognition | None:
    return Recognition.objects.filter(staff=staff).select_related("level").order_by("-level__rank").first()


def check_criteria(staff, level: LadderLevel, today: dt.date) -> list[str]:
    """What the teacher lacks for `level` (empty: may apply)."""
    problems = []
    held = current_level(staff)
    held_rank = held.level.rank if held else 0
    if held is not None and held_rank >= level.rank:
        problems.append(f"已认定为{held.level.name}")
        return problems
    if level.rank > 1:
        below = Recognition.objects.filter(staff=staff, level__rank=level.rank - 1).select_related("level").first()
        if below is None:
            name = LadderLevel.objects.filter(rank=level.rank - 1).values_list("name", flat=True).first()
            problems.append(f"须先取得{name or '下一层级'}")
        elif level.min_years_below and (today - below.recognized_on).days < 365 * level.min_years_below:
            problems.append(f"取得{below.level.name}不满{level.min_years_below}年")
    last_points = points_of(staff, today.year - 1).total
    if last_points < level.min_points:
        problems.append(f"上一年度积分{last_points.normalize():f}分，不足{level.min_points.normalize():f}分")
    (first, last), hours = training_hours(staff, today.year)
    if hours < level.min_training_hours:
        problems.append(
            f"{first}—{last}周期继续教育{hours.normalize():f}学时，不足{level.min_training_hours.normalize():f}学时"
        )
    return problems


def apply_for_level(staff, level: LadderLevel, *, statement: str, acting_user, now=None) -> LadderApplication:
    """A teacher's own application: checked against the level's criteria, then a case at the county."""
    if (
        acting_user is None
        or staff.user_id != acting_user.pk
        or not has_perm_at(acting_user, APPLY, staff.org, allow_own=True)
    ):
        raise PermissionDenied("只能由教师本人申报")
    statement = (statement or "").strip()
    if not statement:
        _refuse(gettext("申报材料说明：请简述业绩与材料"))
    if len(statement) > 2000:
        _refuse(gettext("申报材料说明：不超过2000字"))
    now = now or timezone.now()
    problems = check_criteria(staff, level, timezone.localdate(now))
    if problems:
        _refuse(gettext("申报层级：尚不符合{level}的条件：{lacks}").format(level=level.name, lacks="；".join(problems)))
    school = staff.org.school
    county = county_of(school)
    if county is None:
        _refuse(gettext("申报层级：所在学校不属于任何区县"))
    with transaction.atomic():
        if LadderApplication.objects.filter(staff=staff, result=Result.PENDING).exists():
            _refuse(gettext("申报层级：已有一件申报在评审中"))
        case = cases.open_case(
            LADDER_CASE,
            title=f"{staff.name}申报{level.name}",
            reporting_org=school,
            responsible_org=county,
            acting_user=acting_user,
            description=statement,
            data={"level": level.rank},
            now=now,
        )
        try:
            with transaction.atomic():
                app = LadderApplication.objects.create(
                    case=case, staff=staff, school=school, level=level, statement=statement
                )
        except IntegrityError:
            _refuse(gettext("申报层级：已有一件申报在评审中"))
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"申报{level.name}（{staff.name}，{case.number}）",
            obj=app,
            org=school,
        )
    return app


def settle_application(case, transition, acting_user, now) -> None:
    """From the case engine's after_transition: record the result (and the recognition)."""
    app = LadderApplication.objects.select_for_update().filter(case=case).first()
    if app is None or transition.target not in ("recognized", "returned"):
        return
    if transition.target == "recognized":
        app.result = Result.RECOGNIZED
        Recognition.objects.get_or_create(
            staff_id=app.staff_id,
            level_id=app.level_id,
            defaults=dict(school_id=app.school_id, recognized_on=timezone.localdate(now), application=app),
        )
    else:
        app.result = Result.RETURNED
    app.save(update_fields=["result"])


# --- 名师工作室 -------------------------------------------------------------------------------------


def _may_manage(user, studio: Studio) -> bool:
    return user is None or has_perm_at(user, MANAGE_STUDIO, studio.school) or (studio.host.user_id == user.pk)


def create_studio(*, name, subject, host, founded_on, level="县级", acting_user) -> Studio:
    school = host.org.school
    if acting_user is not None and not has_perm_at(acting_user, MANAGE_STUDIO, school):
        raise PermissionDenied("您无权设立该校的名师工作室")
    name, subject = (name or "").strip(), (subject or "").strip()
    if not name or len(name) > 60:
        _refuse(gettext("名称：请填写工作室名称（不超过60字）"))
    if level not in ("县级", "市级", "省级"):
        _refuse(gettext("级别：应为县级、市级或省级"))
    if not subject or len(subject) > 30:
        _refuse(gettext("学科：请填写学科（不超过30字）"))
    with transaction.atomic():
        studio = Studio.objects.create(
            name=name, subject=subject, host=host, school=school, founded_on=founded_on, level=level
        )
        StudioMember.objects.create(studio=studio, staff=host, role="主持人", joined_on=founded_on)
        record(actor=acting_user, action=AuditAction.CREATE, summary=f"设立{name}", obj=studio, org=school)
    return studio


def add_member(studio: Studio, staff, *, role="成员", joined_on, acting_user) -> StudioMember:
    if not _may_manage(acting_user, studio):
        raise PermissionDenied("只有工作室主持人或教育局可以添加成员")
    if county_of(staff.org) != county_of(studio.school):
        _refuse(gettext("教师：工作室成员须为本县教师"))
    with transaction.atomic():
        if StudioMember.objects.filter(studio=studio, staff=staff).exists():
            _refuse(gettext("教师：{name}已是工作室成员").format(name=staff.name))
        m = StudioMember.objects.create(studio=studio, staff=staff, role=role, joined_on=joined_on)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"{studio.name}添加成员{staff.name}",
            obj=m,
            org=studio.school,
        )
    return m


def _text(raw, field, limit) -> str:
    value = (raw or "").strip()
    if not value:
        _refuse(gettext("{field}：不能为空").format(field=field))
    if len(value) > limit:
        _refuse(gettext("{field}：不超过{limit}字").format(field=field, limit=limit))
    return value


def _day(raw, field) -> dt.date:
    if isinstance(raw, dt.date):
        day = raw
    else:
        try:
            day = dt.date.fromisoformat((raw or "").strip())
        except ValueError:
            _refuse(gettext("{field}：请填写日期，如2026-10-15").format(field=field))
    if day > timezone.localdate():
        _refuse(gettext("{field}：不能晚于今天").format(field=field))
    if day.year < 2000:
        _refuse(gettext("{field}：日期不正确").format(field=field))
    return day


def add_activity(studio: Studio, *, date, kind, title, place="", participants=0, acting_user) -> StudioActivity:
    if not _may_manage(acting_user, studio):
        raise PermissionDenied("只有工作室主持人或教育局可以登记活动")
    day = _day(date, "日期")
    kind, title = _text(kind, "类型", 10), _text(title, "主题", 100)
    try:
        people = int(participants or 0)
    except (TypeError, ValueError):
        _refuse(gettext("参加人数：应为整数"))
    if not 0 <= people <= 10000:
        _refuse(gettext("参加人数：应在0～10000之间"))
    with transaction.atomic():
        a = StudioActivity.objects.create(
            studio=studio, date=day, kind=kind, title=title, place=(place or "")[:60], participants=people
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"{studio.name}登记活动：{title}",
            obj=a,
            org=studio.school,
        )
    return a


def add_output(studio: Studio, *, date, kind, title, author, acting_user) -> StudioOutput:
    if not _may_manage(acting_user, studio):
        raise PermissionDenied("只有工作室主持人或教育局可以登记成果")
    day = _day(date, "日期")
    kind, title = _text(kind, "类型", 10), _text(title, "题目", 100)
    if author is None or not StudioMember.objects.filter(studio=studio, staff=author).exists():
        _refuse(gettext("作者：须为工作室成员"))
    with transaction.atomic():
        o = StudioOutput.objects.create(studio=studio, date=day, kind=kind, title=title, author=author)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"{studio.name}登记成果：{title}",
            obj=o,
            org=studio.school,
        )
    return o


def record_recognition(staff, level: LadderLevel, *, recognized_on: dt.date, acting_user) -> Recognition:
    """A level recognised before the platform (entered by the county from its files)."""
    school = staff.org.school
    if acting_user is not None and not has_perm_at(acting_user, RECOGNIZE, school):
        raise PermissionDenied("您无权认定该教师的层级")
    with transaction.atomic():
        rec, created = Recognition.objects.get_or_create(
            staff=staff, level=level, defaults=dict(school=school, recognized_on=recognized_on)
        )
        if created:
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                summary=f"登记{staff.name}的层级认定：{level.name}（{recognized_on}）",
                obj=rec,
                org=school,
            )
    return rec
