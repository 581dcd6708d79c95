"""The roll services: each change's rule, the grade from 入学年份 and school type, the history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from mofang.platform.audit.models import AuditEntry
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.people import grades
from mofang.platform.people import roll as services
from mofang.platform.people.models import ClassPlacement, RollEvent, RollStatus, SchoolYear, Student
from mofang.platform.testing import add, make_id_number, make_student


def _msg(exc) -> str:
    return " ".join(exc.value.messages)


def _enrol(r, school=None, **kw):
    school = school or r.tree.school
    n = RollEvent.objects.count() + Student.objects.count() + 1
    idn = make_id_number("20200301", "M")
    return services.enrol_student(
        acting_user=kw.pop("acting_user", r.county_admin),
        school=school,
        student_no=f"G33082220200301{n:04d}",
        name=kw.pop("name", "王小明"),
        sex="M",
        birth_date=dt.date(2020, 3, 1),
        id_number=idn,
        **kw,
    )


# --- grade from 入学年份 and school type ------------------------------------------------------


@pytest.mark.parametrize(
    "school_type, entry, year, grade, name",
    [
        (SchoolType.PRIMARY, 2026, 2026, 1, "一年级"),
        (SchoolType.PRIMARY, 2026, 2027, 2, "二年级"),
        (SchoolType.JUNIOR, 2026, 2026, 7, "七年级"),
        (SchoolType.NINE_YEAR, 2020, 2026, 7, "七年级"),
        (SchoolType.SENIOR, 2025, 2026, 11, "高二"),
        (SchoolType.VOCATIONAL, 2026, 2026, 10, "一年级"),
        (SchoolType.KINDERGARTEN, 2026, 2026, -2, "小班"),
    ],
)
def test_grade_follows_from_entry_year_and_school_type(school_type, entry, year, grade, name):
    assert grades.grade_for(school_type, entry, year) == grade
    assert grades.grade_name(school_type, grade) == name
    assert grades.entry_year_for(school_type, grade, year) == entry


def test_a_primary_schools_entrants_are_in_grade_one_this_year_and_grade_two_the_next(roll):
    s = _enrol(roll, klass=roll.tree.klass)
    assert (s.entry_year, s.grade, s.school_year, s.status) == (roll.year.start_year, 1, roll.year, RollStatus.ENROLLED)
    assert s.grade_name == "一年级"
    services.promote(s, acting_user=roll.county_admin)
    s.refresh_from_db()
    assert (s.grade, s.entry_year, s.school_year.start_year) == (2, roll.year.start_year, roll.year.start_year + 1)
    assert s.klass == roll.grade2_class  # 一年级1班 moves up into 二年级1班
    assert grades.grade_for(SchoolType.PRIMARY, s.entry_year, s.school_year.start_year) == s.grade


def test_the_current_school_year_is_found_by_date(db):
    y = services.current_school_year(dt.date(2027, 3, 1))
    assert str(y) == "2026-2027学年" and [str(t) for t in y.terms.all()] == [
        "2026-2027学年第一学期",
        "2026-2027学年第二学期",
    ]
    assert SchoolYear.on(dt.date(2026, 9, 1)) == y and SchoolYear.on(dt.date(2027, 9, 1)) is None
    assert services.current_school_year(dt.date(2027, 9, 1)).start_year == 2027


# --- each change's rule ------------------------------------------------------------------------


def test_enrolment_refuses_a_class_of_another_grade_and_a_grade_the_school_does_not_have(roll):
    with pytest.raises(ValidationError) as exc:
        _enrol(roll, klass=roll.grade2_class)
    assert "二年级1班是二年级的班级，与年级（一年级）不符" in _msg(exc)
    with pytest.raises(ValidationError) as exc:
        _enrol(roll, grade=7)
    assert "常山县第一小学没有七年级（一年级至六年级）" in _msg(exc)
    assert Student.objects.count() == 0 and RollEvent.objects.count() == 0


def test_enrolment_refuses_a_student_number_already_on_the_roll(roll):
    s = _enrol(roll)
    with pytest.raises(ValidationError) as exc:
        services.enrol_student(
            acting_user=roll.county_admin,
            school=roll.tree.school,
            student_no=s.student_no,
            name="重复",
            sex="M",
            birth_date=dt.date(2020, 3, 1),
            id_number=make_id_number("20200301", "M"),
        )
    assert f"学籍号 {s.student_no} 已在学籍中" in _msg(exc)


def test_enrolment_with_a_former_school_is_a_transfer_in(roll):
    s = _enrol(roll, grade=3, transferred_from="杭州市天长小学")
    e = s.roll_events.get()
    assert (e.get_kind_display(), e.other_school, e.grade) == ("转入", "杭州市天长小学", 3)
    assert s.entry_year == roll.year.start_year - 2


def test_resume_of_a_student_who_is_not_suspended_is_refused(roll):
    s = _enrol(roll)
    with pytest.raises(ValidationError) as exc:
        services.resume(s, acting_user=roll.county_admin)
    assert "只有休学或辍学的学生才能复学（王小明当前为在读）" in _msg(exc)


def test_suspend_then_resume_a_year_later_joins_the_next_cohort(roll):
    s = _enrol(roll, klass=roll.tree.klass)
    services.suspend(s, acting_user=roll.principal, reason="病休")
    s.refresh_from_db()
    assert (s.status, s.klass) == (RollStatus.SUSPENDED, None)
    with pytest.raises(ValidationError) as exc:
        services.suspend(s, acting_user=roll.principal)
    assert "只有在读的学生才能休学（王小明当前为休学）" in _msg(exc)
    next_year = dt.date(roll.year.start_year + 1, 9, 10)
    services.resume(s, acting_user=roll.principal, occurred_on=next_year)
    s.refresh_from_db()
    assert (s.status, s.grade, s.school_year.start_year) == (RollStatus.ENROLLED, 1, roll.year.start_year + 1)
    assert s.entry_year == roll.year.start_year + 1  # 入学年份 follows the grade: still consistent
    assert [e.get_kind_display() for e in s.roll_events.order_by("id")] == ["入学", "休学", "复学"]


def test_transfer_out_then_in_to_another_county(roll):
    s = _enrol(roll, klass=roll.tree.klass)
    services.transfer_out(s, acting_user=roll.principal, to_school="江山市实验小学")
    s.refresh_from_db()
    assert (s.status, s.klass) == (RollStatus.TRANSFERRED_OUT, None)
    with pytest.raises(ValidationError) as exc:
        services.transfer_out(s, acting_user=roll.principal)
    assert "只有在读或休学的学生才能转出（王小明当前为转出）" in _msg(exc)
    with pytest.raises(PermissionDenied):  # 常山县's principal cannot put a student on 江山市's roll
        services.transfer_in(s, acting_user=roll.principal, school=roll.tree.other_school)
    services.transfer_in(s, acting_user=roll.other_principal, school=roll.tree.other_school)
    s.refresh_from_db()
    assert (s.school, s.status, s.grade) == (roll.tree.other_school, RollStatus.ENROLLED, 1)
    e = s.roll_events.order_by("-id").first()
    assert (e.get_kind_display(), e.other_school, e.school) == ("转入", "常山县第一小学", roll.tree.other_school)


def test_transfer_in_of_a_student_still_enrolled_is_refused(roll):
    s = _enrol(roll)
    with pytest.raises(ValidationError) as exc:
        services.transfer_in(s, acting_user=roll.city_admin, school=roll.tree.other_school)
    assert "只有已转出的学生才能转入（王小明当前为在读）" in _msg(exc)


def test_only_the_last_grade_graduates_and_it_cannot_be_promoted(roll):
    first = _enrol(roll)
    with pytest.raises(ValidationError) as exc:
        services.graduate(first, acting_user=roll.principal)
    assert "只有六年级的学生才能毕业（王小明在一年级）" in _msg(exc)
    sixth = _enrol(roll, grade=6, klass=roll.grade6_class, name="李大同")
    with pytest.raises(ValidationError) as exc:
        services.promote(sixth, acting_user=roll.principal)
    assert "李大同已在最高年级（六年级），应办理毕业而不是升级" in _msg(exc)
    services.graduate(sixth, acting_user=roll.principal)
    sixth.refresh_from_db()
    assert (sixth.status, sixth.klass, sixth.grade) == (RollStatus.GRADUATED, None, 6)


def test_a_student_is_promoted_once_per_school_year(roll):
    s = _enrol(roll)
    services.promote(s, acting_user=roll.principal)
    with pytest.raises(ValidationError) as exc:
        services.promote(s, acting_user=roll.principal)
    assert f"王小明已升入{roll.year.start_year + 1}-{roll.year.start_year + 2}学年，不能再次升级" in _msg(exc)
    assert s.roll_events.filter(kind="promote").count() == 1


def test_dropout_needs_a_reason_and_a_student_on_the_roll(roll):
    s = _enrol(roll)
    with pytest.raises(ValidationError) as exc:
        services.record_dropout(s, acting_user=roll.principal, reason="  ")
    assert "请填写辍学原因" in _msg(exc)
    services.record_dropout(s, acting_user=roll.principal, reason="随父母外出务工，联系不上")
    s.refresh_from_db()
    assert s.status == RollStatus.DROPPED_OUT
    with pytest.raises(ValidationError) as exc:
        services.suspend(s, acting_user=roll.principal)
    assert "当前为辍学" in _msg(exc)


def test_a_school_outside_the_users_scope_is_refused(roll):
    s = _enrol(roll)
    with pytest.raises(PermissionDenied):
        services.suspend(s, acting_user=roll.other_principal)
    assert Student.objects.get(pk=s.pk).status == RollStatus.ENROLLED


def test_a_school_without_grades_has_no_roll(roll):
    college = add(
        roll.tree.county,
        "常山县社区学校",
        OrgKind.SCHOOL,
        "3308229999",
        school_type=SchoolType.COMMUNITY,
        ownership=Ownership.PUBLIC,
    )
    with pytest.raises(ValidationError) as exc:
        _enrol(roll, school=college)
    assert "常山县社区学校不是按年级招生的学校，不能办理学籍" in _msg(exc)


# --- the history ---------------------------------------------------------------------------


def test_every_change_appends_history_and_an_audit_row_with_before_and_after(roll):
    s = _enrol(roll, klass=roll.tree.klass)
    services.suspend(s, acting_user=roll.principal, reason="病休")
    services.resume(s, acting_user=roll.principal, klass=roll.tree.klass)
    events = list(s.roll_events.order_by("id"))
    assert [(e.get_kind_display(), e.get_status_display()) for e in events] == [
        ("入学", "在读"),
        ("休学", "休学"),
        ("复学", "在读"),
    ]
    assert events[1].reason == "病休" and events[1].created_by == roll.principal
    audit = AuditEntry.objects.filter(summary__startswith="学籍异动（休学）").get()
    assert (audit.before["status"], audit.after["status"]) == ("enrolled", "suspended")
    assert ClassPlacement.objects.get(student=s, school_year=roll.year).klass == roll.tree.klass


def test_the_history_is_append_only_in_the_database(roll):
    s = _enrol(roll)
    with pytest.raises(DatabaseError), transaction.atomic():
        RollEvent.objects.filter(student=s).update(reason="改写")
    with pytest.raises(RuntimeError):  # (a bulk DELETE is refused too, except under the test settings' purge switch)
        s.roll_events.get().delete()
    assert s.roll_events.get().reason == ""


# --- the pages -----------------------------------------------------------------------------


def test_the_student_page_shows_the_history_and_the_list_filters_by_status_and_grade(roll, client):
    s = _enrol(roll, klass=roll.tree.klass, name="赵一")
    second = make_student(roll.tree.school, "钱二", klass=roll.grade2_class, grade=2)
    services.suspend(s, acting_user=roll.principal, reason="病休")
    client.force_login(roll.principal)
    page = client.get(f"/students/{s.pk}/").content.decode()
    assert '<dd id="roll-status">休学</dd>' in page and "病休" in page and "入学" in page
    suspended = client.get("/students/?status=suspended").content.decode()
    assert "赵一" in suspended and "钱二" not in suspended
    grade2 = client.get("/students/?grade=2").content.decode()
    assert "钱二" in grade2 and "赵一" not in grade2 and second.grade_name == "二年级"


def test_the_roll_change_page_refuses_an_impossible_change_in_chinese(roll, client):
    s = _enrol(roll)
    client.force_login(roll.principal)
    r = client.post(f"/people/students/{s.pk}/change/", {"action": "resume", "confirm": "on"})
    assert r.status_code == 400 and "只有休学或辍学的学生才能复学" in r.content.decode()
    r = client.post(f"/people/students/{s.pk}/change/", {"action": "suspend"})
    assert r.status_code == 400 and "请勾选确认后再办理" in r.content.decode()
    r = client.post(f"/people/students/{s.pk}/change/", {"action": "suspend", "confirm": "on", "reason": "病休"})
    assert r.status_code == 302 and Student.objects.get(pk=s.pk).status == RollStatus.SUSPENDED


def test_editing_a_student_into_a_class_of_another_grade_is_refused(roll, client):
    s = _enrol(roll, klass=roll.tree.klass)
    client.force_login(roll.principal)
    r = client.post(f"/students/{s.pk}/edit/", {"name": s.name, "klass": roll.grade2_class.pk})
    assert r.status_code == 400 and "二年级1班不是一年级的班级" in r.content.decode()
    assert Student.objects.get(pk=s.pk).klass == roll.tree.klass
