"""绑定孩子: a parent binds a child (phone-sized page); the class teacher or 教务 confirms or
refuses the requests that did not bind at once."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.web.lists import Col, ScopedListView

from .. import guardianship as services
from ..forms import BindChildForm, RefuseForm
from ..models import BindingRequest, BindingStatus, Student
from ..roles import BIND_CHILD, CONFIRM_BINDING


@login_required
def bind(request):
    user = request.user
    if not has_perm(user, BIND_CHILD):
        raise Http404("页面不存在或您没有权限")
    form = BindChildForm(request.POST or None)
    status, message = 200, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                req = services.bind_child(user, **form.cleaned_data)
            except services.BindingRefused as exc:
                form.add_error(None, exc.message)
                status = exc.status
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                if req.status == BindingStatus.BOUND:
                    message = f"已绑定{req.student.name}。"
                else:
                    message = f"已提交绑定{req.student.name}的申请，请等待学校确认。"
                form = BindChildForm()
        else:
            status = 400
    children = (
        Student.objects.visible_to(user, "people.view_student").select_related("school", "klass").order_by("student_no")
    )
    requests_ = (
        BindingRequest.objects.visible_to(user, BIND_CHILD)
        .select_related("student__school")
        .exclude(status=BindingStatus.BOUND)[:20]
    )
    return render(
        request,
        "people/bind.html",
        {"page_title": "绑定孩子", "form": form, "message": message, "children": children, "requests": requests_},
        status=status,
    )


class BindingList(ScopedListView):
    model = BindingRequest
    permission = CONFIRM_BINDING
    title = "家长绑定确认"
    template_name = "people/binding_list.html"
    search_fields = ["parent_name", "student__name", "student__student_no"]
    search_placeholder = "家长姓名、学生姓名或学籍号"
    select_related = ["student__school", "student__klass", "user"]
    order_by = ["status", "-created_at", "-id"]
    filters = [("status", "状态", list(BindingStatus.choices))]
    columns = [
        Col("申请时间", lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M")),
        Col("家长", lambda r: r.parent_name),
        Col("手机号", lambda r: r.masked_phone),
        Col("关系", lambda r: r.relation),
        Col("学生", lambda r: r.student.name, lambda r: reverse("web:student_detail", args=[r.student_id])),
        Col("学籍号", lambda r: r.student.student_no),
        Col("班级", lambda r: r.student.klass.name if r.student.klass else ""),
        Col("状态", lambda r: r.get_status_display()),
        Col("原因", lambda r: r.reason),
    ]

    def get(self, request, *args, **kwargs):
        if "status" not in request.GET:  # the to-do's view: what waits for a decision
            request.GET = request.GET.copy()
            request.GET["status"] = BindingStatus.PENDING
        return super().get(request, *args, **kwargs)

    def extra_context(self):
        return {"pending": BindingStatus.PENDING}


@login_required
@require_POST
def binding_confirm(request, pk):
    req = get_visible_or_404(BindingRequest, request.user, CONFIRM_BINDING, pk=pk)
    try:
        services.confirm_binding(req, acting_user=request.user)
    except PermissionError as exc:
        return HttpResponseForbidden(str(exc))
    except ValidationError as exc:
        return render(
            request,
            "people/message.html",
            {"page_title": "无法确认", "text": exc.messages[0], "back": reverse("people:binding_list")},
            status=400,
        )
    return redirect("people:binding_list")


@login_required
def binding_refuse(request, pk):
    req = get_visible_or_404(BindingRequest, request.user, CONFIRM_BINDING, pk=pk)
    form = RefuseForm(request.POST or None)
    back = reverse("people:binding_list")
    title = f"不通过：{req.parent_name}绑定{req.student.name}"
    if request.method == "POST":
        if form.is_valid():
            try:
                services.refuse_binding(req, acting_user=request.user, **form.cleaned_data)
            except PermissionError as exc:
                return HttpResponseForbidden(str(exc))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect(back)
        return render(request, "web/form.html", {"page_title": title, "form": form, "cancel_url": back}, status=400)
    return render(request, "web/form.html", {"page_title": title, "form": form, "cancel_url": back})
