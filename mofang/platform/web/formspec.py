"""The platform's form description: one field a line, 名称|类型[|必填][|选项或表格列], e.g.
    在校学生数|数字|必填
    办学性质|选项|必填|公办,民办
    开学日期|日期
    安全预案|文件
    专任教师|表格|必填|姓名:文本,年龄:数字,入职日期:日期
Modules describe their forms this way (the directives' 填报表, 一网通办's 申请表) and each allows
the types it supports (`types`); answering a form is the module's own. Every message names the line
and the field, so whoever wrote the form knows what to correct.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

TYPE_WORDS = {"文本": "text", "数字": "number", "选项": "choice", "日期": "date", "文件": "file", "表格": "table"}
COLUMN_TYPES = {"文本": "text", "数字": "number", "日期": "date"}
TYPE_NAMES = {v: k for k, v in TYPE_WORDS.items()}
SPLIT = re.compile(r"[,，、]")


@dataclass
class FieldSpec:
    label: str
    ftype: str
    required: bool = False
    choices: list = field(default_factory=list)
    columns: list = field(default_factory=list)


def _either(words) -> str:
    words = list(words)
    return "、".join(words[:-1]) + " 或 " + words[-1] if len(words) > 1 else "".join(words)


def _columns(extra: str, label: str, where: str) -> tuple[list, str]:
    """A table's columns (名称:类型, …) → ([{label, ftype}], error or "")."""
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
            msg = gettext("{where}：表格“{label}”的列“{name}”类型须为 {types}")
            return [], msg.format(where=where, label=label, name=name, types=_either(COLUMN_TYPES))
        cols.append({"label": name.strip(), "ftype": COLUMN_TYPES[kind]})
    if not cols:
        msg = gettext("{where}：表格字段“{label}”需要列，例如 姓名:文本,年龄:数字")
        return [], msg.format(where=where, label=label)
    return cols, ""


def parse_form_spec(
    text: str, *, form: str = "填报表", types=tuple(TYPE_WORDS), max_label: int = 50, max_fields: int = 40
) -> list[FieldSpec]:
    """Field lines → specs; one ValidationError listing every bad line. `form` names the form in the
    messages (填报表, 申请表); `types` are the type words the caller supports."""
    specs, errors, seen = [], [], set()
    for n, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        label, where = parts[0], gettext("{form}第{n}行").format(form=form, n=n)
        if not label or len(label) > max_label:
            msg = gettext("{where}：字段名不能为空且不超过{n}个字")
            errors.append(msg.format(where=where, n=max_label))
            continue
        if label in seen:
            errors.append(gettext("{where}：字段名“{label}”重复").format(where=where, label=label))
            continue
        seen.add(label)
        if len(parts) < 2 or parts[1] not in types:
            msg = gettext("{where}：“{label}”的类型须为 {types}")
            errors.append(msg.format(where=where, label=label, types=_either(types)))
            continue
        ftype, rest = TYPE_WORDS[parts[1]], parts[2:]
        extra = next((p for p in rest if p and p != "必填"), "")
        spec = FieldSpec(label, ftype, "必填" in rest)
        if ftype == "choice":
            spec.choices = [c.strip() for c in SPLIT.split(extra) if c.strip()]
            if len(spec.choices) < 2:
                msg = gettext("{where}：选项字段“{label}”至少需要两个选项，用逗号分隔")
                errors.append(msg.format(where=where, label=label))
                continue
        if ftype == "table":
            spec.columns, error = _columns(extra, label, where)
            if error:
                errors.append(error)
                continue
        specs.append(spec)
    if len(specs) > max_fields:
        errors.append(gettext("{form}：字段不能超过{n}个").format(form=form, n=max_fields))
    if errors:
        raise ValidationError(errors)
    return specs


def spec_text(fields) -> str:
    """Fields (models or specs) back to the line format (for forwarding and re-editing)."""
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
