"""The cockpit's counters for the modules that exist (registered from AppConfig.ready()).

Case types are counted from the case engine's registry at read time (see `case_rows`), so a
module that declares a case type shows up without registering anything here.
"""

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm

from .registry import COUNTERS, CockpitCounter, in_region, register_cockpit_counter


def case_rows(user, region, now) -> list[dict]:
    """One row per registered case type the user may see: open (办理中) and overdue cases in the region,
    counted with one query per view permission (types sharing a permission share the query)."""
    from mofang.platform.cases.models import Case, StateKind
    from mofang.platform.cases.registry import CASE_TYPES

    by_perm: dict[str, list] = {}
    for code, ct in sorted(CASE_TYPES.items()):
        if ct.view_permission and has_perm(user, ct.view_permission):
            by_perm.setdefault(ct.view_permission, []).append(ct)
    counts = {}
    for perm, types in by_perm.items():
        qs = in_region(Case.objects.visible_to(user, perm), region)
        for r in (qs.filter(case_type__in=[t.code for t in types], state_kind=StateKind.OPEN)
                  .values("case_type").order_by().annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))):
            counts[r["case_type"]] = (r["open"], r["overdue"])
    rows = []
    for types in by_perm.values():
        for ct in types:
            n_open, n_overdue = counts.get(ct.code, (0, 0))
            rows.append({"code": f"case.{ct.code}", "module": "闭环事项", "label": ct.name, "open": n_open,
                         "overdue": n_overdue, "url": ""})
    return sorted(rows, key=lambda r: r["code"])


def counter_rows(user, region, now) -> list[dict]:
    rows = []
    for c in sorted(COUNTERS.values(), key=lambda c: (c.order, c.code)):
        if not has_perm(user, c.permission):
            continue
        n_open, n_overdue = c.count(user, region, now)
        try:
            url = reverse(c.url_name) if c.url_name else ""
        except NoReverseMatch:
            url = ""
        rows.append({"code": c.code, "module": c.module, "label": c.label, "open": n_open, "overdue": n_overdue,
                     "url": url})
    return rows


def all_rows(user, region, now) -> list[dict]:
    return case_rows(user, region, now) + counter_rows(user, region, now)


# --- the existing modules' pending items -------------------------------------------------------

def _timebank_leave(user, region, now):
    from mofang.governance.timebank.models import LeaveRequest, LeaveStatus

    qs = in_region(LeaveRequest.objects.visible_to(user, "timebank.view_leave"), region)
    return qs.filter(status=LeaveStatus.PENDING).count(), None


def _supervision_recheck(user, region, now):
    from mofang.governance.supervision.models import Rectification

    # the same rule as supervision's own to-do: a closed rectification whose 回头看 date has come
    qs = in_region(Rectification.objects.visible_to(user, "supervision.view_rectification"), region)
    return qs.filter(case__state="closed", recheck_due__lte=timezone.localdate(now)).count(), None


def _directives_pending(user, region, now):
    from mofang.governance.directives.models import Delivery

    # deliveries to units in the region not yet done (签收、填报或转发); overdue: past the directive's deadline
    qs = in_region(Delivery.objects.visible_to(user, "directives.view_delivery"), region).filter(done_at__isnull=True)
    return qs.count(), qs.filter(directive__deadline__lt=now).count()


def _workplans_unreported(user, region, now):
    from mofang.governance.workplans.models import WorkItem

    # this year's items with no progress report for this month (the lead unit's monthly 报送)
    today = timezone.localdate(now)
    qs = in_region(WorkItem.objects.visible_to(user, "workplans.view_item"), region)
    return qs.filter(plan__year=today.year).exclude(reports__month=f"{today:%Y-%m}").distinct().count(), None


def register() -> None:
    from django.apps import apps

    if apps.is_installed("mofang.governance.timebank"):
        register_cockpit_counter(CockpitCounter(
            "timebank.leave_pending", "教师时间银行", "待审批抵假申请", "timebank.view_leave", _timebank_leave,
            url_name="timebank:approvals", order=20))
    if apps.is_installed("mofang.governance.supervision"):
        register_cockpit_counter(CockpitCounter(
            "supervision.recheck", "教育督导", "到期回头看", "supervision.view_rectification",
            _supervision_recheck, url_name="supervision:rectification_list", order=30))
    if apps.is_installed("mofang.governance.directives"):
        register_cockpit_counter(CockpitCounter(
            "directives.pending", "政令一键智达", "未办结的政令（单位）", "directives.view_delivery", _directives_pending,
            url_name="directives:deliveries", order=40))
    if apps.is_installed("mofang.governance.workplans"):
        register_cockpit_counter(CockpitCounter(
            "workplans.unreported", "清单管理", "本月待报送的清单事项", "workplans.view_item", _workplans_unreported,
            url_name="workplans:mine", order=50))


__all__ = ["COUNTERS", "all_rows", "case_rows", "counter_rows", "register"]
