"""Screening: the published scoring, the one-time code on a phone, scope by assignment, audited reads."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofang.governance.mentalhealth import scales, services
from mofang.governance.mentalhealth.models import CareRole, Screening
from mofang.platform.audit.models import AuditEntry

from .conftest import CALM, CRISIS


@pytest.mark.parametrize(
    "total,band",
    [
        (0, "无或极轻"),
        (4, "无或极轻"),
        (5, "轻度"),
        (9, "轻度"),
        (10, "中度"),
        (14, "中度"),
        (15, "中重度"),
        (19, "中重度"),
        (20, "重度"),
        (27, "重度"),
    ],
)
def test_phq9_severity_follows_the_published_cut_offs(total, band):
    assert scales.band(total, scales.PHQ9_BANDS) == band


@pytest.mark.parametrize(
    "total,band", [(4, "无或极轻"), (5, "轻度"), (10, "中度"), (14, "中度"), (15, "重度"), (21, "重度")]
)
def test_gad7_severity_follows_the_published_cut_offs(total, band):
    assert scales.band(total, scales.GAD7_BANDS) == band


answers = st.tuples(
    st.lists(st.integers(0, 3), min_size=9, max_size=9), st.lists(st.integers(0, 3), min_size=7, max_size=7)
)


@given(answers)
def test_scores_stay_in_range_and_any_self_harm_answer_is_a_crisis(a):
    p, g = a
    s = scales.score(p, g)
    assert 0 <= s.phq9 <= 27 and 0 <= s.gad7 <= 21
    assert (s.risk == scales.Risk.CRISIS) == (p[8] >= 1)
    if p[8] == 0:
        expected = "high" if max(s.phq9, s.gad7) >= 15 else "medium" if max(s.phq9, s.gad7) >= 10 else "low"
        assert s.risk == expected


@given(answers, st.integers(0, 15))
def test_answering_higher_never_lowers_the_risk(a, i):
    p, g = a
    worse = list(p), list(g)
    (worse[0] if i < 9 else worse[1])[i if i < 9 else i - 9] = 3
    order = list(scales.RISK_ORDER)
    assert order.index(scales.score(*worse).risk) >= order.index(scales.score(p, g).risk)


def test_the_scales_have_their_published_number_of_items():
    assert len(scales.PHQ9) == 9 and len(scales.GAD7) == 7
    assert "伤害自己" in scales.PHQ9[scales.SELF_HARM_ITEM - 1]


def test_a_primary_school_campaign_is_answered_by_a_parent(mh):
    assert mh.campaign.answerer == "parent"
    assert mh.campaign.screenings.count() == 3
    assert len(set(mh.code.values())) == 3


def test_answering_on_the_phone_stores_scores_and_risk(mh, client):
    code = mh.code[mh.b.pk]
    page = client.get(f"/mentalhealth/answer/{code}/")
    assert page.status_code == 200 and "您的孩子" in page.content.decode()
    data = {f"phq9_{i}": "2" for i in range(1, 10)} | {f"gad7_{i}": "1" for i in range(1, 8)} | {"phq9_9": "0"}
    r = client.post(f"/mentalhealth/answer/{code}/", data)
    assert r.status_code == 200 and "提交成功" in r.content.decode()
    s = Screening.objects.get(code=code)
    assert (s.phq9_total, s.gad7_total, s.risk) == (16, 7, "high")
    again = client.post(f"/mentalhealth/answer/{code}/", data)
    assert "该作答码已提交" in again.content.decode()
    assert Screening.objects.get(code=code).phq9_total == 16


def test_a_missing_answer_is_refused_naming_the_item_and_nothing_is_stored(mh, client):
    code = mh.code[mh.b.pk]
    data = {f"phq9_{i}": "1" for i in range(1, 9)} | {f"gad7_{i}": "1" for i in range(1, 8)}
    r = client.post(f"/mentalhealth/answer/{code}/", data)
    assert r.status_code == 400
    assert "PHQ-9第9题未作答" in r.content.decode()
    assert Screening.objects.get(code=code).submitted_at is None
    bad = client.post(f"/mentalhealth/answer/{code}/", data | {"phq9_9": "7"})
    assert bad.status_code == 400
    assert client.post("/mentalhealth/answer/", {"code": "NOPE"}).status_code == 400
    assert client.get("/mentalhealth/answer/ZZZZZZZZ/").status_code == 404


def test_a_head_teacher_not_assigned_cannot_open_the_screening(mh, client):
    services.submit_answers(mh.code[mh.b.pk], *CALM)  # 乙: in head_1's class but not assigned to head_1
    services.submit_answers(mh.code[mh.a.pk], *CALM)  # 甲: assigned to head_1
    sb = Screening.objects.get(student=mh.b)
    sa = Screening.objects.get(student=mh.a)
    client.force_login(mh.head)
    assert client.get(f"/mentalhealth/screenings/{sb.pk}/").status_code == 404
    assert client.get(f"/mentalhealth/screenings/{sa.pk}/").status_code == 200
    listing = client.get("/mentalhealth/students/").content.decode()
    assert "甲同学" in listing and "乙同学" not in listing
    client.force_login(mh.head2)
    assert client.get(f"/mentalhealth/screenings/{sa.pk}/").status_code == 404
    client.force_login(mh.other_psych)
    assert client.get(f"/mentalhealth/screenings/{sa.pk}/").status_code == 404


def test_principals_and_bureaus_see_no_individual_record(mh, client):
    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    s = Screening.objects.get(student=mh.a)
    for user in (mh.principal, mh.county, mh.centre):
        client.force_login(user)
        assert client.get(f"/mentalhealth/screenings/{s.pk}/").status_code == 404
        assert client.get(f"/mentalhealth/alerts/{s.alert.pk}/").status_code == 404
        assert client.get("/mentalhealth/students/").status_code == 404


def test_every_read_of_an_answer_sheet_is_audited(mh, client):
    services.submit_answers(mh.code[mh.a.pk], *CALM)
    s = Screening.objects.get(student=mh.a)
    client.force_login(mh.psych)
    before = AuditEntry.objects.filter(action="reveal", object_id=str(s.pk)).count()
    client.get(f"/mentalhealth/screenings/{s.pk}/")
    client.get(f"/mentalhealth/screenings/{s.pk}/")
    reads = AuditEntry.objects.filter(action="reveal", object_type="mentalhealth.Screening", object_id=str(s.pk))
    assert reads.count() == before + 2
    assert reads.first().actor == mh.psych


def test_assignment_checks_the_role_at_the_students_school_and_class(mh):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不是该生所在班级的班主任"):
        services.assign(mh.c, mh.head, CareRole.HEAD_TEACHER, acting_user=mh.principal)
    with pytest.raises(ValidationError, match="不是本校的心理教师"):
        services.assign(mh.a, mh.other_psych, CareRole.PSYCHOLOGIST, acting_user=mh.principal)
    with pytest.raises(ValidationError, match="没有在"):
        services.assign(mh.b, mh.head, CareRole.HEAD_TEACHER, acting_user=mh.head)
    a = services.assign(mh.b, mh.head, CareRole.HEAD_TEACHER, acting_user=mh.psych)
    assert AuditEntry.objects.filter(object_type="mentalhealth.CareAssignment", object_id=str(a.pk)).exists()


def test_the_assignment_page_assigns_by_student_number_and_account(mh, client):
    client.force_login(mh.principal)
    r = client.post("/mentalhealth/assignments/", {"student_no": mh.b.student_no, "username": "head_1", "role": "head"})
    assert r.status_code == 302
    assert mh.b.care_assignments.filter(user=mh.head).exists()
    r = client.post(
        "/mentalhealth/assignments/", {"student_no": mh.c.student_no, "username": "head_1", "role": "head"}, follow=True
    )
    assert "不是该生所在班级的班主任" in r.content.decode()


def test_the_summary_suppresses_small_counts(mh, client):
    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    services.submit_answers(mh.code[mh.b.pk], *CALM)
    client.force_login(mh.county)
    html = client.get("/mentalhealth/summary/").content.decode()
    row = html.split(f'data-campaign="{mh.campaign.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "&lt;5" in row
    assert ">1<" not in row.split("</td>", 4)[-1]  # no risk count under 5 shown as a number
    assert "甲同学" not in html


def test_the_summary_adds_up_by_school_county_and_city(mh, client):
    """Six answers at one school: the county row adds them up; the 5 低 is hidden too (with the total),
    or the total minus it would tell that exactly one answer was 中, 高 or 危机."""
    import datetime as dt

    from django.utils import timezone

    from mofang.platform.testing import make_student

    kids = [make_student(mh.tree.school, f"学生{i}", klass=mh.tree.klass) for i in range(6)]
    today = timezone.localdate()
    c2 = services.create_campaign(
        mh.tree.school,
        term="2026-2027学年第一学期",
        title="补充筛查",
        opens_on=today,
        closes_on=today + dt.timedelta(days=3),
        acting_user=mh.principal,
    )
    codes = {s.student_id: s.code for s in c2.screenings.all()}
    for k in kids[:5]:
        services.submit_answers(codes[k.pk], *CALM)
    services.submit_answers(codes[kids[5].pk], *CRISIS)
    client.force_login(mh.county)
    html = client.get("/mentalhealth/summary/?by=county").content.decode()
    row = html.split(f'data-key="{mh.tree.county.path}"', 1)[1].split("</tr>", 1)[0]
    assert "常山县" in row
    cells = [c.split(">", 1)[1] for c in row.split("</td>")[:-1]]
    # 区县, 筛查次数, 应答, 已完成, 低, 中, 高, 危机, 合计
    assert cells[1:4] == ["2", f"{3 + 9}", "6"]
    assert cells[4:9] == ["*", "&lt;5", "&lt;5", "&lt;5", "*"]
    assert "学生5" not in html
    by_school = client.get("/mentalhealth/summary/?by=school").content.decode()
    assert "常山县第一小学" in by_school


def test_the_audit_log_never_names_a_student_with_a_crisis(mh, client):
    """Principals read the audit log: the reads of an alert must not tell them whose it was."""
    services.submit_answers(mh.code[mh.a.pk], *CRISIS)
    s = Screening.objects.get(student=mh.a)
    client.force_login(mh.psych)
    client.get(f"/mentalhealth/screenings/{s.pk}/")
    client.get(f"/mentalhealth/alerts/{s.alert.pk}/")
    summaries = " ".join(AuditEntry.objects.filter(action__in=("reveal",)).values_list("summary", flat=True))
    summaries += " ".join(
        AuditEntry.objects.filter(object_type="mentalhealth.CrisisAlert").values_list("summary", flat=True)
    )
    assert "心理危机预警" in summaries
    assert "甲同学" not in summaries
