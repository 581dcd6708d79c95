"""The one data-scope layer (SPEC §1.3). Nothing else in the platform filters by org by hand.

A scoped model sets `scope_org_field` (path to its OrgUnit foreign key, "" for OrgUnit itself,
or a tuple of paths when a row belongs to several nodes, e.g. a student's school and class — a
grant on any of them sees the row) and, where a role may be limited to its own records, `scope_owner_field` (path to a User).
Where a role may be limited to the records it is assigned to (心理教师 and 班主任 see only the students
assigned to them), the model sets `scope_assignee_field` (a path to the assigned User(s), possibly through
a to-many relation), and the role holds `perm@assigned`: rows inside the membership's subtree AND
where the user is one of the assignees.
`Model.objects.visible_to(user, perm)` then returns exactly the rows inside the subtrees the
user's memberships grant `perm` on. Deny by default: no grant, no rows.
"""

import functools
from dataclasses import dataclass

from django.db import models
from django.http import Http404

from . import scope_statements

NOT_FOUND = "对象不存在或不在您的数据范围内"
GRANTS_CACHE = "_mofang_grants"  # grants_for's cache on a user object (scope_statements' stand-in fills it)


@dataclass(frozen=True)
class Grant:
    path: str  # materialised path of the membership's org unit
    own: bool  # limited to the user's own records — or, with `assigned`, to the records assigned to the user
    org_id: int
    # a `perm@assigned` grant; `own` is True too, so every reader that treats `not g.own` as "the
    # whole subtree" (to-dos, indicators, the case engine) keeps treating it as limited: deny by default
    assigned: bool = False


def grants_for(user, perm: str) -> list[Grant]:
    """The (subtree, own-only/assigned-only) grants by which `user` holds `perm`; cached on the user object.
    One grant per membership, the widest form the role holds: `perm`, else `perm@own`, else `perm@assigned`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cache = user.__dict__.setdefault(GRANTS_CACHE, {})
    if perm not in cache:
        found = []
        for m in user.active_memberships():
            granted = set(m.role.permissions)
            if perm in granted:
                found.append(Grant(m.org.path, False, m.org_id))
            elif f"{perm}@own" in granted:
                found.append(Grant(m.org.path, True, m.org_id))
            elif f"{perm}@assigned" in granted:
                found.append(Grant(m.org.path, True, m.org_id, assigned=True))
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
        assignee_field = getattr(model, "scope_assignee_field", None)
        org_fields = org_field if isinstance(org_field, tuple) else (org_field,)
        q = models.Q()
        matched = crosses_relation = via_assignment = False
        for g in grants_for(user, perm):
            cond = models.Q()
            for f in org_fields:
                cond |= models.Q(**{_field(f, "path__startswith"): g.path})
            if g.assigned:
                if not assignee_field:  # a model nobody is assigned to: the grant sees nothing
                    continue
                cond &= models.Q(**{assignee_field: user.pk})
                via_assignment = True
            elif g.own:
                if not owner_field:
                    continue
                cond &= models.Q(**{owner_field: user.pk})
                crosses_relation = crosses_relation or "__" in owner_field
            q |= cond
            matched = True
        if not matched:
            return self.none()
        if any(_crosses_to_many(model, f) for f in org_fields) or (
            via_assignment and _crosses_to_many(model, assignee_field)
        ):
            # a scope path through a to-many relation (a user's memberships) would repeat a row once
            # per matching membership: select the keys in a subquery instead of DISTINCT on the rows,
            # so counts, ordering and later filters behave as on any other model; the same for an
            # assignee path through a to-many relation (a student's care assignments)
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
    """Fetch one object through the scope layer; out of scope is indistinguishable from absent.
    `model.objects.visible_to(user, perm).get(**lookup)`, its SQL compiled once per shape of grants
    and lookup and run again with this request's values (scope_statements)."""
    grants = grants_for(user, perm)
    found = scope_statements.fetch(model, user, perm, grants, lookup) if grants else None
    if found is None:
        raise Http404(NOT_FOUND)
    if found is not scope_statements.UNUSABLE:
        return found
    try:
        return model.objects.visible_to(user, perm).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
