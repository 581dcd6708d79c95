"""The routing table per county (分派规则): which department's queue a hazard of each category
goes to. County administrators keep it; the case type's router reads it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .cases import CATEGORIES
from .models import RouteRule
from .roles import MANAGE_ROUTES

CATEGORY_LABELS = dict(CATEGORIES)


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, "其他（兜底）") if code else "全部其他类别（兜底）"


def county_of(org) -> OrgUnit | None:
    return org.ancestor_of_kind(OrgKind.COUNTY) if org is not None else None


def responsible_for(reporting_org, category: str) -> OrgUnit | None:
    """The department the reporting unit's county routes `category` to; else its catch-all
    rule; else the county itself (its own queue: 待分派). None outside any county."""
    county = county_of(reporting_org)
    if county is None:
        return None
    rules = {
        r.category: r.department
        for r in RouteRule.objects.filter(county=county, category__in=[category, ""]).select_related("department")
    }
    return rules.get(category) or rules.get("") or county


def departments_of(county) -> list[OrgUnit]:
    """The department units directly under a county (its 部门 branch)."""
    return list(OrgUnit.objects.get_children(county).filter(kind=OrgKind.DEPARTMENT).order_by("path"))


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def save_rule(county, category: str, department, *, acting_user, note: str = "") -> RouteRule:
    """Set (or change) the county's rule for one category; audited."""
    if county is None or county.kind != OrgKind.COUNTY:
        _refuse("county", "区县：请选择区县")
    if acting_user is not None and not has_perm_at(acting_user, MANAGE_ROUTES, county):
        _refuse("county", f"区县：您不能维护{county.name}的分派规则")
    category = (category or "").strip()
    if category and category not in CATEGORY_LABELS:
        _refuse("category", "隐患类别：请从列表中选择")
    if department is None or department.kind != OrgKind.DEPARTMENT or not department.path.startswith(county.path):
        _refuse("department", f"责任部门：请选择{county.name}的部门")
    note = (note or "").strip()
    if len(note) > 200:
        _refuse("note", "说明：不能超过200个字")
    with transaction.atomic():
        rule = RouteRule.objects.select_for_update().filter(county=county, category=category).first()
        before = snapshot(rule, ["category", "department", "note"]) if rule else None
        if rule is None:
            rule = RouteRule(county=county, category=category)
        rule.department, rule.note = department, note
        rule.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            summary=f"{county.name}分派规则：{category_label(category)} → {department.name}",
            obj=rule,
            org=county,
            before=before,
            after=snapshot(rule, ["category", "department", "note"]),
        )
    return rule


def delete_rule(rule: RouteRule, *, acting_user) -> None:
    if acting_user is not None and not has_perm_at(acting_user, MANAGE_ROUTES, rule.county):
        _refuse("county", f"区县：您不能维护{rule.county.name}的分派规则")
    with transaction.atomic():
        before = snapshot(rule, ["category", "department", "note"])
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            summary=f"{rule.county.name}分派规则：删除{category_label(rule.category)} → {rule.department.name}",
            obj=rule,
            org=rule.county,
            before=before,
        )
        rule.delete()
