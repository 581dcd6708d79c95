"""数据校验 (validation rules and their violations) and the list of imported statistics."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from mofang.platform.accounts.scope import has_perm
from mofang.platform.orgs.models import OrgKind
from mofang.platform.web.lists import Col, ScopedListView

from ..models import FactValue, Violation
from ..roles import IMPORT, VIEW_RULE
from ..selectors import active_rules
from .values import fact_label


@login_required
def rules(request):
    if not has_perm(request.user, VIEW_RULE):
        raise Http404("页面不存在或您没有权限")
    open_counts = dict(
        Violation.objects.visible_to(request.user, VIEW_RULE)
        .filter(resolved_at=None)
        .values_list("rule_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        {
            "rule": r,
            "left": fact_label(r.left),
            "right": fact_label(r.right) if r.right else f"{(r.right_constant or Decimal(0)).normalize():f}",
            "open": open_counts.get(r.pk, 0),
            "level": _level_label(r.org_kind),
        }
        for r in active_rules()
    ]
    return render(request, "indicators/rules.html", {"page_title": "数据校验规则", "rows": rows})


def _level_label(org_kind: str) -> str:
    """检查层级 in Chinese: the org kind's label, 各级单位 when the rule applies at every level."""
    if not org_kind:
        return "各级单位"
    return str(OrgKind(org_kind).label) if org_kind in OrgKind.values else org_kind


def _rule_choices():
    return [(r.code, r.name) for r in active_rules()]


class ViolationList(ScopedListView):
    model = Violation
    permission = VIEW_RULE
    title = "数据校验违规"
    search_fields = ["org__name", "rule__name"]
    search_placeholder = "机构或规则名称"
    select_related = ["org", "rule"]
    order_by = ["resolved_at", "-found_at", "-id"]
    export_name = "数据校验违规"
    columns = [
        Col("机构", lambda v: v.org.name),
        Col("规则", lambda v: v.rule.name),
        Col("统计周期", lambda v: v.period),
        Col("左侧值", lambda v: f"{v.left_value.normalize():f}", num=True),
        Col("运算", lambda v: v.rule.get_operator_display()),
        Col("右侧值", lambda v: f"{v.right_value.normalize():f}", num=True),
        Col("发现时间", lambda v: v.found_at.strftime("%Y-%m-%d %H:%M")),
        Col("状态", lambda v: "已消除" if v.resolved_at else "未消除"),
    ]

    def filter_queryset(self, qs):
        q = (self.request.GET.get("q") or "").strip()[:50]
        if q:
            qs = qs.filter(Q(org__name__icontains=q) | Q(rule__name__icontains=q))
        rule = self.request.GET.get("rule")
        if rule:
            qs = qs.filter(rule__code=rule[:60])
        state = self.request.GET.get("state")
        if state == "open":
            qs = qs.filter(resolved_at=None)
        elif state == "resolved":
            qs = qs.exclude(resolved_at=None)
        return qs

    @property
    def filters(self):
        return [("rule", "规则", _rule_choices()), ("state", "状态", [("open", "未消除"), ("resolved", "已消除")])]


class ImportedList(ScopedListView):
    model = FactValue
    permission = IMPORT
    title = "统计数据导入"
    template_name = "indicators/imported.html"
    search_fields = ["org__name", "org__code", "fact"]
    search_placeholder = "机构名称、代码或事实代码"
    select_related = ["org"]
    order_by = ["-updated_at", "-id"]
    export_name = "已导入统计数据"
    columns = [
        Col("统计项", lambda v: fact_label(v.fact)),
        Col("机构", lambda v: v.org.name),
        Col("机构代码", lambda v: v.org.code or ""),
        Col("统计周期", lambda v: v.period),
        Col("数值", lambda v: f"{v.value.normalize():f}", num=True),
        Col("导入时间", lambda v: v.updated_at.strftime("%Y-%m-%d %H:%M")),
    ]

    def base_queryset(self):
        return super().base_queryset().filter(imported=True)

    def extra_context(self):
        return {
            "template_url": reverse("imports:template", args=["indicator_statistics"]),
            "upload_url": reverse("imports:upload", args=["indicator_statistics"]),
        }
