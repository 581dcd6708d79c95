"""The class form (per-cell Chinese errors, nothing saved on any error), the letters to parents
(once per child per screening, only when newly myopic), 近视率 with the target, the parent page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from mofang.governance.vision import services
from mofang.governance.vision.models import Letter, Screening
from mofang.platform.notifications.models import InboxMessage, SMSMessage

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form(kids, day="2026-10-15", **cells):
    data = {"screened_on": day}
    for k in kids:
        data[f"right_acuity-{k.pk}"] = "5.0"
        data[f"left_acuity-{k.pk}"] = "5.0"
        data[f"glasses-{k.pk}"] = "none"
    data.update(cells)
    return data


def test_head_teacher_saves_a_class_and_the_parent_gets_one_letter(cls):
    c = client_for(cls.head)
    url = f"/vision/classes/{cls.tree.klass.pk}/"
    page = c.get(url)
    assert page.status_code == 200 and "学生0" in page.content.decode()
    k0 = cls.kids[0]
    data = form(cls.kids, **{f"right_acuity-{k0.pk}": "4.8", f"right_sphere-{k0.pk}": "-1.25"})
    r = c.post(url, data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200, r.content.decode()
    assert "已保存6名学生的筛查结果" in r.content.decode()
    assert "向1名新筛出近视学生的家长发出告家长书" in r.content.decode()
    assert Screening.objects.count() == 6
    inbox = InboxMessage.objects.get(recipient=cls.parent)
    assert inbox.title == "学生0视力筛查告家长书"
    assert "户外活动2小时" in inbox.body and "20-20-20" in inbox.body and "散瞳验光" in inbox.body
    assert SMSMessage.objects.filter(recipient=cls.parent).count() == 1
    # saving again (a correction) sends nothing more
    c.post(url, data)
    assert InboxMessage.objects.filter(recipient=cls.parent).count() == 1
    assert Letter.objects.count() == 1


def test_a_bad_cell_is_named_and_nothing_is_saved(cls):
    c = client_for(cls.head)
    k = cls.kids
    data = form(k, **{f"right_acuity-{k[1].pk}": "5.5", f"left_axis-{k[2].pk}": "200", f"left_sphere-{k[2].pk}": "-1"})
    r = c.post(f"/vision/classes/{cls.tree.klass.pk}/", data, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 400
    assert "右眼裸眼视力：视力应在4.0～5.3之间（五分记录）" in html
    assert "左眼轴位：轴位应在0～180度之间" in html
    assert "有2处填写有误" in html
    assert Screening.objects.count() == 0


def test_a_blank_row_is_a_pupil_not_screened(cls):
    c = client_for(cls.head)
    k = cls.kids
    data = form(k, **{f"right_acuity-{k[1].pk}": "", f"left_acuity-{k[1].pk}": ""})
    assert c.post(f"/vision/classes/{cls.tree.klass.pk}/", data).status_code == 200
    assert Screening.objects.count() == 5


def test_another_school_class_is_not_found(cls, tree):
    c = client_for(cls.other_principal)
    assert c.get(f"/vision/classes/{tree.klass.pk}/").status_code == 404
    assert c.post(f"/vision/classes/{tree.klass.pk}/", form(cls.kids)).status_code == 404
    assert Screening.objects.count() == 0


def _save(cls, kid, day, acuity, sphere=None):
    services.save_results(
        [
            services.Result(
                kid.pk,
                kid.school_id,
                kid.klass_id,
                kid.grade,
                day,
                {"right_acuity": Decimal(acuity), "left_acuity": Decimal("5.0"), "right_sphere": sphere},
                "none",
            )
        ],
        acting_user=cls.head,
        org=cls.tree.klass,
    )


def test_a_letter_only_when_newly_myopic(cls):
    k0 = cls.kids[0]
    _save(cls, k0, dt.date(2025, 10, 10), "4.7", Decimal("-1.50"))  # myopic last year: a letter
    assert Letter.objects.count() == 1
    _save(cls, k0, dt.date(2026, 3, 10), "4.6", Decimal("-1.75"))  # still myopic: no new letter
    assert Letter.objects.count() == 1
    _save(cls, k0, dt.date(2026, 10, 10), "5.0", None)  # recovered (or corrected)
    k1 = cls.kids[1]
    _save(cls, k1, dt.date(2026, 10, 10), "4.8", None)  # poor vision without refraction: no letter
    assert Letter.objects.count() == 1
    assert InboxMessage.objects.filter(recipient=cls.parent).count() == 1


def test_rates_against_last_year_and_the_target(cls, tree):
    kids = cls.kids
    # last year: 3 of 6 myopic (50.0%); this year: 2 of 6 (33.3%) — target 49.0, met
    for i, kid in enumerate(kids):
        _save(cls, kid, dt.date(2025, 10, 10), "4.8" if i < 3 else "5.0", Decimal("-1.00"))
        _save(cls, kid, dt.date(2026, 10, 10), "4.8" if i < 2 else "5.0", Decimal("-1.00"))
    c = client_for(cls.county)
    html = c.get("/vision/rates/?year=2026").content.decode()
    assert "33.3%" in html and "50.0%" in html and "≤49.0%" in html and "达标" in html
    assert "-16.7" in html
    assert "江山市" not in html  # outside the county admin's scope
    school = c.get(f"/vision/rates/?year=2026&org={tree.school.pk}").content.decode()
    assert "一年级1班" in school and "一年级" in school
    # a county with nothing screened reads 暂无数据
    empty = client_for(cls.other_principal).get("/vision/rates/?year=2026").content.decode()
    assert "暂无数据" in empty and "0.0%" not in empty
    # the county admin cannot open the other county
    assert c.get(f"/vision/rates/?org={tree.other_county.pk}").status_code == 404


def test_small_units_do_not_show_a_rate(cls, tree):
    for kid in cls.kids[:3]:
        _save(cls, kid, dt.date(2026, 10, 10), "4.8", Decimal("-1.00"))
    html = client_for(cls.principal).get("/vision/rates/?year=2026").content.decode()
    assert "100.0%" not in html and "人数过少" in html


def test_the_parent_sees_only_their_child_result_first(cls):
    _save(cls, cls.kids[0], dt.date(2026, 10, 10), "4.7", Decimal("-2.00"))
    _save(cls, cls.kids[1], dt.date(2026, 10, 10), "4.5", Decimal("-4.00"))
    html = client_for(cls.parent).get("/vision/my/").content.decode()
    assert "学生0" in html and "学生1" not in html
    assert html.index("筛查性近视") < html.index("右眼")
    assert "户外活动2小时" in html


def test_a_parent_cannot_open_the_class_form_or_the_rates(cls):
    c = client_for(cls.parent)
    assert c.get(f"/vision/classes/{cls.tree.klass.pk}/").status_code == 403
    assert c.get("/vision/rates/").status_code == 403
