"""The cockpit's rows of open and overdue items (一屏掌控: 待办与逾期).

Case types are counted from the case engine's registry at read time (see `case_rows`), so a
module that declares a case type shows up without registering anything; a module's other pending
items come from the counters it registers with `register_cockpit_counter` (platform/web/registry.py)
beside its to-do, with the same queryset rule.
"""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.registry import COCKPIT_COUNTERS, in_region


def case_rows(user, region, now) -> list[dict]:
    """One row per registered case type the user may see: open (办理中) and overdue cases in the region,
    counted with one query per view permission (types sharing a permission share the query)."""
    from mofang.platform.cases.models import Case, overdue_condition
    from mofang.platform.cases.registry import CASE_TYPES

    by_perm: dict[str, list] = {}
    for _code, ct in sorted(CASE_TYPES.items()):
        if ct.view_permission and has_perm(user, ct.view_permission):
            by_perm.setdefault(ct.view_permission, []).append(ct)
    counts = {}
    for perm, types in by_perm.items():
        qs = in_region(Case.objects.visible_to(user, perm), region)
        for r in (
            qs.filter(case_type__in=[t.code for t in types])
            .open()
            .values("case_type")
            .order_by()
            .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_condition(now)))
        ):
            counts[r["case_type"]] = (r["open"], r["overdue"])
    rows = []
    for types in by_perm.values():
        for ct in types:
            n_open, n_overdue = counts.get(ct.code, (0, 0))
            rows.append(
                {
                    "code": f"case.{ct.code}",
                    "module": "闭环事项",
                    "label": ct.name,
                    "open": n_open,
                    "overdue": n_overdue,
                    "url": "",
                }
            )
    return sorted(rows, key=lambda r: r["code"])


def counter_rows(user, region, now) -> list[dict]:
    rows = []
    for c in sorted(COCKPIT_COUNTERS.values(), key=lambda c: (c.order, c.code)):
        if not has_perm(user, c.permission):
            continue
        n_open, n_overdue = c.count(user, region, now)
        try:
            url = reverse(c.url_name) if c.url_name else ""
        except NoReverseMatch:
            url = ""
        rows.append(
            {"code": c.code, "module": c.module, "label": c.label, "open": n_open, "overdue": n_overdue, "url": url}
        )
    return rows


def all_rows(user, region, now) -> list[dict]:
    return case_rows(user, region, now) + counter_rows(user, region, now)


__all__ = ["all_rows", "case_rows", "counter_rows"]
