"""The shipped catalogue: indicators and validation rules that come with the code, as opposed to
those a bureau adds. The core ships its own (over org-tree, roll and imported facts); each module
ships those over its own facts by calling `register_indicators(...)` / `register_rules(...)` in its
AppConfig.ready(), next to its fact sources — the core never names a module's indicator.

`ship()` writes every registered entry (update or create by code). It runs from the data migration
and after every `migrate` or test-database flush (post_migrate, as Django does for permissions),
so a module installed later, or a flushed test database, gets its rows back.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

PCT = ("%", Decimal("100"))


def count_of(unit: str) -> tuple[str, Decimal]:
    """The unit of a count indicator (所, 人, 件 …): factor 1."""
    return (unit, Decimal("1"))


class DemoTargets(NamedTuple):
    """Targets the demo province sets for this year (None: no target at that level)."""

    province: str | None = None
    city: str | None = None
    county: str | None = None  # the story county (常山县)


@dataclass(frozen=True)
class ShippedIndicator:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str = ""  # empty: a count
    unit: tuple[str, Decimal] = PCT  # (unit, factor)
    direction: str = "higher"
    source_note: str = ""
    seed_note: str = ""
    order: int = 100
    demo_targets: DemoTargets = field(default_factory=DemoTargets)


@dataclass(frozen=True)
class ShippedRule:
    code: str
    name: str
    left: str
    operator: str
    right: str
    org_kind: str  # "" = every level
    instruction: str


SHIPPED_INDICATORS: dict[str, ShippedIndicator] = {}
SHIPPED_RULES: dict[str, ShippedRule] = {}


def register_indicators(*indicators: ShippedIndicator) -> None:
    """Called from AppConfig.ready(); registering a code again replaces its entry."""
    for indicator in indicators:
        SHIPPED_INDICATORS[indicator.code] = indicator


def register_rules(*rules: ShippedRule) -> None:
    for rule in rules:
        SHIPPED_RULES[rule.code] = rule


# The core's own: facts of the org tree, the roll and imported statistics.
CORE_INDICATORS = [
    ShippedIndicator(
        "inclusive_kg_coverage",
        "普惠性幼儿园招生覆盖率",
        "在公办幼儿园和普惠性民办幼儿园就读的幼儿数占在园幼儿总数的百分比。",
        "import.inclusive_kg_enrolled",
        "import.kg_enrolled",
        PCT,
        "higher",
        "统计数据导入",
        "宁波市：普惠性幼儿园招生覆盖率达到90.8%（幼儿园1180所，公办401所，普惠性民办582所）",
        40,
        DemoTargets("90", "90"),
    ),
    ShippedIndicator(
        "kindergartens",
        "幼儿园数",
        "辖区内幼儿园总数（组织机构中的幼儿园，与地图和学校列表同一份名单）。",
        "orgs.kindergartens",
        "",
        count_of("所"),
        "higher",
        "组织机构",
        "宁波市：全市共有幼儿园1180所",
        41,
    ),
    ShippedIndicator(
        "inclusive_kindergartens",
        "普惠性幼儿园数",
        "公办幼儿园与普惠性民办幼儿园数之和。",
        "import.inclusive_kindergartens",
        "",
        count_of("所"),
        "higher",
        "统计数据导入",
        "宁波市：公办幼儿园401所，普惠性民办园582所",
        42,
    ),
    # the demo gives 丽水 its own 75% (seed 003); see demo.py
    ShippedIndicator(
        "smart_campus_coverage",
        "智慧校园覆盖率",
        "评定为智慧校园（达标校及以上）的中小学校数占中小学校总数的百分比。",
        "import.smart_campus_schools",
        "orgs.k12_schools",
        PCT,
        "higher",
        "智慧校园评定结果导入；学校数取自组织机构",
        "丽水市：智慧校园覆盖率超过50%，目标达到75%",
        50,
        DemoTargets("75", "60", "60"),
    ),
    ShippedIndicator(
        "students",
        "在校学生数",
        "学籍在校的学生数。",
        "people.students",
        "",
        count_of("人"),
        "higher",
        "人员库学籍",
        "",
        100,
    ),
]

CORE_RULES = [
    ShippedRule(
        "inclusive_kg_within_total",
        "普惠性幼儿园在园幼儿数不超过在园幼儿总数",
        "import.inclusive_kg_enrolled",
        "<=",
        "import.kg_enrolled",
        "",
        "请核对导入的学前教育统计数据。",
    ),
    ShippedRule(
        "inclusive_kindergartens_within_total",
        "普惠性幼儿园数不超过幼儿园数",
        "import.inclusive_kindergartens",
        "<=",
        "orgs.kindergartens",
        "",
        "导入的普惠性幼儿园数超过了组织机构中的幼儿园数，请核对导入数据或机构名单。",
    ),
    ShippedRule(
        "smart_campus_within_schools",
        "智慧校园数不超过中小学校数",
        "import.smart_campus_schools",
        "<=",
        "orgs.k12_schools",
        "",
        "智慧校园评定结果中的学校数超过了中小学校数。",
    ),
]


def register_core() -> None:
    register_indicators(*CORE_INDICATORS)
    register_rules(*CORE_RULES)


def ship(indicator_model=None, rule_model=None, using: str = "default") -> None:
    """Create or update the registered rows (models passed in by a migration, else the current ones)."""
    if indicator_model is None:
        from .models import Indicator as indicator_model
        from .models import ValidationRule as rule_model
    for i in SHIPPED_INDICATORS.values():
        unit, factor = i.unit
        indicator_model.objects.using(using).update_or_create(
            code=i.code,
            defaults=dict(
                name=i.name,
                definition=i.definition,
                numerator=i.numerator,
                denominator=i.denominator,
                unit=unit,
                factor=factor,
                decimals=1 if unit == "%" else 0,
                direction=i.direction,
                period_type="year",
                source_note=i.source_note,
                seed_note=i.seed_note,
                order=i.order,
            ),
        )
    for r in SHIPPED_RULES.values():
        rule_model.objects.using(using).update_or_create(
            code=r.code,
            defaults=dict(
                name=r.name,
                left=r.left,
                operator=r.operator,
                right=r.right,
                org_kind=r.org_kind,
                instruction=r.instruction,
            ),
        )


def ship_after_migrate(sender, apps=None, using="default", **kwargs) -> None:
    """post_migrate: ship into the migrated (or just flushed) database, if its indicator tables exist.
    migrate passes the migrated state's `apps`; flush passes none (the current models then)."""
    if apps is None:
        from django.apps import apps
    try:
        indicator_model = apps.get_model("indicators", "Indicator")
        rule_model = apps.get_model("indicators", "ValidationRule")
    except LookupError:  # migrated back below the indicators' tables
        return
    ship(indicator_model, rule_model, using=using)
