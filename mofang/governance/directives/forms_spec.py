"""The 填报 form's answers: how a unit's posted values are validated against the directive's fields.

The form itself is written in the platform's form description (mofang/platform/web/formspec.py,
`parse_form_spec`, one field a line: 名称|类型[|必填][|选项或表格列]). Every message names the field, so a unit knows what to correct.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MAX_ROWS = 200


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
