"""The 招生政策 takes effect: registration is refused outside the county's 报名时间 (page: 400,
nothing stored), a new draw uses the county's 派位办法, a junior draw reads the junior 学区 for
its categories, and a draw with no registrations is refused in Chinese instead of failing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.enrollment import draws, policy, priority, services
from mofang.governance.enrollment.models import Registration, Stage

from .conftest import born
from .test_registration import _form_data, _submit, child_id


@pytest.fixture
def parent(district):
    from mofang.platform.accounts.phone import parent_user_for

    return parent_user_for("13911112222")


def _window(d, opens_in_days: int, closes_in_days: int):
    now = timezone.now()
    policy.set_window(
        d.tree.county,
        d.years[0],
        now + dt.timedelta(days=opens_in_days),
        now + dt.timedelta(days=closes_in_days),
        acting_user=d.admin,
    )


@pytest.mark.django_db
def test_registration_before_the_window_is_refused_on_the_page_and_nothing_is_stored(client, district, parent):
    _window(district, 3, 10)
    client.force_login(parent)
    number = child_id(born("primary", district.years[0], 5))
    r = client.post("/enrollment/register/", _form_data(district, number))
    assert r.status_code == 400
    assert "报名尚未开始" in r.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_registration_after_the_window_is_refused_and_inside_it_accepted(district, parent):
    _window(district, -10, -1)
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, child_id(born("primary", district.years[0], 5)))
    assert "报名已结束" in str(exc.value)
    _window(district, -1, 1)
    [r] = _submit(district, parent, child_id(born("primary", district.years[0], 5)))
    assert r.pk and Registration.objects.count() == 1


@pytest.mark.django_db
def test_a_window_closed_while_parents_register_refuses_the_next_registration(client, district, parent):
    _window(district, -1, 1)
    client.force_login(parent)
    first = client.post("/enrollment/register/", _form_data(district, child_id(born("primary", district.years[0], 5))))
    assert first.status_code == 302  # the open window is now cached
    _window(district, -10, -1)  # the bureau closes registration
    r = client.post("/enrollment/register/", _form_data(district, child_id(born("primary", district.years[0], 6))))
    assert r.status_code == 400 and "报名已结束" in r.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_a_new_draw_takes_the_countys_mechanism_unless_one_is_chosen(district):
    county, year = district.tree.county, district.years[0]
    assert draws.create_draw(county, year, acting_user=district.admin).mechanism == "da"
    policy.set_mechanism(county, year + 1, "boston", acting_user=district.admin)
    assert draws.create_draw(county, year + 1, acting_user=district.admin).mechanism == "boston"
    assert (
        draws.create_draw(county, year + 1, stage="junior", mechanism="da", acting_user=district.admin).mechanism
        == "da"
    )


@pytest.mark.django_db
def test_junior_categories_read_the_junior_district(district, parent):
    """定阳花园 is in 第一初级中学's junior 学区 but no primary 学区 of that school: a junior
    registration there is 学区内 for the junior school."""
    year = district.years[0]
    priority.set_categories(
        district.tree.county,
        year,
        [{"name": "学区内", "conditions": {"in_district": True}}, {"name": "学区外", "conditions": {}}],
        acting_user=district.admin,
    )
    [r] = _submit(
        district, parent, child_id(born("junior", year, 3)), stage=Stage.JUNIOR, public_school=district.junior
    )
    assert priority.category_for(r, district.junior).name == "学区内"
    services.set_intake_plan(district.junior, year, "junior", classes=1, class_size=40, acting_user=None)
    d = draws.create_draw(district.tree.county, year, stage="junior", acting_user=district.admin)
    [applicant] = draws.build_input(d, [r])["applicants"]
    assert applicant["choices"] == [{"school": district.junior.code, "category": 1, "sibling": False}]


@pytest.mark.django_db
def test_a_draw_without_registrations_is_refused_in_chinese(district):
    d = draws.create_draw(district.tree.county, district.years[0], acting_user=district.admin)
    draws.enter_seed(d, "20260603", acting_user=None)
    for run in (draws.run_draw, draws.start_run):
        with pytest.raises(ValidationError) as exc:
            run(d, acting_user=district.admin)
        assert "没有有效报名" in exc.value.messages[0]
    d.refresh_from_db()
    assert d.status == "seeded" and not d.admissions.exists()
