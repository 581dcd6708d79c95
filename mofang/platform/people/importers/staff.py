"""The staff import template (教职工名册)."""

from mofang.platform.imports.base import Column, Importer, RowError
from mofang.platform.imports.parsers import (
    parse_id_number,
    parse_mobile,
    parse_sex,
    parse_text,
)
from mofang.platform.orgs.models import OrgUnit

from .. import identity
from ..models import Staff


class StaffImporter(Importer):
    code = "staff"
    title = "教职工名册"
    permission = "people.import_staff"
    natural_key = "staff_no"
    columns = [
        Column("staff_no", "工号", parse=parse_text(30), example="T3308220001001"),
        Column("name", "姓名", parse=parse_text(50), example="毛玉梅"),
        Column("sex", "性别", parse=parse_sex, example="女"),
        Column("id_number", "身份证号", parse=parse_id_number, example="330822198503120026"),
        Column("phone", "手机号", parse=parse_mobile, example="13800000000"),
        Column("org_code", "单位代码", parse=parse_text(20), example="3308220001", help="学校标识码或行政区划代码"),
        Column("position", "岗位", required=False, parse=parse_text(50), example="教师"),
        Column("subject", "任教学科", required=False, parse=parse_text(30), example="语文"),
    ]
    model = Staff
    db_fields = ("staff_no", "name", "sex", "org_id", "position", "subject", "id_number_sealed", "id_number_hash",
                 "id_number_masked", "phone_sealed", "phone_masked")
    sealed_fields = {"id_number_sealed": "id_number_hash"}

    def prepare(self, ctx):
        ctx.state["orgs"] = dict(
            OrgUnit.objects.visible_to(ctx.user, self.permission).exclude(code=None).values_list("code", "id")
        )
        ctx.state["sealer"] = identity.Sealer()

    def clean_row(self, v, ctx):
        org_id = ctx.state["orgs"].get(v["org_code"])
        if org_id is None:
            raise RowError("单位不存在或不在您的数据范围内", "单位代码")
        if identity.id_sex(v["id_number"]) != v["sex"]:
            raise RowError("性别与身份证号不一致", "性别")
        v["org_id"] = org_id
        return v

    def to_db_row(self, r, ctx):
        idn, phone = r["id_number"], r["phone"]
        sealer = ctx.state["sealer"]
        return (r["staff_no"], r["name"], r["sex"], r["org_id"], r["position"] or "", r["subject"] or "",
                sealer.seal(idn), sealer.lookup_hash(idn), identity.mask_id_number(idn),
                sealer.seal(phone), identity.mask_mobile(phone))
