"""Routing tables (分派规则): per county, which of its departments takes a module's cases of each category.

One table model (models.RouteRule) and one set of services for every module that routes by
category. A module declares its table in code (AppConfig.ready(): `register_routing_table`) —
its categories and their labels, the categories the county always keeps (学科类 → 教育局), whether
a catch-all rule (category "") is allowed, the default department by a word of its name
(科技 → 科技局), and the permission that keeps the table, held on the county — and its case
type's router calls `responsible_for`. The core never names a module's table.

A category reported in a county goes to, in this order:
1. the county itself, when the table says the county keeps that category;
2. the department of the county's rule for the category;
3. the department of the county's catch-all rule (when the table has one);
4. the county's department whose name holds the category's default word;
5. the county's own queue (待分派).
A rule names a department directly under the county (部门 of that 区县), never another county's.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.orgs.selectors import county_of

from .models import RouteRule
from .registry import DeclarationError

CATCH_ALL = ""
CATCH_ALL_LABEL = "全部其他类别（兜底）"
AUDITED = ["category", "department", "note"]

# where a category's unit comes from, as the table page says it
KEPT, RULE, FALLBACK, DEFAULT, QUEUE = "kept", "rule", "catch_all", "default", "queue"
SOURCES = {
    KEPT: "区县本级（固定）",
    RULE: "本县规则",
    FALLBACK: "兜底规则",
    DEFAULT: "按部门名称默认",
    QUEUE: "未设规则",
}


@dataclass(frozen=True, eq=False)
class RoutingTable:
    code: str  # the rows' key; by convention the code of the case type it routes
    name: str  # 分派规则 / 分类审批规则: in refusals and audit summaries
    title: str  # the page's title after the county's name: 校园安全分派规则
    permission: str  # keeps the table, held on the county
    categories: tuple[tuple[str, str], ...]  # the categories a rule may name: (code, label)
    county_keeps: tuple[tuple[str, str], ...] = ()  # categories the county always handles itself
    catch_all: bool = False  # a rule for category "" takes every category without its own rule
    default_words: dict[str, str] = field(default_factory=dict)  # category -> a word of its department's name
    category_field: str = "类别"  # the field names in refusals and on the page
    department_field: str = "责任部门"
    invalid_category: str = "请从列表中选择"  # the refusal of a category the table does not route
    description: str = ""  # the page's explanation; {county} is replaced by the county's name
    in_county_queue: str = "待分派（{county}）"  # how the page shows a category left to the county

    def label(self, category: str) -> str:
        if category == CATCH_ALL:
            return CATCH_ALL_LABEL
        return dict(self.county_keeps + self.categories).get(category, category)

    @property
    def routable(self) -> set[str]:
        return {c for c, _ in self.categories} | ({CATCH_ALL} if self.catch_all else set())


ROUTING_TABLES: dict[str, RoutingTable] = {}


def validate(t: RoutingTable) -> None:
    where = f"routing table {t.code!r}"
    codes = [c for c, _ in t.categories]
    kept = [c for c, _ in t.county_keeps]
    if not t.code or len(t.code) > 40:
        raise DeclarationError(f"{where}: code must be 1–40 characters")
    if not codes:
        raise DeclarationError(f"{where}: no category to route")
    if len(set(codes + kept)) != len(codes + kept):
        raise DeclarationError(f"{where}: a category is declared twice")
    if any(not c or len(c) > 40 for c in codes + kept):
        raise DeclarationError(f"{where}: category codes are 1–40 characters (the catch-all is `catch_all=True`)")
    if set(t.default_words) - set(codes):
        raise DeclarationError(f"{where}: default words for categories it does not route")
    if not t.permission:
        raise DeclarationError(f"{where}: names no permission (who keeps the table?)")


def register_routing_table(t: RoutingTable) -> RoutingTable:
    validate(t)
    if t.code in ROUTING_TABLES and ROUTING_TABLES[t.code] is not t:
        raise DeclarationError(f"routing table {t.code!r} registered twice")
    ROUTING_TABLES[t.code] = t
    return t


def unregister_routing_table(code: str) -> None:
    """For tests that declare a table of their own."""
    ROUTING_TABLES.pop(code, None)


def routing_table(table: "RoutingTable | str") -> RoutingTable:
    if isinstance(table, RoutingTable):
        return table
    try:
        return ROUTING_TABLES[table]
    except KeyError:
        raise KeyError(f"unknown routing table {table!r}") from None


# --- reading the table -----------------------------------------------------------------------


def departments_of(county: OrgUnit) -> list[OrgUnit]:
    """The department units directly under a county (its 部门 branch): those a rule may name."""
    return list(OrgUnit.objects.get_children(county).filter(kind=OrgKind.DEPARTMENT).order_by("path"))


def resolve(table, county: OrgUnit, category: str, rules: dict, departments=None) -> tuple[OrgUnit, str]:
    """The unit that takes `category` in `county` and where that comes from (SOURCES), given the
    county's rules of the table by category; `departments` (departments_of) is read when needed."""
    t = routing_table(table)
    if any(c == category for c, _ in t.county_keeps):
        return county, KEPT
    if category and category in rules:
        return rules[category].department, RULE
    if t.catch_all and CATCH_ALL in rules:
        return rules[CATCH_ALL].department, FALLBACK
    word = t.default_words.get(category)
    if word:
        departments = departments_of(county) if departments is None else departments
        dept = next((d for d in departments if word in d.name), None)
        if dept is not None:
            return dept, DEFAULT
    return county, QUEUE


def responsible_for(table, org: OrgUnit | None, category: str) -> OrgUnit | None:
    """The unit that takes a case of `category` reported at `org`: see the module docstring for the
    order. None outside any county."""
    t = routing_table(table)
    county = county_of(org)
    if county is None:
        return None
    category = category or ""
    rules = {
        r.category: r
        for r in RouteRule.objects.filter(
            table=t.code, county=county, category__in={category, CATCH_ALL}
        ).select_related("department")
    }
    return resolve(t, county, category, rules)[0]


def rules_of(table, county: OrgUnit, queryset=None) -> dict[str, RouteRule]:
    """The county's rules of the table by category (read through `queryset`, e.g. a scoped one)."""
    t = routing_table(table)
    qs = RouteRule.objects.all() if queryset is None else queryset
    return {r.category: r for r in qs.filter(table=t.code, county=county).select_related("department")}


# --- keeping the table -----------------------------------------------------------------------


def _refuse(field_name: str, message: str):
    raise ValidationError({field_name: message})


def _directly_under(unit: OrgUnit, county: OrgUnit) -> bool:
    return unit.path.startswith(county.path) and unit.depth == county.depth + 1


def _may_keep(t: RoutingTable, county: OrgUnit, acting_user) -> None:
    if acting_user is not None and not has_perm_at(acting_user, t.permission, county):
        _refuse("county", gettext("区县：您不能维护{name}的{name2}").format(name=county.name, name2=t.name))


def save_rule(table, county, category: str, department, *, acting_user, note: str = "") -> RouteRule:
    """Set (or change) the county's rule for one category (or, "", its catch-all); audited.
    `acting_user=None` is the system (demo, imports already checked by their own scope)."""
    t = routing_table(table)
    if county is None or county.kind != OrgKind.COUNTY:
        _refuse("county", gettext("区县：请选择区县"))
    _may_keep(t, county, acting_user)
    category = (category or "").strip()
    if category not in t.routable:
        _refuse("category", f"{t.category_field}：{t.invalid_category}")
    if department is None or department.kind != OrgKind.DEPARTMENT or not _directly_under(department, county):
        _refuse(
            "department",
            gettext("{department_field}：请选择{name}的部门").format(
                department_field=t.department_field, name=county.name
            ),
        )
    note = (note or "").strip()
    if len(note) > 200:
        _refuse("note", gettext("说明：不能超过200个字"))
    with transaction.atomic():
        rule = RouteRule.objects.select_for_update().filter(table=t.code, county=county, category=category).first()
        before = snapshot(rule, AUDITED) if rule else None
        if rule is None:
            rule = RouteRule(table=t.code, county=county, category=category)
        rule.department, rule.note = department, note
        rule.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            summary=f"{county.name}{t.name}：{t.label(category)} → {department.name}",
            obj=rule,
            org=county,
            before=before,
            after=snapshot(rule, AUDITED),
        )
    return rule


def delete_rule(rule: RouteRule, *, acting_user) -> None:
    """Remove one rule: the category falls back to the next source (catch-all, default, the county)."""
    t = routing_table(rule.table)
    _may_keep(t, rule.county, acting_user)
    with transaction.atomic():
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            summary=f"{rule.county.name}{t.name}：删除{t.label(rule.category)} → {rule.department.name}",
            obj=rule,
            org=rule.county,
            before=snapshot(rule, AUDITED),
        )
        rule.delete()
