"""一网通办事项目录 through the platform's one import path (/imports/online_services/): one row per
service, upsert by 事项编码 — the rest of a region's catalogue (97 services in Ningbo) as data.
Every bad row is reported (row, column, Chinese reason) and nothing is written unless all rows are
good; rows are written by services.save_service (audited).

申请材料: “名称:类型/类型:大小MB[:必填]”, several separated by “；”, e.g.
    户籍证明:pdf/jpg:5:必填；照片:jpg/png:2
申请表字段: the platform's form description (mofang/platform/web/formspec.py) (名称|类型[|必填][|选项]), several separated by “；”.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError, register_importer
from mofang.platform.imports.parsers import parse_text

from . import services
from .bundles import HELD, parse_steps, save_bundle
from .models import Applicant, HandlerKind, Workflow
from .roles import MANAGE_CATALOGUE

CODE = "online_services"
SEMI = re.compile(r"[；;\n]")
_WORKFLOWS = {str(label): v for v, label in Workflow.choices} | {"一般事项": Workflow.GENERAL}
_HANDLERS = {str(label): v for v, label in HandlerKind.choices} | {
    "学校": HandlerKind.SCHOOL,
    "区县": HandlerKind.COUNTY,
}
_APPLICANTS = {str(label): v for v, label in Applicant.choices}


def _code(raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", raw):
        raise ValidationError(gettext("只能由字母、数字、下划线、点和连字符组成，不超过40个字符"))
    return raw


def _workflow(raw: str) -> str:
    if raw not in _WORKFLOWS:
        raise ValidationError(gettext("应为：{value}").format(value="、".join(_WORKFLOWS)))
    return _WORKFLOWS[raw]


def _handler(raw: str) -> str:
    if raw not in _HANDLERS:
        raise ValidationError(gettext("应为：就读学校、区县教育局、市教育局"))
    return _HANDLERS[raw]


def _applicants(raw: str) -> list:
    names = [p.strip() for p in re.split(r"[,，、]", raw) if p.strip()]
    bad = [n for n in names if n not in _APPLICANTS]
    if bad or not names:
        raise ValidationError(gettext("应为 家长、学生、教师、学校 中的一个或几个，用“、”分隔"))
    return [_APPLICANTS[n] for n in names]


def _days(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 365:
        raise ValidationError(gettext("应为1至365的整数（工作日）"))
    return int(raw)


def parse_materials(raw: str) -> list:
    out = []
    for part in SEMI.split(raw or ""):
        part = part.strip()
        if not part:
            continue
        bits = [b.strip() for b in re.split(r"[:：]", part)]
        name = bits[0]
        types = [t.strip().lower() for t in (bits[1] if len(bits) > 1 else "pdf/jpg/png").split("/") if t.strip()]
        size = bits[2] if len(bits) > 2 else "10"
        if not name or len(name) > 50:
            raise ValidationError(gettext("材料名称不能为空且不超过50个字：{part}").format(part=part))
        if not types or any(t not in services.TYPE_NAMES for t in types):
            raise ValidationError(gettext("材料类型只能是 pdf、jpg、png：{part}").format(part=part))
        if not size.isdigit() or not 1 <= int(size) <= 10:
            raise ValidationError(gettext("材料大小应为1至10（MB）：{part}").format(part=part))
        out.append({"name": name, "types": types, "max_mb": int(size), "required": "必填" in bits[3:]})
    return out


def parse_form(raw: str) -> str:
    text = "\n".join(p.strip() for p in SEMI.split(raw or "") if p.strip())
    try:
        services.parse_form(text)
    except ValidationError as exc:
        raise ValidationError("；".join(exc.messages)) from None
    return text


class ServiceImporter(Importer):
    code = CODE
    title = "一网通办事项目录"
    permission = MANAGE_CATALOGUE
    natural_key = "code"
    chunk_size = 1000
    columns = [
        Column("code", "事项编码", parse=_code, example="nb_edu_021", help="在目录中唯一；已有的编码更新该事项"),
        Column("name", "事项名称", parse=parse_text(100), example="中小学生学籍信息变更"),
        Column(
            "workflow",
            "办理流程",
            required=False,
            parse=_workflow,
            example="一般事项",
            help="一般事项、转学、休学、复学、学籍证明、在读证明",
        ),
        Column(
            "applicants",
            "申请人类型",
            parse=_applicants,
            example="家长、学生",
            help="家长、学生、教师、学校，用“、”分隔",
        ),
        Column("handler_kind", "办理单位", parse=_handler, example="就读学校", help="就读学校、区县教育局、市教育局"),
        Column(
            "materials",
            "申请材料",
            required=False,
            parse=parse_materials,
            example="户籍证明:pdf/jpg:5:必填",
            help="名称:类型/类型:大小MB[:必填]，多项用“；”分隔",
        ),
        Column(
            "form_spec",
            "申请表字段",
            required=False,
            parse=parse_form,
            example="变更事项|文本|必填；说明|文本",
            help="名称|类型[|必填][|选项]，多个字段用“；”分隔",
        ),
        Column("time_limit_days", "法定时限（工作日）", parse=_days, example="5"),
        Column("description", "办事指南", required=False, parse=parse_text(2000), example="学校核实后办理。"),
    ]

    def clean_row(self, v, ctx):
        return {
            **v,
            "workflow": v.get("workflow") or Workflow.GENERAL,
            "materials": v.get("materials") or [],
            "form_spec": v.get("form_spec") or "",
            "description": v.get("description") or "",
        }

    def write(self, rows, ctx):
        created = updated = 0
        for r in rows:
            try:
                _svc, new = services.save_service(r, acting_user=ctx.user)
            except ValidationError as exc:
                raise RowError("；".join(exc.messages)) from None
            created, updated = (created + 1, updated) if new else (created, updated + 1)
        return created, updated


# --- 一件事 (bundles): one row per bundle, upsert by 一件事编码 -------------------------------------

BUNDLE_CODE = "online_services_bundles"


def _steps(raw: str) -> list:
    return parse_steps(raw)


def _held(raw: str) -> list:
    names = [p.strip() for p in re.split(r"[,，、；;]", raw or "") if p.strip()]
    bad = [n for n in names if n not in HELD]
    if bad:
        raise ValidationError(gettext("只能是{names}，用“、”分隔").format(names="、".join(HELD)))
    return names


class BundleImporter(Importer):
    """一件事 as data: its member services (by 事项编码, in order, each optionally after an earlier one
    and with answers the bundle fills in), and the materials the platform holds."""

    code = BUNDLE_CODE
    title = "一网通办一件事"
    permission = MANAGE_CATALOGUE
    natural_key = "code"
    chunk_size = 1000
    columns = [
        Column(
            "code", "一件事编码", parse=_code, example="transfer_bundle", help="在目录中唯一；已有的编码更新该一件事"
        ),
        Column("name", "一件事名称", parse=parse_text(100), example="转学一件事"),
        Column(
            "steps",
            "包含事项",
            parse=_steps,
            example="transfer；roll_certificate:transfer:用途=转学",
            help="事项编码[:前置事项编码][:字段=值]，依次用“；”分隔；有前置事项的在其办结后自动申请",
        ),
        Column(
            "held",
            "平台已有材料",
            required=False,
            parse=_held,
            example="身份证明、监护关系证明、学籍信息",
            help="身份证明、监护关系证明、学籍信息：由平台提供，不让家长上传",
        ),
        Column("description", "办事指南", required=False, parse=parse_text(2000), example="一次填表，依次办理。"),
    ]

    def clean_row(self, v, ctx):
        return {**v, "held": v.get("held") or [], "description": v.get("description") or ""}

    def write(self, rows, ctx):
        created = updated = 0
        for r in rows:
            try:
                _b, new = save_bundle(r, acting_user=ctx.user)
            except ValidationError as exc:
                raise RowError("；".join(exc.messages)) from None
            created, updated = (created + 1, updated) if new else (created, updated + 1)
        return created, updated


def register() -> None:
    register_importer(ServiceImporter())
    register_importer(BundleImporter())
