"""户籍适龄儿童名册 through the platform's one import path (SPEC §1.7), at /imports/dropout_register/.

A county bureau imports its county's register; one import is one dated snapshot (批次) of the
county. Every row is checked — ID number (length, birth date, check digit), no ID number twice in
the file, 出生日期/性别 (when given) as the ID number says, compulsory-education age at the
reference date (rules.AGE_RULE), 居住地区划代码 within the county (the county's GB/T 2260 code or
a 9/12-digit 乡镇/村 code under it), 户籍地区划代码 a 6/9/12-digit code — and every bad row is
reported by row and column; nothing is written unless all rows are good. ID numbers are sealed
exactly as the roll's (people.identity.Sealer: AES-GCM ciphertext + keyed hash).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_date, parse_id_number, parse_sex, parse_text
from mofang.platform.orgs.selectors import county_of
from mofang.platform.people import identity

from . import rules
from .roles import IMPORT
from .services import open_cases, write_register_rows

CODE = "dropout_register"


def parse_region(raw: str) -> str:
    code = identity.normalize_id_number(raw)
    if not (code.isascii() and code.isdigit() and len(code) in (6, 9, 12)):
        raise ValidationError(gettext("应为6位（区县）、9位（乡镇街道）或12位（村居）行政区划代码"))
    return code


class RegisterImporter(Importer):
    code = CODE
    title = "户籍适龄儿童名册"
    permission = IMPORT
    natural_key = "id_number"
    chunk_size = 5000
    columns = [
        Column("name", "姓名", parse=parse_text(50), example="张小明"),
        Column("id_number", "身份证号", parse=parse_id_number, example="330822201509010017"),
        Column("hukou_region", "户籍地区划代码", parse=parse_region, example="330822", help="6、9或12位行政区划代码"),
        Column(
            "residence_region",
            "居住地区划代码",
            parse=parse_region,
            example="330822",
            help="须在本区县内：本县代码或其下乡镇街道、村居代码",
        ),
        Column(
            "birth_date",
            "出生日期",
            required=False,
            parse=parse_date,
            example="2015-09-01",
            help="选填，须与身份证号一致",
        ),
        Column("sex", "性别", required=False, parse=parse_sex, example="男", help="选填，须与身份证号一致"),
    ]

    def duplicate_message(self, value, first_line):
        return f"身份证号与第{first_line}行重复"

    def prepare(self, ctx):
        county = county_of(ctx.org)
        ctx.state["county"] = county
        ctx.state["reference"] = timezone.localdate()
        ctx.state["births"] = rules.compulsory_birth_range(ctx.state["reference"])
        ctx.state["sealer"] = identity.Sealer()

    def clean_row(self, values, ctx):
        county = ctx.state["county"]
        if county is None or not county.code:
            raise RowError("名册须由区县教育局导入（您的账号不在某一区县）", "居住地区划代码")
        idn = values["id_number"]
        birth, sex = identity.id_birth_date(idn), identity.id_sex(idn)
        errors = []
        if values.get("birth_date") and values["birth_date"] != birth:
            errors.append(("出生日期", "出生日期与身份证号不一致"))
        if values.get("sex") and values["sex"] != sex:
            errors.append(("性别", "性别与身份证号不一致"))
        earliest, latest = ctx.state["births"]
        if not earliest <= birth <= latest:
            errors.append(
                (
                    "身份证号",
                    f"不是义务教育适龄儿童（出生日期{birth:%Y-%m-%d}，应在{earliest:%Y-%m-%d}至{latest:%Y-%m-%d}之间）",
                )
            )
        if not values["residence_region"].startswith(county.code):
            errors.append(
                ("居住地区划代码", f"居住地{values['residence_region']}不在{county.name}（{county.code}）范围内")
            )
        if errors:
            raise RowError.several(errors)
        return {
            "name": values["name"],
            "id_number": idn,
            "birth_date": birth,
            "sex": sex,
            "hukou_region": values["hukou_region"],
            "residence_region": values["residence_region"],
        }

    def write(self, rows, ctx):
        return write_register_rows(rows, ctx), 0

    def after_write(self, ctx):
        """Every child out of school in the new batch becomes a case for the county."""
        batch = ctx.state.get("batch")
        if batch is not None:
            open_cases(batch, acting_user=ctx.user)


def register() -> None:
    register_importer(RegisterImporter())
