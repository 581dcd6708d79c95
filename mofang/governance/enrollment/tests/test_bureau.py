"""Bureau pages: the warning list and export are scoped; only a county administrator sets
thresholds, for their own county, and the warnings follow at once."""

import io

import openpyxl
import pytest
from django.test import Client

from mofang.governance.enrollment import services
from mofang.governance.enrollment.models import IntakeWarning, Level, Stage, WarningPolicy
from mofang.platform.testing import make_user

from .conftest import children


@pytest.fixture
def warned(district):
    y0 = district.years[0]
    services.set_intake_plan(district.primary, y0, Stage.PRIMARY, classes=1, class_size=10, acting_user=None)
    services.set_intake_plan(district.tree.other_school, y0, Stage.PRIMARY, classes=1, class_size=10, acting_user=None)
    children(district.tree.county, district.community, Stage.PRIMARY, y0, 9)
    return district


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_county_sees_its_own_schools_warnings_only(warned):
    body = _client(warned.admin).get("/enrollment/manage/warnings/").content.decode()
    assert "常山县第一小学" in body and "江山市实验小学" not in body
    body = _client(warned.other_admin).get("/enrollment/manage/warnings/").content.decode()
    assert "江山市实验小学" in body and "常山县第一小学" not in body


def test_the_warning_list_filters_by_level_and_exports(warned):
    c = _client(warned.admin)
    body = c.get("/enrollment/manage/warnings/", {"level": Level.YELLOW}).content.decode()
    assert 'class="total-count">1<' in body
    r = c.get("/enrollment/manage/warnings/", {"export": "xlsx", "level": Level.YELLOW})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("区县", "学校", "学校标识码")
    assert rows[1][:2] == ("常山县", "常山县第一小学") and rows[1][-1] == "黄色"


def test_the_warning_list_needs_a_login():
    assert Client().get("/enrollment/manage/warnings/").status_code == 302


def test_a_principal_sees_the_own_school(warned):
    principal = make_user("principal_cs1", "principal", warned.primary)
    body = _client(principal).get("/enrollment/manage/warnings/").content.decode()
    assert "常山县第一小学" in body and "江山市实验小学" not in body


def test_the_county_administrator_sets_thresholds_and_the_level_changes(warned):
    y0 = warned.years[0]
    c = _client(warned.admin)
    url = f"/enrollment/manage/policy/{warned.tree.county.pk}/"
    assert c.get(url).status_code == 200
    r = c.post(url, {"year": y0, "yellow_from": "95", "red_from": "120"})
    assert r.status_code == 302
    assert IntakeWarning.objects.get(school=warned.primary, year=y0, stage=Stage.PRIMARY).level == Level.GREEN
    r = c.post(url, {"year": y0, "yellow_from": "95", "orange_from": "130", "red_from": "120"})
    assert r.status_code == 400 and "阈值应依次递增" in r.content.decode()


def test_thresholds_of_another_county_or_by_a_city_are_refused(warned):
    other = f"/enrollment/manage/policy/{warned.tree.other_county.pk}/"
    assert _client(warned.admin).post(other, {"year": 2027, "yellow_from": "80", "red_from": "90"}).status_code == 404
    city = make_user("admin_qz", "city_admin", warned.tree.city)
    own = f"/enrollment/manage/policy/{warned.tree.county.pk}/"
    c = Client()
    c.force_login(city)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=city, confirmed=True, name="t")
    session = c.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert c.post(own, {"year": 2027, "yellow_from": "80", "red_from": "90"}).status_code == 404
    assert not WarningPolicy.objects.exists()


def test_a_county_keeps_plans_and_overflow_of_its_schools(warned):
    y0 = warned.years[0]
    c = _client(warned.admin)
    url = f"/enrollment/manage/schools/{warned.primary.pk}/"
    assert url in c.get("/enrollment/manage/warnings/").content.decode()
    assert c.get(url).status_code == 200
    r = c.post(f"{url}plan/", {"year": y0, "stage": "primary", "classes": "2", "class_size": "45"})
    assert r.status_code == 302
    assert IntakeWarning.objects.get(school=warned.primary, year=y0, stage=Stage.PRIMARY).seats == 90
    r = c.post(f"{url}plan/", {"year": y0, "stage": "junior", "classes": "2", "class_size": "45"})
    assert r.status_code == 400 and "不招收初中新生" in r.content.decode()
    r = c.post(f"{url}overflow/", {"overflow_code": "3308220009", "overflow_note": "统筹安排"})
    assert r.status_code == 302
    r = c.post(f"{url}overflow/", {"overflow_code": "3308810001", "overflow_note": ""})  # 江山: out of scope
    assert r.status_code == 400 and "不在您的数据范围内" in r.content.decode()
    from mofang.governance.enrollment.models import EnrollmentSchool

    assert EnrollmentSchool.objects.get(school=warned.primary).overflow_school == warned.hz
    other = f"/enrollment/manage/schools/{warned.tree.other_school.pk}/"
    assert c.get(other).status_code == 404
    assert (
        c.post(f"{other}plan/", {"year": y0, "stage": "primary", "classes": "9", "class_size": "45"}).status_code == 404
    )
