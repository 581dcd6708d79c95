"""Small-count suppression: no shown figure below the threshold, shown totals exact, and no hidden
small cell that a reader could pin down from the row total and the other cells."""

from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from mofang.platform.privacy import COMPLEMENTARY, PRIMARY, Row, suppress_count, suppress_row, suppress_table

T = 5
counts = st.lists(st.integers(0, 30), min_size=1, max_size=5)


def _values_a_reader_can_derive(row, t=T) -> dict[int, set[int]]:
    """Brute force, independent of the rule: for each hidden small cell, every value it could take
    given the shown cells, the shown total, "<5" = 0…t−1 and "*" = at least t."""
    if row.total.hidden:
        return {i: set(range(t)) for i, c in enumerate(row.cells) if c.reason == PRIMARY}
    hidden = [(i, c) for i, c in enumerate(row.cells) if c.hidden]
    rest = row.total.value - sum(c.value for c in row.cells if not c.hidden)
    ranges = {i: range(t) if c.reason == PRIMARY else range(t, rest + 1) for i, c in hidden}
    out = {}
    for i, c in hidden:
        if c.reason != PRIMARY:
            continue
        sums = {0}  # sums the other hidden cells can reach
        for j, _ in hidden:
            if j != i:
                sums = {s + v for s in sums for v in ranges[j] if s + v <= rest}
        out[i] = {v for v in range(t) if rest - v in sums}
    return out


def test_the_examples_of_the_rule():
    assert suppress_count(3) == "<5" and suppress_count(0) == "<5" and suppress_count(5) == "5"
    row = suppress_row([12, 3, 40])
    assert [str(c) for c in row.cells] == ["*", "<5", "40"] and str(row.total) == "55"
    # 12 + "<5" alone would give the 3 back from 55 − 40 − 12
    row = suppress_row([3, 6])
    assert [str(c) for c in row.cells] == ["<5", "*"] and str(row.total) == "9"
    row = suppress_row([0, 5])  # "<5" + "*" = 5 would say the small one is 0: the total goes too
    assert [str(c) for c in row.cells] == ["<5", "*"] and str(row.total) == "*"
    row = suppress_row([2, 2])  # a total of 4 is itself a small count
    assert str(row.total) == "<5"
    assert [str(c) for c in suppress_row([7, 9, 30]).cells] == ["7", "9", "30"]


@settings(max_examples=300, deadline=None)
@given(counts)
def test_no_shown_figure_is_below_the_threshold_and_shown_totals_are_exact(row_counts):
    row = suppress_row(row_counts, T)
    for cell, n in zip(row.cells, row_counts):
        assert cell.value == n  # values are never altered
        if not cell.hidden:
            assert n >= T and str(cell) == str(n)
        elif n < T:
            assert cell.reason == PRIMARY and str(cell) == "<5"
    if not row.total.hidden:
        assert row.total.value == sum(row_counts) >= T
        assert sum(c.value for c in row.cells if not c.hidden) <= row.total.value
    if not any(c.hidden for c in row.cells):
        assert not row.total.hidden  # nothing hidden, nothing to protect


@settings(max_examples=300, deadline=None)
@given(counts)
def test_no_hidden_small_cell_can_be_narrowed_from_the_total(row_counts):
    row = suppress_row(row_counts, T)
    for i, values in _values_a_reader_can_derive(row).items():
        assert values == set(range(T)), (row_counts, [str(c) for c in row.cells], str(row.total), i, values)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda w: st.lists(st.lists(st.integers(0, 25), min_size=w, max_size=w), min_size=1, max_size=4)
    )
)
def test_a_table_with_column_totals_is_safe_by_rows_and_by_columns(table):
    shown = suppress_table(table, T, columns=True)
    for r, row_counts in zip(shown.rows, table):
        assert [c.value for c in r.cells] == row_counts
        assert all(c.hidden or c.value >= T for c in r.cells)
        assert all(v == set(range(T)) for v in _values_a_reader_can_derive(r).values())
    for j, total in enumerate(shown.column_totals):
        column = Row(tuple(r.cells[j] for r in shown.rows), total)
        assert total.value == sum(r[j] for r in table) and (total.hidden or total.value >= T)
        assert all(v == set(range(T)) for v in _values_a_reader_can_derive(column).values())


def test_complementary_cells_are_the_smallest_that_will_do():
    row = suppress_row([3, 50, 8, 20])
    assert [c.reason for c in row.cells] == [PRIMARY, "", COMPLEMENTARY, ""]


def test_the_template_filter_shows_small_counts_as_under_five():
    html = Template("{% load privacy %}{{ a|small_count }}|{{ b|small_count }}|{{ c|small_count }}").render(
        Context({"a": 4, "b": 12, "c": None})
    )
    assert html == "&lt;5|12|"
    row = suppress_row([12, 3, 40])
    assert (
        Template("{% for c in row.cells %}{{ c }} {% endfor %}{{ row.total }}").render(Context({"row": row}))
        == "* &lt;5 40 55"
    )
