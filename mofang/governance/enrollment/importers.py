"""Imports of 入学早知道 through the platform's one import path (SPEC §1.7):

- 学区划分 (communities and their primary/junior 学区 schools), upsert by 区县 + 小区名称;
- 户籍适龄儿童 (the public-security exchange: record number, birth date, community, type —
  no name or ID number is accepted), upsert by 区县 + 交换记录号;
- 招生计划 (classes × class size per school, year and stage, optionally its 分流 school),
  upsert by 学校 + 年份 + 学段.

Each writes through the services and recomputes the affected counties' warnings.
"""

import decimal
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_code, parse_coordinate, parse_date, parse_text
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import services
from .models import Community, RegistrationType, Stage

_SPLIT = re.compile(r"[、,，;；\s]+")
_STAGES = {str(label): value for value, label in Stage.choices}
_REGISTRATIONS = {str(label): value for value, label in RegistrationType.choices}


def _choice(mapping: dict, label: str):
    def parse(raw: str) -> str:
        if raw not in mapping:
            raise ValidationError(f"{label}应为：" + "、".join(mapping))
        return mapping[raw]

    return parse


def _codes(raw: str) -> list[str]:
    codes = [c for c in _SPLIT.split(raw) if c]
    bad = [c for c in codes if len(c) != 10 or not c.isdigit()]
    if bad:
        raise ValidationError(
            gettext("学校标识码应为10位数字，多个用“、”分隔：{codes}").format(codes="、".join(bad[:3]))
        )
    return codes


def _int_between(low: int, high: int):
    def parse(raw: str) -> int:
        try:
            value = int(decimal.Decimal(raw))
        except (decimal.InvalidOperation, ValueError):
            raise ValidationError(gettext("应为整数")) from None
        if value != decimal.Decimal(raw) or not low <= value <= high:
            raise ValidationError(gettext("应为{low}到{high}之间的整数").format(low=low, high=high))
        return value

    return parse


class _CompositeKeyImporter(Importer):
    """The platform de-duplicates rows on one key; ours is several columns, so the parser adds
    a tuple under a Chinese name (which is then what a duplicate-row error names)."""

    key_columns: tuple[str, ...] = ()

    def row_parser(self, positions):
        parse = super().row_parser(positions)
        name, cols = self.natural_key, self.key_columns

        def with_key(row):
            values, errors = parse(row)
            values[name] = tuple(values[c] for c in cols)
            return values, errors

        return with_key

    def _counties(self, ctx):
        visible = OrgUnit.objects.visible_to(ctx.user, self.permission).filter(kind=OrgKind.COUNTY)
        return {o.code: o for o in visible}

    def _county(self, code, ctx):
        county = ctx.state["counties"].get(code)
        if county is None:
            raise RowError("区县不存在或不在您的数据范围内", "区县代码")
        return county

    def _refresh(self, ctx, counties):
        for county in counties:
            services.refresh_warnings(county)


class CommunityImporter(_CompositeKeyImporter):
    code = "enrollment_communities"
    title = "学区划分"
    permission = "enrollment.import_data"
    natural_key = "区县代码+小区名称"
    key_columns = ("county_code", "name")
    chunk_size = 500
    columns = [
        Column(
            "county_code",
            "区县代码",
            parse=parse_code(6, "区县代码"),
            example="330822",
            help="GB/T 2260 六位行政区划代码",
        ),
        Column("name", "小区名称", parse=parse_text(100), example="定阳花园"),
        Column(
            "keywords",
            "地址关键词",
            required=False,
            parse=parse_text(500),
            example="天马街道 定阳路",
            help="小区的其他名称、所在街道和道路，空格分隔，便于家长按地址查询",
        ),
        Column(
            "primary", "学区小学标识码", required=False, parse=_codes, example="3308220001", help="多个学校用“、”分隔"
        ),
        Column(
            "junior", "学区初中标识码", required=False, parse=_codes, example="3308220002", help="多个学校用“、”分隔"
        ),
        Column("longitude", "经度", required=False, parse=parse_coordinate(73, 136, "经度"), example="118.511"),
        Column("latitude", "纬度", required=False, parse=parse_coordinate(3, 54, "纬度"), example="28.901"),
    ]

    def prepare(self, ctx):
        ctx.state["counties"] = self._counties(ctx)
        ctx.state["schools"] = {
            o.code: o for o in OrgUnit.objects.visible_to(ctx.user, self.permission).filter(kind=OrgKind.SCHOOL)
        }

    def _schools(self, codes, stage, county, ctx, header):
        out = []
        for code in codes or []:
            school = ctx.state["schools"].get(code)
            if school is None or not school.path.startswith(county.path):
                raise RowError(f"学校{code}不存在或不在该区县", header)
            if stage not in services.stages_of(school):
                raise RowError(f"{school.name}不招收{Stage(stage).label}新生", header)
            out.append(school)
        return out

    def clean_row(self, v, ctx):
        county = self._county(v["county_code"], ctx)
        primary = self._schools(v["primary"], Stage.PRIMARY, county, ctx, "学区小学标识码")
        junior = self._schools(v["junior"], Stage.JUNIOR, county, ctx, "学区初中标识码")
        if (v["longitude"] is None) != (v["latitude"] is None):
            raise RowError("经度和纬度应同时填写", "经度")
        return {**v, "county": county, "primary": primary, "junior": junior}

    def write(self, rows, ctx):
        names = {(r["county"].pk, r["name"]) for r in rows}
        existing = {
            (c.county_id, c.name)
            for c in Community.objects.filter(county__in={r["county"] for r in rows}, name__in={n for _, n in names})
        }
        for r in rows:
            services.save_community(
                r["county"],
                r["name"],
                address_keywords=r["keywords"] or "",
                primary_schools=r["primary"],
                junior_schools=r["junior"],
                longitude=r["longitude"],
                latitude=r["latitude"],
                acting_user=ctx.user,
                refresh=False,
            )
        self._refresh(ctx, {r["county"] for r in rows})
        updated = len(names & existing)
        return len(names) - updated, updated


class HouseholdChildImporter(_CompositeKeyImporter):
    code = "enrollment_children"
    title = "户籍适龄儿童（公安交换）"
    permission = "enrollment.import_data"
    natural_key = "区县代码+交换记录号"
    key_columns = ("county_code", "record_no")
    chunk_size = 20000
    columns = [
        Column("county_code", "区县代码", parse=parse_code(6, "区县代码"), example="330822"),
        Column(
            "record_no",
            "交换记录号",
            parse=parse_text(40),
            example="GA2026000001",
            help="公安交换数据的记录编号；不导入姓名和身份证号",
        ),
        Column("birth_date", "出生日期", parse=parse_date, example="2020-03-15"),
        Column(
            "community",
            "户籍所在小区",
            parse=parse_text(100),
            example="定阳花园",
            help="须与“学区划分”中的小区名称一致",
        ),
        Column(
            "registration",
            "登记类型",
            required=False,
            parse=_choice(_REGISTRATIONS, "登记类型"),
            example="户籍",
            help="户籍 或 居住证；留空为户籍",
        ),
    ]

    def prepare(self, ctx):
        ctx.state["counties"] = self._counties(ctx)
        ctx.state["communities"] = {
            (c.county_id, c.name): c for c in Community.objects.filter(county__in=list(ctx.state["counties"].values()))
        }

    def clean_row(self, v, ctx):
        county = self._county(v["county_code"], ctx)
        community = ctx.state["communities"].get((county.pk, v["community"]))
        if community is None:
            raise RowError("该区县没有这个小区，请先导入学区划分", "户籍所在小区")
        if v["birth_date"] > services.today():
            raise RowError("出生日期不能晚于今天", "出生日期")
        return {
            "county": county,
            "record_no": v["record_no"],
            "birth_date": v["birth_date"],
            "community": community,
            "registration": v["registration"] or RegistrationType.HOUSEHOLD,
        }

    def write(self, rows, ctx):
        created = updated = 0
        by_county: dict = {}
        for r in rows:
            by_county.setdefault(r.pop("county"), []).append(r)
        for county, items in by_county.items():
            c, u = services.add_household_children(county, items, acting_user=ctx.user, refresh=False)
            created, updated = created + c, updated + u
        self._refresh(ctx, by_county)
        return created, updated


class IntakePlanImporter(_CompositeKeyImporter):
    code = "enrollment_plans"
    title = "招生计划"
    permission = "enrollment.import_data"
    natural_key = "学校标识码+招生年份+学段"
    key_columns = ("school_code", "year", "stage")
    chunk_size = 500
    columns = [
        Column("school_code", "学校标识码", parse=parse_code(10, "学校标识码"), example="3308220001"),
        Column("year", "招生年份", parse=_int_between(2000, 2100), example="2027"),
        Column("stage", "学段", parse=_choice(_STAGES, "学段"), example="小学", help="小学 或 初中"),
        Column("classes", "班级数", parse=_int_between(1, 60), example="8"),
        Column("class_size", "班额", parse=_int_between(1, 60), example="45", help="每班计划人数"),
        Column(
            "overflow",
            "分流学校标识码",
            required=False,
            parse=parse_code(10, "分流学校标识码"),
            example="3308220003",
            help="学位不足时统筹分流去向（可不填）",
        ),
        Column("overflow_note", "分流说明", required=False, parse=parse_text(200), example="超出部分统筹至城东小学"),
    ]

    def prepare(self, ctx):
        ctx.state["schools"] = {
            o.code: o for o in OrgUnit.objects.visible_to(ctx.user, self.permission).filter(kind=OrgKind.SCHOOL)
        }

    def clean_row(self, v, ctx):
        school = ctx.state["schools"].get(v["school_code"])
        if school is None:
            raise RowError("学校不存在或不在您的数据范围内", "学校标识码")
        if v["stage"] not in services.stages_of(school):
            raise RowError(f"{school.name}不招收{Stage(v['stage']).label}新生", "学段")
        overflow = None
        if v["overflow"]:
            overflow = ctx.state["schools"].get(v["overflow"])
            if overflow is None:
                raise RowError("分流学校不存在或不在您的数据范围内", "分流学校标识码")
            if overflow.pk == school.pk:
                raise RowError("分流学校不能是本校", "分流学校标识码")
        return {**v, "school": school, "overflow_school": overflow}

    def write(self, rows, ctx):
        from .models import IntakePlan

        keys = {(r["school"].pk, r["year"], r["stage"]) for r in rows}
        existing = set(
            IntakePlan.objects.filter(school__in={r["school"] for r in rows}).values_list("school_id", "year", "stage")
        )
        counties = set()
        for r in rows:
            services.set_intake_plan(
                r["school"],
                r["year"],
                r["stage"],
                classes=r["classes"],
                class_size=r["class_size"],
                acting_user=ctx.user,
                refresh=False,
            )
            if r["overflow_school"] is not None or r["overflow_note"]:
                services.set_overflow(r["school"], r["overflow_school"], r["overflow_note"] or "", acting_user=ctx.user)
            counties.add(services.county_of(r["school"]))
        self._refresh(ctx, counties - {None})
        updated = len(keys & existing)
        return len(keys) - updated, updated


def register() -> None:
    for importer in (CommunityImporter(), HouseholdChildImporter(), IntakePlanImporter()):
        register_importer(importer)
