"""The cached catalogue a selection reads its term and course from (catalogue.py): a change to a
term or a course is seen by the next selection, and no figure on the answer comes from the cache."""

import datetime as dt

from django.utils import timezone

from mofang.resources.afterschool import services
from mofang.resources.afterschool.models import Selection, SelectionStatus


def _select(client, child, course):
    return client.post(
        f"/afterschool/select/{child.pk}/", {"action": "select", "course": course.pk}, HTTP_HX_REQUEST="true"
    )


def test_a_window_closed_after_the_catalogue_was_cached_refuses_the_next_selection(client, people, term, courses):
    client.force_login(people.parent)
    assert _select(client, people.child, courses.jungle).status_code == 200  # term and course now cached
    term.closes_at = timezone.now() - dt.timedelta(minutes=1)  # the window closed early
    term.save(update_fields=["closes_at"])
    r = _select(client, people.child, courses.future)
    assert r.status_code == 400 and "选课已截止" in r.content.decode()
    assert not Selection.objects.filter(student=people.child, course=courses.future).exists()


def test_a_course_published_after_the_catalogue_was_cached_can_be_chosen_at_once(client, people, term, courses):
    client.force_login(people.parent)
    assert _select(client, people.child, courses.jungle).status_code == 200
    chess = services.publish_course(
        term, name="围棋", weekday=5, period_from=1, period_to=1, place="棋室", capacity=10,
        teacher=people.mao, acting_user=people.academic,
    )  # fmt: skip
    r = _select(client, people.child, chess)
    assert r.status_code == 200 and "已为张小明选上“围棋”" in r.content.decode()
    assert Selection.objects.get(student=people.child, course=chess).status == SelectionStatus.CONFIRMED


def test_a_refused_clash_shows_the_seats_taken_since_the_course_was_cached(client, people, courses):
    client.force_login(people.other_parent)
    assert _select(client, people.other_child, courses.luban).status_code == 200  # 鲁班学艺 cached with 0 taken
    client.force_login(people.parent)
    assert _select(client, people.child, courses.jungle).status_code == 200
    r = _select(client, people.child, courses.luban)  # clashes with 丛林穿越
    body = r.content.decode()
    assert r.status_code == 400 and "上课时间冲突" in body
    assert "名额20，已选1" in body and "剩余19个名额" in body  # as stored, not as cached


def test_a_course_of_another_term_or_school_is_not_taken_from_the_catalogue(client, tree, people, courses):
    from .conftest import make_term

    old = make_term(tree.school, window="closed", name="上学期", acting_user=people.academic)
    stale = services.publish_course(
        old, name="旧课", weekday=2, period_from=1, period_to=1, place="旧教室", capacity=5,
        teacher=people.mao, acting_user=people.academic,
    )  # fmt: skip
    client.force_login(people.parent)
    r = _select(client, people.child, stale)  # the current term is the open one, not 上学期
    assert r.status_code == 400 and "请选择课程" in r.content.decode()
    assert not Selection.objects.filter(course=stale).exists()


def test_a_posted_course_that_is_no_course_is_refused_in_chinese_and_not_cached(client, people, courses):
    from django.core.cache import cache

    client.force_login(people.parent)
    bads = ("abc", "-1", "0", "99999999999999999999", str(courses.future.pk + 1000))
    for bad in bads:
        r = client.post(
            f"/afterschool/select/{people.child.pk}/", {"action": "select", "course": bad}, HTTP_HX_REQUEST="true"
        )
        assert r.status_code == 400 and "请选择课程" in r.content.decode(), bad
    keys = getattr(cache, "_cache", {})  # local memory in tests: what the posted ids left behind
    assert not [k for k in keys if any(f":afterschool:course:{people.child.school_id}:{b}:" in str(k) for b in bads)]
    assert not Selection.objects.exists()


def test_a_cleared_cache_is_not_answered_from_the_process_copy(client, people, term, courses):
    """Redis restarted (its versions gone): what this process kept under the old version is not used."""
    from django.core.cache import cache

    from mofang.resources.afterschool.models import Term

    client.force_login(people.parent)
    assert _select(client, people.child, courses.jungle).status_code == 200  # cached, and kept in the process
    cache.clear()
    Term.objects.filter(pk=term.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))  # no signal
    r = _select(client, people.child, courses.future)
    assert r.status_code == 400 and "选课已截止" in r.content.decode()


def test_each_request_gets_its_own_term_and_course(people, term, courses):
    """A view sets the seats and the term on what it gets: two requests (two threads) never share them."""
    from mofang.resources.afterschool import catalogue

    first_term, first = catalogue.term_and_course(people.child.school_id, courses.jungle.pk)
    first.taken = 999
    second_term, second = catalogue.term_and_course(people.child.school_id, courses.jungle.pk)
    assert second is not first and second_term is not first_term and second.taken != 999
