"""The selection engine's invariants, for any courses and any order of requests (hypothesis):
no course over capacity, no child over the limit, no child in two clashing courses, and the
lottery reproducible from its published seed (whatever order the applications are listed in)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mofang.resources.afterschool import engine

slots = st.builds(
    lambda d, a, n: engine.Slot(d, a, min(3, a + n)), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2)
)
courses_st = st.lists(st.tuples(slots, st.integers(0, 4)), min_size=1, max_size=6)


def _simulate(courses, requests, limit, lottery):
    """Apply requests (child, course index) as the services do; return (held per child, taken, applications)."""
    held: dict[int, list[int]] = {}
    taken = [0] * len(courses)
    apps = []
    for n, (child, ci) in enumerate(requests):
        ci %= len(courses)
        slot, cap = courses[ci]
        mine = held.setdefault(child, [])
        if ci in mine or engine.refusal(slot, [(str(k), courses[k][0]) for k in mine], limit):
            continue
        if not lottery:
            if taken[ci] >= cap:
                continue
            taken[ci] += 1
        mine.append(ci)
        apps.append((n, ci))
    return held, taken, apps


def _assert_valid(courses, per_child, limit):
    counts = [0] * len(courses)
    for mine in per_child.values():
        assert len(mine) <= limit
        for a in mine:
            counts[a] += 1
            for b in mine:
                if a != b:
                    assert not courses[a][0].clashes_with(courses[b][0])
    for i, (_slot, cap) in enumerate(courses):
        assert counts[i] <= cap


@settings(max_examples=150, deadline=None)
@given(
    courses=courses_st,
    requests=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 10)), max_size=60),
    limit=st.integers(1, 3),
)
def test_first_come_never_oversells_nor_breaks_a_childs_rules(courses, requests, limit):
    held, taken, _apps = _simulate(courses, requests, limit, lottery=False)
    _assert_valid(courses, held, limit)
    assert taken == [sum(ci == i for mine in held.values() for ci in mine) for i in range(len(courses))]


@settings(max_examples=150, deadline=None)
@given(
    courses=courses_st,
    requests=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 10)), max_size=60),
    limit=st.integers(1, 3),
    seed=st.text(min_size=1, max_size=12),
    data=st.data(),
)
def test_the_lottery_keeps_every_rule_and_is_reproducible_from_its_seed(courses, requests, limit, seed, data):
    held, _taken, apps = _simulate(courses, requests, limit, lottery=True)
    caps = {i: cap for i, (_s, cap) in enumerate(courses)}
    winners = engine.draw(seed, caps, apps)
    child_of = {}
    n = 0
    for child, ci in requests:
        child_of.setdefault(n, child)
        n += 1
    won: dict[int, list[int]] = {}
    for app_id, ci in apps:
        if app_id in winners:
            won.setdefault(child_of[app_id], []).append(ci)
    _assert_valid(courses, won, limit)
    # undersubscribed courses take everyone
    for i, cap in caps.items():
        applied = [a for a, c in apps if c == i]
        if len(applied) <= cap:
            assert set(applied) <= winners
        else:
            assert len([a for a in applied if a in winners]) == cap
    shuffled = data.draw(st.permutations(apps))
    assert engine.draw(seed, caps, list(shuffled)) == winners
