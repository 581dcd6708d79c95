"""Whatever rule a sender writes, the resolved units lie inside the sender's subtree and scope,
are never the sender itself, and each either matches the rule or was picked by name."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofang.governance.directives import services
from mofang.governance.directives.services import TargetRule
from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType

pytestmark = pytest.mark.django_db


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_resolution_never_leaves_the_senders_scope(zl, data):
    units = list(OrgUnit.objects.all())
    ids = [u.pk for u in units]
    sender, org = data.draw(
        st.sampled_from(
            [(zl.admin, zl.tree.county), (zl.other_admin, zl.tree.other_county), (zl.city_admin, zl.tree.city)]
        )
    )
    rule = TargetRule(
        regions=data.draw(st.lists(st.sampled_from(ids), max_size=3)),
        kind=data.draw(st.sampled_from([OrgKind.SCHOOL, OrgKind.DEPARTMENT, OrgKind.COUNTY, OrgKind.CLASS])),
        school_types=data.draw(st.lists(st.sampled_from(SchoolType.values), max_size=3)),
        ownerships=data.draw(st.lists(st.sampled_from(Ownership.values), max_size=2)),
        picks=data.draw(st.lists(st.sampled_from(ids), max_size=4)),
        use_rule=data.draw(st.booleans()),
    )
    got = services.resolve_targets(sender, org, rule)
    regions = [u for u in units if u.pk in rule.regions]
    for u in got:
        assert u.path.startswith(org.path) and u.pk != org.pk
        assert u.kind in services.TARGET_KINDS
        if u.pk in rule.picks:
            continue
        assert rule.use_rule and u.kind == rule.kind
        assert not rule.regions or any(u.path.startswith(r.path) for r in regions)
        if u.kind == OrgKind.SCHOOL:
            assert not rule.school_types or u.school_type in rule.school_types
            assert not rule.ownerships or u.ownership in rule.ownerships
