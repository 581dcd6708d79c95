"""The one data-scope layer (SPEC §1.3). Nothing else in the platform filters by org by hand.

A scoped model sets `scope_org_field` (path to its OrgUnit foreign key, "" for OrgUnit itself,
or a tuple of paths when a row belongs to several nodes, e.g. a student's school and class — a
grant on any of them sees the row) and, where a role may be limited to its own records, `scope_owner_field` (path to a User).
`Model.objects.visible_to(user, perm)` then returns exactly the rows inside the subtrees the
user's memberships grant `perm` on. Deny by default: no grant, no rows.
"""

import functools
from dataclasses import dataclass

from django.db import models
from django.http import Http404


@dataclass(frozen=True)
class Grant:
    path: str  # materialised path of the membership's org unit
    own: bool  # limited to records the user owns
    org_id: int


def grants_for(user, perm: str) -> list[Grant]:
    """The (subtree, own-only) pairs on which `user` holds `perm`; cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cache = user.__dict__.setdefault("_mofang_grants", {})
    if perm not in cache:
        found = []
        for m in user.active_memberships():
            granted = set(m.role.permissions)
            if perm in granted:
                found.append(Grant(m.org.path, False, m.org_id))
            elif f"{perm}@own" in granted:
                found.append(Grant(m.org.path, True, m.org_id))
        cache[perm] = found
    return cache[perm]


def has_perm(user, perm: str) -> bool:
    return bool(grants_for(user, perm))


def has_perm_at(user, perm: str, org, *, allow_own: bool = False) -> bool:
    """Whether `user` holds `perm` on the subtree containing `org` (for create/act checks)."""
    return any(org.path.startswith(g.path) and (allow_own or not g.own) for g in grants_for(user, perm))


def _field(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, perm: str):
        model = self.model
        org_field = getattr(model, "scope_org_field", None)
        if org_field is None:
            raise TypeError(f"{model.__name__} declares no scope_org_field")
        owner_field = getattr(model, "scope_owner_field", None)
        org_fields = org_field if isinstance(org_field, tuple) else (org_field,)
        q = models.Q()
        matched = crosses_relation = False
        for g in grants_for(user, perm):
            cond = models.Q()
            for f in org_fields:
                cond |= models.Q(**{_field(f, "path__startswith"): g.path})
            if g.own:
                if not owner_field:
                    continue
                cond &= models.Q(**{owner_field: user.pk})
                crosses_relation = "__" in owner_field
            q |= cond
            matched = True
        if not matched:
            return self.none()
        if any(_crosses_to_many(model, f) for f in org_fields):
            # a scope path through a to-many relation (a user's memberships) would repeat a row once
            # per matching membership: select the keys in a subquery instead of DISTINCT on the rows,
            # so counts, ordering and later filters behave as on any other model
            return self.filter(pk__in=model._base_manager.filter(q).values("pk"))
        # an owner path through a to-many relation could repeat a row once per match
        return self.filter(q).distinct() if crosses_relation else self.filter(q)


@functools.cache
def _crosses_to_many(model, path: str) -> bool:
    for part in path.split("__") if path else ():
        field = model._meta.get_field(part)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(model, user, perm: str, **lookup):
    """Fetch one object through the scope layer; out of scope is indistinguishable from absent."""
    try:
        return model.objects.visible_to(user, perm).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("对象不存在或不在您的数据范围内") from None
