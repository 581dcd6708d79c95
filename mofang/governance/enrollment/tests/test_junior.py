"""小升初: the registration form takes stage junior — a child 12 by 31 August of the intake year
registers for a junior 学区 school of their community; a 6-year-old is refused on the ID field;
one active registration per child and year still holds; the primary path is unchanged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mofang.governance.enrollment import registration as reg
from mofang.governance.enrollment.models import Registration, Stage
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.testing import add

from .conftest import born
from .test_registration import _form_data, _submit, child_id


@pytest.fixture
def parent(district):
    return parent_user_for("13911112222")


def _junior_form(d, number, **kw):
    return _form_data(d, number, stage="junior", public_school=str(d.junior.pk), **kw)


def test_a_twelve_year_old_registers_for_the_junior_district_school_through_the_page(client, district, parent):
    client.force_login(parent)
    page = client.get(f"/enrollment/register/?stage=junior&community={district.community.pk}").content.decode()
    assert "初中一年级网上报名" in page and district.junior.name in page and district.primary.name not in page
    number = child_id(born("junior", district.years[0], 20))
    r = client.post("/enrollment/register/?stage=junior", _junior_form(district, number))
    assert r.status_code == 302, r.content.decode()
    [got] = Registration.objects.all()
    assert got.stage == Stage.JUNIOR and got.public_school == district.junior and got.year == district.years[0]
    my = client.get("/enrollment/my/").content.decode()
    assert "初中" in my and district.junior.name in my
    client.force_login(district.admin)  # the bureau's list filters by stage
    assert 'class="total-count">1<' in client.get("/enrollment/manage/registrations/?stage=junior").content.decode()
    assert 'class="total-count">0<' in client.get("/enrollment/manage/registrations/?stage=primary").content.decode()


def test_a_six_year_old_is_refused_for_junior_with_a_chinese_message_on_the_id_field(client, district, parent):
    client.force_login(parent)
    year = district.years[0]
    r = client.post("/enrollment/register/", _junior_form(district, child_id(born("primary", year))))
    assert r.status_code == 400
    body = r.content.decode()
    start, end = reg.cohort_range("junior", year)
    assert f"儿童身份证号：{year}年初中一年级招收{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}出生的儿童" in body
    assert 'data-field="id_number"' in body and not Registration.objects.exists()


def test_the_age_window_is_twelve_by_31_august(district, parent):
    year = district.years[0]
    _start, end = reg.cohort_range("junior", year)
    assert end == dt.date(year - 12, 8, 31)
    with pytest.raises(ValidationError) as exc:  # born 1 September: only 11 on 31 August
        _submit(district, parent, child_id(end + dt.timedelta(days=1)), stage="junior", public_school=district.junior)
    assert "初中一年级招收" in exc.value.message_dict["id_number"][0]
    [r] = _submit(district, parent, child_id(end), stage="junior", public_school=district.junior)
    assert r.stage == "junior"


def test_the_public_school_must_be_a_junior_district_school(district, parent):
    number = child_id(born("junior", district.years[0]))
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, number, stage="junior", public_school=district.primary)
    assert exc.value.message_dict["public_school"] == ["所选公办学校不是该小区的初中学区学校"]
    private_primary = add(
        district.tree.county,
        "常山民办小学",
        OrgKind.SCHOOL,
        "3308220077",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PRIVATE,
    )
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, number, stage="junior", public_school=district.junior, private_school=private_primary)
    assert "private_school" in exc.value.message_dict
    private_junior = add(
        district.tree.county,
        "常山民办初中",
        OrgKind.SCHOOL,
        "3308220078",
        school_type=SchoolType.JUNIOR,
        ownership=Ownership.PRIVATE,
    )
    [r] = _submit(
        district, parent, number, stage="junior", public_school=district.junior, private_school=private_junior
    )
    assert r.private_school == private_junior


def test_one_active_junior_registration_per_child_and_year(district, parent):
    number = child_id(born("junior", district.years[0]))
    _submit(district, parent, number, stage="junior", public_school=district.junior)
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent_user_for("13933334444"), number, stage="junior", public_school=district.junior)
    assert exc.value.message_dict["id_number"] == [reg.DUPLICATE]


def test_coming_from_a_junior_schools_page_opens_the_junior_form(client, district, parent):
    client.force_login(parent)
    page = client.get(f"/enrollment/register/?school={district.junior.pk}").content.decode()
    assert "初中一年级网上报名" in page and "定阳花园" in page
    page = client.get(f"/enrollment/register/?school={district.primary.pk}").content.decode()
    assert "小学一年级网上报名" in page


def test_the_primary_path_is_unchanged_without_a_stage(client, district, parent):
    client.force_login(parent)
    number = child_id(born("primary", district.years[0]))
    assert client.post("/enrollment/register/", _form_data(district, number)).status_code == 302
    assert Registration.objects.get().stage == Stage.PRIMARY
