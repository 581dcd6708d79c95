"""校外培训机构 through the platform's one import path (SPEC §1.7, /imports/institutions/): one
row per institution, upsert by 统一社会信用代码; every bad row is reported (row, column, Chinese
reason) and nothing is written unless all rows are good. Rows are written by
services.save_institution (audited, the same checks as the page)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_code, parse_text
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import services, uscc
from .models import Category, Institution
from .roles import MANAGE

_CATEGORIES = {label: code for code, label in Category.choices} | {
    "科技": Category.TECH,
    "文化艺术": Category.ARTS,
    "体育": Category.SPORTS,
    "其他": Category.OTHER,
}


def _category(raw: str) -> str:
    if raw not in _CATEGORIES:
        raise ValidationError(gettext("类别应为：学科类、科技、文化艺术、体育、其他"))
    return _CATEGORIES[raw]


def _credit_code(raw: str) -> str:
    try:
        return uscc.validate_credit_code(raw)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0].split("：", 1)[-1]) from None


class InstitutionImporter(Importer):
    code = "institutions"
    title = "校外培训机构"
    permission = MANAGE
    natural_key = "credit_code"
    columns = [
        Column(
            "credit_code",
            "统一社会信用代码",
            parse=_credit_code,
            example="52330822MJ0000122U",
            help="18位，GB 32100-2015，校验码须正确",
        ),
        Column("name", "机构名称", parse=parse_text(100), example="常山县启明科技培训中心"),
        Column("category", "类别", parse=_category, example="科技", help="学科类、科技、文化艺术、体育、其他"),
        Column(
            "county_code",
            "属地区县代码",
            parse=parse_code(6, "属地区县代码"),
            example="330822",
            help="GB/T 2260 六位行政区划代码",
        ),
        Column("licence_no", "办学许可证号", required=False, parse=parse_text(40), example="教民133082270000012号"),
        Column("address", "地址", required=False, parse=parse_text(200), example="常山县天马街道定阳路8号"),
        Column("legal_representative", "法定代表人", required=False, parse=parse_text(50), example="张三"),
        Column("phone", "联系电话", required=False, parse=parse_text(20), example="0570-5012345"),
    ]

    def prepare(self, ctx):
        counties = OrgUnit.objects.visible_to(ctx.user, MANAGE).filter(kind=OrgKind.COUNTY)
        ctx.state["counties"] = {c.code: c for c in counties}

    def clean_row(self, v, ctx):
        county = ctx.state["counties"].get(v["county_code"])
        if county is None:
            raise RowError("区县不存在或不在您的数据范围内", "属地区县代码")
        existing = Institution.objects.filter(credit_code=v["credit_code"]).select_related("region").first()
        if existing is not None and not existing.region.path.startswith(
            tuple(c.path for c in ctx.state["counties"].values())
        ):
            raise RowError("该统一社会信用代码已被其他地区的机构使用", "统一社会信用代码")
        return {**v, "region": county, "existing": existing}

    def write(self, rows, ctx):
        created = updated = 0
        for r in rows:
            existing = r.pop("existing")
            r.pop("county_code")
            r = {k: (v or "") if k not in ("region",) else v for k, v in r.items()}
            try:
                services.save_institution(acting_user=ctx.user, instance=existing, **r)
            except ValidationError as exc:
                raise RowError("；".join(exc.messages)) from None
            created, updated = (created, updated + 1) if existing else (created + 1, updated)
        return created, updated


def register() -> None:
    register_importer(InstitutionImporter())
