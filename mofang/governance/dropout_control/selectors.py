"""Matching a register batch against the roll, by the ID-number hash, in one set-based query.

For each child of the batch the roll is joined on `id_number_hash` (a LEFT JOIN on the indexed
column); only the children out of school come back: no roll record, status 辍学 or 休学 (the
date of the latest 休学 is read for those only), or 转出 (a transfer_out with no later transfer_in:
transfer_in puts the status back to 在读). 在读, 休学 within its term and 毕业 are in school.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from mofang.platform.people.models import RollEvent, RollEventKind, RollStatus, Student

from . import rules
from .models import ListKind, RegisterBatch, RegisterChild

_PRIORITY = {
    RollStatus.ENROLLED: 0,
    RollStatus.GRADUATED: 1,
    RollStatus.SUSPENDED: 2,
    RollStatus.TRANSFERRED_OUT: 3,
    RollStatus.DROPPED_OUT: 4,
    None: 5,
}


def _sql() -> str:
    c, s, e = RegisterChild._meta.db_table, Student._meta.db_table, RollEvent._meta.db_table
    return f"""
        SELECT c.id, s.id, s.status,
               CASE WHEN s.status = %(suspended)s THEN
                   (SELECT MAX(e.occurred_on) FROM {e} e WHERE e.student_id = s.id AND e.kind = %(suspend)s)
               END
        FROM {c} c
        LEFT JOIN {s} s ON s.id_number_hash = c.id_number_hash
        WHERE c.batch_id = %(batch)s
          AND (s.id IS NULL OR s.status IN (%(suspended)s, %(dropped)s, %(transferred)s))
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
    def dropouts(self) -> int:
        return self.count(ListKind.OUT)


def _date(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def match(batch: RegisterBatch, today: dt.date | None = None) -> Match:
    """The three lists of one batch (one query against the roll)."""
    today = today or timezone.localdate()
    params = {
        "batch": batch.pk,
        "suspended": RollStatus.SUSPENDED.value,
        "suspend": RollEventKind.SUSPEND.value,
        "dropped": RollStatus.DROPPED_OUT.value,
        "transferred": RollStatus.TRANSFERRED_OUT.value,
    }
    best: dict[int, tuple] = {}
    with connection.cursor() as cur:
        cur.execute(_sql(), params)
        for child_id, student_id, status, since in cur.fetchall():
            row = (child_id, student_id, status, _date(since))
            if child_id not in best or _PRIORITY[status] < _PRIORITY[best[child_id][2]]:
                best[child_id] = row
    # a child with two roll records (should not happen: the roll refuses a second record for one
    # ID number) is in school when any record is; such a child came back above only for the
    # flagged one, so drop it when another record says in school
    result = Match(batch=batch, total=batch.children, lists={k: [] for k in ListKind.values})
    if best:
        hashes = dict(RegisterChild.objects.filter(pk__in=list(best)).values_list("pk", "id_number_hash"))
        in_school = set(
            Student.objects.filter(
                id_number_hash__in=set(hashes.values()), status__in=(RollStatus.ENROLLED, RollStatus.GRADUATED)
            ).values_list("id_number_hash", flat=True)
        )
    for child_id, student_id, status, since in sorted(best.values()):
        if hashes[child_id] in in_school:
            continue
        if status is None:
            kind = ListKind.NO_RECORD
        elif status == RollStatus.TRANSFERRED_OUT:
            kind = ListKind.TRANSFERRED
        elif status == RollStatus.DROPPED_OUT or rules.suspended_too_long(since, today):
            kind = ListKind.OUT
        else:
            continue  # 休学 within its term
        result.lists[kind].append(Flagged(child_id, kind, student_id, status, since))
    return result


def latest_batches(county_ids=None):
    """The latest batch of each county (optionally of these counties only)."""
    seen, out = set(), []
    qs = RegisterBatch.objects.order_by("county_id", "-reference_date", "-pk")
    if county_ids is not None:
        qs = qs.filter(county_id__in=list(county_ids))
    for b in qs.select_related("county"):
        if b.county_id not in seen:
            seen.add(b.county_id)
            out.append(b)
    return out
