"""A case type is refused at registration when the engine could not run it."""

import dataclasses

import pytest

from mofang.platform.cases import registry as r

from .conftest import HAZARD


def _with(**changes):
    return dataclasses.replace(HAZARD, code="casetest.broken", **changes)


def test_the_example_type_is_valid():
    r.validate(HAZARD)


def test_a_transition_to_an_unknown_state_is_refused():
    bad = (*HAZARD.transitions, r.Transition("lost", "迷路", ("handling",), "nowhere", permission="casetest.handle"))
    with pytest.raises(r.DeclarationError, match="unknown states"):
        r.validate(_with(transitions=bad))


def test_an_unreachable_state_is_refused():
    states = (*HAZARD.states, r.State("orphan", "孤立", r.CLOSED_FIXED))
    with pytest.raises(r.DeclarationError, match="unreachable states \\['orphan'\\]"):
        r.validate(_with(states=states))


def test_a_type_without_a_closed_state_is_refused():
    states = (r.State("a", "甲"), r.State("b", "乙"))
    transitions = (r.Transition("go", "走", ("a",), "b", permission="casetest.handle"),)
    with pytest.raises(r.DeclarationError, match="no closed state"):
        r.validate(_with(states=states, transitions=transitions, initial="a"))


def test_an_open_state_that_can_never_close_is_refused():
    states = (*HAZARD.states, r.State("limbo", "搁置"))
    transitions = (
        *HAZARD.transitions,
        r.Transition("park", "搁置", ("handling",), "limbo", permission="casetest.handle"),
    )
    with pytest.raises(r.DeclarationError, match="never reach a closed state"):
        r.validate(_with(states=states, transitions=transitions))


def test_leaving_a_closed_state_needs_a_reopenable_type():
    with pytest.raises(r.DeclarationError, match="not reopenable"):
        r.validate(_with(reopenable=False))


def test_when_the_reporter_confirms_the_responsible_side_cannot_close_fixed():
    transitions = (
        *HAZARD.transitions,
        r.Transition("self_close", "自行销号", ("handling",), "closed", permission="casetest.handle"),
    )
    with pytest.raises(r.DeclarationError, match="at='reporting'"):
        r.validate(_with(transitions=transitions))


def test_a_deadline_for_an_unknown_severity_is_refused():
    states = (r.State("reported", "待认领", deadline={"urgent": r.dt.timedelta(hours=1)}), *HAZARD.states[1:])
    with pytest.raises(r.DeclarationError, match="unknown severities"):
        r.validate(_with(states=states))


def test_a_type_is_registered_once():
    with pytest.raises(r.DeclarationError, match="registered twice"):
        r.register_case_type(dataclasses.replace(HAZARD))
