"""Query budgets of 教师发展's pages (see mofang/platform/budgets.py)."""

import datetime as dt

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_staff, make_user

from . import services
from .models import ActivityRecord, Category

COVERS = (
    "teacher_dev:my",
    "teacher_dev:teacher",
    "teacher_dev:statement",
    "teacher_dev:ranking",
    "teacher_dev:rules",
    "teacher_dev:records",
    "teacher_dev:ladder",
    "teacher_dev:studios",
    "teacher_dev:studio",
)


def scene(tree, n: int) -> Scene:
    """At tree.school: a teacher with n records (the points pages), n more teachers each with a
    record, an application and a studio (ranking, records, ladder, studios), one studio with n
    members, activities and outputs, and n rules of the county."""
    day = timezone.localdate() - dt.timedelta(days=1)
    county_user = make_user("budget_td_county", "county_admin", tree.county)
    principal = make_user("budget_td_principal", "principal", tree.school)
    teacher_user = make_user("budget_td_teacher", "teacher", tree.school)
    mao = make_staff(tree.school, "预算积分教师", user=teacher_user)
    services.ensure_default_rules(tree.county, effective_from=dt.date(2000, 1, 1), acting_user=None)
    level = services.ensure_levels()[0]
    big = services.create_studio(name="预算名师工作室", subject="语文", host=mao, founded_on=day, acting_user=None)
    for i in range(n):
        ActivityRecord.objects.create(
            school=tree.school,
            staff=mao,
            record_no=f"YS-{i}",
            category=Category.HOME_VISIT,
            date=day,
            quantity=1,
            title=f"预算家访{i}",
        )
        services.set_rule(
            tree.county,
            category=Category.AWARD_CITY,
            points_per_unit="10",
            cap="",
            cap_period="none",
            effective_from=dt.date(2001, 1, 1) + dt.timedelta(days=i),
            acting_user=None,
        )
        user = make_user(f"budget_td_t{i}", "teacher", tree.school)
        other = make_staff(tree.school, f"预算教师{i}", user=user)
        ActivityRecord.objects.create(
            school=tree.school,
            staff=other,
            record_no=f"YT-{i}",
            category=Category.PUBLIC_LESSON,
            date=day,
            quantity=1,
            title=f"预算公开课{i}",
        )
        services.apply_for_level(other, level, statement="任教满一年", acting_user=user)
        services.create_studio(name=f"预算工作室{i}", subject="数学", host=other, founded_on=day, acting_user=None)
        services.add_member(big, other, joined_on=day, acting_user=None)
        services.add_activity(big, date=day, kind="研修", title=f"预算研修{i}", acting_user=None)
        services.add_output(big, date=day, kind="论文", title=f"预算论文{i}", author=other, acting_user=None)
    return Scene(
        user=principal,
        urls={
            "teacher_dev:teacher": f"/teacher_dev/teachers/{mao.pk}/",
            "teacher_dev:statement": f"/teacher_dev/teachers/{mao.pk}/statement/",
            "teacher_dev:ranking": f"/teacher_dev/ranking/?org={tree.school.pk}",
            "teacher_dev:rules": f"/teacher_dev/rules/?county={tree.county.pk}",
            "teacher_dev:studio": f"/teacher_dev/studios/{big.pk}/",
        },
        users={"teacher_dev:my": teacher_user, "teacher_dev:rules": county_user},
    )
