"""Property tests of the engine (hypothesis): whatever sequence of attempts users make, a case
never leaves its declared graph, its timeline replays to its current state, and overdue
detection is exact at the deadline boundary."""

import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofang.platform.cases import overdue, services
from mofang.platform.cases.models import Case

from .conftest import HAZARD

ACTIONS = sorted({t.code for t in HAZARD.transitions}) + ["claim", "scan", "unknown"]
ACTORS = ["liaison", "liaison2", "principal", "teacher", "other_liaison", "county_admin"]
# the actor a real user of each move would be; runs mix these with anything at all
LIKELY_ACTOR = {
    "claim": "liaison",
    "start": "liaison",
    "resolve": "liaison",
    "give_up": "liaison",
    "confirm": "principal",
    "send_back": "principal",
    "recheck": "principal",
}
FUNCTION_FIXTURES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def replay(case: Case) -> tuple[str | None, int | None]:
    """State and responsible unit as the timeline tells them."""
    state, org = None, None
    for e in case.events.order_by("id"):
        if e.kind == "transition":
            assert e.from_state == state, f"event {e.pk} starts from {e.from_state}, timeline was at {state}"
        if e.to_state:
            state = e.to_state
        org = e.org_id
    return state, org


@FUNCTION_FIXTURES
@given(data=st.data())
def test_random_attempts_never_leave_the_declared_graph(report, world, data):
    case = report()
    declared = {(src, t.code): t.target for t in HAZARD.transitions for src in t.source}
    states = {s.code for s in HAZARD.states}
    for _ in range(data.draw(st.integers(min_value=1, max_value=30), label="steps")):
        # half the time a move the graph offers now, by its usual actor; otherwise anything
        offered = [t.code for t in HAZARD.transitions_from(case.state)] + ["claim"]
        action = data.draw(st.one_of(st.sampled_from(offered), st.sampled_from(ACTIONS)), label="action")
        actor_name = data.draw(
            st.one_of(st.just(LIKELY_ACTOR.get(action, "liaison")), st.sampled_from(ACTORS)), label="actor"
        )
        with_comment = data.draw(st.booleans(), label="comment")
        actor = getattr(world, actor_name)
        before = case.state
        try:
            if action == "claim":
                services.claim(case, acting_user=actor)
            elif action == "scan":  # time passes beyond the deadline: the case goes to the unit above
                if case.due_at is not None:
                    overdue.scan(now=case.due_at + dt.timedelta(microseconds=1))
            else:
                services.fire(case, action, acting_user=actor, comment="处理意见" if with_comment else "")
        except ValidationError:
            case.refresh_from_db()
            assert case.state == before  # a refusal changes nothing
            continue
        case.refresh_from_db()
        assert case.state in states
        if action not in ("claim", "scan"):
            assert declared[(before, action)] == case.state
        assert case.state_kind == HAZARD.state(case.state).kind
        assert (case.due_at is None) == (case.state_kind != "open")
    assert replay(case) == (case.state, case.responsible_org_id)


@FUNCTION_FIXTURES
@given(offset_us=st.integers(min_value=-(10**7), max_value=10**7))
def test_overdue_is_exact_at_the_deadline_boundary(report, world, offset_us):
    case = report()
    now = case.due_at + dt.timedelta(microseconds=offset_us)
    expected = offset_us > 0  # due at 17:00 is still on time at 17:00
    assert case.is_overdue(now) is expected
    assert Case.objects.filter(pk=case.pk).overdue(now).exists() is expected
    overdue.scan(now=now)  # earlier examples' cases share the database: look at this one only
    case.refresh_from_db()
    assert case.escalation_count == (1 if expected else 0)
    assert (case.responsible_org_id == world.tree.county.pk) is expected
    assert replay(case) == (case.state, case.responsible_org_id)
