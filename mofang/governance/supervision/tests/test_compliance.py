"""Staffing rules: 1∶5, more than 1,800 students → own inspector, at least 30% full-time; the proposal."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from mofang.governance.supervision.compliance import InspectorFact, SchoolFact, assignment_violations, check


def schools(*sizes):
    return [SchoolFact(i + 1, f"学校{i + 1}", n, f"{i:04d}") for i, n in enumerate(sizes)]


def inspectors(full, part):
    return [InspectorFact(100 + i, f"督学{i}", i < full) for i in range(full + part)]


def test_a_school_of_exactly_1800_students_shares_an_inspector():
    rep = check(schools(1800, 100, 100, 100, 100), inspectors(1, 0))
    assert rep.big_schools == 0 and rep.need_total == 1
    assert rep.proposal == {100: [1, 2, 3, 4, 5]}


def test_a_school_of_1801_students_gets_an_inspector_of_its_own():
    rep = check(schools(1801, 100, 100, 100, 100), inspectors(1, 0))
    assert rep.big_schools == 1 and rep.need_total == 2
    assert rep.shortfall_big == 1 and rep.proposal is None
    rep = check(schools(1801, 100, 100, 100, 100), inspectors(1, 1))
    assert rep.proposal == {100: [1], 101: [2, 3, 4, 5]}


def test_one_inspector_per_five_schools():
    rep = check(schools(*[100] * 11), inspectors(1, 1))
    assert rep.need_ratio == 3 and rep.shortfall_ratio == 1 and rep.proposal is None


def test_thirty_percent_full_time_exactly_passes():
    assert check(schools(100), inspectors(3, 7)).shortfall_full_time == 0
    assert check(schools(100), inspectors(2, 8)).shortfall_full_time == 1
    assert check(schools(100), inspectors(3, 8)).shortfall_full_time == 1  # 3/11 < 30%


def test_current_assignment_violations_are_named():
    sc = schools(2000, 100, 100)
    bad = assignment_violations(sc, {100: [1, 2]}, {100: "王督学"})
    assert "王督学负责的学校1学生超过1800人，应配备专门督学（1∶1）" in bad
    assert "学校3未确定责任督学" in bad


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(0, 4000), max_size=40), full=st.integers(0, 12), part=st.integers(0, 12))
def test_a_proposal_when_there_is_one_satisfies_every_rule(sizes, full, part):
    sc, ins = schools(*sizes), inspectors(full, part)
    rep = check(sc, ins)
    big = sum(1 for n in sizes if n > 1800)
    enough = full + part >= big + math.ceil((len(sizes) - big) / 5)
    assert (rep.proposal is not None) == enough
    if rep.proposal is not None:
        assert assignment_violations(sc, rep.proposal) == []
        assert set(rep.proposal) <= {i.id for i in ins}
        assert len(rep.proposal) >= math.ceil(len(sizes) / 5)
    assert rep.shortfall_full_time == max(0, math.ceil((full + part) * 0.3 - 1e-9) - full)
