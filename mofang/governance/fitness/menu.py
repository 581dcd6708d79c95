"""Menu entries and to-dos of 体质健康 (registered from AppConfig.ready())."""

from django.urls import reverse

from mofang.platform.accounts.scope import has_perm
from mofang.platform.people.models import RollStatus, Student
from mofang.platform.people.roll import current_school_year
from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .models import FitnessResult

MODULE = "体质健康"


def register() -> None:
    register_menu(
        MenuEntry("management", MODULE, "孩子的体质健康", "fitness:my", "fitness.view_child", 60),
        MenuEntry("management", MODULE, "体质健康成绩录入", "fitness:classes", "fitness.enter", 61),
        MenuEntry("management", MODULE, "体质健康合格率", "fitness:rates", "fitness.view_rates", 62),
    )
    register_todo(todos)


def todos(request) -> list[TodoItem]:
    """A 班主任's class children without a result this school year (the test is once a year)."""
    user = request.user
    if not has_perm(user, "fitness.enter") or has_perm(user, "fitness.import_result"):
        return []  # the school imports the equipment's file; the to-do is the class teacher's
    year = current_school_year()
    left = (
        Student.objects.visible_to(user, "fitness.enter")
        .filter(status=RollStatus.ENROLLED, klass__isnull=False, grade__gte=1, grade__lte=12)
        .exclude(
            pk__in=FitnessResult.objects.visible_to(user, "fitness.enter").filter(school_year=year).values("student_id")
        )
        .count()
    )
    return [TodoItem("本学年体质健康成绩待录入", left, reverse("fitness:classes"), "info")] if left else []
