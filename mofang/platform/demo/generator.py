"""The demo province (SPEC §1.10): 浙江省 with its real cities and counties, schools, classes,
students, staff and guardians, sized by `scale` and repeatable from `seed`.

Everything is inserted with bulk_create. Tree nodes get their treebeard materialised paths here
(parent path + 4-character base-36 step, depth, numchild) because add_child() costs several
queries per node and a benchmark province has hundreds of thousands of nodes.

Each county draws from its own Random (seeded with seed and county code), so the counties do not
depend on each other's draws; the story (常山县第一小学, 毛玉梅 and the demo logins) exists at
every scale.
"""

import csv
import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from mofang.platform.orgs import boundaries
from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType

from . import names
from .names import chinese_ordinal
from .people import PeopleWriter

DEFAULT_SEED = 2026
PROVINCE_CODE = "330000"
PROVINCE_NAME = "浙江省"
STORY_CITY_CODE = "330800"  # 衢州市
STORY_COUNTY_CODE = "330822"  # 常山县
STORY_SCHOOL_CODE = "3308220001"  # 常山县第一小学
STORY_SCHOOL_NAME = "常山县第一小学"
STORY_CLASSES_PER_GRADE = 3

_ORGS_DATA = Path(__file__).resolve().parent.parent / "orgs" / "data"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BATCH = 2000

# The story is set in 衢州; its counties get more schools so that the city and county
# administrators see real-looking work even at the smallest scales.
_COUNTY_WEIGHT = {STORY_COUNTY_CODE: 3.0, "330881": 3.0}  # 常山县, 江山市
_STORY_CITY_WEIGHT = 1.5

# Approximate centres of the 11 cities (longitude, latitude): schools of a county without a shipped
# outline are placed around them (the others inside their county's outline). Not survey data.
_CITY_CENTRE = {
    "3301": (120.15, 30.28),
    "3302": (121.55, 29.87),
    "3303": (120.70, 28.00),
    "3304": (120.75, 30.75),
    "3305": (120.09, 30.89),
    "3306": (120.58, 30.00),
    "3307": (119.65, 29.08),
    "3308": (118.87, 28.94),
    "3309": (122.21, 29.99),
    "3310": (121.42, 28.66),
    "3311": (119.92, 28.45),
}
_ROADS = [
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "文化路",
    "学府路",
    "育才路",
    "新华路",
    "环城路",
    "城南路",
    "府前路",
    "江滨路",
    "迎宾大道",
    "振兴路",
    "和平路",
    "公园路",
]

# The department branch of every county (code suffix, name suffix). 公安 in a 区 is a 分局.
DEPARTMENTS = [
    ("police", "公安局"),
    ("fire", "消防救援大队"),
    ("health", "卫生健康局"),
    ("market", "市场监督管理局"),
    # the approving departments of non-subject training institutions (校外培训分类审批); counties
    # keep sport with culture and tourism in one bureau (文广旅体局)
    ("tech", "科技局"),
    ("culture", "文化和广电旅游体育局"),
]


def department_code(county_code: str, key: str) -> str:
    """Code of a county's department node, e.g. 330822-police for 常山县公安局."""
    return f"{county_code}-{key}"


@dataclass(frozen=True)
class SchoolKind:
    """How one type of school is generated."""

    type: str
    grades: tuple[str, ...]
    first_age: int  # age on 1 September in the first grade
    class_size: tuple[int, int]
    per_unit: float  # schools per county of weight 1 at scale 1
    private_share: float
    pupils_per_staff: float
    female_staff: float
    leaders: tuple[str, ...]  # positions of the leadership, first is the head


_PRIMARY_GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
_NINE_GRADES = _PRIMARY_GRADES + ("七年级", "八年级", "九年级")
SCHOOL_KINDS = [
    SchoolKind(
        SchoolType.PRIMARY,
        _PRIMARY_GRADES,
        6,
        (32, 44),
        1.0,
        0.06,
        17,
        0.75,
        ("校长", "副校长", "教务主任", "德育主任"),
    ),
    SchoolKind(
        SchoolType.KINDERGARTEN,
        ("小班", "中班", "大班"),
        3,
        (22, 32),
        1.0,
        0.4,
        8,
        0.96,
        ("园长", "副园长", "保教主任"),
    ),
    SchoolKind(
        SchoolType.JUNIOR,
        ("七年级", "八年级", "九年级"),
        12,
        (36, 48),
        0.3,
        0.1,
        12.5,
        0.6,
        ("校长", "副校长", "教务主任", "德育主任"),
    ),
    SchoolKind(
        SchoolType.NINE_YEAR,
        _NINE_GRADES,
        6,
        (34, 46),
        0.12,
        0.15,
        14,
        0.68,
        ("校长", "副校长", "教务主任", "德育主任"),
    ),
    SchoolKind(
        SchoolType.SENIOR,
        ("高一", "高二", "高三"),
        15,
        (40, 50),
        0.15,
        0.1,
        12.5,
        0.5,
        ("校长", "副校长", "教务主任", "德育主任"),
    ),
    SchoolKind(
        SchoolType.VOCATIONAL,
        ("一年级", "二年级", "三年级"),
        15,
        (35, 46),
        0.1,
        0.15,
        17,
        0.5,
        ("校长", "副校长", "教务主任", "实训处主任"),
    ),
    SchoolKind(SchoolType.SPECIAL, _NINE_GRADES, 7, (6, 12), 0.05, 0.0, 3, 0.7, ("校长", "副校长")),
]


# --- small helpers ------------------------------------------------------------------------


def _step(n: int) -> str:
    """treebeard's step for the n-th child: base 36 in its alphabet, zero-padded to 4."""
    s = ""
    while n:
        n, r = divmod(n, 36)
        s = _ALPHABET[r] + s
    if len(s) > OrgUnit.steplen:
        raise OverflowError("too many children under one org unit")
    return s.rjust(OrgUnit.steplen, _ALPHABET[0])


def _read_csv(name: str) -> list[dict]:
    with open(_ORGS_DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _place_name(township: str) -> str:
    """天马街道 → 天马, 芳村镇 → 芳村 (school names use the bare place name)."""
    for suffix in ("街道", "镇", "乡"):
        if township.endswith(suffix) and len(township) > len(suffix) + 1:
            return township[: -len(suffix)]
    return township


def school_year_start(today: dt.date) -> int:
    """The school year starts on 1 September: in March 2026 it is the 2025 school year."""
    return today.year if today.month >= 9 else today.year - 1


# --- the build ------------------------------------------------------------------------------


@dataclass
class _School:
    node: OrgUnit
    kind: SchoolKind
    classes: list[tuple[OrgUnit, int]]  # (class node, grade index)
    county_code: str


@dataclass
class _County:
    code: str
    name: str
    city_code: str  # 4 digits
    node: OrgUnit = field(init=False)  # set when the county's tree is built
    rng: random.Random = field(init=False)
    schools: list[_School] = field(default_factory=list)
    departments: dict[str, OrgUnit] = field(default_factory=dict)


@dataclass
class ProvinceBuild:
    """What the generator made: the nodes the story needs and the counts to print."""

    province: OrgUnit
    cities: dict[str, OrgUnit]
    counties: dict[str, OrgUnit]
    departments: dict[str, OrgUnit]  # code → node
    schools: list[OrgUnit]
    story_school: OrgUnit
    story_class: OrgUnit  # 一年级1班
    counts: Counter
    people: PeopleWriter  # for more people in the story, without reusing a number


class _Tree:
    """Org nodes built in memory with their paths, inserted in one bulk afterwards."""

    def __init__(self):
        self.nodes: list[OrgUnit] = []

    def root(self, step: int, **fields) -> OrgUnit:
        node = OrgUnit(path=_step(step), depth=1, numchild=0, **fields)
        self.nodes.append(node)
        return node

    def child(self, parent: OrgUnit, **fields) -> OrgUnit:
        parent.numchild += 1
        node = OrgUnit(path=parent.path + _step(parent.numchild), depth=parent.depth + 1, numchild=0, **fields)
        self.nodes.append(node)
        return node


def _allocate(counties: list[_County], per_unit: float, scale: float) -> dict[str, int]:
    """Spread scale × per_unit × weight schools over the counties with running rounding, so the
    province total grows linearly with the scale and small fractions still add up."""
    out, acc, given = {}, 0.0, 0
    for c in counties:
        acc += scale * per_unit * _weight(c)
        n = int(acc + 0.5) - given
        out[c.code] = n
        given += n
    return out


def _weight(c: _County) -> float:
    if c.code in _COUNTY_WEIGHT:
        return _COUNTY_WEIGHT[c.code]
    return _STORY_CITY_WEIGHT if c.code.startswith(STORY_CITY_CODE[:4]) else 1.0


class _SchoolNamer:
    """Unique, plausible school names for one county and one type of school."""

    def __init__(self, county: _County, kind: SchoolKind, places: list[str]):
        self.county, self.kind, self.places = county.name, kind, places
        self.used: set[str] = set()
        self.n_public = 0
        self.n_private = 0

    def _public_candidates(self):
        t, c = self.kind.type, self.county
        ordinal = {
            SchoolType.PRIMARY: "小学",
            SchoolType.KINDERGARTEN: "幼儿园",
            SchoolType.JUNIOR: "初级中学",
            SchoolType.SENIOR: "中学",
            SchoolType.VOCATIONAL: "职业技术学校",
            SchoolType.SPECIAL: "特殊教育学校",
            SchoolType.NINE_YEAR: "九年制学校",
        }[t]
        if t == SchoolType.VOCATIONAL:
            yield f"{c}职业中等专业学校"
        elif t == SchoolType.SPECIAL:
            yield f"{c}特殊教育学校"
        elif t == SchoolType.NINE_YEAR:
            yield f"{c}实验学校"
        else:
            yield f"{c}第一{ordinal}"
            yield f"{c}实验{ordinal}" if t != SchoolType.SENIOR else f"{c}高级中学"
        places = list(self.places)
        i = 2
        while True:
            if places and t in (SchoolType.PRIMARY, SchoolType.KINDERGARTEN, SchoolType.JUNIOR, SchoolType.NINE_YEAR):
                place = places.pop(0)
                suffix = {
                    SchoolType.PRIMARY: "中心小学",
                    SchoolType.KINDERGARTEN: "中心幼儿园",
                    SchoolType.JUNIOR: "初级中学",
                    SchoolType.NINE_YEAR: "学校",
                }[t]
                yield f"{c}{place}{suffix}"
            yield f"{c}第{chinese_ordinal(i)}{ordinal}"
            i += 1

    def public(self) -> str:
        if self.n_public == 0:
            self._gen = self._public_candidates()
        self.n_public += 1
        for name in self._gen:
            if name not in self.used:
                self.used.add(name)
                return name
        raise AssertionError("unreachable")

    def private(self) -> str:
        brands = names.PRIVATE_BRANDS[self.kind.type] or ["启智"]
        words: dict[str, str] = {
            SchoolType.PRIMARY: "小学",
            SchoolType.KINDERGARTEN: "幼儿园",
            SchoolType.JUNIOR: "初级中学",
            SchoolType.NINE_YEAR: "学校",
            SchoolType.SENIOR: "高级中学",
            SchoolType.VOCATIONAL: "职业学校",
            SchoolType.SPECIAL: "特殊教育学校",
        }
        word = words[self.kind.type]
        self.n_private += 1
        while True:
            brand = brands[(self.n_private - 1) % len(brands)]
            round_ = (self.n_private - 1) // len(brands)
            name = f"{self.county}{brand}{word}"
            if round_:
                name += f"（{chinese_ordinal(round_ + 1)}校区）"
            if name not in self.used:
                self.used.add(name)
                return name
            self.n_private += 1


def _class_name(kind: SchoolKind, grade: str, n: int) -> str:
    if kind.type == SchoolType.KINDERGARTEN:
        return f"{grade[0]}{chinese_ordinal(n)}班"  # 小一班
    if kind.type == SchoolType.VOCATIONAL:
        major = names.VOCATIONAL_MAJORS[(n - 1) % len(names.VOCATIONAL_MAJORS)]
        rounds = (n - 1) // len(names.VOCATIONAL_MAJORS)
        return f"{grade}{major}{rounds + 1 if rounds else ''}班"
    return f"{grade}{n}班"  # 一年级1班, 高一2班


def _build_tree(counties: list[_County], cities: list[dict], scale: float, seed: int) -> tuple[_Tree, dict]:
    tree = _Tree()
    last_root = OrgUnit.objects.get_last_root_node()
    # the alphabet is base 36 in Python's own digits, so int(…, 36) reads a step
    root_step = int(last_root.path[: OrgUnit.steplen], 36) + 1 if last_root else 1
    province = tree.root(root_step, name=PROVINCE_NAME, kind=OrgKind.PROVINCE, code=PROVINCE_CODE)
    city_nodes = {}
    for row in cities:
        city_nodes[row["code"]] = tree.child(province, name=row["name"], kind=OrgKind.CITY, code=row["code"] + "00")

    townships: dict[str, list[str]] = {}
    for row in _read_csv("townships.csv"):
        townships.setdefault(row["areaCode"], []).append(row["name"])

    quotas = {k.type: _allocate(counties, k.per_unit, scale) for k in SCHOOL_KINDS}
    for c in counties:
        c.rng = random.Random(f"mofang-demo:{seed}:{c.code}")
        c.node = tree.child(city_nodes[c.city_code], name=c.name, kind=OrgKind.COUNTY, code=c.code)
        for key, suffix in DEPARTMENTS:
            if key == "police" and c.name.endswith("区"):
                suffix = "公安分局"
            c.departments[key] = tree.child(
                c.node, name=f"{c.name}{suffix}", kind=OrgKind.DEPARTMENT, code=department_code(c.code, key)
            )
        towns = townships.get(c.code, []) or [c.name]
        places = [p for p in map(_place_name, towns) if p != c.name[:-1]]
        c.rng.shuffle(places)
        centre = _CITY_CENTRE[c.city_code]
        outline = boundaries.feature(c.code)  # schools stand inside their county's shipped outline
        seq = 0
        for kind in SCHOOL_KINDS:
            count = quotas[kind.type][c.code]
            is_story = c.code == STORY_COUNTY_CODE and kind.type == SchoolType.PRIMARY
            if is_story:
                count = max(count, 1)
            namer = _SchoolNamer(c, kind, places)
            for i in range(count):
                seq += 1
                if seq > 9999:
                    raise OverflowError("一个区县的学校超过 9999 所，请减小规模")
                private = i > 0 and c.rng.random() < kind.private_share
                name = namer.private() if private else namer.public()
                if is_story and i == 0:
                    assert name == STORY_SCHOOL_NAME, name
                u, v = c.rng.random(), c.rng.random()  # the same two draws as uniform(a, b) made
                x, y = (
                    boundaries.place_inside(outline, u, v)
                    if outline
                    else (centre[0] + 0.7 * u - 0.35, centre[1] + 0.5 * v - 0.25)
                )
                lon, lat = Decimal(f"{x:.6f}"), Decimal(f"{y:.6f}")
                town = towns[c.rng.randrange(len(towns))]
                street = f"{c.rng.choice(_ROADS)}{c.rng.randint(1, 399)}号"
                school = tree.child(
                    c.node,
                    name=name,
                    kind=OrgKind.SCHOOL,
                    code=f"{c.code}{seq:04d}",
                    school_type=kind.type,
                    ownership=Ownership.PRIVATE if private else Ownership.PUBLIC,
                    address=f"浙江省{city_nodes[c.city_code].name}{c.name}{town}{street}",
                    longitude=lon,
                    latitude=lat,
                )
                if is_story and i == 0:
                    per_grade = STORY_CLASSES_PER_GRADE
                elif kind.type == SchoolType.SPECIAL:
                    per_grade = 1
                else:
                    per_grade = c.rng.choices((1, 2, 3, 4), weights=(80, 15, 4, 1))[0]
                classes = []
                for gi, grade_name in enumerate(kind.grades):
                    grade = tree.child(school, name=grade_name, kind=OrgKind.GRADE)
                    for n in range(1, per_grade + 1):
                        klass = tree.child(grade, name=_class_name(kind, grade_name, n), kind=OrgKind.CLASS)
                        classes.append((klass, gi))
                c.schools.append(_School(school, kind, classes, c.code))
    return tree, {"province": province, "cities": city_nodes}


def build_province(
    *, scale: float = 1.0, seed: int = DEFAULT_SEED, today: dt.date | None = None, log=print
) -> ProvinceBuild:
    """Insert the province. The caller owns the transaction (the demo command wraps it all)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    today = today or timezone.localdate()
    cities = _read_csv("cities.csv")
    counties = [_County(code=r["code"], name=r["name"], city_code=r["cityCode"]) for r in _read_csv("counties.csv")]

    t0 = time.monotonic()
    tree, top = _build_tree(counties, cities, scale, seed)
    for i in range(0, len(tree.nodes), _BATCH):
        OrgUnit.objects.bulk_create(tree.nodes[i : i + _BATCH])
    if tree.nodes[0].pk is None:  # pragma: no cover - SQLite before 3.35 has no RETURNING
        raise RuntimeError("需要 SQLite 3.35 或更高版本")
    log(f"  组织机构 {len(tree.nodes):,} 个（{time.monotonic() - t0:.1f} 秒）")

    people = PeopleWriter(seed=seed, school_year=school_year_start(today), county_codes=[c.code for c in counties])
    counts: Counter[str] = Counter()
    t0 = time.monotonic()
    for c in counties:
        counts += people.county(c)
    log(
        f"  学生 {counts['students']:,} 名、家长 {counts['guardians']:,} 名、教职工 {counts['staff']:,} 名"
        f"（{time.monotonic() - t0:.1f} 秒）"
    )
    t0 = time.monotonic()
    counts["roll_events"] = people.roll_history()
    log(f"  学籍异动（入学）{counts['roll_events']:,} 条与本学年分班（{time.monotonic() - t0:.1f} 秒）")

    story_county = next(c for c in counties if c.code == STORY_COUNTY_CODE)
    story = story_county.schools[0]
    assert story.node.code == STORY_SCHOOL_CODE
    counts.update(
        cities=len(cities),
        counties=len(counties),
        schools=sum(len(c.schools) for c in counties),
        classes=sum(len(s.classes) for c in counties for s in c.schools),
        departments=sum(len(c.departments) for c in counties),
    )
    return ProvinceBuild(
        province=top["province"],
        cities={code + "00": node for code, node in top["cities"].items()},
        counties={c.code: c.node for c in counties},
        departments={department_code(c.code, key): d for c in counties for key, d in c.departments.items()},
        schools=[s.node for c in counties for s in c.schools],
        story_school=story.node,
        story_class=story.classes[0][0],
        counts=counts,
        people=people,
    )


def province_exists() -> bool:
    return OrgUnit.objects.filter(code=PROVINCE_CODE).exists()
