"""教师发展's demo story (registered with the core demo in AppConfig.ready(); runs after the time
bank's, whose 代课/托管 records it reads).

常山县 sets the default rules (from 1 January last year). Teachers of 常山县第一小学 and a few other
常山县 schools get imported records for last year and this year (教学工作量 each term, 继续教育,
家访, 公开课, some awards), so the school and county rankings and each teacher's value-added
view have figures. 毛玉梅 (maoyumei) has been 教坛新苗 for three years, had 40+ points last year and
80 training hours in this cycle: 教坛新秀 is open to her on 成长阶梯. teacher_cs1b applied for
教坛新苗 and the school recommended it: the case waits for admin_cs to recognise it. A county
名师工作室 (小学数学) is hosted at 常山县第一小学 with members, activities and outputs.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.cases import services as cases
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Staff, StaffCategory

from . import services
from .models import Category, LadderApplication, Studio

STORY_COUNTY = "330822"
CS1_CODE = "3308220001"
OTHER_SCHOOLS = 4
TITLES = {
    Category.HOME_VISIT: ["学生家访", "留守儿童家访", "学困生家访"],
    Category.PUBLIC_LESSON: ["校级公开课", "县级公开课", "送教下乡示范课"],
    Category.AWARD_COUNTY: ["县优质课评比一等奖", "县教学论文评比二等奖"],
    Category.AWARD_CITY: ["市优质课评比二等奖"],
}


def _actor(user, perm, org):
    return user if user is not None and has_perm_at(user, perm, org) else None


def _records(rng, staff, school, year: int, today: dt.date, n0: int, story: bool = False) -> list:
    """A teacher's year: a term's teaching load twice, training, visits, lessons, maybe an award."""
    out: list[services.Activity] = []

    def add(category, day, quantity, title):
        if day <= today:
            out.append(
                services.Activity(
                    school_id=school.pk,
                    staff_id=staff.pk,
                    record_no=f"DEMO-JF-{staff.pk}-{year}-{n0 + len(out):03d}",
                    category=category,
                    date=day,
                    quantity=Decimal(quantity),
                    title=title,
                )
            )

    add(Category.TEACHING_LOAD, dt.date(year, 1, 20), rng.randint(220, 300), f"{year - 1}学年第一学期教学工作量")
    add(Category.TEACHING_LOAD, dt.date(year, 7, 5), rng.randint(220, 300), f"{year - 1}学年第二学期教学工作量")
    add(
        Category.TRAINING,
        dt.date(year, 8, rng.randint(1, 25)),
        40 if story else rng.choice([24, 32, 40, 48]),
        "暑期全员培训",
    )
    for _ in range(rng.randint(2, 6)):
        add(
            Category.HOME_VISIT,
            dt.date(year, rng.choice([3, 4, 5, 9, 10, 11]), rng.randint(1, 28)),
            1,
            rng.choice(TITLES[Category.HOME_VISIT]),
        )
    for _ in range(rng.randint(0, 3) if not story else 2):
        add(
            Category.PUBLIC_LESSON,
            dt.date(year, rng.choice([4, 5, 10, 11]), rng.randint(1, 28)),
            1,
            rng.choice(TITLES[Category.PUBLIC_LESSON]),
        )
    if story or rng.random() < 0.25:
        add(Category.AWARD_COUNTY, dt.date(year, 6, rng.randint(1, 28)), 1, rng.choice(TITLES[Category.AWARD_COUNTY]))
    if rng.random() < 0.08:
        add(Category.AWARD_CITY, dt.date(year, 11, rng.randint(1, 28)), 1, TITLES[Category.AWARD_CITY][0])
    return out


def build(ctx) -> None:
    county = OrgUnit.objects.filter(code=STORY_COUNTY, kind=OrgKind.COUNTY).first()
    if county is None or Studio.objects.filter(school__path__startswith=county.path).exists():
        return
    rng, users, staff = ctx.rng, ctx.users, ctx.staff
    today = timezone.localdate()
    admin = users.get("admin_cs")
    services.ensure_default_rules(
        county,
        effective_from=dt.date(today.year - 1, 1, 1),
        acting_user=_actor(admin, "teacher_dev.manage_rules", county),
    )
    mao = staff.get("maoyumei")
    cs1 = mao.org.school if mao is not None else OrgUnit.objects.filter(code=CS1_CODE).first()
    if cs1 is None:
        ctx.log("教师发展：未找到常山县第一小学，跳过")
        return
    others = [s for s in ctx.schools if s.pk != cs1.pk and s.kind == OrgKind.SCHOOL and s.path.startswith(county.path)]
    schools = [cs1, *rng.sample(others, min(OTHER_SCHOOLS, len(others)))]
    rows: list[services.Activity] = []
    for school in schools:
        teachers = Staff.objects.filter(org__path__startswith=school.path, category=StaffCategory.TEACHER).order_by(
            "pk"
        )
        for t in teachers:
            story = mao is not None and t.pk == mao.pk
            for year in (today.year - 1, today.year):
                rows += _records(rng, t, school, year, today, len(rows), story=story)
    if mao is not None:  # the training of this cycle's first years (2024—2028)
        for n, year in enumerate((today.year - 2,), start=1):
            rows.append(
                services.Activity(
                    cs1.pk,
                    mao.pk,
                    f"DEMO-JF-{mao.pk}-PX{n}",
                    Category.TRAINING,
                    dt.date(year, 8, 10),
                    Decimal("40"),
                    "县级骨干教师研修",
                )
            )
    importer = _actor(users.get("academic_cs1"), "teacher_dev.import_records", cs1)
    created, _ = services.save_activities(rows, acting_user=importer)

    levels = {lv.rank: lv for lv in services.ensure_levels()}
    recognizer = _actor(admin, "teacher_dev.recognize_ladder", cs1)
    if mao is not None:
        services.record_recognition(
            mao, levels[1], recognized_on=today.replace(year=today.year - 3, day=1), acting_user=recognizer
        )
    colleague = staff.get("teacher_cs1b")
    if (
        colleague is not None
        and colleague.user is not None
        and not LadderApplication.objects.filter(staff=colleague).exists()
    ):
        app = services.apply_for_level(
            colleague, levels[1], statement="任教满一年，师德考核合格，承担一年级数学教学。", acting_user=colleague.user
        )
        principal = users.get("principal_cs1")
        if principal is not None and has_perm_at(principal, "teacher_dev.recommend_ladder", cs1):
            cases.fire(app.case, "recommend", acting_user=principal, comment="同意推荐")

    host = mao or Staff.objects.filter(org__path__startswith=cs1.path).order_by("pk").first()
    if host is None:
        return
    manager = _actor(admin, "teacher_dev.manage_studio", cs1)
    founded = today.replace(year=today.year - 1, month=3, day=1)
    studio = services.create_studio(
        name="常山县小学数学名师工作室", subject="小学数学", host=host, founded_on=founded, acting_user=manager
    )
    members = list(
        Staff.objects.filter(org__path__startswith=county.path, category=StaffCategory.TEACHER)
        .exclude(pk=host.pk)
        .order_by("pk")[:40]
    )
    for t in rng.sample(members, min(6, len(members))):
        services.add_member(studio, t, role="学员", joined_on=founded, acting_user=manager)
    for day, kind, title, place, n in (
        (founded.replace(month=4, day=12), "研修", "“双减”背景下的作业设计", "常山县第一小学", 18),
        (founded.replace(month=10, day=20), "送教下乡", "送教到乡镇小学：图形与几何", "常山县乡镇小学", 35),
        (today.replace(month=3, day=16), "公开课", "工作室成员同课异构", "常山县第一小学", 24),
        (today.replace(month=5, day=8), "讲座", "大单元教学设计的实践", "县教师发展中心", 60),
    ):
        if day <= today:
            services.add_activity(
                studio, date=day, kind=kind, title=title, place=place, participants=n, acting_user=manager
            )
    for day, kind, title in (
        (founded.replace(month=12, day=1), "论文", "小学数学分层作业设计的实践研究"),
        (today.replace(month=6, day=20), "课例", "《认识钟表》教学课例"),
        (today.replace(month=9, day=1), "课题", "县级课题：农村小学数学大单元教学"),
    ):
        if day <= today:
            services.add_output(studio, date=day, kind=kind, title=title, author=host, acting_user=manager)
    ctx.log(f"教师发展：{len(schools)}所学校导入积分记录{created}条，名师工作室1个")
