"""选课: capacity, clashes, the per-student limit, the window, withdrawal, the lottery, the white list."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mofang.governance.institutions.models import Category, Institution, ListEntry, ListKind, Status
from mofang.platform.testing import make_student
from mofang.resources.afterschool import engine, services
from mofang.resources.afterschool.models import Course, Selection, SelectionMode, SelectionStatus

from .conftest import add_parent, make_term


def _msg(exc) -> str:
    return "；".join(exc.value.messages)


def test_a_parent_selects_two_courses_that_do_not_clash(people, courses):
    services.select_course(people.child, courses.jungle, acting_user=people.parent)
    services.select_course(people.child, courses.future, acting_user=people.parent)
    assert Selection.objects.filter(student=people.child, status=SelectionStatus.CONFIRMED).count() == 2
    courses.jungle.refresh_from_db()
    assert courses.jungle.taken == 1


def test_a_clashing_course_is_refused_naming_the_course_already_chosen(people, courses):
    services.select_course(people.child, courses.jungle, acting_user=people.parent)
    with pytest.raises(ValidationError) as exc:
        services.select_course(people.child, courses.luban, acting_user=people.parent)
    assert "与已选课程“丛林穿越”上课时间冲突" in _msg(exc)
    courses.luban.refresh_from_db()
    assert courses.luban.taken == 0


def test_the_per_student_limit_is_enforced(tree, people):
    term = make_term(tree.school, max_courses=1, name="限选一门", acting_user=people.academic)
    a = services.publish_course(
        term,
        name="围棋",
        weekday=2,
        period_from=1,
        period_to=1,
        place="201",
        capacity=5,
        teacher=people.mao,
        acting_user=people.academic,
    )
    b = services.publish_course(
        term,
        name="书法",
        weekday=4,
        period_from=1,
        period_to=1,
        place="202",
        capacity=5,
        teacher=people.mao,
        acting_user=people.academic,
    )
    services.select_course(people.child, a, acting_user=people.parent)
    with pytest.raises(ValidationError) as exc:
        services.select_course(people.child, b, acting_user=people.parent)
    assert "最多选1门" in _msg(exc)


def test_a_full_course_is_refused_and_a_withdrawal_frees_the_seat(people, courses):
    services.select_course(people.child, courses.future, acting_user=people.parent)
    with pytest.raises(ValidationError) as exc:
        services.select_course(people.other_child, courses.future, acting_user=people.other_parent)
    assert "名额已满" in _msg(exc)
    sel = Selection.objects.get(student=people.child, course=courses.future)
    services.withdraw_selection(sel, acting_user=people.parent)
    services.select_course(people.other_child, courses.future, acting_user=people.other_parent)
    courses.future.refresh_from_db()
    assert courses.future.taken == 1


def test_selecting_the_same_course_twice_is_refused(people, courses):
    services.select_course(people.child, courses.jungle, acting_user=people.parent)
    with pytest.raises(ValidationError) as exc:
        services.select_course(people.child, courses.jungle, acting_user=people.parent)
    assert "不能重复选择" in _msg(exc)


def test_a_parent_may_select_only_for_their_own_child(people, courses):
    with pytest.raises(PermissionDenied):
        services.select_course(people.other_child, courses.jungle, acting_user=people.parent)


def test_outside_the_window_nothing_is_selected(tree, people):
    for window, text in (("before", "选课尚未开始"), ("closed", "选课已截止")):
        term = make_term(tree.school, window=window, name=f"窗口{window}", acting_user=people.academic)
        c = services.publish_course(
            term,
            name="足球",
            weekday=5,
            period_from=1,
            period_to=1,
            place="操场",
            capacity=5,
            teacher=people.mao,
            acting_user=people.academic,
        )
        with pytest.raises(ValidationError) as exc:
            services.select_course(people.child, c, acting_user=people.parent)
        assert text in _msg(exc)


def test_a_course_for_other_grades_is_refused(term, people):
    c = services.publish_course(
        term,
        name="机器人",
        weekday=2,
        period_from=1,
        period_to=1,
        place="科创室",
        capacity=5,
        teacher=people.mao,
        grade_from=4,
        grade_to=6,
        acting_user=people.academic,
    )
    with pytest.raises(ValidationError) as exc:
        services.select_course(people.child, c, acting_user=people.parent)
    assert "4–6年级" in _msg(exc)


def test_the_lottery_picks_capacity_winners_reproducibly_after_the_window(tree, people):
    term = make_term(tree.school, mode=SelectionMode.LOTTERY, name="抽签学期", acting_user=people.academic)
    c = services.publish_course(
        term,
        name="未来工程师",
        weekday=3,
        period_from=1,
        period_to=1,
        place="科创室",
        capacity=2,
        teacher=people.wang,
        acting_user=people.academic,
    )
    kids = [make_student(tree.school, f"抽签学生{i}", klass=tree.klass) for i in range(5)]
    for i, kid in enumerate(kids):
        add_parent(tree.school, kid, f"1390572{i:04d}")
        services.select_course(kid, c, acting_user=None)
    assert set(Selection.objects.filter(course=c).values_list("status", flat=True)) == {SelectionStatus.APPLIED}
    with pytest.raises(ValidationError) as exc:
        services.run_lottery(term, seed="公证种子", acting_user=people.academic)
    assert "选课截止后才能抽签" in _msg(exc)
    later = term.closes_at + dt.timedelta(minutes=1)
    result = services.run_lottery(term, seed="公证种子", acting_user=people.academic, now=later)
    assert result == {"seed": "公证种子", "applications": 5, "winners": 2}
    winners = set(Selection.objects.filter(course=c, status=SelectionStatus.CONFIRMED).values_list("pk", flat=True))
    apps = list(Selection.objects.filter(course=c).values_list("pk", "course_id"))
    assert winners == engine.draw("公证种子", {c.pk: 2}, apps)  # anyone can redo it from the published seed
    assert Selection.objects.filter(course=c, status=SelectionStatus.LOST).count() == 3
    c.refresh_from_db()
    assert c.taken == 2
    with pytest.raises(ValidationError) as exc:
        services.run_lottery(term, seed="再来一次", acting_user=people.academic, now=later)
    assert "已抽签" in _msg(exc)


def test_a_course_needs_a_white_listed_institution(tree, term, people):
    inst = Institution.objects.create(
        name="弈林棋院",
        credit_code="91330822MA2XXXXX01",
        category=Category.ARTS,
        region=tree.county,
        status=Status.NORMAL,
    )
    with pytest.raises(ValidationError) as exc:
        services.publish_course(
            term,
            name="围棋",
            weekday=2,
            period_from=1,
            period_to=1,
            place="201",
            capacity=5,
            institution=inst,
            acting_user=people.academic,
        )
    assert "不在常山县第一小学所在地区的课后服务校外培训机构白名单内" in _msg(exc)
    ListEntry.objects.create(
        kind=ListKind.WHITE,
        institution=inst,
        region=tree.county,
        reason="2026年秋季白名单",
        start=term.starts_on - dt.timedelta(days=30),
    )
    course = services.publish_course(
        term,
        name="围棋",
        weekday=2,
        period_from=1,
        period_to=1,
        place="201",
        capacity=5,
        institution=inst,
        fee=300,
        acting_user=people.academic,
    )
    assert course.provider == "弈林棋院" and course.fee_text == "300元/学期"


def test_course_rules_name_the_field(term, people):
    cases = [
        (dict(name="", weekday=1, period_from=1, period_to=1, place="x", capacity=5, teacher=people.mao), "name"),
        (dict(name="a", weekday=7, period_from=1, period_to=1, place="x", capacity=5, teacher=people.mao), "weekday"),
        (dict(name="a", weekday=1, period_from=2, period_to=1, place="x", capacity=5, teacher=people.mao), "period_to"),
        (dict(name="a", weekday=1, period_from=1, period_to=1, place="x", capacity=0, teacher=people.mao), "capacity"),
        (dict(name="a", weekday=1, period_from=1, period_to=1, place="x", capacity=5), "teacher"),
        (
            dict(name="a", weekday=1, period_from=1, period_to=1, place="x", capacity=5, teacher=people.mao, fee="-1"),
            "fee",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.publish_course(term, acting_user=people.academic, **kwargs)
        assert field in exc.value.message_dict, (kwargs, exc.value.message_dict)
    assert not Course.objects.filter(term=term).exists()


def test_a_teacher_may_not_manage_courses(term, people):
    with pytest.raises(PermissionDenied):
        services.publish_course(
            term,
            name="a",
            weekday=1,
            period_from=1,
            period_to=1,
            place="x",
            capacity=5,
            teacher=people.mao,
            acting_user=people.teacher_user,
        )


def test_a_selection_and_only_an_accepted_one_is_audited_with_who_what_and_where(tree, people, courses):
    """On PostgreSQL the seat, the selection and its audit row are one statement: the row must say
    what record() would, and a full course must leave neither a selection nor an audit row."""
    from mofang.platform.audit.models import AuditEntry

    sel = services.select_course(people.child, courses.future, acting_user=people.parent)
    entry = AuditEntry.objects.get(object_type="afterschool.Selection", object_id=str(sel.pk))
    assert (entry.actor_id, entry.actor_name, entry.action, entry.org_id) == (
        people.parent.pk,
        str(people.parent),
        "create",
        tree.school.pk,
    )
    assert entry.summary == "为张小明选课：未来工程师"
    assert abs(entry.at - Selection.objects.get(pk=sel.pk).created_at) < dt.timedelta(seconds=1)
    assert sel.status == SelectionStatus.CONFIRMED and sel.active_count == 1 and sel.course.taken == 1
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:  # its one seat is gone
        services.select_course(people.other_child, courses.future, acting_user=people.other_parent)
    assert "名额已满" in _msg(exc)
    assert AuditEntry.objects.count() == before
    assert not Selection.objects.filter(student=people.other_child).exists()
    courses.future.refresh_from_db()
    assert courses.future.taken == 1


def test_a_lottery_application_is_stored_and_audited_as_an_application(tree, people):
    from mofang.platform.audit.models import AuditEntry

    term = make_term(tree.school, mode=SelectionMode.LOTTERY, name="抽签学期", acting_user=people.academic)
    course = services.publish_course(
        term, name="书法", weekday=4, period_from=1, period_to=1, place="书法室", capacity=1,
        teacher=people.mao, acting_user=people.academic,
    )  # fmt: skip
    sel = services.select_course(people.child, course, acting_user=people.parent)
    stored = Selection.objects.get(pk=sel.pk)
    assert stored.status == SelectionStatus.APPLIED and stored.created_by_id == people.parent.pk
    entry = AuditEntry.objects.get(object_type="afterschool.Selection", object_id=str(sel.pk))
    assert entry.summary == "为张小明报名：书法" and entry.org_id == tree.school.pk
    course.refresh_from_db()
    assert course.taken == 0  # a lottery takes no seat before the draw
