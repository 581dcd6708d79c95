"""School register import (学校名册): upsert by 学校标识码 under its county."""

from django.core.exceptions import ValidationError

from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_code, parse_coordinate, parse_text

from .models import OrgKind, OrgUnit, Ownership, SchoolType

_TYPES = {str(label): value for value, label in SchoolType.choices}
_OWNERSHIP = {str(label): value for value, label in Ownership.choices}


def _choice(mapping: dict, label: str):
    def parse(raw: str) -> str:
        if raw not in mapping:
            raise ValidationError(f"{label}应为：" + "、".join(mapping))
        return mapping[raw]

    return parse


class SchoolImporter(Importer):
    code = "schools"
    title = "学校名册"
    permission = "orgs.change_org"
    natural_key = "code"
    chunk_size = 500
    columns = [
        Column("code", "学校标识码", parse=parse_code(10, "学校标识码"), example="3308220001"),
        Column("name", "学校名称", parse=parse_text(100), example="常山县第一小学"),
        Column("school_type", "学校类型", parse=_choice(_TYPES, "学校类型"), example="小学", help="、".join(_TYPES)),
        Column("ownership", "办学性质", parse=_choice(_OWNERSHIP, "办学性质"), example="公办", help="公办 或 民办"),
        Column(
            "county_code",
            "所属区县代码",
            parse=parse_code(6, "区县代码"),
            example="330822",
            help="GB/T 2260 六位行政区划代码",
        ),
        Column("address", "地址", required=False, parse=parse_text(200), example="常山县天马街道"),
        Column("longitude", "经度", required=False, parse=parse_coordinate(73, 136, "经度"), example="118.511"),
        Column("latitude", "纬度", required=False, parse=parse_coordinate(3, 54, "纬度"), example="28.901"),
    ]

    def prepare(self, ctx):
        visible = OrgUnit.objects.visible_to(ctx.user, self.permission)
        ctx.state["counties"] = {o.code: o for o in visible.filter(kind=OrgKind.COUNTY)}
        ctx.state["existing"] = {
            o.code: o for o in OrgUnit.objects.filter(kind=OrgKind.SCHOOL).only("id", "code", "path", "name")
        }

    def clean_row(self, v, ctx):
        county = ctx.state["counties"].get(v["county_code"])
        if county is None:
            raise RowError("区县不存在或不在您的数据范围内", "所属区县代码")
        existing = ctx.state["existing"].get(v["code"])
        if existing is not None and not existing.path.startswith(county.path):
            raise RowError("该学校标识码已属于其他区县，不能通过导入调整隶属关系", "学校标识码")
        return {**v, "county": county, "existing": existing}

    def write(self, rows, ctx):
        created = updated = 0
        for r in rows:
            fields = {k: r[k] for k in ("name", "school_type", "ownership")}
            fields.update({k: r[k] for k in ("address", "longitude", "latitude") if r[k] is not None})
            if r["existing"] is not None:
                OrgUnit.objects.filter(pk=r["existing"].pk).update(**fields)
                updated += 1
            else:
                node = OrgUnit.objects.add_child(
                    r["county"], instance=OrgUnit(kind=OrgKind.SCHOOL, code=r["code"], **fields)
                )
                ctx.state["existing"][node.code] = node
                created += 1
        return created, updated


register_importer(SchoolImporter())
