"""Reading cases for pages and the API, always through the scope layer, generic over case types.

Each case type names its own view permission, so what a user sees is the union, over the types
they may view, of `visible_to(user, type.view_permission)` restricted to that type.
"""

from django.db.models import Exists, OuterRef, Q

from mofang.platform.accounts.scope import grants_for, has_perm

from .models import OPEN_CASES, Case, CaseAttachment, CaseEvent
from .registry import CASE_TYPES, CaseType


def viewable_types(user) -> list[CaseType]:
    """The registered types whose view permission `user` holds somewhere, by name."""
    return sorted(
        (
            ct
            for ct in CASE_TYPES.values()
            if ct.view_permission and ct.own_page is None and has_perm(user, ct.view_permission)
        ),
        key=lambda ct: ct.code,
    )


def _union(model, user, type_field: str, code: str | None):
    qs = model.objects.none()
    for ct in viewable_types(user):
        if code is None or ct.code == code:
            qs = qs | model.objects.visible_to(user, ct.view_permission).filter(**{type_field: ct.code})
    return qs


def own_page_of(user, pk: int) -> str | None:
    """The module page of case `pk` when its type is read only there (CaseType.own_page) and the
    user may open it there; None otherwise (out of scope reads as absent, as everywhere)."""
    for ct in CASE_TYPES.values():
        if ct.own_page is not None:  # the module's own rule decides (e.g. assigned professionals)
            url = ct.own_page(user, pk)
            if url:
                return url
    return None


def visible_cases(user, code: str | None = None):
    """Cases `user` may see (of type `code`, or of every type they may view)."""
    return _union(Case, user, "case_type", code)


def visible_attachments(user):
    return _union(CaseAttachment, user, "case__case_type", None)


def moved_away(user, code: str | None = None, limit: int = 50, pk: int | None = None) -> list[dict]:
    """What a unit that held a case sees once the case has moved away from it (escalated, re-routed):
    one line per case — its number, 已转办至 where and when, the unit that holds it now and who has
    claimed it there — and nothing of its content (the case itself is out of its scope,
    models.CaseScopedQuerySet). Two queries, newest first; `pk`: only that case."""
    cond, units = Q(pk__in=[]), set()
    for ct in viewable_types(user):
        if (code is not None and ct.code != code) or not ct.view_permission:
            continue
        for g in grants_for(user, ct.view_permission):
            if g.own:
                continue
            units.add(g.org_id)
            cond |= (
                Q(case_type=ct.code)
                & Exists(CaseEvent.objects.filter(case_id=OuterRef("pk"), org_id=g.org_id))
                & ~Q(responsible_org__path__startswith=g.path)
            )
    if not units:
        return []
    found = Case.objects.filter(cond)
    if pk is not None:
        found = found.filter(pk=pk)
    ids = list(
        found.exclude(pk__in=visible_cases(user, code).values("pk"))
        .order_by("-id")
        .values_list("pk", "number", "responsible_org__name", "claimed_by__full_name", "claimed_by__username")[:limit]
    )
    events: dict[int, list] = {}
    for e in CaseEvent.objects.filter(case_id__in=[row[0] for row in ids]).select_related("org").order_by("at", "id"):
        events.setdefault(e.case_id, []).append(e)
    lines = []
    for case_pk, number, holder_unit, full_name, username in ids:
        timeline = events.get(case_pk, [])
        last_here = max((i for i, e in enumerate(timeline) if e.org_id in units), default=None)
        moved = next((e for e in timeline[(last_here or 0) + 1 :] if e.org_id not in units), None)
        if last_here is None or moved is None:
            continue
        lines.append(
            {
                "pk": case_pk,
                "number": number,
                "to": moved.org.name if moved.org else "",
                "at": moved.at,
                "unit": holder_unit,
                "holder": full_name or username or "",
            }
        )
    return lines


def queue_condition(user) -> Q:
    """Open, unclaimed cases waiting in the queue of a unit the user works (holds the type's claim
    permission or role *at* that unit): 待我单位认领."""
    cond = Q(pk__in=[])
    memberships = user.active_memberships()
    for ct in CASE_TYPES.values():
        if ct.own_page is not None:  # its module's own to-do
            continue
        units = [
            m.org_id
            for m in memberships
            if (ct.claim_permission and ct.claim_permission in m.role.permissions)
            or (ct.claim_role and m.role.code == ct.claim_role)
        ]
        if units:
            cond |= Q(case_type=ct.code, responsible_org_id__in=units)
    return cond & OPEN_CASES & Q(claimed_by__isnull=True)


def queue(user, code: str | None = None):
    """待我单位认领: the cases (of type `code`, or of every type) the user may see that wait in the
    queue of a unit they work — the queue view of the case lists and every module's queue to-do."""
    return visible_cases(user, code).filter(queue_condition(user))


def type_name(code: str) -> str:
    ct = CASE_TYPES.get(code)
    return ct.name if ct else code


def state_label(case) -> str:
    ct = CASE_TYPES.get(case.case_type)
    return ct.status_label(case.state, claimed=case.claimed_by_id is not None) if ct else case.state
