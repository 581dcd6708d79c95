"""What the sender sees: counts, reminders only to those not done (not twice within an hour),
the forwarding chain end to end, and the xlsx aggregation."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from mofang.governance.directives import reports, services
from mofang.governance.directives.models import Delivery
from mofang.platform.notifications.models import InboxMessage, SMSMessage

from .conftest import send

pytestmark = pytest.mark.django_db


def test_sending_creates_one_delivery_per_unit_and_tells_their_people(zl, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = send(zl, kind="notice")
    assert set(d.deliveries.values_list("unit__name", flat=True)) == {
        "常山县第一小学",
        "常山县民办阳光幼儿园",
        "常山县第一初级中学",
    }
    assert InboxMessage.objects.filter(recipient=zl.principal, title__contains="关于报送").count() == 1
    assert not InboxMessage.objects.filter(recipient=zl.other_principal).exists()


def test_counts_signed_done_overdue(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    services.sign(d.deliveries.get(unit=zl.kg), acting_user=zl.kg_principal)
    services.answer(d.deliveries.get(unit=zl.tree.school), {"f_f1": "1"}, {}, acting_user=zl.principal)
    c = reports.counts(d.deliveries.all())
    assert (c.total, c.signed, c.done, c.pending, c.overdue) == (3, 2, 1, 2, 0)
    d.deadline = timezone.now() - dt.timedelta(minutes=1)
    d.save()
    c = reports.counts(Delivery.objects.filter(directive=d))
    assert c.overdue == 2  # the two not done; the answer was on time


def test_reminders_go_only_to_units_not_done_and_not_twice_within_an_hour(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    services.answer(d.deliveries.get(unit=zl.tree.school), {"f_f1": "1"}, {}, acting_user=zl.principal)
    now = timezone.now()
    assert services.remind(d, acting_user=zl.admin, now=now) == (2, 0)
    sms = SMSMessage.objects.all()
    assert [m.phone for m in sms] == ["13900000002"]  # the kindergarten's principal; the junior has no phone
    assert "关于报送秋季学期学生数的通知" in sms[0].text
    assert set(InboxMessage.objects.filter(title__startswith="催办").values_list("recipient__username", flat=True)) == {
        "xz_kg",
        "xz_cz",
    }
    assert services.remind(d, acting_user=zl.admin, now=now + dt.timedelta(minutes=59)) == (0, 2)
    assert SMSMessage.objects.count() == 1
    assert services.remind(d, acting_user=zl.admin, now=now + dt.timedelta(minutes=61)) == (2, 0)
    assert SMSMessage.objects.count() == 2


def test_forwarding_chain_counts(zl):
    from django.core.files.uploadedfile import SimpleUploadedFile

    leaflet = SimpleUploadedFile("防溺水告家长书.pdf", b"%PDF-1.4 leaflet", content_type="application/pdf")
    notice = send(
        zl,
        by=zl.city_admin,
        org=zl.tree.city,
        kind="notice",
        forward_required=True,
        targets=[zl.tree.county, zl.tree.other_county],
        title="关于开展防溺水安全教育的通知",
        attachments=[leaflet],
    )
    county_delivery = notice.deliveries.get(unit=zl.tree.county)
    services.sign(county_delivery, acting_user=zl.admin)
    county_delivery.refresh_from_db()
    assert county_delivery.done_at is None  # forward-only: signing is not doing
    child = services.forward(
        county_delivery,
        title=notice.title,
        body=notice.body,
        deadline=notice.deadline,
        targets=[zl.tree.school, zl.kg, zl.junior],
        acting_user=zl.admin,
    )
    county_delivery.refresh_from_db()
    assert county_delivery.forwarded_at and county_delivery.done_at and child.parent_delivery == county_delivery
    # the school can open the city's attachment through the county's copy
    copy = child.attachments.get()
    assert copy.name == "防溺水告家长书.pdf" and services.visible_attachment(zl.principal, copy.pk) == copy
    assert services.visible_attachment(zl.other_principal, copy.pk) is None
    assert copy.file.read() == b"%PDF-1.4 leaflet"
    services.sign(child.deliveries.get(unit=zl.tree.school), acting_user=zl.principal)
    services.sign(child.deliveries.get(unit=zl.kg), acting_user=zl.kg_principal)
    chain = reports.chain(Delivery.objects.visible_to(zl.city_admin, "directives.view_delivery"), notice)
    c = chain[county_delivery.pk]["counts"]
    assert (c.total, c.signed, c.done) == (3, 2, 2) and chain[county_delivery.pk]["children"] == [child.pk]
    city = reports.counts(notice.deliveries.all())
    assert (city.total, city.done) == (2, 1)  # 江山市 has not forwarded


def test_a_forwarded_task_counts_as_done_only_when_the_county_answers(zl):
    task = send(
        zl, by=zl.city_admin, org=zl.tree.city, spec="学校数|数字|必填", forward_required=True, targets=[zl.tree.county]
    )
    d = task.deliveries.get()
    child = services.forward(
        d, title=task.title, body=task.body, deadline=task.deadline, targets=[zl.tree.school], acting_user=zl.admin
    )
    assert list(child.fields.values_list("label", flat=True)) == ["学校数"]
    d.refresh_from_db()
    assert d.forwarded_at and d.done_at is None
    d = services.answer(d, {"f_f1": "3"}, {}, acting_user=zl.admin)
    assert d.done_at


def test_xlsx_one_row_per_unit_one_column_per_field_and_table_rows_on_a_second_sheet(zl):
    spec = "在校学生数|数字|必填\n安全预案|文件\n专任教师|表格|必填|姓名:文本,年龄:数字"
    d = send(zl, spec=spec)
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = SimpleUploadedFile("一小预案.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    services.answer(
        d.deliveries.get(unit=zl.tree.school),
        {
            "f_f1": "1250",
            "f_f3__0__0": "毛玉梅",
            "f_f3__0__1": "38",
            "f_f3__1__0": "王老师",
            "f_f3__1__1": "45",
            "reply": "按时报送",
        },
        {"f_f2": plan},
        acting_user=zl.principal,
    )
    wb = openpyxl.load_workbook(io.BytesIO(reports.answers_xlsx(d, d.deliveries.all())))
    assert wb.sheetnames == ["填报汇总", "专任教师"]
    rows = list(wb["填报汇总"].iter_rows(values_only=True))
    assert rows[0] == ("单位", "单位代码", "状态", "签收时间", "填报时间", "是否逾期", "回复", "在校学生数", "安全预案")
    school = next(r for r in rows if r[0] == "常山县第一小学")
    assert school[2] == "已填报" and school[6] == "按时报送" and school[7] == 1250 and school[8] == "一小预案.pdf"
    assert len(rows) == 4
    table = list(wb["专任教师"].iter_rows(values_only=True))
    assert table == [
        ("单位", "单位代码", "行号", "姓名", "年龄"),
        ("常山县第一小学", "3308220001", 1, "毛玉梅", 38),
        ("常山县第一小学", "3308220001", 2, "王老师", 45),
    ]
