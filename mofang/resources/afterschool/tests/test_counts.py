"""One rule per figure: 今日待点名 (CourseQuerySet.awaiting_roll) is counted alike by the teacher's
home to-do and the 今日点名 page it opens — on data where a drifted copy would differ: a course of
another weekday, one of a term already over, a roll sheet opened but not submitted, a colleague's course."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from mofang.platform.testing import make_staff, page_text, todo_count, todo_url
from mofang.resources.afterschool import services

from .conftest import make_term

TODO = "今日课后服务待点名"


def test_the_teachers_to_do_counts_the_courses_the_roll_page_shows_waiting(tree, people, term):
    today = timezone.localdate()
    if today.isoweekday() > 5:
        pytest.skip("课后服务 runs Monday to Friday: no course meets today")
    weekday = today.isoweekday()
    other_day = weekday % 5 + 1

    def course(name, *, teacher=people.mao, on=weekday, in_term=term):
        return services.publish_course(
            in_term,
            acting_user=people.academic,
            name=name,
            weekday=on,
            period_from=1,
            period_to=1,
            place="教室",
            capacity=30,
            teacher=teacher,
        )

    rolled, opened = course("已点名"), course("已打开未提交")
    course("待点名")
    course("另一天", on=other_day)
    course("同事的课", teacher=people.wang)
    past = make_term(tree.school, acting_user=people.academic, name="上学期")
    past.starts_on, past.ends_on = today - dt.timedelta(days=200), today - dt.timedelta(days=100)
    past.save(update_fields=["starts_on", "ends_on"])
    course("上学期的课", in_term=past)
    session = services.open_session(rolled, today, acting_user=people.teacher_user)
    services.submit_roll_call(session, absent_ids=[], acting_user=people.teacher_user)
    services.open_session(opened, today, acting_user=people.teacher_user)

    c = Client()
    c.force_login(people.teacher_user)
    assert todo_count(c, TODO) == 2
    page = page_text(c, todo_url(c, TODO))
    sheets = re.findall(r'href="/afterschool/roll/\d+/">([^<]*)</a>', page)
    assert len([s for s in sheets if "（已点名）" not in s]) == 2 and len(sheets) == 3


def test_a_manager_who_teaches_is_sent_to_the_courses_the_to_do_counted(tree, people, term):
    today = timezone.localdate()
    if today.isoweekday() > 5:
        pytest.skip("课后服务 runs Monday to Friday: no course meets today")
    own = make_staff(tree.school, "教务老师", user=people.academic)

    def course(name, teacher):
        return services.publish_course(
            term,
            acting_user=people.academic,
            name=name,
            weekday=today.isoweekday(),
            period_from=1,
            period_to=1,
            place="教室",
            capacity=30,
            teacher=teacher,
        )

    course("教务自己的课", own)
    course("毛老师的课", people.mao)

    c = Client()
    c.force_login(people.academic)
    assert todo_count(c, TODO) == 1
    page = page_text(c, todo_url(c, TODO))
    sheets = re.findall(r'href="/afterschool/roll/\d+/">([^<]*)</a>', page)
    assert len(sheets) == 1 and "教务自己的课" in sheets[0]
