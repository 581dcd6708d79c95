"""家长: the list (one row per guardian and child), a guardian's page, and adding, changing and
removing a child's guardian (班主任 on the class, 教务/校长 on the school) through the services."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse

from mofang.platform.accounts.scope import get_visible_or_404, has_perm_at
from mofang.platform.web.lists import Col, ScopedListView

from .. import guardianship as services
from ..forms import GuardianForm
from ..models import Guardian, Guardianship, Student
from ..roles import CHANGE_GUARDIAN

VIEW = "people.view_guardian"


class GuardianList(ScopedListView):
    model = Guardianship
    permission = VIEW
    title = "家长"
    search_fields = ["guardian__name", "student__name", "student__student_no"]
    search_placeholder = "家长姓名、学生姓名或学籍号"
    select_related = ["guardian", "student__school", "student__klass"]
    order_by = ["student__school__path", "student__student_no", "guardian_id"]
    columns = [
        Col("家长", lambda g: g.guardian.name, lambda g: reverse("people:guardian_detail", args=[g.guardian_id])),
        Col("手机号", lambda g: g.guardian.phone_masked),
        Col("关系", lambda g: g.relation),
        Col("学生", lambda g: g.student.name, lambda g: reverse("web:student_detail", args=[g.student_id])),
        Col("学籍号", lambda g: g.student.student_no),
        Col("学校", lambda g: g.student.school.name),
        Col("班级", lambda g: g.student.klass.name if g.student.klass else ""),
    ]


@login_required
def guardian_detail(request, pk):
    guardian = get_visible_or_404(Guardian, request.user, VIEW, pk=pk)
    # only the children this user may see: another school's child of the same parent stays hidden
    links = (
        Guardianship.objects.visible_to(request.user, VIEW)
        .filter(guardian=guardian)
        .select_related("student__school", "student__klass")
        .order_by("student__student_no")
    )
    rows = [
        (link, has_perm_at(request.user, CHANGE_GUARDIAN, link.student.klass or link.student.school)) for link in links
    ]
    return render(
        request,
        "people/guardian_detail.html",
        {"page_title": f"家长：{guardian.name}", "guardian": guardian, "rows": rows},
    )


def _apply(form, call):
    """Run a service; its ValidationError lands on the form's fields. Returns True on success."""
    try:
        call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return False
    return True


def _form_page(request, form, title, cancel_url, status=200):
    return render(
        request, "web/form.html", {"page_title": title, "form": form, "cancel_url": cancel_url}, status=status
    )


@login_required
def guardian_add(request, pk):
    student = get_visible_or_404(Student, request.user, CHANGE_GUARDIAN, pk=pk)
    form = GuardianForm(request.POST or None)
    back = reverse("web:student_detail", args=[pk])
    title = f"添加家长：{student.name}"
    if request.method == "POST":
        if form.is_valid() and _apply(
            form, lambda: services.add_guardian(student, acting_user=request.user, **form.cleaned_data)
        ):
            return redirect(back)
        return _form_page(request, form, title, back, 400)
    return _form_page(request, form, title, back)


@login_required
def guardianship_edit(request, pk):
    link = get_visible_or_404(Guardianship, request.user, CHANGE_GUARDIAN, pk=pk)
    form = GuardianForm(
        request.POST or None, phone_required=False, initial={"name": link.guardian.name, "relation": link.relation}
    )
    back = reverse("web:student_detail", args=[link.student_id])
    title = f"修改家长：{link.guardian.name}（{link.student.name}的{link.relation}）"
    if request.method == "POST":
        if form.is_valid() and _apply(
            form, lambda: services.update_guardianship(link, acting_user=request.user, **form.cleaned_data)
        ):
            return redirect(back)
        return _form_page(request, form, title, back, 400)
    return _form_page(request, form, title, back)


@login_required
def guardianship_remove(request, pk):
    link = get_visible_or_404(Guardianship, request.user, CHANGE_GUARDIAN, pk=pk)
    back = reverse("web:student_detail", args=[link.student_id])
    if request.method == "POST":
        try:
            services.remove_guardianship(link, acting_user=request.user)
        except PermissionError as exc:
            return HttpResponseForbidden(str(exc))
        return redirect(back)
    return render(
        request,
        "people/confirm.html",
        {
            "page_title": "移除家长",
            "cancel_url": back,
            "question": f"确定移除{link.student.name}的家长{link.guardian.name}（{link.relation}，{link.guardian.phone_masked}）吗？",
            "button": "确定移除",
        },
    )
