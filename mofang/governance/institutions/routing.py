"""分类审批: which unit approves an institution of each category. Subject-category (学科类)
applications go to the county (the education bureau); a non-subject category goes to the
department the county's table names (default by name: 科技 → 科技局, 文化艺术 → 文旅局,
体育 → 体育局), else to the county's own queue."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .models import Category, RouteRule
from .roles import MANAGE_ROUTES

NON_SUBJECT = [Category.TECH, Category.ARTS, Category.SPORTS, Category.OTHER]
# the department a category belongs to when the county has not said otherwise (a word of its name)
DEFAULT_WORDS: dict[str, str] = {Category.TECH: "科技", Category.ARTS: "文旅", Category.SPORTS: "体育"}


def county_of(org) -> OrgUnit | None:
    return org.ancestor_of_kind(OrgKind.COUNTY) if org is not None else None


def departments_of(county) -> list[OrgUnit]:
    return list(OrgUnit.objects.get_children(county).filter(kind=OrgKind.DEPARTMENT).order_by("path"))


def approving_unit(org, category: str) -> OrgUnit | None:
    """The unit that approves an institution of `category` registered at `org`'s county."""
    county = county_of(org)
    if county is None:
        return None
    if category == Category.SUBJECT:
        return county
    rule = RouteRule.objects.filter(county=county, category=category).select_related("department").first()
    if rule is not None:
        return rule.department
    word = DEFAULT_WORDS.get(category)
    if word:
        dept = next((d for d in departments_of(county) if word in d.name), None)
        if dept is not None:
            return dept
    return county


def save_rule(county, category: str, department, *, acting_user) -> RouteRule:
    """Set the county's approving department for one non-subject category; audited."""
    if county is None or county.kind != OrgKind.COUNTY:
        raise ValidationError({"county": "区县：请选择区县"})
    if acting_user is not None and not has_perm_at(acting_user, MANAGE_ROUTES, county):
        raise ValidationError({"county": f"区县：您不能维护{county.name}的分类审批规则"})
    if category not in NON_SUBJECT:
        raise ValidationError({"category": "类别：学科类由教育局审批，请选择非学科类类别"})
    if (
        department is None
        or department.kind != OrgKind.DEPARTMENT
        or not (department.path.startswith(county.path) and department.depth == county.depth + 1)
    ):
        raise ValidationError({"department": f"审批部门：请选择{county.name}的部门"})
    with transaction.atomic():
        rule = RouteRule.objects.select_for_update().filter(county=county, category=category).first()
        before = {"department": rule.department.name} if rule else None
        if rule is None:
            rule = RouteRule(county=county, category=category)
        rule.department = department
        rule.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            summary=f"{county.name}分类审批：{Category(category).label} → {department.name}",
            obj=rule,
            org=county,
            before=before,
            after={"department": department.name},
        )
    return rule
