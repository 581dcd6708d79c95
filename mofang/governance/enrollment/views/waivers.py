"""放弃录取 requests for the admitting school (principal, 教务) and the county bureau: the list
(filtered to 待确认 from the to-do) and one request's page, where it is confirmed — the seat is
lost for good — or refused with a note. Views parse, check scope, call waivers.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from mofang.platform.accounts.scope import get_visible_or_404
from mofang.platform.web.lists import Col, ScopedListView

from .. import waivers
from ..models import Admission, WaiverStatus

PERMISSION = "enrollment.decide_waiver"


class WaiverList(ScopedListView):
    """Requests to give up an admission naming the schools of the user's subtree."""

    model = Admission
    permission = PERMISSION
    title = "放弃录取申请"
    export_name = "放弃录取申请"
    search_fields = ["registration__child_name", "school__name"]
    search_placeholder = "儿童姓名或学校"
    select_related = ["draw", "registration", "school"]
    order_by = ["-waiver_requested_at", "pk"]
    filters = [("waiver_status", "处理状态", [c for c in WaiverStatus.choices if c[0]])]
    columns = [
        Col("儿童姓名", lambda a: a.registration.child_name, lambda a: reverse("enrollment:waiver", args=[a.pk])),
        Col("身份证号", lambda a: a.registration.id_number_masked),
        Col("录取学校", lambda a: a.school.name if a.school else ""),
        Col("招生年份", lambda a: a.draw.year, num=True),
        Col("放弃原因", lambda a: a.waiver_reason),
        Col("申请时间", lambda a: a.waiver_requested_at.strftime("%Y-%m-%d %H:%M") if a.waiver_requested_at else ""),
        Col("处理状态", lambda a: a.get_waiver_status_display()),
        Col("处理意见", lambda a: a.waiver_note),
    ]

    def base_queryset(self):
        return super().base_queryset().exclude(waiver_status=WaiverStatus.NONE)


@login_required
def waiver(request, pk: int):
    """One request: who, which seat, why; 确认放弃 (irreversible, confirmed in the browser) or 退回."""
    adm = get_visible_or_404(Admission, request.user, PERMISSION, pk=pk, waiver_status__in=WaiverStatus.values[1:])
    status, error = 200, ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action not in ("confirm", "refuse"):
                raise ValidationError({"action": gettext("操作：未知操作")})
            waivers.decide_waiver(
                adm, confirm=action == "confirm", note=request.POST.get("note", ""), acting_user=request.user
            )
        except PermissionDenied as exc:
            error, status = str(exc) or "您没有权限", 403
        except ValidationError as exc:
            error = "；".join(exc.messages)  # the service's messages name the field (退回理由)
            status = 400
        else:
            messages.success(request, "已确认放弃录取，学位已释放" if action == "confirm" else "已退回放弃申请")
            return redirect(f"{reverse('enrollment:waiver_list')}?waiver_status={WaiverStatus.PENDING}")
        adm.refresh_from_db()
    return render(
        request,
        "enrollment/waiver.html",
        {
            "page_title": f"{adm.registration.child_name}放弃录取申请",
            "adm": adm,
            "loss": waivers.loss_warning(adm),
            "error": error,
            "note": request.POST.get("note", "") if request.method == "POST" else "",
        },
        status=status,
    )
