"""分派规则 through the platform's one import path (SPEC §1.7): one row per county and hazard
category naming the responsible department, upsert by 区县代码 + 隐患类别. Each row is written
by the case engine's routing.save_rule (audited, the same checks as the page)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.cases import routing
from mofang.platform.cases.models import RouteRule
from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_code, parse_text
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .cases import CATEGORIES, ROUTES
from .roles import MANAGE_ROUTES

CATCH_ALL = "全部其他类别"
_CATEGORIES = {label: code for code, label in CATEGORIES} | {CATCH_ALL: ""}


def _category(raw: str) -> str:
    if raw not in _CATEGORIES:
        raise ValidationError(gettext("隐患类别应为：{categories}").format(categories="、".join(_CATEGORIES)))
    return _CATEGORIES[raw]


class RouteRuleImporter(Importer):
    code = "campus_safety_routes"
    title = "校园安全分派规则"
    permission = MANAGE_ROUTES
    natural_key = "区县代码+隐患类别"
    columns = [
        Column(
            "county_code",
            "区县代码",
            parse=parse_code(6, "区县代码"),
            example="330822",
            help="GB/T 2260 六位行政区划代码",
        ),
        Column("category", "隐患类别", parse=_category, example="交通拥堵/上下学秩序", help="、".join(_CATEGORIES)),
        Column(
            "department",
            "责任部门",
            parse=parse_text(100),
            example="常山县公安局",
            help="本区县的部门名称或部门代码（如 330822-police）",
        ),
        Column("note", "说明", required=False, parse=parse_text(200), example="上下学时段护学岗"),
    ]

    def row_parser(self, positions):
        parse = super().row_parser(positions)

        def with_key(row):
            values, errors = parse(row)
            values[self.natural_key] = (values.get("county_code"), values.get("category"))
            return values, errors

        return with_key

    def prepare(self, ctx):
        counties = OrgUnit.objects.visible_to(ctx.user, MANAGE_ROUTES).filter(kind=OrgKind.COUNTY)
        ctx.state["counties"] = {c.code: c for c in counties}
        departments = OrgUnit.objects.visible_to(ctx.user, MANAGE_ROUTES).filter(kind=OrgKind.DEPARTMENT)
        ctx.state["departments"] = list(departments)

    def clean_row(self, v, ctx):
        county = ctx.state["counties"].get(v["county_code"])
        if county is None:
            raise RowError("区县不存在或不在您的数据范围内", "区县代码")
        name = v["department"]
        dept = next(
            (
                d
                for d in ctx.state["departments"]
                if d.depth == county.depth + 1 and d.path.startswith(county.path) and name in (d.name, d.code)
            ),
            None,
        )
        if dept is None:
            raise RowError(f"{county.name}没有名为“{name}”的部门", "责任部门")
        return {"county": county, "category": v["category"], "department": dept, "note": v["note"] or ""}

    def write(self, rows, ctx):
        keys = {(r["county"].pk, r["category"]) for r in rows}
        existing = set(
            RouteRule.objects.filter(table=ROUTES.code, county__in={r["county"] for r in rows}).values_list(
                "county_id", "category"
            )
        )
        for r in rows:
            routing.save_rule(ROUTES, r["county"], r["category"], r["department"], acting_user=ctx.user, note=r["note"])
        updated = len(keys & existing)
        return len(keys) - updated, updated


def register() -> None:
    register_importer(RouteRuleImporter())
