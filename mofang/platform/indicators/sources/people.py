"""Facts from master data: 在读 students and 专任教师 of each school (the current roll: every period
reads today's 在读 students; graduates, transfers out, suspensions and dropouts are not counted)."""

from django.db.models import Count

from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import RollStatus, Staff, StaffCategory, Student

from ..registry import FactSource, register_fact_source


def students(period):
    return (
        Student.objects.filter(status=RollStatus.ENROLLED).values_list("school_id").annotate(n=Count("pk")).order_by()
    )


def students_in(period, orgs):
    return (
        Student.objects.filter(school_id__in=orgs, status=RollStatus.ENROLLED)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def teachers(period):
    # 专任教师 only: 行政, 教辅 and 工勤 staff are not teachers in the statistics
    return (
        Staff.objects.filter(org__kind=OrgKind.SCHOOL, category=StaffCategory.TEACHER)
        .values_list("org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def register() -> None:
    register_fact_source(FactSource("people.students", "在校学生数", students, collect_orgs=students_in))
    register_fact_source(FactSource("people.teachers", "学校专任教师数", teachers))
