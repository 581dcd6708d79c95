"""指标 pages: views parse, check scope (visible_to / get_visible_or_404), call selectors/services."""

from django.http import Http404

from mofang.platform.accounts.scope import get_visible_or_404, grants_for
from mofang.platform.orgs.models import OrgUnit

REPORTING_KINDS = ("province", "city", "county", "school")


def home_org(user, perm: str):
    """The top org unit where the user holds `perm` (the highest of their grants)."""
    grants = sorted(grants_for(user, perm), key=lambda g: (len(g.path), g.path))
    grants = [g for g in grants if not g.own]
    if not grants:
        raise Http404("页面不存在或您没有权限")
    return get_visible_or_404(OrgUnit, user, perm, pk=grants[0].org_id)


def org_from_request(request, perm: str, param: str = "org"):
    """The org named in the address (only if the user may see it there), else the user's own."""
    raw = request.GET.get(param) or request.POST.get(param)
    if not raw:
        return home_org(request.user, perm)
    if not raw.isdigit() or len(raw) > 12:
        raise Http404("机构不存在或不在您的数据范围内")
    return get_visible_or_404(OrgUnit, request.user, perm, pk=int(raw))


def visible_breadcrumb(user, perm: str, org) -> list:
    """The org's ancestors the user may see, then the org (never an ancestor above their grant)."""
    chain = [*OrgUnit.objects.get_ancestors(org), org]
    visible = set(
        OrgUnit.objects.visible_to(user, perm).filter(pk__in=[o.pk for o in chain]).values_list("pk", flat=True)
    )
    return [o for o in chain if o.pk in visible]
