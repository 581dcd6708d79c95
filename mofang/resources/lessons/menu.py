"""Menu entries and the reviewers' to-do (registered from AppConfig.ready())."""

from django.urls import reverse

from mofang.platform.web.registry import MenuEntry, TodoItem, register_menu, register_todo

from .models import Lesson, Status
from .roles import ASK, BROWSE, REVIEW, UPLOAD

MODULE = "教育资源"


def register() -> None:
    register_menu(
        MenuEntry("resources", MODULE, "共享优课与云校", "lessons:index", BROWSE, 30),
        # in the menu of those who take part (parents, teachers); a bureau reaches them from the catalogue
        MenuEntry("resources", MODULE, "云校直播课表", "lessons:live", ASK, 31),
        MenuEntry("resources", MODULE, "问道名师", "lessons:qa", ASK, 32),
        MenuEntry("resources", MODULE, "我上传的资源", "lessons:mine", UPLOAD, 33),
        MenuEntry("resources", MODULE, "教育资源审核", "lessons:review_queue", REVIEW, 34),
    )
    register_todo(todos)


def todos(request) -> list[TodoItem]:
    """Lessons waiting for this reviewer (the same rows as the review queue's first page)."""
    from mofang.platform.accounts.scope import has_perm

    if not has_perm(request.user, REVIEW):
        return []
    waiting = Lesson.objects.visible_to(request.user, REVIEW).filter(status=Status.PENDING).count()
    return [TodoItem("待审核的教育资源", waiting, reverse("lessons:review_queue"), "warning")] if waiting else []
