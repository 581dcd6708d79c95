"""Writing the audit log. Service functions call `record` explicitly, inside their transaction."""

import datetime as dt
import decimal
import uuid

from django.db import connection, models

from mofang.platform.dbutils import typed_placeholder

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
    org_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Give `org` (or, when the caller already knows it and the unit itself
    is not loaded, `org_id`: no query) for the unit the entry is scoped to; else it is followed
    from `obj` (its model's scope_org_field)."""
    if org is None and org_id is None and obj is not None:
        org = _org_of(obj)
    entry = _entry(
        actor=actor,
        action=action,
        summary=summary,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        org=org,
        org_id=org_id,
        before=before,
        after=after,
    )
    entry.save(force_insert=True)
    return entry


def insert_from(
    source: str, *, model: type[models.Model], actor, action: str, summary: str, org_id: int | None, at
) -> tuple[str, list]:
    """The audit entry of a row that the same statement writes, for PostgreSQL's data-modifying
    WITH: `INSERT … SELECT … FROM {source}`, where `source` is the CTE whose RETURNING gives the
    new row's `id`; with its parameters. record()'s entry without a round trip of its own and
    without the ORM's save; no entry is written when `source` returned no row."""
    entry = _entry(actor=actor, action=action, summary=summary, object_type=model._meta.label, org_id=org_id)
    q = connection.ops.quote_name
    column = {f.name: f.column for f in AuditEntry._meta.concrete_fields if f.column}
    names = ("at", "actor", "actor_name", "action", "summary", "object_type", "object_id", "org")
    typed = {n: typed_placeholder(AuditEntry._meta.get_field(n)) for n in names}  # server-bound parameters
    sql = (
        f"INSERT INTO {q(AuditEntry._meta.db_table)} ({', '.join(q(column[n]) for n in names)}) "
        f"SELECT {', '.join(typed[n] for n in names[:-2])}, {source}.id::text, {typed['org']} FROM {source}"
    )
    params = [at, entry.actor_id, entry.actor_name, entry.action, entry.summary, entry.object_type, entry.org_id]
    return sql, params


def _entry(*, actor, action, summary, object_type="", object_id="", org=None, org_id=None, before=None, after=None):
    """The unsaved entry record() writes and insert_from() turns into SQL."""
    if action not in AuditAction.values:
        # SQLite would store any string; PostgreSQL refuses one longer than the column mid-request
        raise ValueError(f"unknown audit action {action!r}: use AuditAction")
    authenticated = actor is not None and actor.is_authenticated
    entry = AuditEntry(
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated else "系统",
        action=action,
        summary=summary[:300],
        object_type=object_type,
        object_id=object_id,
        org=org,
        before=before,
        after=after,
    )
    if org is None and org_id is not None:
        entry.org_id = org_id
    return entry


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


__all__ = ["AuditAction", "insert_from", "record", "snapshot"]
