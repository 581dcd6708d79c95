"""统计数据导入: statistics that come from outside the platform (教育事业统计, 评定结果 …) become
facts ("import.<name>") through the platform's one import path (SPEC §1.7). A row names an
indicator (its numerator and denominator are both written) or a single imported fact."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_text
from mofang.platform.orgs.models import OrgUnit

from .models import Indicator
from .periods import parse_period
from .registry import is_imported
from .roles import IMPORT

_FACT = re.compile(r"^import\.[a-z0-9_]{1,60}$")


def _number(label):
    def parse(raw: str) -> Decimal:
        try:
            value = Decimal(raw.replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise ValidationError(gettext("{label}应为数字").format(label=label)) from None
        if not value.is_finite() or value < 0:
            raise ValidationError(gettext("{label}应为不小于0的数").format(label=label))
        if value > Decimal("99999999999999"):
            raise ValidationError(gettext("{label}过大").format(label=label))
        return value.quantize(Decimal("0.0001"))

    return parse


def _period(raw: str) -> str:
    try:
        return parse_period(raw.split(".")[0] if raw.endswith(".0") else raw).key
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class StatisticsImporter(Importer):
    code = "indicator_statistics"
    title = "指标统计数据"
    permission = IMPORT
    natural_key = "指标代码+机构代码+统计周期"
    columns = [
        Column(
            "code",
            "指标或事实代码",
            parse=parse_text(80),
            example="inclusive_kg_coverage",
            help="指标目录中的指标代码（同时写入分子和分母），或以 import. 开头的事实代码（只填分子）",
        ),
        Column(
            "org_code",
            "机构代码",
            parse=parse_text(20),
            example="330200",
            help="行政区划代码或10位学校标识码，须在您的数据范围内",
        ),
        Column("period", "统计周期", parse=_period, example="2026", help="年份（如 2026）或年月（如 2026-11）"),
        Column("numerator", "分子", parse=_number("分子"), example="272400", help="计数类指标填数值"),
        Column(
            "denominator",
            "分母",
            required=False,
            parse=_number("分母"),
            example="300000",
            help="比率类指标填写；计数类指标和单个事实留空",
        ),
    ]

    def row_parser(self, positions):
        parse = super().row_parser(positions)

        def with_key(row):
            values, errors = parse(row)
            values[self.natural_key] = (values.get("code"), values.get("org_code"), values.get("period"))
            return values, errors

        return with_key

    def prepare(self, ctx):
        ctx.state["indicators"] = {i.code: i for i in Indicator.objects.filter(active=True)}
        ctx.state["orgs"] = {}

    def _org(self, code, ctx):
        cache = ctx.state["orgs"]
        if code not in cache:
            cache[code] = (
                OrgUnit.objects.visible_to(ctx.user, IMPORT).filter(code=code).values_list("pk", flat=True).first()
            )
        return cache[code]

    def clean_row(self, v, ctx):
        code, num, den = v["code"], v["numerator"], v["denominator"]
        indicator = ctx.state["indicators"].get(code)
        if indicator is not None:
            if not is_imported(indicator.numerator):
                raise RowError(f"“{indicator.name}”的分子由平台按业务数据自动统计，不能导入", "指标或事实代码")
            facts = [(indicator.numerator, num)]
            if indicator.denominator:
                if is_imported(indicator.denominator):
                    if den is None:
                        raise RowError(f"“{indicator.name}”是比率类指标，请填写分母", "分母")
                    facts.append((indicator.denominator, den))
                elif den is not None:
                    raise RowError(f"“{indicator.name}”的分母由平台自动统计，请留空", "分母")
            elif den is not None:
                raise RowError(f"“{indicator.name}”是计数类指标，请留空分母", "分母")
            if den is not None and indicator.unit == "%" and num > den:
                raise RowError("分子不能大于分母", "分子")
        elif _FACT.match(code):
            if den is not None:
                raise RowError("单个事实只填分子，请留空分母", "分母")
            facts = [(code, num)]
        else:
            raise RowError(f"指标或事实代码“{code}”不存在（事实代码须以 import. 开头）", "指标或事实代码")
        org_id = self._org(v["org_code"], ctx)
        if org_id is None:
            raise RowError(f"机构代码“{v['org_code']}”不存在或不在您的数据范围内", "机构代码")
        return {"facts": facts, "org_id": org_id, "period": v["period"]}

    def write(self, rows, ctx):
        from .models import FactValue
        from .services import write_statistics

        first = {(r["facts"][0][0], r["org_id"], r["period"]) for r in rows}
        existing = {
            k
            for k in FactValue.objects.filter(
                fact__in={f for f, _, _ in first}, org_id__in={o for _, o, _ in first}
            ).values_list("fact", "org_id", "period")
            if k in first
        }
        flat = [(fact, r["org_id"], r["period"], value) for r in rows for fact, value in r["facts"]]
        write_statistics(flat, acting_user=ctx.user, org=ctx.org, source=self.title)
        return len(first) - len(existing), len(existing)  # rows of the file, not facts


def register() -> None:
    register_importer(StatisticsImporter())
