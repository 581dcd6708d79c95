"""入学早知道 services: every change to plans, 学区, thresholds and 分流 goes through here (with
`acting_user=` and an audit row), and every change recomputes the county's warnings and
invalidates the public pages' cache.

The warning rule (SPEC §3.1, seed 002):
- intake years: the next three Septembers (from 1 September on, this year's intake is past);
- primary applicants in year Y: children of the school's 学区 communities who are 6 by 31 August
  of Y, i.e. born 1 September Y-7 … 31 August Y-6;
- junior applicants in year Y: the same children six years on — the primary cohort of Y-6,
  12 by 31 August of Y (born 1 September Y-13 … 31 August Y-12), counted in the school's junior
  学区. Household data covers both, so no primary-school roll is needed;
- a community in the 学区 of several schools counts fully for each of them (each is a school its
  children may apply to: the warning errs on the side of telling parents early);
- ratio = applicants ÷ planned seats (classes × class size) of that year, in percent; the level
  follows the county's WarningPolicy for that year (else its latest earlier one, else the
  Hangzhou default 90% / 100%). A year without a plan has level 暂无计划.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform import cacheversion
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.orgs.selectors import county_of
from mofang.platform.text import pinyin_initials

from .models import (
    DEFAULT_RED,
    DEFAULT_YELLOW,
    STAGES_OF_TYPE,
    Community,
    EnrollmentSchool,
    HouseholdChild,
    IntakePlan,
    IntakeWarning,
    Level,
    Stage,
    WarningPolicy,
)

YEARS_AHEAD = 3
CACHE_VERSION_KEY = "enrollment:public:version"


def today() -> dt.date:
    return timezone.localdate()


def intake_years(on: dt.date | None = None) -> list[int]:
    """The next three intake years; the September intake of `on`'s year counts until 31 August."""
    on = on or today()
    first = on.year + (1 if on.month >= 9 else 0)
    return [first + i for i in range(YEARS_AHEAD)]


def cohort_range(stage: str, year: int) -> tuple[dt.date, dt.date]:
    """Birth dates of the children who start `stage` in September of `year` (see the module doc)."""
    age = 6 if stage == Stage.PRIMARY else 12
    return dt.date(year - age - 1, 9, 1), dt.date(year - age, 8, 31)


def name_initials(name: str) -> str:
    """Pinyin first letters ("杭州小学" → "hzxx"); letters and digits in the name are kept as they are."""
    return pinyin_initials(name)


# --- the cache of the public pages ---------------------------------------------------------------


def cache_version() -> int:
    return cacheversion.version(CACHE_VERSION_KEY)


def invalidate_public_cache() -> None:
    """Now (this request sees it) and again on commit (no other request caches the old rows)."""
    cacheversion.bump(CACHE_VERSION_KEY)


# --- thresholds and levels ---------------------------------------------------------------------


def thresholds(policy: WarningPolicy | None) -> tuple[Decimal, Decimal | None, Decimal]:
    if policy is None:
        return DEFAULT_YELLOW, None, DEFAULT_RED
    return policy.yellow_from, policy.orange_from, policy.red_from


def level_for(applicants: int, seats: int | None, policy: WarningPolicy | None = None) -> tuple[Decimal | None, str]:
    """(ratio in percent to one decimal, level). Levels are compared on exact fractions, so
    900 applicants for 1000 seats is 黄色 and 999 is 绿色 whatever the rounding of the ratio."""
    if not seats:
        return None, Level.UNKNOWN
    yellow, orange, red = thresholds(policy)
    exact = Decimal(applicants) * 100 / Decimal(seats)
    ratio = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if applicants * 100 >= red * seats:
        return ratio, Level.RED
    if orange is not None and applicants * 100 >= orange * seats:
        return ratio, Level.ORANGE
    if applicants * 100 >= yellow * seats:
        return ratio, Level.YELLOW
    return ratio, Level.GREEN


def policy_for(county: OrgUnit, year: int) -> WarningPolicy | None:
    return WarningPolicy.objects.filter(county=county, year__lte=year).order_by("-year").first()


# --- computing and storing the warnings ---------------------------------------------------------


def with_county_name(warnings):
    """Annotate each warning with its school's county name (one subquery, not one query per row).
    The county is the school's ancestor of kind 区县: the one whose path prefixes the school's."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Length, Substr

    county = (
        OrgUnit.objects.filter(kind=OrgKind.COUNTY)
        .filter(path=Substr(OuterRef("school__path"), 1, Length("path")))
        .values("name")[:1]
    )
    return warnings.annotate(county_name=Subquery(county))


def _pairs(county: OrgUnit) -> set[tuple[int, str]]:
    """(school id, stage) pairs that get a warning: planned intake or a 学区 of that stage."""
    in_county = Q(school__path__startswith=county.path)
    pairs = set(IntakePlan.objects.filter(in_county).values_list("school_id", "stage"))
    communities = Community.objects.filter(county=county)
    for stage in Stage.values:
        field = "primary_schools" if stage == Stage.PRIMARY else "junior_schools"
        ids = communities.filter(**{f"{field}__isnull": False}).values_list(field, flat=True)
        pairs |= {(sid, stage) for sid in ids}
    return pairs


def applicants_by_school(county: OrgUnit, stage: str, years: list[int]) -> dict[int, dict[int, int]]:
    """{school id: {year: expected in-district applicants}} for one stage, in one query."""
    field = "community__primary_schools" if stage == Stage.PRIMARY else "community__junior_schools"
    counts = {f"y{y}": Count("id", filter=Q(birth_date__range=cohort_range(stage, y))) for y in years}
    rows = (
        HouseholdChild.objects.filter(county=county, **{f"{field}__isnull": False})
        .values(field)
        .annotate(**counts)
        .order_by()
    )
    return {r[field]: {y: r[f"y{y}"] for y in years} for r in rows}


def compute_warnings(county: OrgUnit, years: list[int] | None = None) -> list[IntakeWarning]:
    """The warnings of every school of the county with a plan or a 学区 (unsaved rows)."""
    years = years or intake_years()
    pairs = _pairs(county)
    plans = {
        (p.school_id, p.stage, p.year): p.seats
        for p in IntakePlan.objects.filter(school__path__startswith=county.path, year__in=years)
    }
    policies = {y: policy_for(county, y) for y in years}
    applicants = {stage: applicants_by_school(county, stage, years) for stage in Stage.values}
    out = []
    for school_id, stage in sorted(pairs):
        for y in years:
            n = applicants[stage].get(school_id, {}).get(y, 0)
            seats = plans.get((school_id, stage, y))
            ratio, level = level_for(n, seats, policies[y])
            out.append(
                IntakeWarning(
                    school_id=school_id, year=y, stage=stage, applicants=n, seats=seats, ratio=ratio, level=level
                )
            )
    return out


def refresh_warnings(county: OrgUnit) -> int:
    """Recompute and store the county's warnings (called by every service that changes their inputs)."""
    with transaction.atomic():
        # one refresh per county at a time: two concurrent ones would both delete, then collide on insert
        OrgUnit.objects.select_for_update().filter(pk=county.pk).first()
        _sync_initials(county)
        rows = compute_warnings(county)
        IntakeWarning.objects.filter(school__path__startswith=county.path).delete()
        IntakeWarning.objects.bulk_create(rows)
    invalidate_public_cache()
    return len(rows)


def _sync_initials(county: OrgUnit) -> None:
    """A school renamed in the org tree is found by its new initials from the next refresh on."""
    stale = []
    for profile in EnrollmentSchool.objects.filter(school__path__startswith=county.path).select_related("school"):
        initials = name_initials(profile.school.name)
        if profile.initials != initials:
            profile.initials = initials
            stale.append(profile)
    EnrollmentSchool.objects.bulk_update(stale, ["initials"])


def refresh_all_warnings(period: str = "") -> None:
    """Every county's warnings (the intake window moved on, see apps.py)."""
    for county in OrgUnit.objects.filter(kind=OrgKind.COUNTY):
        refresh_warnings(county)


# --- profiles ----------------------------------------------------------------------------------


def ensure_profile(school: OrgUnit) -> EnrollmentSchool:
    """The school's 入学早知道 profile, with its name initials up to date."""
    initials = name_initials(school.name)
    profile, created = EnrollmentSchool.objects.get_or_create(school=school, defaults={"initials": initials})
    if not created and profile.initials != initials:
        profile.initials = initials
        profile.save(update_fields=["initials"])
    return profile


def profile_of(school: OrgUnit) -> EnrollmentSchool | None:
    return EnrollmentSchool.objects.select_related("overflow_school").filter(school=school).first()


def stages_of(school: OrgUnit) -> tuple[str, ...]:
    return STAGES_OF_TYPE.get(school.school_type, ())


# --- changes -----------------------------------------------------------------------------------


@transaction.atomic
def set_policy(county: OrgUnit, year: int, *, yellow_from, red_from, orange_from=None, acting_user) -> WarningPolicy:
    """Set a county's thresholds for one intake year; the warnings follow at once."""
    if county.kind != OrgKind.COUNTY:
        raise ValidationError(gettext("预警阈值只能按区县设置"))
    policy = WarningPolicy.objects.select_for_update().filter(county=county, year=year).first()
    before = snapshot(policy) if policy is not None else None
    policy = policy or WarningPolicy(county=county, year=year)
    policy.yellow_from, policy.orange_from, policy.red_from = (
        Decimal(str(yellow_from)),
        None if orange_from in (None, "") else Decimal(str(orange_from)),
        Decimal(str(red_from)),
    )
    policy.full_clean()
    policy.save()
    record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=policy,
        summary=f"设置{county.name}{year}年入学预警阈值",
        before=before,
        after=snapshot(policy),
    )
    refresh_warnings(county)
    return policy


@transaction.atomic
def set_intake_plan(
    school: OrgUnit, year: int, stage: str, *, classes: int, class_size: int, acting_user, refresh: bool = True
) -> IntakePlan:
    """Set one year's planned intake of a school's starting grade."""
    if stage not in stages_of(school):
        raise ValidationError(gettext("{name}不招收{label}新生").format(name=school.name, label=Stage(stage).label))
    plan = IntakePlan.objects.select_for_update().filter(school=school, year=year, stage=stage).first()
    before = snapshot(plan) if plan is not None else None
    plan = plan or IntakePlan(school=school, year=year, stage=stage)
    plan.classes, plan.class_size = classes, class_size
    plan.full_clean()
    plan.save()
    ensure_profile(school)
    record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=plan,
        summary=f"设置{school.name}{year}年{plan.get_stage_display()}招生计划 {classes}班×{class_size}人",
        before=before,
        after=snapshot(plan),
    )
    county = county_of(school)
    if refresh and county is not None:
        refresh_warnings(county)
    return plan


@transaction.atomic
def set_overflow(school: OrgUnit, overflow_school: OrgUnit | None, note: str = "", *, acting_user) -> EnrollmentSchool:
    """Where a school's overflow goes (分流), shown on its public page."""
    if overflow_school is not None and overflow_school.pk == school.pk:
        raise ValidationError(gettext("分流学校不能是本校"))
    profile = ensure_profile(school)
    before = snapshot(profile, ["overflow_school", "overflow_note"])
    profile.overflow_school, profile.overflow_note = overflow_school, note
    profile.save(update_fields=["overflow_school", "overflow_note"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=profile,
        summary=f"设置{school.name}分流去向",
        before=before,
        after=snapshot(profile, ["overflow_school", "overflow_note"]),
    )
    invalidate_public_cache()
    return profile


def _school_keys(schools) -> list[str]:
    """The 学区 schools as the audit records them: by code, by name for a school that has none."""
    return sorted(s.code or s.name for s in schools)


@transaction.atomic
def save_community(
    county: OrgUnit,
    name: str,
    *,
    address_keywords: str = "",
    primary_schools=(),
    junior_schools=(),
    longitude=None,
    latitude=None,
    acting_user,
    refresh: bool = True,
) -> Community:
    """Create or update a community and its 学区 schools (the whole mapping is replaced)."""
    for school in [*primary_schools, *junior_schools]:
        if not school.path.startswith(county.path):
            raise ValidationError(gettext("{name}不在{name2}").format(name=school.name, name2=county.name))
    community = Community.objects.select_for_update().filter(county=county, name=name).first()
    before = None
    if community is not None:
        before = {
            **snapshot(community),
            "primary": _school_keys(community.primary_schools.all()),
            "junior": _school_keys(community.junior_schools.all()),
        }
    community = community or Community(county=county, name=name)
    community.address_keywords, community.longitude, community.latitude = address_keywords, longitude, latitude
    community.save()
    community.primary_schools.set(primary_schools)
    community.junior_schools.set(junior_schools)
    for school in {*primary_schools, *junior_schools}:
        ensure_profile(school)
    after = {**snapshot(community), "primary": _school_keys(primary_schools), "junior": _school_keys(junior_schools)}
    record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=community,
        summary=f"维护学区小区 {county.name}{name}",
        before=before,
        after=after,
    )
    if refresh:
        refresh_warnings(county)
    return community


@transaction.atomic
def add_household_children(county: OrgUnit, rows: list[dict], *, acting_user, refresh: bool = True) -> tuple[int, int]:
    """Upsert exchange records {record_no, birth_date, community, registration} of one county."""
    existing = {
        c.record_no: c
        for c in HouseholdChild.objects.filter(county=county, record_no__in=[r["record_no"] for r in rows])
    }
    new, changed = [], []
    for r in rows:
        child = existing.get(r["record_no"])
        if child is None:
            new.append(HouseholdChild(county=county, **r))
            continue
        child.birth_date, child.community, child.registration = r["birth_date"], r["community"], r["registration"]
        changed.append(child)
    HouseholdChild.objects.bulk_create(new, batch_size=2000)
    HouseholdChild.objects.bulk_update(changed, ["birth_date", "community", "registration"], batch_size=2000)
    record(
        actor=acting_user,
        action=AuditAction.IMPORT,
        org=county,
        summary=f"登记{county.name}户籍适龄儿童：新增{len(new)}条，更新{len(changed)}条",
    )
    if refresh:
        refresh_warnings(county)
    return len(new), len(changed)
