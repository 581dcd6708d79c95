"""The indicators' demo story: statistics a bureau would import, drawn from the demo's own schools
(so every figure agrees with the map and the lists), and targets, so the cockpit shows values
against targets from the first login.

- 学前教育统计, per kindergarten of the demo tree: whether it is 普惠性 (every public one, about
  three in four private ones), its children in the roll (在园幼儿) and, if 普惠性, the same number
  as 普惠性幼儿园在园幼儿 — this year and last. (The seed's 宁波 figures, 1,180 kindergartens and
  90.8%, belong to the real city, not to a demo of a few hundred schools.)
- 智慧校园评定: every primary and secondary school is rated, about 55% of them as 智慧校园 this
  year (45% last year), imported per school; 丽水 target 75% (seed 003), other cities 60%.
- Targets at province, city and story-county (常山县) level from each shipped indicator's
  `demo_targets` (catalogue.py; modules ship theirs, e.g. the after-school rates 87.5%, 94.6%).
Then a full refresh job once the demo is committed (every module's records in it).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.people.models import RollStatus, Student

from .catalogue import SHIPPED_INDICATORS
from .models import Indicator, Target
from .orgs_util import k12_schools
from .refresh import start_refresh
from .services import write_statistics

INCLUSIVE_PRIVATE_SHARE = 0.75  # private kindergartens recognised as 普惠性
STORY_COUNTY = "330822"  # 常山县, where the demo's schools tell their story
LISHUI = "331100"
LISHUI_SMART_CAMPUS = "75"  # 丽水's own target (seed 003); other cities take the shipped one


def _kindergartens(province) -> list[tuple[int, int, bool]]:
    """(org id, children in the roll, public) of each kindergarten of the demo province."""
    kgs = list(
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL, school_type=SchoolType.KINDERGARTEN, path__startswith=province.path)
        .order_by("path")
        .values_list("pk", "ownership")
    )
    children = dict(
        Student.objects.filter(school_id__in=[k for k, _ in kgs], status=RollStatus.ENROLLED)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(k, children.get(k, 0), ownership == Ownership.PUBLIC) for k, ownership in kgs]


def build(ctx) -> None:
    if Target.objects.exists():
        ctx.log("指标：已生成，跳过")
        return
    year = timezone.localdate().year
    admin = ctx.users.get("admin_province") or next(iter(ctx.users.values()), None)
    province = ctx.province
    rows = []
    for y in (year, year - 1):
        for kg, children, public in _kindergartens(province):
            inclusive = public or ctx.rng.random() < INCLUSIVE_PRIVATE_SHARE
            rows += [
                ("import.kg_enrolled", kg, str(y), Decimal(children)),
                ("import.inclusive_kg_enrolled", kg, str(y), Decimal(children if inclusive else 0)),
            ]
            if y == year:
                rows.append(("import.inclusive_kindergartens", kg, str(y), Decimal(1 if inclusive else 0)))
    for share, y in ((0.55, year), (0.45, year - 1)):
        for school_id in k12_schools(province):
            rows.append(("import.smart_campus_schools", school_id, str(y), Decimal(int(ctx.rng.random() < share))))
    if rows:
        write_statistics(rows, acting_user=admin, org=province, source="演示数据")
    demo_targets = {code: i.demo_targets for code, i in SHIPPED_INDICATORS.items() if any(i.demo_targets)}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=demo_targets)}
    targets = []
    cities = list(OrgUnit.objects.filter(kind=OrgKind.CITY, path__startswith=province.path))
    county = OrgUnit.objects.filter(code=STORY_COUNTY, kind=OrgKind.COUNTY).first()
    for code, (top, city_value, county_value) in demo_targets.items():
        ind = indicators.get(code)
        if ind is None:
            continue
        if top is not None:
            targets.append(Target(indicator=ind, org=province, year=year, value=Decimal(top)))
        if city_value is not None:
            for city in cities:
                value = LISHUI_SMART_CAMPUS if code == "smart_campus_coverage" and city.code == LISHUI else city_value
                targets.append(Target(indicator=ind, org=city, year=year, value=Decimal(value)))
        if county is not None and county_value is not None:  # the story county: met / not met on its page
            targets.append(Target(indicator=ind, org=county, year=year, value=Decimal(county_value)))
    Target.objects.bulk_create(targets)
    # The full refresh (and the first check of the rules) runs as a job once the whole demo is
    # committed, so its numbers include every module's demo records, whatever order they are built in.
    transaction.on_commit(lambda: start_refresh(full=True, acting_user=admin, org=province))
    ctx.log(f"指标：导入统计{len(rows)}项，目标{len(targets)}个；全量刷新已排入后台任务")
