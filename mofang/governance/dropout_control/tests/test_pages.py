"""The pages: the county sees its three lists with names and works a case; the city sees counts per
county only; another county sees nothing of it; bad input is a Chinese message and a 400."""

import pytest

from mofang.governance.dropout_control.models import ChildCase
from mofang.platform.people.models import RollStatus, Student
from tests.test_permission_matrix import _login

from .conftest import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(county, tmp_path):
    run_import(county.admin, county.tree.county, tmp_path, county.rows)
    return county


def test_the_county_sees_its_lists_with_names_and_the_rate(client, imported):
    client.force_login(imported.admin)
    page = client.get(f"/dropout_control/county/{imported.tree.county.pk}/").content.decode()
    assert "无学籍（2）" in page and "辍学或休学逾期（2）" in page and "转出未接收（1）" in page
    assert "乙" in page and "辛" in page and "37.5%" in page  # 3 of 8
    assert "待核查" in page


def test_the_city_sees_counts_per_county_but_no_names(client, imported):
    _login(client, imported.city)
    index = client.get("/dropout_control/").content.decode()
    assert "常山县" in index and "江山市" in index and "暂无数据" in index
    page = client.get(f"/dropout_control/county/{imported.tree.county.pk}/").content.decode()
    assert "无学籍：" in page and imported.ids["乙"][-4:] not in page
    assert "重新比对并立案" not in page


def test_another_county_sees_nothing(client, imported):
    client.force_login(imported.other_admin)
    assert client.get(f"/dropout_control/county/{imported.tree.county.pk}/").status_code == 404
    cc = ChildCase.objects.get(child__name="乙")
    assert client.get(f"/dropout_control/cases/{cc.pk}/").status_code == 404
    assert client.post(f"/dropout_control/county/{imported.tree.county.pk}/rematch/").status_code == 404


def test_a_case_is_worked_on_its_page(client, imported):
    client.force_login(imported.admin)
    cc = ChildCase.objects.get(child__name="丁")
    url = f"/dropout_control/cases/{cc.pk}/"
    r = client.post(url, {"action": "explain", "reason": "", "comment": "x"})
    assert r.status_code == 400 and "请选择说明原因" in r.content.decode()
    r = client.post(url, {"action": "readmit", "grade": "三"})
    assert r.status_code == 400 and "年级应为数字" in r.content.decode()
    r = client.post(url, {"action": "persuade", "comment": "已家访"})
    assert r.status_code == 302
    assert "劝返中" in client.get(url).content.decode()
    r = client.post(url, {"action": "readmit", "comment": "返校"})
    assert r.status_code == 302
    assert Student.objects.get(pk=imported.students["丁"].pk).status == RollStatus.ENROLLED
    assert "已复学" in client.get(url).content.decode()
    page = client.get(f"/dropout_control/county/{imported.tree.county.pk}/").content.decode()
    assert "辍学或休学逾期（1）" in page


def test_the_import_page_is_the_platforms(client, imported):
    client.force_login(imported.admin)
    r = client.get("/dropout_control/import/")
    assert r.status_code == 302 and r["Location"] == "/imports/dropout_register/"
    page = client.get("/imports/dropout_register/").content.decode()
    assert "户籍适龄儿童名册" in page
    _login(client, imported.city)
    assert client.get("/dropout_control/import/").status_code == 403
