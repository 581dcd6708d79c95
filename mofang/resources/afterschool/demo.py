"""课后服务's demo story (registered with the core demo in AppConfig.ready()).

常山县第一小学 runs this term's after-school courses (丛林穿越, 鲁班学艺, 未来工程师 …), taught by
its teachers (and a white-listed institution when the region's list has one); the selection
window is open (补选), so the demo parent (parent_cs1) can log in and choose for their child, who
has chosen nothing yet. Most other children hold one or two non-clashing courses. Courses met
this month on their weekdays and the roll calls were submitted: a few absences (their guardians
were told), and each held session credited its teacher's time account through the time bank.
Parents answered the satisfaction survey. Two more 常山县 schools run terms too, so the county's
figures compare schools.

毛玉梅 teaches no course here: her seed month (2 h 代课 + 14 h 托管 − 4 h = 12 h) stays exactly as
the time bank's demo recorded it.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Staff, Student

from . import engine, services
from .models import Course, Rating, Selection, SelectionStatus, SurveyResponse, Term

CS1_CODE = "3308220001"
# (name, weekday, periods, place, description)
COURSES = [
    ("丛林穿越", 1, (1, 2), "操场", "户外拓展与攀爬，锻炼勇气与协作"),
    ("鲁班学艺", 1, (2, 2), "木工坊", "认识榫卯，动手做一件小木器"),
    ("未来工程师", 3, (1, 2), "科创室", "积木搭建与简单机械，培养工程思维"),
    ("创意美术", 2, (1, 1), "美术室", "水彩、剪纸与综合材料"),
    ("趣味编程", 4, (1, 2), "计算机房", "图形化编程入门"),
    ("合唱团", 5, (1, 1), "音乐室", "童声合唱"),
    ("围棋", 2, (2, 2), "棋艺室", "围棋入门与对弈"),
    ("篮球", 3, (1, 1), "体育馆", "运球、传球与小场比赛"),
    ("作业辅导", 4, (1, 1), "本班教室", "教师答疑，完成书面作业"),
    ("科学探究", 5, (2, 2), "科学实验室", "小实验里的大道理"),
    ("书法", 2, (1, 1), "书法教室", "硬笔与毛笔书法"),
    ("阅读写作", 1, (1, 1), "图书馆", "整本书阅读与习作"),
]


def _term_name(day: dt.date) -> str:
    return f"{day.year}年秋季学期" if day.month >= 8 else f"{day.year}年春季学期"


def build(ctx) -> None:
    cs1 = next((s for s in ctx.schools if s.code == CS1_CODE), None)
    if cs1 is None:
        ctx.log("课后服务：未找到常山县第一小学，跳过")
        return
    if Term.objects.filter(school=cs1).exists():
        return
    county = cs1.ancestor_of_kind(OrgKind.COUNTY)
    others = [
        s
        for s in ctx.schools
        if s.pk != cs1.pk
        and county is not None
        and s.path.startswith(county.path)
        and s.school_type in ("primary", "nine_year")
    ][:2]
    keep = {p.pk for p in (ctx.staff.get("maoyumei"),) if p is not None}
    parent = ctx.users.get("parent_cs1")
    untouched = (
        set(Student.objects.filter(guardianships__guardian__user=parent).values_list("pk", flat=True))
        if parent is not None
        else set()
    )
    academic = ctx.users.get("academic_cs1")
    total = 0
    for _n, school in enumerate([cs1, *others]):
        term, courses = _term(ctx, school, keep, academic if school is cs1 else None)
        total += _select(ctx, term, courses, untouched)
        if school is cs1:
            _hold_sessions(ctx, courses)
        _survey(ctx, term)
    ctx.log(f"课后服务：{1 + len(others)}所学校开设本学期课程，{total}人次选课")


def _term(ctx, school, keep, acting_user):
    from mofang.governance.institutions.selectors import whitelisted_institutions

    now, today = timezone.now(), timezone.localdate()
    term = services.create_term(
        school,
        name=_term_name(today),
        starts_on=today - dt.timedelta(days=42),
        ends_on=today + dt.timedelta(days=56),
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=7),
        max_courses=2,
        acting_user=acting_user,
    )
    teachers = [s for s in Staff.objects.filter(org__path__startswith=school.path).order_by("pk") if s.pk not in keep]
    institution = whitelisted_institutions(school, term.starts_on).order_by("pk").first()
    n_students = Student.objects.filter(school=school).count()
    courses = []
    for i, (name, weekday, (p1, p2), place, desc) in enumerate(COURSES[: max(4, min(len(COURSES), len(teachers)))]):
        by_institution = name == "围棋" and institution is not None
        teacher = None if by_institution or not teachers else teachers[i % len(teachers)]
        if teacher is None and not by_institution:
            continue
        courses.append(
            services.publish_course(
                term,
                name=name,
                weekday=weekday,
                period_from=p1,
                period_to=p2,
                place=place,
                description=desc,
                capacity=max(15, n_students // 5),
                teacher=teacher,
                institution=institution if by_institution else None,
                fee=300 if by_institution else 0,
                grade_from=1,
                grade_to=6,
                acting_user=acting_user,
            )
        )
    return term, courses


def _select(ctx, term, courses, untouched) -> int:
    """Most children choose one or two non-clashing courses, first come first served (bulk: demo data)."""
    rng = ctx.rng
    taken = {c.pk: 0 for c in courses}
    rows = []
    for student_id in Student.objects.filter(school=term.school).order_by("pk").values_list("pk", flat=True):
        if student_id in untouched or rng.random() > 0.88:
            continue
        held: list = []
        for c in rng.sample(courses, len(courses)):
            if len(held) >= rng.choice((1, 2, 2)) or taken[c.pk] >= c.capacity:
                continue
            slot = engine.Slot(c.weekday, c.period_from, c.period_to)
            if engine.refusal(slot, held, term.max_courses) is None:
                held.append((c.name, slot))
                taken[c.pk] += 1
                rows.append(Selection(term=term, course=c, student_id=student_id, status=SelectionStatus.CONFIRMED))
    Selection.objects.bulk_create(rows)
    for c in courses:
        Course.objects.filter(pk=c.pk).update(taken=taken[c.pk])
    return len(rows)


def _hold_sessions(ctx, courses) -> None:
    """This month's sessions so far were held and their roll calls submitted (credits this month only:
    last month's statements are already out)."""
    today = timezone.localdate()
    # the last two weeks of this month (enough for the story; keeps the builder fast)
    start = max(today.replace(day=1), today - dt.timedelta(days=13), courses[0].term.starts_on) if courses else today
    for c in courses:
        day = start
        while day <= today:
            if day.isoweekday() == c.weekday:
                session = services.open_session(c, day, acting_user=None)
                roster = list(services.roster(c).values_list("pk", flat=True))
                absent = [pk for pk in roster if ctx.rng.random() < 0.03]
                services.submit_roll_call(session, absent_ids=absent, acting_user=None)
            day += dt.timedelta(days=1)


def _survey(ctx, term) -> None:
    rng = ctx.rng
    ids = sorted(
        set(Selection.objects.filter(term=term, status=SelectionStatus.CONFIRMED).values_list("student_id", flat=True))
    )
    answers = []
    for student_id in ids:
        if rng.random() < 0.6:
            r = rng.random()
            rating = Rating.VERY if r < 0.72 else Rating.SATISFIED if r < 0.98 else Rating.NEUTRAL
            answers.append(SurveyResponse(term=term, student_id=student_id, rating=rating))
    SurveyResponse.objects.bulk_create(answers)
