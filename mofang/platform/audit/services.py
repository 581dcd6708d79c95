"""Writing the audit log. Service functions call `record` explicitly, inside their transaction."""

import datetime as dt
import decimal
import functools
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
    entry = AuditEntry(
        **_who(actor, action),
        action=action,
        summary=summary[:300],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        org=org,
        before=before,
        after=after,
    )
    if org is None and org_id is not None:
        entry.org_id = org_id
    entry.save(force_insert=True)
    return entry


def insert_from(
    source: str, *, model: type[models.Model], actor, action: str, summary: str, org_id: int | None, at
) -> tuple[str, list]:
    """The audit entry of a row that the same statement writes, for PostgreSQL's data-modifying
    WITH: `INSERT … SELECT … FROM {source}`, where `source` is the CTE whose RETURNING gives the
    new row's `id`; with its parameters. record()'s entry without a round trip of its own and
    without the ORM's save; no entry is written when `source` returned no row."""
    who = _who(actor, action)
    params = [at, who["actor_id"], who["actor_name"], action, summary[:300], model._meta.label, org_id]
    return _insert_from_sql(connection.vendor, source), params


@functools.cache
def _insert_from_sql(vendor: str, source: str) -> str:
    q = connection.ops.quote_name
    column = {f.name: f.column for f in AuditEntry._meta.concrete_fields if f.column}
    names = ("at", "actor", "actor_name", "action", "summary", "object_type", "object_id", "org")
    typed = {n: typed_placeholder(AuditEntry._meta.get_field(n)) for n in names}  # server-bound parameters
    return (
        f"INSERT INTO {q(AuditEntry._meta.db_table)} ({', '.join(q(column[n]) for n in names)}) "
        f"SELECT {', '.join(typed[n] for n in names[:-2])}, {source}.id::text, {typed['org']} FROM {source}"
    )


def _who(actor, action: str) -> dict:
    """The entry's actor (None and "系统" for the system or an anonymous request), once the action is
    known to be one: record() and insert_from() both ask here."""
    if action not in AuditAction.values:
        # SQLite would store any string; PostgreSQL refuses one longer than the column mid-request
        raise ValueError(f"unknown audit action {action!r}: use AuditAction")
    if actor is not None and actor.is_authenticated:
        return {"actor_id": actor.pk, "actor_name": str(actor)}
    return {"actor_id": None, "actor_name": "系统"}


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
