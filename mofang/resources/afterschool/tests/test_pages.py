"""Pages: each role sees its part; refused input answers 400 with the Chinese message; htmx swaps in place."""

from django.utils import timezone

from mofang.resources.afterschool import services
from mofang.resources.afterschool.models import Rating, Selection, SelectionStatus, SurveyResponse

from .test_roll_call import last_weekday


def _get(client, user, url, status=200):
    client.force_login(user)
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return r.content.decode()


def test_the_school_sees_its_terms_and_courses(client, term, courses, people):
    assert term.name in _get(client, people.principal, "/afterschool/terms/")
    body = _get(client, people.academic, f"/afterschool/terms/{term.pk}/")
    assert "丛林穿越" in body and "发布课程" in body
    assert "选课名单" in _get(client, people.county, f"/afterschool/courses/{courses.jungle.pk}/")
    _get(client, people.teacher_user, "/afterschool/terms/", status=403)


def test_a_school_publishes_a_course_and_a_bad_one_names_the_field(client, term, people):
    client.force_login(people.academic)
    data = {
        "name": "趣味编程",
        "weekday": "4",
        "period_from": "1",
        "period_to": "2",
        "place": "机房",
        "capacity": "25",
        "teacher": str(people.mao.pk),
        "institution": "",
        "fee": "0",
        "grade_from": "1",
        "grade_to": "6",
    }
    r = client.post(f"/afterschool/terms/{term.pk}/courses/", data)
    assert r.status_code == 302
    r = client.post(f"/afterschool/terms/{term.pk}/courses/", dict(data, name="书法", capacity="abc"))
    assert r.status_code == 400 and "名额" in r.content.decode()
    r = client.post(f"/afterschool/terms/{term.pk}/courses/", dict(data, name="书法", teacher=""))
    assert r.status_code == 400 and "请选择授课教师或校外机构（二选一）" in r.content.decode()


def test_a_parent_selects_by_htmx_and_a_clash_answers_400(client, people, courses):
    client.force_login(people.parent)
    assert "张小明" in client.get("/afterschool/select/").content.decode()
    url = f"/afterschool/select/{people.child.pk}/"
    r = client.post(url, {"action": "select", "course": courses.jungle.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "已为张小明选上“丛林穿越”" in r.content.decode()
    assert "<html" not in r.content.decode()  # the partial only
    r = client.post(url, {"action": "select", "course": courses.luban.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "与已选课程“丛林穿越”上课时间冲突" in r.content.decode()
    r = client.post(url, {"action": "withdraw", "course": courses.jungle.pk})
    assert r.status_code == 200 and "名额已释放" in r.content.decode()
    r = client.post(url, {"action": "select", "course": "x"})
    assert r.status_code == 400 and "请选择课程" in r.content.decode()
    # another family's child is not reachable
    assert client.get(f"/afterschool/select/{people.other_child.pk}/").status_code == 404


def test_roll_call_page_on_a_phone_marks_absences(client, people, courses):
    services.select_course(people.child, courses.jungle, acting_user=people.parent)
    day = last_weekday(courses.jungle.weekday)
    client.force_login(people.teacher_user)
    url = f"/afterschool/roll/{courses.jungle.pk}/?date={day:%Y-%m-%d}"
    assert "张小明" in client.get(url).content.decode()
    r = client.post(url, {"absent": [str(people.child.pk)]}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "缺勤1人" in r.content.decode()
    assert client.get(f"/afterschool/roll/{courses.jungle.pk}/?date=2026-13-01").status_code == 400
    client.force_login(people.other_teacher_user)
    assert client.get(url).status_code == 404


def test_the_survey_takes_one_answer_per_child_and_term(client, people, term, courses):
    client.force_login(people.parent)
    url = f"/afterschool/select/{people.child.pk}/survey/"
    assert client.post(url, {"rating": "very"}).status_code == 302
    r = client.post(url, {"rating": "satisfied"})
    assert r.status_code == 400 and "每位学生每学期填写一次" in r.content.decode()
    assert client.post(f"/afterschool/select/{people.sister.pk}/survey/", {"rating": "bad"}).status_code == 400
    assert SurveyResponse.objects.count() == 1


def test_indicators_sum_counts_before_dividing(client, tree, people, term, courses):
    for kid, parent in ((people.child, people.parent), (people.other_child, people.other_parent)):
        services.select_course(kid, courses.jungle, acting_user=parent)
    services.answer_survey(term, people.child, rating=Rating.VERY, acting_user=people.parent)
    services.answer_survey(term, people.other_child, rating=Rating.NEUTRAL, acting_user=people.other_parent)
    body = _get(client, people.county, "/afterschool/indicators/")
    # 2 of 3 children, 2 of 2 teachers (毛玉梅 and 王丽华 teach), 1 of 2 answers satisfied
    assert "66.7" in body and "50.0" in body and "常山县第一小学" in body
    assert Selection.objects.filter(status=SelectionStatus.CONFIRMED).count() == 2
    _get(client, people.parent, "/afterschool/indicators/", status=403)


def test_facts_are_registered_with_the_indicators_core(tree, people, term, courses):
    from mofang.platform.indicators.periods import parse_period
    from mofang.platform.indicators.registry import FACT_SOURCES

    services.select_course(people.child, courses.jungle, acting_user=people.parent)
    period = parse_period(str(timezone.localdate().year))
    codes = {c for c in FACT_SOURCES if c.startswith("afterschool.")}
    assert codes == {
        f"afterschool.{f}"
        for f in (
            "students_total",
            "students_participating",
            "teachers_total",
            "teachers_participating",
            "survey_responses",
            "survey_satisfied",
        )
    }
    assert dict(FACT_SOURCES["afterschool.students_participating"].collect(period)) == {tree.school.pk: 1}
    assert dict(FACT_SOURCES["afterschool.teachers_participating"].collect(period)) == {tree.school.pk: 2}
    assert dict(FACT_SOURCES["afterschool.students_total"].collect(period)) == {tree.school.pk: 3}
    assert timezone.localdate().year == period.year
