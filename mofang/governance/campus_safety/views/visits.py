"""服务指导: departments' visits to schools, listed per school (and per department), recorded by
the department's staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..forms import VisitForm
from ..models import ServiceVisit
from ..roles import RECORD_VISIT, VIEW_VISIT
from . import errors_into, form_data


class VisitList(ScopedListView):
    """Visits a school received, or a department made, within the user's scope."""

    model = ServiceVisit
    permission = VIEW_VISIT
    title = "服务指导记录"
    search_fields = ["school__name", "department__name", "topic"]
    search_placeholder = "学校、部门或主题"
    select_related = ["school", "department", "recorded_by"]
    order_by = ["-date", "-id"]
    columns = [
        Col("日期", lambda v: v.date.strftime("%Y-%m-%d")),
        Col("学校", lambda v: v.school.name),
        Col("部门", lambda v: v.department.name),
        Col("主题", lambda v: v.topic),
        Col("指导情况", lambda v: v.result),
        Col("登记人", lambda v: str(v.recorded_by) if v.recorded_by else ""),
    ]


@login_required
def new_visit(request):
    if not has_perm(request.user, RECORD_VISIT):
        raise Http404("页面不存在或您没有权限")
    departments = services.departments_for(request.user)
    if not departments:
        raise Http404("页面不存在或您没有权限")
    schools = [s for d in departments for s in services.schools_served_by(d)]
    status = 200
    if request.method == "POST":
        form = VisitForm(form_data(request, "department", "school"), departments=departments, schools=schools)
        if form.is_valid():
            d = form.cleaned_data
            try:
                visit = services.record_visit(
                    next(x for x in departments if x.pk == d["department"]),
                    next(s for s in schools if s.pk == d["school"]),
                    acting_user=request.user,
                    date=d["date"],
                    topic=d["topic"],
                    result=d["result"],
                )
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(request, f"已登记：{visit.school.name} {visit.date:%Y-%m-%d} {visit.topic}")
                return redirect("campus_safety:visits")
        status = 400
    else:
        form = VisitForm(departments=departments, schools=schools, initial={"date": timezone.localdate()})
    return render(
        request,
        "web/form.html",
        {"page_title": "登记服务指导", "form": form, "cancel_url": "/campus_safety/visits/"},
        status=status,
    )
