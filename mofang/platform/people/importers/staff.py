"""The staff import template (教职工名册), with the profile: 类别, 专兼职, 职称, 教师资格证,
任教学科 (several), other certificates and 入职日期."""

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError
from mofang.platform.imports.parsers import parse_date, parse_id_number, parse_mobile, parse_sex, parse_text
from mofang.platform.orgs.models import OrgUnit

from .. import identity
from ..models import Employment, Staff, StaffCategory, TeacherCertKind
from ..models.staff import CERTIFICATE_KINDS, parse_certificates, parse_subjects, validate_teacher_cert_no


def _choice(choices, label: str):
    by_label = {str(text): value for value, text in choices}
    by_label.update({value: value for value, _text in choices})

    def parse(raw: str) -> str:
        value = by_label.get(raw)
        if value is None:
            raise ValidationError(
                gettext("{label}应为：{value}").format(label=label, value="、".join(str(t) for _v, t in choices))
            )
        return value

    return parse


def _cert_kind(raw: str) -> str:
    value = raw.removesuffix("教师资格").removesuffix("教师资格证")
    if value not in TeacherCertKind.values:
        raise ValidationError(gettext("教师资格种类应为：{value}").format(value="、".join(TeacherCertKind.values)))
    return value


def _subjects(raw: str) -> str:
    return "、".join(parse_subjects(raw))


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
        Column(
            "subject",
            "任教学科",
            required=False,
            parse=_subjects,
            example="语文、道德与法治",
            help="可填多门，用顿号分隔，最多6门",
        ),
        Column(
            "category",
            "类别",
            required=False,
            parse=_choice(StaffCategory.choices, "类别"),
            example="专任教师",
            help="专任教师、行政、教辅、工勤；不填按专任教师",
        ),
        Column(
            "employment",
            "专兼职",
            required=False,
            parse=_choice(Employment.choices, "专兼职"),
            example="专职",
            help="专职 或 兼职；不填按专职",
        ),
        Column("title", "职称", required=False, parse=parse_text(30), example="一级教师"),
        Column(
            "teacher_cert_kind",
            "教师资格种类",
            required=False,
            parse=_cert_kind,
            example="小学",
            help="、".join(TeacherCertKind.values),
        ),
        Column(
            "teacher_cert_no",
            "教师资格证编号",
            required=False,
            parse=validate_teacher_cert_no,
            example="20083300122000456",
            help="17位数字，以发证年份开头",
        ),
        Column(
            "certificates",
            "其他证书",
            required=False,
            parse=parse_certificates,
            example="心理健康教育C证/ZJXL2021C0107/2021-06-30",
            help=f"种类/编号/取得日期，多个用；分隔。种类：{'、'.join(CERTIFICATE_KINDS)}",
        ),
        Column("hired_on", "入职日期", required=False, parse=parse_date, example="2008-09-01"),
    ]
    model = Staff
    db_fields = (
        "staff_no",
        "name",
        "sex",
        "org_id",
        "position",
        "subject",
        "category",
        "employment",
        "title",
        "teacher_cert_kind",
        "teacher_cert_no",
        "certificates",
        "hired_on",
        "id_number_sealed",
        "id_number_hash",
        "id_number_masked",
        "phone_sealed",
        "phone_masked",
        "updated_at",
    )
    sealed_fields = {"id_number_sealed": "id_number_hash"}

    # Per-file plausibility (issue 13: 358,000 staff put into one school, one ID number shared by
    # ~132 staff): beyond these the import asks for confirmation instead of writing.
    max_rows = 20_000  # rows in one file: a county's staff
    max_per_org = 600  # staff of one unit in one file: a very large school
    shown = 10  # examples listed per anomaly

    def anomalies(self, ctx):
        found = []
        rows = sum(ctx.state["per_org"].values())
        if rows > self.max_rows:
            found.append(
                gettext("本文件有{rows}行，超过单个文件的常见规模（{limit}行）").format(rows=rows, limit=self.max_rows)
            )
        crowded = {org_id: n for org_id, n in ctx.state["per_org"].items() if n > self.max_per_org}
        if crowded:
            names = dict(OrgUnit.objects.filter(pk__in=crowded).values_list("pk", "name"))
            for org_id, n in sorted(crowded.items(), key=lambda kv: -kv[1])[: self.shown]:
                found.append(
                    gettext("单位“{org}”在本文件中有{count}名教职工，超过常见规模（{limit}名）").format(
                        org=names.get(org_id, org_id), count=n, limit=self.max_per_org
                    )
                )
        shared = {idn: nos for idn, nos in ctx.state["ids"].items() if len(nos) > 1}
        if shared:
            examples = "；".join(
                f"{identity.mask_id_number(idn)}：{'、'.join(nos[:5])}{'等' if len(nos) > 5 else ''}"
                for idn, nos in list(shared.items())[: self.shown]
            )
            found.append(
                gettext("{count}个身份证号在本文件中对应多个工号（{examples}）").format(
                    count=len(shared), examples=examples
                )
            )
        elsewhere = self._registered_under_other_numbers(ctx)
        if elsewhere:
            examples = "；".join(
                f"{identity.mask_id_number(idn)}（本文件工号{no}）" for idn, no in elsewhere[: self.shown]
            )
            found.append(
                gettext("{count}个身份证号已以其他工号登记（{examples}）").format(
                    count=len(elsewhere), examples=examples
                )
            )
        return found

    def _registered_under_other_numbers(self, ctx) -> list[tuple[str, str]]:
        """(ID number, its 工号 in the file) for numbers already on a staff record with another 工号."""
        sealer = ctx.state["sealer"]
        by_hash = {sealer.lookup_hash(idn): (idn, nos) for idn, nos in ctx.state["ids"].items()}
        hashes = list(by_hash)
        out = []
        for start in range(0, len(hashes), 1000):
            for h, no in Staff.objects.filter(id_number_hash__in=hashes[start : start + 1000]).values_list(
                "id_number_hash", "staff_no"
            ):
                idn, nos = by_hash[h]
                if no not in nos:
                    out.append((idn, nos[0]))
        return sorted(set(out))

    def prepare(self, ctx):
        ctx.state["orgs"] = dict(
            OrgUnit.objects.visible_to(ctx.user, self.permission).exclude(code=None).values_list("code", "id")
        )
        ctx.state["sealer"] = identity.Sealer()
        ctx.state["now"] = timezone.now()  # one updated_at for the file: the bulk path skips auto_now
        ctx.state["per_org"] = Counter()  # org id → rows of the file
        ctx.state["ids"] = defaultdict(list)  # ID number → the file's 工号 under it

    def clean_row(self, v, ctx):
        org_id = ctx.state["orgs"].get(v["org_code"])
        if org_id is None:
            raise RowError("单位不存在或不在您的数据范围内", "单位代码")
        if identity.id_sex(v["id_number"]) != v["sex"]:
            raise RowError("性别与身份证号不一致", "性别")
        if bool(v["teacher_cert_kind"]) != bool(v["teacher_cert_no"]):
            raise RowError(
                "教师资格种类与教师资格证编号须同时填写", "教师资格证编号" if v["teacher_cert_kind"] else "教师资格种类"
            )
        if v["teacher_cert_no"] and int(v["teacher_cert_no"][:4]) > timezone.localdate().year:
            raise RowError("教师资格证编号的年份晚于今年", "教师资格证编号")
        hired = v["hired_on"]
        if hired is not None:
            if hired > timezone.localdate():
                raise RowError("入职日期不能晚于今天", "入职日期")
            born = identity.id_birth_date(v["id_number"])
            if hired.year - born.year - ((hired.month, hired.day) < (born.month, born.day)) < 16:
                raise RowError("入职时未满16周岁，请核对入职日期", "入职日期")
        v["org_id"] = org_id
        ctx.state["per_org"][org_id] += 1
        ctx.state["ids"][v["id_number"]].append(v["staff_no"])
        return v

    def to_db_row(self, r, ctx):
        idn, phone = r["id_number"], r["phone"]
        sealer = ctx.state["sealer"]
        return (
            r["staff_no"],
            r["name"],
            r["sex"],
            r["org_id"],
            r["position"] or "",
            r["subject"] or "",
            r["category"] or StaffCategory.TEACHER,
            r["employment"] or Employment.FULL_TIME,
            r["title"] or "",
            r["teacher_cert_kind"] or "",
            r["teacher_cert_no"] or "",
            r["certificates"] or [],
            r["hired_on"],
            sealer.seal(idn),
            sealer.lookup_hash(idn),
            identity.mask_id_number(idn),
            sealer.seal(phone),
            identity.mask_mobile(phone),
            ctx.state["now"],
        )
