"""课后服务's facts for the indicators core (SPEC §1.9): per school, the counts behind
课后服务学生参与率 (87.5% in seed 002), 教师参与率 (94.6%) and 满意度 (>97%).

A term counts for a period when its dates overlap the period. Totals read today's roll (the
platform keeps no roll history) of the compulsory-education schools (小学、初中、九年一贯制),
the population the seed's rates are about.

The facts cover the schools with a term in the period (those that run 课后服务 on the platform),
the totals too: a rate is participants over the pupils of the schools that offer the service, and
a county where no school does shows 暂无数据 — not 0.0% ranked above nothing (before, the
participants of three 常山 schools were divided by every pupil of the province: 2.6%).
"""

from django.db.models import Count, Q

from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.people.models import RollStatus, Staff, StaffCategory, Student

from .models import SATISFIED, Course, Selection, SelectionStatus, SurveyResponse, Term

COMPULSORY = (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR)


def _terms(period, prefix: str = "term__") -> Q:
    return Q(**{f"{prefix}starts_on__lte": period.end, f"{prefix}ends_on__gte": period.start})


def covered(period) -> list[int]:
    """Schools with an after-school term overlapping the period."""
    return list(Term.objects.filter(_terms(period, "")).values_list("school_id", flat=True).distinct())


def students_total(period):
    return (
        # today's roll: graduates, transfers out and dropouts are not pupils who could take part
        Student.objects.filter(
            school__school_type__in=COMPULSORY, school_id__in=covered(period), status=RollStatus.ENROLLED
        )
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def students_participating(period):
    return (
        Selection.objects.filter(_terms(period), status=SelectionStatus.CONFIRMED)
        .values_list("course__school_id")
        .annotate(n=Count("student_id", distinct=True))
        .order_by()
    )


def teachers_total(period):
    # 教师参与率 is about 专任教师: 行政, 教辅 and 工勤 staff are not in its denominator
    return (
        Staff.objects.filter(
            org__kind=OrgKind.SCHOOL,
            org__school_type__in=COMPULSORY,
            org_id__in=covered(period),
            category=StaffCategory.TEACHER,
        )
        .values_list("org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def teachers_participating(period):
    return (
        Course.objects.filter(_terms(period), teacher__isnull=False)
        .values_list("school_id")
        .annotate(n=Count("teacher_id", distinct=True))
        .order_by()
    )


def survey_responses(period):
    return (
        SurveyResponse.objects.filter(_terms(period)).values_list("term__school_id").annotate(n=Count("pk")).order_by()
    )


def survey_satisfied(period):
    return (
        SurveyResponse.objects.filter(_terms(period), rating__in=SATISFIED)
        .values_list("term__school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


FACTS = [
    ("students_total", "应参加课后服务的学生数（义务教育在校生）", students_total),
    ("students_participating", "参加课后服务的学生数", students_participating),
    ("teachers_total", "义务教育学校专任教师数", teachers_total),
    ("teachers_participating", "参与课后服务的教师数", teachers_participating),
    ("survey_responses", "课后服务满意度有效问卷数", survey_responses),
    ("survey_satisfied", "课后服务满意度“满意”及以上问卷数", survey_satisfied),
]


def register() -> None:
    """Register the facts when the indicators core is installed (it is on main)."""
    try:
        from mofang.platform.indicators.registry import FactSource, register_fact_source
    except ImportError:  # the core is optional for this module
        return
    for code, name, collect in FACTS:
        register_fact_source(FactSource(f"afterschool.{code}", name, collect, covers=covered))
