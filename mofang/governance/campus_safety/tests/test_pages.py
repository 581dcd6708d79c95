"""The pages: 上报隐患 (with photos, routed, to the engine's case page), the hazard list per
side, the routing table page, 一校一单, the dashboard and 服务指导 — and bad input as a 400."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case, CaseAttachment, RouteRule

from ..cases import CODE
from ..models import ChecklistTick, SchoolSafetyProfile, ServiceVisit

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def client_for(user):
    c = Client()
    c.force_login(user)
    if user.requires_second_factor:  # city administrators sign in with a second factor
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, confirmed=True, name="test")
        session = c.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return c


def test_a_school_reports_a_hazard_with_photos_and_lands_on_the_case_page(world):
    c = client_for(world.principal)
    assert c.get("/campus_safety/report/").status_code == 200
    r = c.post(
        "/campus_safety/report/",
        {
            "school": world.school.pk,
            "category": "traffic",
            "severity": "high",
            "title": "放学时段校门口车辆乱停",
            "description": "接送车辆占用人行道",
            "address": "常山县定阳路1号",
            "lon": "118.51",
            "lat": "28.90",
            "photos": [
                SimpleUploadedFile("现场1.png", PNG, "image/png"),
                SimpleUploadedFile("现场2.png", PNG, "image/png"),
            ],
        },
    )
    case = Case.objects.get(title="放学时段校门口车辆乱停")
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert case.responsible_org == world.police and case.severity == "high" and str(case.lon) == "118.510000"
    assert CaseAttachment.objects.filter(case=case).count() == 2


@pytest.mark.parametrize(
    "change,field_text",
    [
        ({"category": "meteor"}, "隐患类别"),
        ({"title": ""}, "标题"),
        ({"lon": "abc"}, "经度"),
        ({"lat": ""}, "经度和纬度须同时填写"),
        ({"school": "999999"}, "上报学校"),
    ],
)
def test_bad_input_on_the_report_page_is_a_400_naming_the_field_and_saves_nothing(world, change, field_text):
    data = {
        "school": world.school.pk,
        "category": "traffic",
        "severity": "normal",
        "title": "拥堵",
        "lon": "118.5",
        "lat": "28.9",
        **change,
    }
    r = client_for(world.principal).post("/campus_safety/report/", data)
    assert r.status_code == 400 and field_text in r.content.decode()
    assert not Case.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_and_no_case_is_left(world):
    r = client_for(world.principal).post(
        "/campus_safety/report/",
        {
            "school": world.school.pk,
            "category": "fire",
            "severity": "normal",
            "title": "消防通道堵塞",
            "photos": [SimpleUploadedFile("病毒.png", b"MZ\x90\x00 not an image", "image/png")],
        },
    )
    assert r.status_code == 400 and "现场照片" in r.content.decode()
    assert not Case.objects.exists()


def test_the_report_page_plots_the_county_schools_offline(world):
    from mofang.platform.orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=world.school.pk).update(longitude="118.511000", latitude="28.902000")
    OrgUnit.objects.filter(pk=world.tree.other_school.pk).update(longitude="118.600000", latitude="28.700000")
    page = client_for(world.principal).get("/campus_safety/report/").content.decode()
    assert "school-map" in page and "/static/vendor/echarts/echarts.min.js" in page
    assert "118.511" in page and "江山市实验小学" not in page  # only the county's schools
    assert 'value="118.511000"' in page  # the place starts at the school


def test_a_teacher_and_a_department_have_no_report_page(world):
    assert client_for(world.teacher).get("/campus_safety/report/").status_code == 404
    assert client_for(world.police1).get("/campus_safety/report/").status_code == 404


def test_the_list_shows_the_department_only_its_own_queue(world, report):
    report("traffic", title="校门拥堵甲")
    report("fire", title="消防通道乙")
    police = client_for(world.police1).get("/campus_safety/?state=reported").content.decode()
    assert "校门拥堵甲" in police and "消防通道乙" not in police
    school = client_for(world.principal).get("/campus_safety/").content.decode()
    assert "校门拥堵甲" in school and "消防通道乙" in school
    assert "校门拥堵甲" not in client_for(world.other_police1).get("/campus_safety/").content.decode()


def test_the_county_admin_keeps_the_routing_table_on_its_page(world, report):
    c = client_for(world.admin)
    assert c.get("/campus_safety/routes/").status_code == 302
    page = c.get(f"/campus_safety/routes/{world.county.pk}/").content.decode()
    assert "常山县公安局" in page and "待分派" in page
    r = c.post(f"/campus_safety/routes/{world.county.pk}/", {"category": "food", "department": world.fire.pk})
    assert r.status_code == 302
    assert report("food").responsible_org == world.fire
    bad = c.post(f"/campus_safety/routes/{world.county.pk}/", {"category": "food", "department": world.other_police.pk})
    assert bad.status_code == 400 and "责任部门" in bad.content.decode()
    rule = RouteRule.objects.get(table=CODE, county=world.county, category="food")
    assert c.post(f"/campus_safety/routes/{world.county.pk}/delete/{rule.pk}/").status_code == 302
    assert report("food").responsible_org == world.county
    # another county's administrator cannot reach this table
    other = client_for(world.other_admin)
    assert other.get(f"/campus_safety/routes/{world.county.pk}/").status_code == 404
    assert (
        other.post(
            f"/campus_safety/routes/{world.county.pk}/", {"category": "food", "department": world.fire.pk}
        ).status_code
        == 404
    )


def test_the_school_keeps_its_profile_and_ticks_its_checklist_on_the_page(world):
    c = client_for(world.principal)
    page = c.get("/campus_safety/checklist/").content.decode()
    assert "尚未建档" in page and "防溺水专题教育" not in page
    c.post("/campus_safety/checklist/", {"action": "profile", "school": world.school.pk, "near_water": "on"})
    assert SchoolSafetyProfile.objects.get(school=world.school).near_water
    page = c.get("/campus_safety/checklist/").content.decode()
    assert "防溺水专题教育" in page
    r = c.post(
        "/campus_safety/checklist/",
        {
            "action": "ticks",
            "school": world.school.pk,
            "item": ["drowning_lesson", "gate_duty"],
            "note_gate_duty": "每日到岗",
        },
    )
    assert r.status_code == 302
    assert ChecklistTick.objects.filter(school=world.school).count() == 2
    bad = c.post("/campus_safety/checklist/", {"action": "ticks", "school": world.school.pk, "item": ["dorm_duty"]})
    assert bad.status_code == 400 and "检查项" in bad.content.decode()
    assert c.get("/campus_safety/checklist/?period=2026-13").status_code == 400
    assert c.get(f"/campus_safety/checklist/?school={world.tree.other_school.pk}").status_code == 404
    overview = client_for(world.admin).get("/campus_safety/checklist/overview/").content.decode()
    assert "常山县第一小学" in overview and "江山市实验小学" not in overview


def test_the_dashboard_counts_exactly_the_cases_created(world, report):
    report("traffic")
    report("traffic")
    c_ = report("fire")
    report("food")  # 待分派 in the county's queue
    cases.claim(c_, acting_user=world.fireman)
    cases.fire(c_, "start", acting_user=world.fireman)
    cases.fire(c_, "resolve", acting_user=world.fireman, comment="已整改")
    cases.fire(c_, "confirm", acting_user=world.principal)
    report("traffic", school=world.tree.other_school, user=world.other_principal)
    page = client_for(world.admin).get("/campus_safety/dashboard/").content.decode()
    assert '<div class="label">未办结隐患</div><div class="value">3</div>' in page
    assert '<div class="label">期间上报</div><div class="value">4</div>' in page
    assert '<div class="label">按期办结率（%）</div><div class="value">100.0</div>' in page
    assert "待分派·常山县" in page and "江山市公安局" not in page
    assert "/static/vendor/echarts/echarts.min.js" in page
    city = client_for(world.city_admin).get("/campus_safety/dashboard/").content.decode()
    assert '<div class="label">未办结隐患</div><div class="value">4</div>' in city
    region = client_for(world.city_admin).get(f"/campus_safety/dashboard/?region={world.tree.other_county.pk}")
    assert '<div class="label">未办结隐患</div><div class="value">1</div>' in region.content.decode()
    police = client_for(world.police1).get("/campus_safety/dashboard/").content.decode()
    assert '<div class="label">未办结隐患</div><div class="value">2</div>' in police
    assert client_for(world.admin).get("/campus_safety/dashboard/?start=2026-02-30").status_code == 400
    out_of_scope = f"/campus_safety/dashboard/?region={world.tree.other_county.pk}"
    assert client_for(world.admin).get(out_of_scope).status_code == 400


def test_a_department_records_a_visit_the_school_sees_it(world):
    c = client_for(world.police1)
    r = c.post(
        "/campus_safety/visits/new/",
        {
            "department": world.police.pk,
            "school": world.school.pk,
            "date": timezone.localdate().isoformat(),
            "topic": "交通安全",
            "result": "查看护学岗设置",
        },
    )
    assert r.status_code == 302
    assert "查看护学岗设置" in client_for(world.principal).get("/campus_safety/visits/").content.decode()
    assert "查看护学岗设置" not in client_for(world.other_principal).get("/campus_safety/visits/").content.decode()
    bad = c.post(
        "/campus_safety/visits/new/",
        {
            "department": world.police.pk,
            "school": world.tree.other_school.pk,
            "date": "2026-01-01",
            "topic": "交通安全",
        },
    )
    assert bad.status_code == 400 and "学校" in bad.content.decode()
    assert ServiceVisit.objects.count() == 1
    assert client_for(world.principal).get("/campus_safety/visits/new/").status_code == 404


def test_the_home_page_tells_the_department_how_many_wait_in_its_queue(world, report):
    report("traffic")
    claimed = report("order")
    report("fire")
    cases.claim(claimed, acting_user=world.police2)
    home = client_for(world.police1).get("/").content.decode()
    assert '<div class="label">待认领的校园安全隐患</div><div class="value">1</div>' in home
    assert "待认领的校园安全隐患" not in client_for(world.principal).get("/").content.decode()
    fire = client_for(world.fireman).get("/").content.decode()
    assert '<div class="label">待认领的校园安全隐患</div><div class="value">1</div>' in fire
