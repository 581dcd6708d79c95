"""A service's application form: field lines in the directives' syntax (名称|类型[|必填][|选项]), e.g.
    转学原因|选项|必填|随迁,户籍迁移,购房,其他
    预计转入日期|日期
    说明|文本
Only 文本, 数字, 选项 and 日期 (materials are the service's attachments). Every message names the field.
(The directives module is independent of this one, so the small parser is this module's own.)
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

TYPES = {"文本": "text", "数字": "number", "选项": "choice", "日期": "date"}
SPLIT = re.compile(r"[,，、]")
MAX_FIELDS = 20
MAX_TEXT = 500


@dataclass
class Field:
    label: str
    ftype: str
    required: bool = False
    choices: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.label


def parse(text: str) -> list[Field]:
    """Field lines → fields; a ValidationError listing every bad line."""
    fields, errors, seen = [], [], set()
    for n, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        label, where = parts[0], gettext("申请表第{n}行").format(n=n)
        if not label or len(label) > 30:
            errors.append(gettext("{where}：字段名不能为空且不超过30个字").format(where=where))
            continue
        if label in seen:
            errors.append(gettext("{where}：字段名“{label}”重复").format(where=where, label=label))
            continue
        seen.add(label)
        if len(parts) < 2 or parts[1] not in TYPES:
            errors.append(
                gettext("{where}：“{label}”的类型须为 文本、数字、选项 或 日期").format(where=where, label=label)
            )
            continue
        rest = parts[2:]
        extra = next((p for p in rest if p and p != "必填"), "")
        choices = [c.strip() for c in SPLIT.split(extra) if c.strip()] if TYPES[parts[1]] == "choice" else []
        if TYPES[parts[1]] == "choice" and not choices:
            errors.append(gettext("{where}：选项字段“{label}”须列出选项").format(where=where, label=label))
            continue
        fields.append(Field(label, TYPES[parts[1]], "必填" in rest, choices))
    if len(fields) > MAX_FIELDS:
        errors.append(gettext("申请表最多{n}个字段").format(n=MAX_FIELDS))
    if errors:
        raise ValidationError({"form_spec": errors})
    return fields


def validate(fields: list[Field], data) -> dict:
    """The submitted answers (a QueryDict or dict) → clean values; ValidationError naming each field."""
    clean, errors = {}, {}
    for f in fields:
        value = str(data.get(f.key, "") or "").strip()
        if not value:
            if f.required:
                errors[f.key] = gettext("{label}：请填写").format(label=f.label)
            continue
        if f.ftype == "text" and len(value) > MAX_TEXT:
            errors[f.key] = gettext("{label}：不能超过{n}个字").format(label=f.label, n=MAX_TEXT)
        elif f.ftype == "number":
            try:
                Decimal(value)
            except InvalidOperation:
                errors[f.key] = gettext("{label}：请填写数字").format(label=f.label)
        elif f.ftype == "choice" and value not in f.choices:
            errors[f.key] = gettext("{label}：只能是{value}").format(label=f.label, value="、".join(f.choices))
        elif f.ftype == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                errors[f.key] = gettext("{label}：日期格式应为 2026-09-01").format(label=f.label)
        clean[f.key] = value
    if errors:
        raise ValidationError(errors)
    return clean
