"""Writing the audit log. Service functions call `record` explicitly, inside their transaction."""

import datetime as dt
import decimal
import uuid

from django.db import models

from .models import AuditAction, AuditEntry


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The audited view of a record: its concrete fields, sealed values left out."""
    out = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name.endswith(("_sealed", "_hash")):
            continue
        out[f.name] = _plain(getattr(obj, f.attname))
    return out


def record(
    *,
    actor,
    action: str,
    summary: str,
    obj: models.Model | None = None,
    org=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    if action not in AuditAction.values:
        # SQLite would store any string; PostgreSQL refuses one longer than the column mid-request
        raise ValueError(f"unknown audit action {action!r}: use AuditAction")
    if org is None and obj is not None:
        org = _org_of(obj)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=str(actor) if actor is not None and actor.is_authenticated else "系统",
        action=action,
        summary=summary[:300],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        org=org,
        before=before,
        after=after,
    )


def _org_of(obj):
    """Follow the model's scope_org_field to its OrgUnit, so the entry is scoped like the record."""
    path = getattr(type(obj), "scope_org_field", None)
    if path is None:
        return None
    if path == "":
        return obj
    if isinstance(path, tuple):
        path = path[0]
    target = obj
    for part in path.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


# What the audit list shows: the record's kind and its before/after values by the fields' Chinese
# names (the stored entry keeps model labels and field names, which are stable across renames of
# the Chinese). Keys that are not fields of the model (e.g. {"totp": "已绑定"}) are named here.
EXTRA_KEY_LABELS = {
    "totp": "动态口令",
    "roles": "角色",
    "memberships": "任职",
    "password": "密码",
    "count": "数量",
    "rows": "行数",
    "reason": "原因",
    "note": "说明",
    "state": "状态",
    "id": "编号",
    "path": "树路径",
    "depth": "层级",
    "numchild": "下级数",
    "rank": "级别",
    "guardian": "监护人",
    "student": "学生",
    "recipient": "收件人",
    "params": "参数",
    "result": "结果",
    "data": "数据",
}


def _model(object_type: str):
    from django.apps import apps

    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def object_label(object_type: str) -> str:
    """The record's kind in Chinese (the model's verbose name), e.g. accounts.User → 用户."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def describe_values(object_type: str, values) -> str:
    """An audited before/after dict as 字段：值；… with the model's Chinese field names and choice labels."""
    if not values:
        return ""
    if not isinstance(values, dict):
        return str(values)
    model = _model(object_type)
    fields = {}
    if model is not None:
        for f in model._meta.concrete_fields:
            fields[f.name] = f
            fields[f.attname] = f
    parts = []
    for key, value in values.items():
        field = fields.get(key)
        label = str(field.verbose_name) if field is not None else ""
        if not label or label.isascii():  # a field without a Chinese name (id, path…)
            label = EXTRA_KEY_LABELS.get(key, label or key)
        parts.append(f"{label}：{_shown(field, value)}")
    return "；".join(parts)


def _shown(field, value) -> str:
    if value is None or value == "":
        return "空"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{EXTRA_KEY_LABELS.get(k, k)} {v}" for k, v in value.items())
    return str(value)


__all__ = ["AuditAction", "describe_values", "object_label", "record", "snapshot"]
