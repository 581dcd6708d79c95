"""Matching a register batch against the roll, by the ID-number hash, in one set-based query.

For each child of the batch the roll is joined on `id_number_hash` (a LEFT JOIN on the indexed
column); only the children out of school come back (a child with a second roll record that is
在读 or 毕业 is in school — the roll refuses a second record for one ID number, but an import from
elsewhere might not): no roll record, status 辍学 or 休学 (the
date of the latest 休学 is read for those only), or 转出 (a transfer_out with no later transfer_in:
transfer_in puts the status back to 在读). 在读, 休学 within its term and 毕业 are in school.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from mofang.platform.people.models import RollEvent, RollEventKind, RollStatus, Student

from . import rules
from .models import ListKind, RegisterBatch, RegisterChild


def _sql() -> str:
    c, s, e = RegisterChild._meta.db_table, Student._meta.db_table, RollEvent._meta.db_table
    return f"""
        SELECT c.id, c.batch_id, c.id_number_hash, s.id, s.status,
               CASE WHEN s.status = %(suspended)s THEN
                   (SELECT MAX(e.occurred_on) FROM {e} e WHERE e.student_id = s.id AND e.kind = %(suspend)s)
               END
        FROM {c} c
        LEFT JOIN {s} s ON s.id_number_hash = c.id_number_hash
        WHERE c.batch_id = %(batch)s
          AND (s.id IS NULL OR s.status IN (%(suspended)s, %(dropped)s, %(transferred)s))
          AND NOT EXISTS (
              SELECT 1 FROM {s} s2
              WHERE s2.id_number_hash = c.id_number_hash AND s2.status IN (%(enrolled)s, %(graduated)s)
          )
    """


@dataclass
class Flagged:
    child_id: int
    kind: str
    student_id: int | None
    status: str | None
    suspended_on: dt.date | None = None


@dataclass
class Match:
    batch: RegisterBatch
    total: int
    lists: dict[str, list[Flagged]] = field(default_factory=dict)

    @property
    def out_of_school(self) -> int:
        return sum(len(v) for v in self.lists.values())

    @property
    def in_school(self) -> int:
        return self.total - self.out_of_school

    def count(self, kind: str) -> int:
        return len(self.lists.get(kind, []))

    @property
    def rate(self) -> Decimal | None:
        """义务教育入学率 in %, to one decimal (half up, as the indicators show it); None without children."""
        if not self.total:
            return None
        return (Decimal(self.in_school) * 100 / Decimal(self.total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def dropouts(self) -> int:
        return self.count(ListKind.OUT)


def _classify(records: list[tuple], today: dt.date):
    """(list, the record it rests on) for one child's roll records that came back, or None when
    in school. Several records (the roll refuses a second one for an ID number, an import from
    elsewhere might not): a 休学 within its term keeps the child in school; else 转出 before 辍学."""
    if records[0][1] is None:
        return ListKind.NO_RECORD, records[0]
    if any(r[2] == RollStatus.SUSPENDED and not rules.suspended_too_long(r[3], today) for r in records):
        return None
    moved = [r for r in records if r[2] == RollStatus.TRANSFERRED_OUT]
    if moved:
        return ListKind.TRANSFERRED, moved[0]
    return ListKind.OUT, records[0]


def _date(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def match(batch: RegisterBatch, today: dt.date | None = None) -> Match:
    """The three lists of one batch (one query against the roll)."""
    return match_many([batch], today)[batch.pk]


def match_many(batches, today: dt.date | None = None) -> dict[int, Match]:
    """The three lists of each batch, batch id → Match, in one query against the roll for them all."""
    today = today or timezone.localdate()
    results = {b.pk: Match(batch=b, total=b.children, lists={k: [] for k in ListKind.values}) for b in batches}
    if not results:
        return results
    ids = ", ".join(str(int(pk)) for pk in results)
    params: dict[str, str | int] = {
        "suspended": RollStatus.SUSPENDED.value,
        "suspend": RollEventKind.SUSPEND.value,
        "dropped": RollStatus.DROPPED_OUT.value,
        "transferred": RollStatus.TRANSFERRED_OUT.value,
        "enrolled": RollStatus.ENROLLED.value,
        "graduated": RollStatus.GRADUATED.value,
    }
    rows: dict[int, list[tuple]] = {}
    with connection.cursor() as cur:
        cur.execute(_sql().replace("c.batch_id = %(batch)s", f"c.batch_id IN ({ids})"), params)
        for child_id, batch_id, _hash, student_id, status, since in cur.fetchall():
            rows.setdefault(child_id, []).append((batch_id, student_id, status, _date(since)))
    for child_id in sorted(rows):
        found = _classify(rows[child_id], today)
        if found is not None:
            kind, (batch_id, student_id, status, since) = found
            results[batch_id].lists[kind].append(Flagged(child_id, kind, student_id, status, since))
    return results
