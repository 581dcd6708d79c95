from django.urls import reverse

from mofang.platform.accounts.scope import has_perm

from .registry import BUSINESSES, MENU


def shell(request):
    """The navigation a user sees: only the entries their memberships grant."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    groups = {}
    for entry in sorted(MENU, key=lambda e: (list(BUSINESSES).index(e.business), e.order)):
        if not _may_see(user, entry.permission):
            continue
        groups.setdefault(entry.business, []).append(
            {"module": entry.module, "label": entry.label, "url": reverse(entry.url_name)}
        )
    nav = [{"business": BUSINESSES[b], "code": b, "entries": es} for b, es in groups.items()]
    unread = user.inbox.filter(read_at__isnull=True).count()
    return {"nav": nav, "unread_count": unread, "memberships": user.active_memberships()}


def _may_see(user, permission) -> bool:
    perms = permission() if callable(permission) else permission
    if not perms:
        return perms is None  # no permission named: everyone; an empty tuple: nobody
    if isinstance(perms, str):
        perms = (perms,)
    return any(has_perm(user, p) for p in perms)
