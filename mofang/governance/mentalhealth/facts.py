"""心理健康护航's facts for the indicators core (SPEC §1.9): 专职心理教师配备率 by school section —
the share of schools with at least one full-time psychology teacher (中学 target 50%, 小学 10%).

专职心理教师, precisely: a staff member of the school (Staff.org is the school itself) who is
- a 专任教师 (category teacher) employed 专职 (employment full, not 兼职), and
- teaches 心理健康 (one of the subjects in 任教学科) or holds the post 心理教师 (岗位), and
- holds a 浙江省中小学心理健康教育 A, B or C 证 (a certificate in 其他证书 whose kind begins with
  心理健康教育), the qualification seed 000 counts (“心理健康教育C证及以上资格”).
A teacher who teaches 心理健康 part-time beside another subject still counts when employed 专职 and
certified: the staff record does not say how many of their periods are 心理健康.

School sections: 小学 = 小学; 中学 = 初中、普通高中、完全中学、九年一贯制 (a 九年一贯制 school has a 初中部
and is counted once, with the 中学). Today's staff list (the platform keeps no staff history).
"""

from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType
from mofang.platform.people.models import Employment, Staff, StaffCategory
from mofang.platform.people.models.staff import parse_subjects

PRIMARY = (SchoolType.PRIMARY,)
SECONDARY = (SchoolType.JUNIOR, SchoolType.SENIOR, SchoolType.COMPLETE_SECONDARY, SchoolType.NINE_YEAR)
CERT_PREFIX = "心理健康教育"


def is_full_time_psychology_teacher(staff) -> bool:
    try:
        teaches = "心理健康" in parse_subjects(staff.subject)
    except Exception:  # noqa: BLE001  an old record with a malformed subject list: judge by the post alone
        teaches = False
    certified = any(
        isinstance(c, dict) and str(c.get("kind", "")).startswith(CERT_PREFIX) for c in (staff.certificates or [])
    )
    return (
        staff.category == StaffCategory.TEACHER
        and staff.employment == Employment.FULL_TIME
        and (teaches or staff.position == "心理教师")
        and certified
    )


def staffed_schools(types) -> set[int]:
    candidates = Staff.objects.filter(
        org__kind=OrgKind.SCHOOL,
        org__school_type__in=types,
        category=StaffCategory.TEACHER,
        employment=Employment.FULL_TIME,
    ).filter(subject__contains="心理健康") | Staff.objects.filter(
        org__kind=OrgKind.SCHOOL,
        org__school_type__in=types,
        category=StaffCategory.TEACHER,
        employment=Employment.FULL_TIME,
        position="心理教师",
    )
    return {
        s.org_id
        for s in candidates.only("org_id", "subject", "position", "certificates", "category", "employment")
        if is_full_time_psychology_teacher(s)
    }


def _schools(types):
    return OrgUnit.objects.filter(kind=OrgKind.SCHOOL, school_type__in=types).values_list("pk", flat=True)


def primary_schools(period):
    return [(pk, 1) for pk in _schools(PRIMARY)]


def primary_staffed(period):
    return [(pk, 1) for pk in sorted(staffed_schools(PRIMARY))]


def secondary_schools(period):
    return [(pk, 1) for pk in _schools(SECONDARY)]


def secondary_staffed(period):
    return [(pk, 1) for pk in sorted(staffed_schools(SECONDARY))]


FACTS = [
    ("primary_schools", "小学数", primary_schools),
    ("primary_staffed", "配备专职心理教师的小学数", primary_staffed),
    ("secondary_schools", "中学数（含九年一贯制）", secondary_schools),
    ("secondary_staffed", "配备专职心理教师的中学数", secondary_staffed),
]


def register() -> None:
    from mofang.platform.indicators.registry import FactSource, register_fact_source

    for code, name, collect in FACTS:
        register_fact_source(FactSource(f"mentalhealth.{code}", name, collect))
