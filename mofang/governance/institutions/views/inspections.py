"""检查与暗访: the list (with each finding's rectification case) and 整改验收."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404
from mofang.platform.web.lists import Col, ScopedListView

from .. import services
from ..models import Inspection, InspectionKind
from ..roles import INSPECT, VIEW
from . import case_url
from .registry import _render_detail, detail_url


class InspectionList(ScopedListView):
    model = Inspection
    permission = VIEW
    title = "检查与暗访"
    export_name = "培训机构检查与暗访"
    search_fields = ["institution__name", "inspectors", "findings"]
    search_placeholder = "机构、检查人员或问题"
    select_related = ["institution", "rectification"]
    order_by = ["-date", "-pk"]
    filters = [("kind", "方式", list(InspectionKind.choices))]
    columns = [
        Col("日期", lambda i: i.date.strftime("%Y-%m-%d")),
        Col("机构", lambda i: i.institution.name, lambda i: detail_url(i.institution)),
        Col("方式", lambda i: i.get_kind_display()),
        Col("检查人员", lambda i: i.inspectors),
        Col("发现问题", lambda i: i.findings),
        Col(
            "整改",
            lambda i: f"{i.rectification.number} {i.rectification.state_label}" if i.rectification else "",
            lambda i: case_url(i.rectification) if i.rectification else None,
        ),
    ]


@login_required
@require_POST
def close_rectification(request, pk):
    """整改验收通过 (comment required): the institution returns to 正常."""
    insp = get_visible_or_404(Inspection, request.user, INSPECT, pk=pk)
    try:
        services.close_rectification(insp, acting_user=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        return _render_detail(request, insp.institution, error="验收意见：" + "；".join(exc.messages), status=400)
    messages.success(request, "整改验收通过，机构恢复正常")
    return redirect(detail_url(insp.institution))
