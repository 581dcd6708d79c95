"""入学早知道's demo story (registered with the core demo in AppConfig.ready()).

In 常山县 every primary school gets three communities as its 学区, every junior school the
communities of a group of primary schools; plans (classes × class size) for the next three
intakes; and household-registration children born so that the warnings come out as a mix:
each school cycles through targets of about 75% (绿色), 95% (黄色) and 110% (红色). Each
primary school's overflow goes to its neighbour. Open /enrollment/ and search "csxdyxx".

Then the next intake, start to finish: three 招生类别, a few hundred registrations across the
public primary schools (the one with the fewest seats oversubscribed; twins registered together, elder
siblings at the school, a private choice when the county has a private primary school — the
scale-1 province has none in 常山县), and a draw created, seeded, run and published, so the draw
pages, the public 派位公示 page and 我的报名 show real results. The demo parent parent_cs1
registers the younger child (elder sibling at 常山县第一小学, 户籍与房产 in its 学区: 第一类 with
长幼随学, so admitted whatever the seed). A 公证员 login (notary_cs) at 常山县 is the one who
enters the seed on the draw page: the same year's 小升初 draw is created and waits for it (a to-do).
"""

import datetime as dt
import itertools
import math
from decimal import Decimal

from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.demo.names import SURNAMES, NamePicker
from mofang.platform.demo.registry import DemoLogin, register_demo_login
from mofang.platform.demo.story import add_module_login
from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership
from mofang.platform.people.identity import id_check_digit
from mofang.platform.people.models import Guardianship, RollStatus, Student

from . import draws, priority, registration, services
from .models import Community, IntakePlan, Registration, RegistrationType, ResidenceProof, Stage

COUNTY_CODE = "330822"  # 常山县
TARGETS = (Decimal("0.75"), Decimal("0.95"), Decimal("1.10"))
PRIMARY_SIZE, JUNIOR_SIZE = 45, 50
NAMES = (
    "定阳花园",
    "天马小区",
    "紫港社区",
    "金川新村",
    "文峰苑",
    "东鲁家园",
    "港湾名邸",
    "柚香府",
    "青石小区",
    "芳村社区",
    "白石新城",
    "何家新村",
    "同弓小区",
    "球川社区",
    "辉埠花园",
    "招贤新村",
    "新昌苑",
    "大桥头小区",
    "城东花园",
    "城西家园",
    "南门社区",
    "北门新村",
    "湖东小区",
    "江滨花苑",
)


NOTARY = DemoLogin(
    "notary_cs",
    "notary",
    "公证员",
    "常山县",
    "电脑派位：待办里的小升初派位等待种子，公开摇出8位数字后录入两次（录入即公示、不可修改）",
)
register_demo_login(NOTARY)

CATEGORIES = [
    {"name": "第一类：户籍与房产均在学区", "conditions": {"household_in_district": True, "property_in_district": True}},
    {"name": "第二类：户籍在学区", "conditions": {"household_in_district": True}},
    {"name": "第三类：随迁子女、居住在学区", "conditions": {"in_district": True}},
]
# registrations ÷ next year's seats: the school with the fewest seats is oversubscribed (its 第三类
# applicants are partly 未录取), the others get a share; a few hundred in all keeps the build quick
OVERSUBSCRIBED, SHARE = Decimal("1.12"), Decimal("0.30")
TWINS, SIBLING, PRIVATE_CHOICE = 0.03, 0.12, 0.15
PHONE_PREFIX = "147"  # not one the core generator gives out: the demo parents' phones never clash


def _center(school) -> tuple[Decimal, Decimal]:
    if school.longitude is not None and school.latitude is not None:
        return school.longitude, school.latitude
    return Decimal("118.511"), Decimal("28.901")


def _birthdays(rng, stage: str, year: int, n: int) -> list[dt.date]:
    start, end = services.cohort_range(stage, year)
    span = (end - start).days
    return [start + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(n)]


def build(ctx) -> None:
    county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, code=COUNTY_CODE).first()
    if county is None or Community.objects.filter(county=county).exists():
        ctx.log("入学早知道：未找到常山县或已生成，跳过")
        return
    rng = ctx.rng
    actor = ctx.users.get("admin_cs")
    schools = [s for s in ctx.schools if s.kind == OrgKind.SCHOOL and s.path.startswith(county.path)]
    primaries = sorted((s for s in schools if Stage.PRIMARY in services.stages_of(s)), key=lambda s: s.code)
    juniors = sorted((s for s in schools if Stage.JUNIOR in services.stages_of(s)), key=lambda s: s.code)
    if not primaries:
        ctx.log("入学早知道：常山县没有小学，跳过")
        return
    years = services.intake_years()

    # 学区: three communities per primary school; junior schools share the primaries' communities out
    names = iter(f"{n}{'' if i == 0 else i + 1}" for i in range(10) for n in NAMES)
    by_primary = {}
    for p in primaries:
        lng, lat = _center(p)
        by_primary[p] = [
            (next(names), lng + Decimal(rng.randint(-60, 60)) / 10000, lat + Decimal(rng.randint(-60, 60)) / 10000)
            for _ in range(3)
        ]
    junior_of = {p: juniors[i * len(juniors) // len(primaries)] if juniors else None for i, p in enumerate(primaries)}
    communities = {}
    for p, items in by_primary.items():
        for name, lng, lat in items:
            communities[name] = services.save_community(
                county,
                name,
                address_keywords=f"常山县 {name[:2]}路",
                primary_schools=[p],
                junior_schools=[junior_of[p]] if junior_of[p] is not None else [],
                longitude=lng.quantize(Decimal("0.000001")),
                latitude=lat.quantize(Decimal("0.000001")),
                acting_user=actor,
                refresh=False,
            )

    # plans and children: the children of each school's 学区 come to about target × seats
    children, seq = [], 0
    for stage, group, size in ((Stage.PRIMARY, primaries, PRIMARY_SIZE), (Stage.JUNIOR, juniors, JUNIOR_SIZE)):
        for i, school in enumerate(group):
            served = [
                communities[n]
                for p, items in by_primary.items()
                for n, _, _ in items
                if (p == school if stage == Stage.PRIMARY else junior_of[p] == school)
            ]
            if not served:
                continue
            for k, year in enumerate(years):
                classes = rng.randint(2, 6) if stage == Stage.PRIMARY else rng.randint(4, 10)
                services.set_intake_plan(
                    school, year, stage, classes=classes, class_size=size, acting_user=actor, refresh=False
                )
                want = math.ceil(TARGETS[(i + k) % len(TARGETS)] * classes * size)
                for birth in _birthdays(rng, stage, year, want):
                    seq += 1
                    children.append(
                        {
                            "record_no": f"GA{COUNTY_CODE}{seq:07d}",
                            "birth_date": birth,
                            "community": rng.choice(served),
                            "registration": "household",
                        }
                    )
    services.add_household_children(county, children, acting_user=actor, refresh=False)
    for a, b in zip(primaries, primaries[1:] + primaries[:1]):
        if a != b:
            services.set_overflow(a, b, f"学位不足时统筹安排至{b.name}", acting_user=actor)
    n = services.refresh_warnings(county)
    ctx.log(f"入学早知道：常山县{len(communities)}个学区小区、{len(children)}名适龄儿童、{n}条入学预警")

    notary_sex = rng.choice("MF")
    add_module_login(ctx, NOTARY.username, county, NamePicker(rng).adult(notary_sex))
    served_by = {p: [communities[name] for name, _, _ in items] for p, items in by_primary.items()}
    _next_intake(ctx, county, [p for p in primaries if p.ownership != Ownership.PRIVATE], served_by, actor)


class _ChildIds:
    """Valid GB 11643 numbers of 常山县 children, unique within the demo (the sequence code counts
    up per birth date and sex; its last digit is odd for boys)."""

    def __init__(self):
        self.next = {}

    def issue(self, birth: dt.date, sex: str) -> str:
        order = self.next.get((birth, sex), 1 if sex == "M" else 2)
        self.next[(birth, sex)] = order + 2
        first17 = f"{COUNTY_CODE}{birth:%Y%m%d}{order:03d}"
        return first17 + id_check_digit(first17)


def _surname(name: str) -> str:
    return max((s for s, _ in SURNAMES if name.startswith(s)), key=len, default=name[:1])


def _proof(rng, kind: str, year: int) -> str:
    if kind == ResidenceProof.PROPERTY:
        return f"浙({year - rng.randint(2, 10)})常山县不动产权第{rng.randrange(10**7):07d}号"
    return f"常山租赁备案{rng.randrange(10**8):08d}"


def _next_intake(ctx, county, public: list[OrgUnit], served: dict, actor) -> None:
    """招生类别, registrations and a published draw for the county's next intake."""
    rng = ctx.rng
    year = registration.registration_year()
    priority.set_categories(county, year, CATEGORIES, acting_user=actor)
    if not public:
        return
    picker, ids = NamePicker(rng), _ChildIds()
    private = list(registration.private_schools_of(county))
    seats = {p.school_id: p.seats for p in IntakePlan.objects.filter(school__in=public, year=year, stage=Stage.PRIMARY)}
    start, end = services.cohort_range(Stage.PRIMARY, year)
    span = (end - start).days
    phones = (f"{PHONE_PREFIX}{n:08d}" for n in itertools.count(1))

    def register(owner, school, community, kind, proof, children, sibling=None, private_school=None):
        registration.submit_registration(
            owner=owner,
            children=children,
            community=community,
            registration_type=kind,
            address=f"{community.name}{rng.randint(1, 30)}幢{rng.randint(1, 6)}0{rng.randint(1, 4)}室",
            residence_proof=proof,
            proof_no=_proof(rng, proof, year) if proof != ResidenceProof.NONE else "",
            public_school=school,
            private_school=private_school,
            sibling_school=school if sibling else None,
            sibling_student_no=sibling or "",
            acting_user=owner,
        )

    # the demo parent: the younger child of the first-grader at the story school
    parent = ctx.users.get("parent_cs1")
    link = (
        (
            Guardianship.objects.filter(guardian__user=parent)
            .select_related("student__school")
            .order_by("student__student_no")
            .first()
        )
        if parent is not None
        else None
    )
    if link is not None and link.student.school in served:
        elder = link.student
        sex = rng.choice("MF")
        birth = start + dt.timedelta(days=rng.randrange(span + 1))
        register(
            parent,
            elder.school,
            rng.choice(served[elder.school]),
            RegistrationType.HOUSEHOLD,
            ResidenceProof.PROPERTY,
            [{"name": picker.child(sex, _surname(elder.name)), "id_number": ids.issue(birth, sex)}],
            sibling=elder.student_no,
        )

    total = 0
    smallest = min(public, key=lambda p: (seats.get(p.pk, 0), p.code))
    for school in public:
        want = int(seats.get(school.pk, 0) * (OVERSUBSCRIBED if school == smallest else SHARE))
        elders = list(
            Student.objects.filter(school=school, status=RollStatus.ENROLLED)
            .order_by("student_no")
            .values_list("student_no", flat=True)[:200]
        )
        made = Registration.objects.filter(public_school=school, year=year).count()
        while made < want:
            n = 2 if rng.random() < TWINS and want - made >= 2 else 1
            birth = start + dt.timedelta(days=rng.randrange(span + 1))
            surname = picker.surname()
            sexes = [rng.choice("MF") for _ in range(n)]
            children = [{"name": picker.child(sx, surname), "id_number": ids.issue(birth, sx)} for sx in sexes]
            r = rng.random()
            kind, proof = (
                (RegistrationType.HOUSEHOLD, ResidenceProof.PROPERTY)
                if r < 0.45
                else (RegistrationType.HOUSEHOLD, rng.choice((ResidenceProof.RENT, ResidenceProof.NONE)))
                if r < 0.75
                else (RegistrationType.RESIDENCE_PERMIT, ResidenceProof.RENT)
            )
            sibling = None
            if rng.random() < SIBLING:  # an elder child on the school's roll (or a made-up 学籍号 without one)
                sibling = rng.choice(elders) if elders else f"G{school.code}{rng.randrange(10**5):05d}"
            choice = rng.choice(private) if private and rng.random() < PRIVATE_CHOICE else None
            register(
                parent_user_for(next(phones)),
                school,
                rng.choice(served[school]),
                kind,
                proof,
                children,
                sibling,
                choice,
            )
            made += n
        total += made

    # multiple_group keys are random uuids: renumber them in registration order so that the draw's
    # input (and its hash) is the same for the same --seed
    regs = list(
        Registration.objects.filter(community__county=county, year=year).exclude(multiple_group="").order_by("pk")
    )
    keys: dict[str, str] = {}
    for reg in regs:
        reg.multiple_group = keys.setdefault(reg.multiple_group, f"{COUNTY_CODE}{year}T{len(keys) + 1:04d}")
    Registration.objects.bulk_update(regs, ["multiple_group"])

    d = draws.create_draw(county, year, acting_user=None)
    d = draws.enter_seed(d, f"{rng.randrange(10**8):08d}", acting_user=None)
    d = draws.run_draw(d, acting_user=None)
    d = draws.publish_draw(d, acting_user=None)
    told = draws.notify_parents(d)
    admitted = d.admissions.exclude(school=None).count()
    # the next 小升初 draw, created and waiting for the notary (notary_cs's 我的待办); no rng, so
    # every other demo figure stays the same
    draws.create_draw(county, year, stage=Stage.JUNIOR, acting_user=None)
    ctx.log(
        f"入学早知道：{year}年{len(CATEGORIES)}个招生类别、{total}份报名（{len(keys)}对多孩），"
        f"电脑派位已公布：录取{admitted}人、未录取{total - admitted}人，已通知{told}位家长"
        + ("" if private else "；常山县没有民办小学，报名不含民办志愿")
    )
