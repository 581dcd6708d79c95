"""The 填报 form: how a sender writes it (one field per line) and how an answer is validated.

A field line reads  名称|类型[|必填][|选项或表格列]  for example
    在校学生数|数字|必填
    办学性质|选项|必填|公办,民办
    开学日期|日期
    安全预案|文件
    专任教师|表格|必填|姓名:文本,年龄:数字,入职日期:日期
Every message names the field, so a unit knows what to correct.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

TYPE_WORDS = {"文本": "text", "数字": "number", "选项": "choice", "日期": "date", "文件": "file", "表格": "table"}
COLUMN_TYPES = {"文本": "text", "数字": "number", "日期": "date"}
TYPE_NAMES = {v: k for k, v in TYPE_WORDS.items()}
MAX_FIELDS = 40
MAX_ROWS = 200
SPLIT = re.compile(r"[,，、]")


@dataclass
class FieldSpec:
    label: str
    ftype: str
    required: bool = False
    choices: list = field(default_factory=list)
    columns: list = field(default_factory=list)


def parse_form_spec(text: str) -> list[FieldSpec]:
    """The sender's field lines → specs; a ValidationError listing every bad line."""
    specs, errors, seen = [], [], set()
    for n, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        label = parts[0]
        where = f"填报表第{n}行"
        if not label or len(label) > 50:
            errors.append(f"{where}：字段名不能为空且不超过50个字")
            continue
        if label in seen:
            errors.append(f"{where}：字段名“{label}”重复")
            continue
        seen.add(label)
        if len(parts) < 2 or parts[1] not in TYPE_WORDS:
            errors.append(f"{where}：“{label}”的类型须为 文本、数字、选项、日期、文件 或 表格")
            continue
        ftype = TYPE_WORDS[parts[1]]
        rest = parts[2:]
        required = "必填" in rest
        extra = next((p for p in rest if p and p != "必填"), "")
        spec = FieldSpec(label, ftype, required)
        if ftype == "choice":
            spec.choices = [c.strip() for c in SPLIT.split(extra) if c.strip()]
            if len(spec.choices) < 2:
                errors.append(f"{where}：选项字段“{label}”至少需要两个选项，用逗号分隔")
                continue
        if ftype == "table":
            cols = []
            for item in SPLIT.split(extra):
                item = item.strip()
                if not item:
                    continue
                name, _, kind = item.partition(":")
                if not kind:
                    name, _, kind = item.partition("：")
                kind = kind.strip() or "文本"
                if kind not in COLUMN_TYPES:
                    errors.append(f"{where}：表格“{label}”的列“{name}”类型须为 文本、数字 或 日期")
                    break
                cols.append({"label": name.strip(), "ftype": COLUMN_TYPES[kind]})
            else:
                if not cols:
                    errors.append(f"{where}：表格字段“{label}”需要列，例如 姓名:文本,年龄:数字")
                    continue
                spec.columns = cols
            if not spec.columns:
                continue
        specs.append(spec)
    if len(specs) > MAX_FIELDS:
        errors.append(f"填报表：字段不能超过{MAX_FIELDS}个")
    if errors:
        raise ValidationError(errors)
    return specs


def spec_text(fields) -> str:
    """Fields (models or specs) back to the sender's line format (for forwarding and re-editing)."""
    lines = []
    for f in fields:
        parts = [f.label, TYPE_NAMES[f.ftype]]
        if f.required:
            parts.append("必填")
        if f.ftype == "choice":
            parts.append(",".join(f.choices))
        if f.ftype == "table":
            parts.append(",".join(f"{c['label']}:{TYPE_NAMES[c['ftype']]}" for c in f.columns))
        lines.append("|".join(parts))
    return "\n".join(lines)


def _number(text: str) -> str:
    value = Decimal(text.replace(",", ""))
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise InvalidOperation
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _scalar(ftype: str, text: str, label: str, choices=()) -> str:
    """One value, checked by type; ValidationError naming `label`."""
    if "\x00" in text:  # PostgreSQL can hold no NUL, not even inside the JSON answer
        raise ValidationError(gettext("{label}：含有非法字符（NUL），请删除后重试").format(label=label))
    if ftype == "number":
        try:
            return _number(text)
        except (InvalidOperation, ValueError):
            raise ValidationError(gettext("{label}：请填写数字").format(label=label)) from None
    if ftype == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(gettext("{label}：请填写有效日期（年-月-日）").format(label=label)) from None
    if ftype == "choice":
        if text not in choices:
            raise ValidationError(
                gettext("{label}：请从给定选项中选择（{value}）").format(label=label, value="、".join(choices))
            )
        return text
    if len(text) > 2000:
        raise ValidationError(gettext("{label}：不能超过2000个字").format(label=label))
    return text


def field_name(key: str) -> str:
    return f"f_{key}"


def cell_name(key: str, row: int, col: int) -> str:
    return f"f_{key}__{row}__{col}"


def validate_answer(fields, data, files, *, previous: dict, check_file) -> tuple[dict, dict]:
    """Posted values → (cleaned answer, {key: upload}); one ValidationError with every message."""
    cleaned: dict[str, object] = {}
    uploads: dict = {}
    errors: list[str] = []
    for f in fields:
        label = f"“{f.label}”"
        try:
            if f.ftype == "file":
                upload = files.get(field_name(f.key)) if files else None
                if upload is not None:
                    check_file(upload, label)
                    uploads[f.key] = upload
                    cleaned[f.key] = {"name": upload.name}
                elif previous.get(f.key):
                    cleaned[f.key] = previous[f.key]
                elif f.required:
                    raise ValidationError(gettext("{label}：请上传文件").format(label=label))
                continue
            if f.ftype == "table":
                rows: list[list] = []
                for r in range(MAX_ROWS):
                    cells = [(data.get(cell_name(f.key, r, c)) or "").strip() for c in range(len(f.columns))]
                    if not any(cells):
                        continue  # a blank row is no row
                    row = []
                    for _c, (col, text) in enumerate(zip(f.columns, cells)):
                        where = f"{label}第{len(rows) + 1}行“{col['label']}”"
                        row.append(_scalar(col["ftype"], text, where) if text else "")
                    rows.append(row)
                if f.required and not rows:
                    raise ValidationError(gettext("{label}：请至少填写一行").format(label=label))
                cleaned[f.key] = rows
                continue
            text = (data.get(field_name(f.key)) or "").strip()
            if not text:
                if f.required:
                    raise ValidationError(gettext("{label}：必填").format(label=label))
                cleaned[f.key] = ""
                continue
            cleaned[f.key] = _scalar(f.ftype, text, label, f.choices)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned, uploads
