"""入学早知道's demo story (registered with the core demo in AppConfig.ready()).

In 常山县 every primary school gets three communities as its 学区, every junior school the
communities of a group of primary schools; plans (classes × class size) for the next three
intakes; and household-registration children born so that the warnings come out as a mix:
each school cycles through targets of about 75% (绿色), 95% (黄色) and 110% (红色). Each
primary school's overflow goes to its neighbour. Open /enrollment/ and search "csxdyxx".
"""

import datetime as dt
import math
from decimal import Decimal

from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import services
from .models import Community, Stage

COUNTY_CODE = "330822"  # 常山县
TARGETS = (Decimal("0.75"), Decimal("0.95"), Decimal("1.10"))
PRIMARY_SIZE, JUNIOR_SIZE = 45, 50
NAMES = ("定阳花园", "天马小区", "紫港社区", "金川新村", "文峰苑", "东鲁家园", "港湾名邸", "柚香府", "青石小区",
         "芳村社区", "白石新城", "何家新村", "同弓小区", "球川社区", "辉埠花园", "招贤新村", "新昌苑", "大桥头小区",
         "城东花园", "城西家园", "南门社区", "北门新村", "湖东小区", "江滨花苑")


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
        by_primary[p] = [(next(names), lng + Decimal(rng.randint(-60, 60)) / 10000,
                          lat + Decimal(rng.randint(-60, 60)) / 10000) for _ in range(3)]
    junior_of = {p: juniors[i * len(juniors) // len(primaries)] if juniors else None for i, p in enumerate(primaries)}
    communities = {}
    for p, items in by_primary.items():
        for name, lng, lat in items:
            communities[name] = services.save_community(
                county, name, address_keywords=f"常山县 {name[:2]}路", primary_schools=[p],
                junior_schools=[junior_of[p]] if junior_of[p] is not None else [],
                longitude=lng.quantize(Decimal("0.000001")), latitude=lat.quantize(Decimal("0.000001")),
                acting_user=actor, refresh=False)

    # plans and children: the children of each school's 学区 come to about target × seats
    children, seq = [], 0
    for stage, group, size in ((Stage.PRIMARY, primaries, PRIMARY_SIZE), (Stage.JUNIOR, juniors, JUNIOR_SIZE)):
        for i, school in enumerate(group):
            served = [communities[n] for p, items in by_primary.items() for n, _, _ in items
                      if (p == school if stage == Stage.PRIMARY else junior_of[p] == school)]
            if not served:
                continue
            for k, year in enumerate(years):
                classes = rng.randint(2, 6) if stage == Stage.PRIMARY else rng.randint(4, 10)
                services.set_intake_plan(school, year, stage, classes=classes, class_size=size, acting_user=actor,
                                         refresh=False)
                want = math.ceil(TARGETS[(i + k) % len(TARGETS)] * classes * size)
                for birth in _birthdays(rng, stage, year, want):
                    seq += 1
                    children.append({"record_no": f"GA{COUNTY_CODE}{seq:07d}", "birth_date": birth,
                                     "community": rng.choice(served), "registration": "household"})
    services.add_household_children(county, children, acting_user=actor, refresh=False)
    for a, b in zip(primaries, primaries[1:] + primaries[:1]):
        if a != b:
            services.set_overflow(a, b, f"学位不足时统筹安排至{b.name}", acting_user=actor)
    n = services.refresh_warnings(county)
    ctx.log(f"入学早知道：常山县{len(communities)}个学区小区、{len(children)}名适龄儿童、{n}条入学预警")
