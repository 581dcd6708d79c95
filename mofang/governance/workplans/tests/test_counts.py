"""One rule per figure: 本月待报送 (WorkItemQuerySet.unreported) — a lead unit's home to-do counts the
items it leads, exactly what the list it opens shows; the cockpit's row counts the region's items,
exactly what the list shows without ?lead=mine — on data where the two differ (a county sees items
its schools lead) and where an item already reported this month counts nowhere."""

from django.test import Client
from django.utils import timezone

from mofang.governance.workplans import services
from mofang.platform.testing import cockpit_row, list_total, todo_count, todo_url

TODO = "本月待报送的清单事项"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_lead_units_to_do_the_list_and_the_cockpit_count_alike(wp):
    (reported,) = services.add_items(
        wp.plan,
        [services.ItemSpec(number=4, title="已报送的事项", target_text="按月报送", lead_unit=wp.tree.county)],
        acting_user=wp.city_admin,
    )
    services.report_progress(
        reported, month=f"{timezone.localdate():%Y-%m}", text="本月已推进", percent=40, acting_user=wp.county_admin
    )

    county = _client(wp.county_admin)
    assert todo_count(county, TODO) == 1  # 增加教育资源学位供给, led by the county itself
    assert list_total(county, todo_url(county, TODO)) == 1
    assert cockpit_row(county, "workplans.unreported") == (2, None)  # and the school's 平安校园
    assert list_total(county, "/workplans/items/?pending=1") == 2

    school = _client(wp.principal)
    assert todo_count(school, TODO) == 1
    assert list_total(school, todo_url(school, TODO)) == 1
    assert todo_count(_client(wp.police), TODO) == 0  # cooperating, not leading
