"""填报: server-side validation per field type (naming the field, nothing stored), 逾期 at the
deadline, revising until the deadline unless locked, and only the unit's own people may answer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.governance.directives import services
from mofang.platform.web.formspec import parse_form_spec

from .conftest import send

pytestmark = pytest.mark.django_db

SPEC = """在校学生数|数字|必填
办学性质|选项|必填|公办,民办
开学日期|日期
安全预案|文件
专任教师|表格|必填|姓名:文本,年龄:数字,入职日期:日期"""

GOOD = {
    "f_f1": "1,250",
    "f_f2": "公办",
    "f_f3": "2026-09-01",
    "f_f5__0__0": "毛玉梅",
    "f_f5__0__1": "38",
    "f_f5__0__2": "2010-08-20",
    "f_f5__1__0": "",
    "f_f5__1__1": "",
    "reply": "已填报",
}


def delivery_of(directive, unit):
    return directive.deliveries.get(unit=unit)


def test_a_good_answer_is_stored_and_the_delivery_is_done(zl):
    d = send(zl, spec=SPEC)
    got = services.answer(delivery_of(d, zl.tree.school), GOOD, {}, acting_user=zl.principal)
    assert got.answer["f1"] == "1250" and got.answer["f2"] == "公办"
    assert got.answer["f5"] == [["毛玉梅", "38", "2010-08-20"]]  # the blank row is no row
    assert got.signed_at and got.done_at and not got.late


@pytest.mark.parametrize(
    "key,value,words",
    [
        ("f_f1", "一千", "“在校学生数”：请填写数字"),
        ("f_f1", "NaN", "“在校学生数”：请填写数字"),
        ("f_f2", "私立", "“办学性质”：请从给定选项中选择"),
        ("f_f3", "2026-02-30", "“开学日期”：请填写有效日期"),
        ("f_f5__0__1", "三十八", "“专任教师”第1行“年龄”：请填写数字"),
        ("f_f5__0__2", "去年", "“专任教师”第1行“入职日期”：请填写有效日期"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_stored(zl, key, value, words):
    d = send(zl, spec=SPEC)
    delivery = delivery_of(d, zl.tree.school)
    with pytest.raises(ValidationError) as exc:
        services.answer(delivery, {**GOOD, key: value}, {}, acting_user=zl.principal)
    assert any(m.startswith(words) for m in exc.value.messages), exc.value.messages
    delivery.refresh_from_db()
    assert delivery.answer == {} and delivery.answered_at is None and delivery.signed_at is None


def test_missing_required_fields_are_each_named(zl):
    d = send(zl, spec=SPEC)
    with pytest.raises(ValidationError) as exc:
        services.answer(delivery_of(d, zl.tree.school), {"f_f3": "2026-09-01"}, {}, acting_user=zl.principal)
    assert exc.value.messages == ["“在校学生数”：必填", "“办学性质”：必填", "“专任教师”：请至少填写一行"]


def test_a_file_field_takes_only_pdf_jpg_png(zl):
    d = send(zl, spec=SPEC)
    delivery = delivery_of(d, zl.tree.school)
    bad = SimpleUploadedFile("预案.exe", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.answer(delivery, GOOD, {"f_f4": bad}, acting_user=zl.principal)
    assert exc.value.messages == ["“安全预案”只能是PDF、JPG或PNG文件"]
    good = SimpleUploadedFile("安全预案.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    got = services.answer(delivery, GOOD, {"f_f4": good}, acting_user=zl.principal)
    assert got.answer["f4"]["name"] == "安全预案.pdf" and got.files.count() == 1
    # revising without a new upload keeps the file
    again = services.answer(got, {**GOOD, "f_f1": "1300"}, {}, acting_user=zl.principal)
    assert again.answer["f4"]["name"] == "安全预案.pdf" and again.answer["f1"] == "1300"


def test_an_answer_at_the_deadline_is_on_time_and_after_it_is_late(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    on_time = services.answer(
        delivery_of(d, zl.tree.school), {"f_f1": "10"}, {}, acting_user=zl.principal, now=d.deadline
    )
    assert not on_time.late and on_time.status_label == "已填报"
    late = services.answer(
        delivery_of(d, zl.kg), {"f_f1": "10"}, {}, acting_user=zl.kg_principal, now=d.deadline + dt.timedelta(seconds=1)
    )
    assert late.late and late.status_label == "已填报（逾期）"


def test_revising_until_the_deadline_unless_locked(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    delivery = services.answer(delivery_of(d, zl.tree.school), {"f_f1": "10"}, {}, acting_user=zl.principal)
    delivery = services.answer(delivery, {"f_f1": "12"}, {}, acting_user=zl.principal)
    assert delivery.answer["f1"] == "12" and not delivery.late
    with pytest.raises(ValidationError, match="已过截止时间"):
        services.answer(
            delivery, {"f_f1": "13"}, {}, acting_user=zl.principal, now=d.deadline + dt.timedelta(minutes=1)
        )
    services.set_locked(d, True, acting_user=zl.admin)
    with pytest.raises(ValidationError, match="锁定"):
        services.answer(delivery, {"f_f1": "14"}, {}, acting_user=zl.principal)
    delivery.refresh_from_db()
    assert delivery.answer["f1"] == "12"
    # a unit that has not answered yet still may, even when locked
    first = services.answer(delivery_of(d, zl.kg), {"f_f1": "5"}, {}, acting_user=zl.kg_principal)
    assert first.done_at


def test_only_the_units_own_people_sign_and_answer(zl):
    d = send(zl, spec="在校学生数|数字")
    delivery = delivery_of(d, zl.tree.school)
    for outsider in (zl.admin, zl.kg_principal, zl.other_principal, zl.liaison):
        with pytest.raises(ValidationError):
            services.sign(delivery, acting_user=outsider)
    assert services.sign(delivery, acting_user=zl.principal).signed_at


def test_a_plain_notice_is_done_when_signed(zl):
    d = send(zl, kind="notice")
    got = services.sign(delivery_of(d, zl.kg), acting_user=zl.kg_principal)
    assert got.done_at and got.status_label == "已签收"
    with pytest.raises(ValidationError, match="无需填报"):
        services.answer(got, {}, {}, acting_user=zl.kg_principal)


def test_form_lines_with_mistakes_are_reported_by_line():
    with pytest.raises(ValidationError) as exc:
        parse_form_spec("人数|数值\n性质|选项|必填|公办\n教师|表格|必填|姓名:文本,年龄:整数\n人数|文本")
    assert exc.value.messages == [
        "填报表第1行：“人数”的类型须为 文本、数字、选项、日期、文件 或 表格",
        "填报表第2行：选项字段“性质”至少需要两个选项，用逗号分隔",
        "填报表第3行：表格“教师”的列“年龄”类型须为 文本、数字 或 日期",
        "填报表第4行：字段名“人数”重复",
    ]
