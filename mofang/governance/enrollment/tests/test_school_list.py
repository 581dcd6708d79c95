"""学校列表 (public, no login): every school as a card with the next intake's warning colour,
searchable by name or pinyin initials; the search results of 入学早知道 carry the colour too."""

import pytest

from mofang.governance.enrollment import services

from .conftest import children

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(district):
    year = district.years[0]
    services.set_intake_plan(district.primary, year, "primary", classes=1, class_size=40, acting_user=None)
    services.set_intake_plan(district.hz, year, "primary", classes=1, class_size=40, acting_user=None)
    children(district.tree.county, district.community, "primary", year, 45)  # 45 for 40 seats: 红色
    return district


def test_the_school_list_shows_each_school_with_its_warning_colour(client, listed):
    page = client.get("/enrollment/schools/").content.decode()
    assert 'class="total-count">4<' in page  # 常山县's two primary schools and junior one, 江山市's school
    assert 'data-level="red"' in page and "红色" in page and "常山县第一小学" in page
    assert 'name="q"' in page  # the search box


def test_the_school_list_searches_by_name_or_initials(client, listed):
    page = client.get("/enrollment/schools/", {"q": "hzxx"}).content.decode()
    assert "杭州小学" in page and "常山县第一小学" not in page
    part = client.get("/enrollment/schools/", {"q": "第一小学"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="school-list")
    body = part.content.decode()
    assert "常山县第一小学" in body and "<html" not in body and 'data-level="red"' in body


def test_search_results_on_the_lookup_page_carry_the_colour(client, listed):
    body = client.get("/enrollment/", {"q": "csxdyxx"}).content.decode()
    assert "常山县第一小学" in body and 'data-level="red"' in body
