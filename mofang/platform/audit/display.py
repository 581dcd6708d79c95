"""How the audit list shows an entry: the record's kind and its before/after values in Chinese.

Read-only presentation, apart from the services that write entries (views may import this)."""

import functools

from django.apps import apps

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
    "problems": "问题",
    "items": "事项",
    "targets": "对象",
    "regions": "区域",
    "kind": "类别",
    "source": "来源",
    "from": "来源",
    "schools": "学校",
    "visited_on": "督导日期",
    "full_time": "专职",
    "active": "启用",
    "order": "序号",
    "text": "内容",
    "name": "名称",
    "milestones_done": "已完成的里程碑",
    "percent": "完成进度",
    "value": "数值",
}


_REGISTERED: dict[str, str] = {}


def register_audit_labels(labels: dict[str, str]) -> None:
    """Modules name the codes their audited values carry (case states, checklist items…), in ready()."""
    _REGISTERED.update(labels)


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


@functools.cache
def _platform_labels() -> tuple[dict[str, str], dict[str, str]]:
    """Every Mofang field's Chinese name by field name, and every choice's label by its value: the
    fallback for keys and values an entry holds that are not fields of its own model."""
    keys: dict[str, str] = {}
    values: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("mofang."):
            continue
        for f in model._meta.concrete_fields:
            name = str(f.verbose_name)
            if not name.isascii():
                keys.setdefault(f.name, name)
                keys.setdefault(f.attname, name)
            for value, label in f.flatchoices or ():
                if isinstance(value, str):
                    values.setdefault(value, str(label))
    return keys, values


def object_label(object_type: str) -> str:
    """The record's kind in Chinese (the model's verbose name), e.g. accounts.User → 用户."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def describe_values(object_type: str, values) -> str:
    """An audited before/after dict as 字段：值；… with Chinese field names and choice labels."""
    if not values:
        return ""
    if not isinstance(values, dict):
        return _shown(None, values)
    model = _model(object_type)
    fields = {}
    if model is not None:
        for f in model._meta.concrete_fields:
            fields[f.name] = f
            fields[f.attname] = f
    return "；".join(f"{_key_label(k, fields.get(k))}：{_shown(fields.get(k), v)}" for k, v in values.items())


def _key_label(key: str, field=None) -> str:
    label = str(field.verbose_name) if field is not None else ""
    if label and not label.isascii():
        return label
    if key in _REGISTERED:
        return _REGISTERED[key]
    if key in EXTRA_KEY_LABELS:
        return EXTRA_KEY_LABELS[key]
    return _platform_labels()[0].get(key, key)


def _shown(field, value) -> str:
    if value is None or value in ("", "None"):  # "None": a value audited as str(None)
        return "空"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, (list, tuple)):
        return "、".join(_shown(None, v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{_key_label(k)} {_shown(None, v)}" for k, v in value.items())
    if isinstance(value, str) and value.isidentifier() and value.isascii():
        return _REGISTERED.get(value) or _platform_labels()[1].get(value, value)
    return str(value)
