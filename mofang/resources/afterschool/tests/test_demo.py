"""The demo story: a term of courses at 常山县第一小学 with the window open for the demo parent,
held sessions credited to the time bank, and 毛玉梅's seed month untouched."""

from decimal import Decimal

import pytest

from mofang.governance.timebank.models import AfterSchoolDuty, MonthlyStatement
from mofang.platform.demo.services import build_demo
from mofang.resources.afterschool import services
from mofang.resources.afterschool.models import Course, Selection, Session, SurveyResponse, Term


@pytest.mark.django_db
def test_the_demo_tells_the_after_school_story():
    report = build_demo(scale=0.02, seed=7, log=lambda *_: None)
    users = report.context.users
    term = Term.objects.get(school__code="3308220001")
    names = set(Course.objects.filter(term=term).values_list("name", flat=True))
    assert {"丛林穿越", "鲁班学艺", "未来工程师"} <= names
    assert services.window_state(term) == "open"
    parent = users["parent_cs1"]
    child = parent.guardian.guardianships.get().student
    assert not Selection.objects.filter(student=child).exists()  # left for the demo parent to choose
    assert Selection.objects.filter(term=term).count() > 0
    held = Session.objects.filter(course__term=term, submitted_at__isnull=False, course__teacher__isnull=False)
    assert all(s.duty_record_no == f"KH-{s.pk}" for s in held)  # an institution's course: no credit
    assert AfterSchoolDuty.objects.filter(record_no__startswith="KH-").count() == held.count()
    assert SurveyResponse.objects.filter(term=term).exists()
    mao = MonthlyStatement.objects.filter(account__staff__user=users["maoyumei"]).order_by("-month").first()
    assert (mao.earned_substitution, mao.earned_afterschool, mao.spent, mao.closing_balance) == (
        Decimal("2.0"),
        Decimal("14.0"),
        Decimal("4.0"),
        Decimal("12.0"),
    )
