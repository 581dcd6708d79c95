"""Small-count suppression for aggregates of sensitive figures (心理健康、体质健康、资助、残疾 …).

One rule, applied here and nowhere else (docs/privacy.md):

1. **Primary suppression.** A count below the threshold (default 5, setting
   `MOFANG_SMALL_COUNT_THRESHOLD`) is shown as "<5" — zero included, so that "<5" says nothing
   about whether anyone is there.
2. **Complementary suppression.** When a row is shown with its total, hiding one cell is not
   enough: total − shown cells gives it back. More cells of the row are hidden (the smallest
   first, shown as "*") until no hidden small cell can be narrowed below "0 to 4" from the total
   and the shown cells, counting that a "*" cell is at least the threshold; if that cannot be
   reached inside the row, the total is hidden too.
3. The total itself is a count: below the threshold it is "<5" and then every cell is hidden.

Values are never altered (no rounding, no noise): what is shown is exact, what is hidden is hidden.
The guarantee is per row, and per column for a table that also shows column totals
(`suppress_table(..., columns=True)`); a combined attack on rows and columns together (linear
programming over the whole table) is not ruled out — for such tables show row totals only.

    from mofang.platform.privacy import suppress_count, suppress_row
    suppress_count(3)                       # "<5"
    row = suppress_row([12, 3, 40])         # cells "12", "<5", "*" (total 55 shown)
    {% load privacy %}{{ n|small_count }}   # in a template
"""

from dataclasses import dataclass

from django.conf import settings

PRIMARY = "small"  # below the threshold
COMPLEMENTARY = "complementary"  # hidden so that a small cell cannot be worked out
COMPLEMENTARY_MARK = "*"


def threshold() -> int:
    return int(getattr(settings, "MOFANG_SMALL_COUNT_THRESHOLD", 5))


def small_mark(t: int | None = None) -> str:
    return f"<{t or threshold()}"


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: the exact value, or a mark in its place."""

    value: int
    reason: str = ""  # "" shown / PRIMARY / COMPLEMENTARY
    t: int = 5

    @property
    def hidden(self) -> bool:
        return bool(self.reason)

    @property
    def shown(self) -> int | None:
        """The value a page or export may use (None when hidden)."""
        return None if self.reason else self.value

    def __str__(self) -> str:
        if self.reason == PRIMARY:
            return small_mark(self.t)
        if self.reason == COMPLEMENTARY:
            return COMPLEMENTARY_MARK
        return str(self.value)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    total: Cell


def suppress_count(n: int, t: int | None = None) -> str:
    """A lone count as it may be shown: "<5" below the threshold, else the number."""
    t = t or threshold()
    return small_mark(t) if n < t else str(n)


def _safe(hidden: list[tuple[int, str]], t: int) -> bool:
    """Whether, knowing the row total, every hidden small cell still could be anything from 0 to t−1.

    Hidden small cells are known to be in [0, t−1], complementary ones to be ≥ t; the reader knows
    their sum S. A small cell's upper bound is S minus the others' least values (t per complementary
    cell); its lower bound is S minus the others' greatest values (none when any complementary cell
    is hidden, (t−1) per small cell otherwise)."""
    small = [v for v, why in hidden if why == PRIMARY]
    if not small:
        return True
    total = sum(v for v, _ in hidden)
    comp = sum(1 for _, why in hidden if why == COMPLEMENTARY)
    upper_ok = total - t * comp >= t - 1
    lower_ok = comp > 0 or total - (t - 1) * (len(small) - 1) <= 0
    return upper_ok and lower_ok


def suppress_row(counts, t: int | None = None, *, with_total: bool = True) -> Row:
    """Cells (and the row total) of one row of counts as they may be shown."""
    t = t or threshold()
    counts = [int(c) for c in counts]
    if any(c < 0 for c in counts):
        raise ValueError("counts must not be negative")
    total = sum(counts)
    reasons = [PRIMARY if c < t else "" for c in counts]
    total_reason = PRIMARY if total < t else ""
    if total_reason:
        reasons = [r or COMPLEMENTARY for r in reasons]
    elif with_total:
        while not _safe([(c, r) for c, r in zip(counts, reasons) if r], t):
            shown = [i for i, r in enumerate(reasons) if not r]
            if not shown:
                total_reason = COMPLEMENTARY  # nothing left to hide in the row: hide its total
                break
            smallest = min(shown, key=lambda i: (counts[i], i))
            reasons[smallest] = COMPLEMENTARY
    return Row(tuple(Cell(c, r, t) for c, r in zip(counts, reasons)), Cell(total, total_reason, t))


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    column_totals: tuple[Cell, ...] | None  # None: the table shows no column totals


def suppress_table(rows, t: int | None = None, *, columns: bool = False) -> Table:
    """Each row suppressed with its total; with `columns=True` (a table that also shows column totals)
    each column too, a cell hidden for its column being hidden in its row as well. One pass is
    enough: the extra cells are all at least the threshold, and hiding more such cells never makes
    a safe row or column unsafe (see _safe)."""
    t = t or threshold()
    rows = [[int(c) for c in r] for r in rows]
    by_row = [suppress_row(r, t) for r in rows]
    if not columns or not rows:
        return Table(tuple(by_row), None)
    by_col = [suppress_row([r[j] for r in rows], t) for j in range(len(rows[0]))]
    out = []
    for i, row in enumerate(by_row):
        cells = tuple(
            c if c.hidden or not by_col[j].cells[i].hidden else Cell(c.value, COMPLEMENTARY, t)
            for j, c in enumerate(row.cells)
        )
        out.append(Row(cells, row.total))
    return Table(tuple(out), tuple(col.total for col in by_col))


__all__ = ["Cell", "Row", "Table", "small_mark", "suppress_count", "suppress_row", "suppress_table", "threshold"]
