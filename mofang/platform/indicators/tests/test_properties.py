"""Property: for random trees and facts, the value at any node is Σ numerators ÷ Σ denominators of
the facts in its subtree (computed here by walking parent links, not paths)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofang.platform.indicators import analytics, selectors
from mofang.platform.indicators.models import Indicator
from mofang.platform.indicators.registry import FACT_SOURCES, FactSource, register_fact_source
from mofang.platform.orgs.models import OrgKind, OrgUnit

FACTS: dict[str, dict[int, int]] = {"p.num": {}, "p.den": {}}


# The current year: indicators compute a never-computed period on the spot only for this year or last.
THIS_YEAR = str(timezone.localdate().year)


@pytest.fixture
def sources(db):
    for code in FACTS:
        register_fact_source(FactSource(code, code, lambda p, c=code: list(FACTS[c].items())))
    Indicator.objects.create(code="p_rate", name="性质测试率", numerator="p.num", denominator="p.den", decimals=4)
    yield
    for code in FACTS:
        FACT_SOURCES.pop(code, None)


trees = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=12)  # parent choice per node
facts = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 50), st.integers(0, 50)), max_size=15)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parents=trees, rows=facts)
def test_value_at_every_node_is_the_ratio_of_subtree_sums(sources, parents, rows):
    root = OrgUnit.objects.add_root({"name": "省", "kind": OrgKind.PROVINCE})
    nodes, parent_of = [root], {0: None}
    for i, choice in enumerate(parents, start=1):
        p = choice % i  # any node created before
        nodes.append(
            OrgUnit.objects.add_child(OrgUnit.objects.get(pk=nodes[p].pk), {"name": f"单位{i}", "kind": OrgKind.COUNTY})
        )
        parent_of[i] = p
    FACTS["p.num"].clear()
    FACTS["p.den"].clear()
    for idx, num, extra in rows:
        org = nodes[idx % len(nodes)].pk
        FACTS["p.num"][org] = FACTS["p.num"].get(org, 0) + num
        FACTS["p.den"][org] = FACTS["p.den"].get(org, 0) + num + extra  # a rate: numerator ≤ denominator
    analytics.refresh_fact("p.num", THIS_YEAR, full=True)
    analytics.refresh_fact("p.den", THIS_YEAR, full=True)

    def in_subtree(i, top):
        while i is not None:
            if i == top:
                return True
            i = parent_of[i]
        return False

    for top, node in enumerate(nodes):
        members = [nodes[i].pk for i in range(len(nodes)) if in_subtree(i, top)]
        num = sum(FACTS["p.num"].get(o, 0) for o in members)
        den = sum(FACTS["p.den"].get(o, 0) for o in members)
        v = selectors.indicator_value("p_rate", OrgUnit.objects.get(pk=node.pk), THIS_YEAR)
        assert (v.numerator, v.denominator) == (num, den)
        want = None if den == 0 else (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        assert v.value == want
    OrgUnit.objects.get(pk=root.pk).delete()
