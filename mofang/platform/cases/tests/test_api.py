"""/api/cases/: the same cases as the pages, for signed-in users with a type they may view."""

from rest_framework.test import APIClient

from mofang.platform.accounts.models import User
from mofang.platform.cases import services


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_the_api_lists_exactly_the_cases_the_pages_show(report, world):
    mine = report(title="接口甲")
    report(title="接口乙", responsible_org=world.other_dept, reporting_org=world.tree.other_school, acting_user=None)
    body = _api(world.liaison).get("/api/cases/").json()
    assert body["count"] == 1 and body["results"][0]["number"] == mine.number
    assert body["results"][0]["state_label"] == "待认领" and body["results"][0]["claimed"] is False
    assert _api(world.liaison).get(f"/api/cases/{mine.pk}/").json()["responsible_org_name"] == "常山县公安局"
    assert _api(world.other_liaison).get(f"/api/cases/{mine.pk}/").status_code == 404
    # a teacher may view case types of their own (a growth-ladder application) but none of these
    r = _api(world.teacher).get("/api/cases/")
    assert r.status_code == 200 and r.json()["count"] == 0
    nobody = User.objects.create_user(username="api_nobody", password="x")  # no role: no case type at all
    assert _api(nobody).get("/api/cases/").status_code == 403
    services.claim(mine, acting_user=world.liaison)
    assert _api(world.liaison).get("/api/cases/?queue=true").json()["count"] == 0
    assert _api(world.liaison).get("/api/cases/?q=接口甲&state_kind=open").json()["count"] == 1
