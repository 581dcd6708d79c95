"""综合素质评价's demo story (registered with the core demo in AppConfig.ready()).

In 常山县 (330822) every pupil of this term has a 德 record, about 60% an approved 运动技能 record
and about 45% an approved 艺术特长 record, so the county's 达标率 page has figures for each school.
At 常山县第一小学 the story:
- parent_cs1's child (the story class, head_cs1's) has an approved 运动技能 record with a photo, a
  美 record awaiting head_cs1's review, and a 劳 record returned with a reason for the parent to fix;
  a few classmates' records wait for review too;
- another class of the school is on 公示 (ends in a few working days) with one open objection for
  the school (principal_cs1, academic_cs1) to resolve;
- a third class's last term was publicized and archived (read-only);
- fitness results and after-school courses of the school come in as records through the pull
  service (run at the end of the demo, after 课后服务's demo has chosen courses).
"""

import base64
import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import RollStatus, Student
from mofang.platform.workdays.calendar import add_working_days

from . import services
from .models import Dimension, Evidence, Kind, Objection, Publicity, PublicityStatus, Record, Source, Status, term_of

STORY_COUNTY = "330822"
CS1_CODE = "3308220001"
SPORTS = ("学会游泳（蛙泳50米）", "跳绳一分钟160次", "篮球运球上篮", "足球颠球30个", "乒乓球正手攻球", "武术基本功")
ARTS = ("钢琴考级四级", "儿童画作品参加县展", "书法（楷书）", "合唱团声部成员", "民族舞表演", "竹笛独奏")
MORALS = ("担任班级图书管理员", "主动帮助同学", "文明礼仪示范生", "升旗仪式护旗手")
LABOURS = ("每天整理书包和房间", "参加社区垃圾分类宣传", "学做家常菜", "班级劳动值日")
# a 1×1 PNG as the story's photo of evidence
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _rec(st, year, term, dimension, kind, title, day, status=Status.APPROVED, source=Source.PARENT, **kw):
    return Record(
        student=st,
        school_id=st.school_id,
        klass_id=st.klass_id,
        grade=st.grade,
        school_year=year,
        term=term,
        dimension=dimension,
        kind=kind,
        title=title,
        occurred_on=day,
        source=source,
        status=status,
        **kw,
    )


def build(ctx) -> None:
    county = OrgUnit.objects.filter(code=STORY_COUNTY, kind=OrgKind.COUNTY).first()
    if county is None or Record.objects.filter(school__path__startswith=county.path).exists():
        return
    rng = ctx.rng
    today = timezone.localdate()
    year, term = term_of(today)
    start = services.term_start(year, term)
    span = max((today - start).days, 1)
    parent = ctx.users.get("parent_cs1")
    head = ctx.users.get("head_cs1")
    story_children = list(Student.objects.filter(guardianships__guardian__user=parent)) if parent else []
    story_class = story_children[0].klass if story_children else None
    pupils = list(
        Student.objects.filter(
            school__path__startswith=county.path, status=RollStatus.ENROLLED, grade__gte=1, grade__lte=12
        ).order_by("pk")
    )
    rows = []
    for st in pupils:
        if story_class is not None and st.klass_id == story_class.pk:
            continue  # the story class below, record by record
        day = start + dt.timedelta(days=rng.randrange(span))
        rows.append(_rec(st, year, term, Dimension.MORAL, Kind.GENERAL, rng.choice(MORALS), day, source=Source.TEACHER))
        if rng.random() < 0.6:
            rows.append(_rec(st, year, term, Dimension.PHYSICAL, Kind.SPORTS_SKILL, rng.choice(SPORTS), day))
        if rng.random() < 0.45:
            rows.append(_rec(st, year, term, Dimension.AESTHETIC, Kind.ART_SKILL, rng.choice(ARTS), day))
    Record.objects.bulk_create(rows, batch_size=2000)
    if story_class is not None:
        _story_class(ctx, story_class, story_children, head, year, term, start, today)
    cs1 = story_class.school if story_class is not None else None
    if cs1 is not None:
        _publicity_class(ctx, cs1, story_class, year, term, today)
        _archived_class(ctx, cs1, story_class, year, term)
        # fitness and 课后服务 have built their demo rows first (registered with after=)
        counts = services.pull_term(cs1, year, term, acting_user=ctx.users.get("academic_cs1"))
        ctx.log(f"综合素质评价：{cs1.name}转入体测与课后服务记录{counts['created']}条")
    ctx.log(f"综合素质评价：常山县{len(pupils)}名学生，记录{Record.objects.count()}条")


def _story_class(ctx, klass, children, head, year, term, start, today) -> None:
    rng = ctx.rng
    child = children[0]
    yesterday = max(today - dt.timedelta(days=1), start)
    swim = _rec(child, year, term, Dimension.PHYSICAL, Kind.SPORTS_SKILL, "学会游泳（蛙泳50米）", yesterday)
    swim.description, swim.reviewed_by, swim.reviewed_at = (
        "暑假在县游泳馆学会蛙泳，能连续游50米。",
        head,
        timezone.now(),
    )
    swim.entered_by = ctx.users.get("parent_cs1")
    swim.save()
    Evidence.objects.create(
        record=swim,
        file=ContentFile(PNG, name="swim.png"),
        name="游泳结业证书.png",
        content_type="image/png",
        size=len(PNG),
    )
    art = _rec(
        child, year, term, Dimension.AESTHETIC, Kind.ART_SKILL, "儿童画《我的家乡》", yesterday, Status.SUBMITTED
    )
    art.description, art.entered_by = "参加学校美术兴趣小组创作。", ctx.users.get("parent_cs1")
    art.save()
    chore = _rec(child, year, term, Dimension.LABOUR, Kind.GENERAL, "做家务", yesterday, Status.RETURNED)
    chore.return_reason, chore.reviewed_by = "请写明做了哪些家务、坚持了多久，并附照片", head
    chore.entered_by = ctx.users.get("parent_cs1")
    chore.save()
    mates = list(Student.objects.filter(klass=klass, status=RollStatus.ENROLLED).exclude(pk=child.pk).order_by("pk"))
    rows = []
    for i, st in enumerate(mates):
        day = start + dt.timedelta(days=rng.randrange(max((today - start).days, 1)))
        rows.append(_rec(st, year, term, Dimension.MORAL, Kind.GENERAL, rng.choice(MORALS), day, source=Source.TEACHER))
        if i % 3 != 2:
            rows.append(_rec(st, year, term, Dimension.PHYSICAL, Kind.SPORTS_SKILL, rng.choice(SPORTS), day))
        if i % 2 == 0:
            status = Status.SUBMITTED if i < 6 else Status.APPROVED
            rows.append(_rec(st, year, term, Dimension.AESTHETIC, Kind.ART_SKILL, rng.choice(ARTS), day, status))
    Record.objects.bulk_create(rows)


def _other_class(school, story_class, nth: int):
    classes = list(
        OrgUnit.objects.filter(path__startswith=school.path, kind=OrgKind.CLASS)
        .exclude(pk=story_class.pk)
        .order_by("path")
    )
    return classes[nth] if len(classes) > nth else None


def _publicity_class(ctx, school, story_class, year, term, today) -> None:
    klass = _other_class(school, story_class, 0)
    if klass is None:
        return
    start = today - dt.timedelta(days=1)
    p = Publicity.objects.create(
        school=school,
        klass=klass,
        school_year=year,
        term=term,
        starts_on=start,
        ends_on=add_working_days(start, services.PUBLICITY_WORKING_DAYS, klass),
        started_by=ctx.users.get("academic_cs1"),
    )
    disputed = Record.objects.filter(klass=klass, school_year=year, term=term, kind=Kind.SPORTS_SKILL).first()
    if disputed is not None:
        Objection.objects.create(
            publicity=p, record=disputed, reason="该生本学期未参加学校游泳或相关训练，请核实证明材料。"
        )


def _archived_class(ctx, school, story_class, year, term) -> None:
    """A class's previous term, publicized and archived: read-only."""
    klass = _other_class(school, story_class, 1)
    if klass is None:
        return
    before = (year, 1) if term == 2 else (year - 1, 2)
    rows = []
    for st in Student.objects.filter(klass=klass, status=RollStatus.ENROLLED).order_by("pk"):
        day = services.term_start(*before) + dt.timedelta(days=30)
        rows.append(_rec(st, *before, Dimension.MORAL, Kind.GENERAL, ctx.rng.choice(MORALS), day, Status.ARCHIVED))
        rows.append(_rec(st, *before, Dimension.LABOUR, Kind.GENERAL, ctx.rng.choice(LABOURS), day, Status.ARCHIVED))
    Record.objects.bulk_create(rows)
    ends = services.term_end(*before) - dt.timedelta(days=20)
    Publicity.objects.create(
        school=school,
        klass=klass,
        school_year=before[0],
        term=before[1],
        starts_on=ends - dt.timedelta(days=9),
        ends_on=ends,
        status=PublicityStatus.ARCHIVED,
        archived_at=timezone.now() - dt.timedelta(days=100),
        archived_by=ctx.users.get("principal_cs1"),
    )
