"""The indicators' demo story: the seeds' numbers as imported statistics and targets, so the
cockpit shows values against targets from the first login.

- 宁波 (330200): 普惠性幼儿园招生覆盖率 90.8% (1,180 kindergartens, 401 public, 582 inclusive
  private) this year, 89.6% last year; target 90%.
- 智慧校园评定: about 55% of each city's primary and secondary schools rated this year (45% last
  year), imported per school; 丽水 target 75% (seed 003), other cities 60%.
- Targets at province, city and story-county (常山县) level from each shipped indicator's
  `demo_targets` (catalogue.py; modules ship theirs, e.g. the after-school rates 87.5%, 94.6%).
Then a full refresh job once the demo is committed (every module's records in it).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mofang.platform.orgs.models import OrgKind, OrgUnit

from .catalogue import SHIPPED_INDICATORS
from .models import Indicator, Target
from .orgs_util import k12_schools
from .refresh import start_refresh
from .services import write_statistics

NINGBO = "330200"
STORY_COUNTY = "330822"  # 常山县, where the demo's schools tell their story
LISHUI = "331100"
LISHUI_SMART_CAMPUS = "75"  # 丽水's own target (seed 003); other cities take the shipped one


def build(ctx) -> None:
    if Target.objects.exists():
        ctx.log("指标：已生成，跳过")
        return
    year = timezone.localdate().year
    admin = ctx.users.get("admin_province") or next(iter(ctx.users.values()), None)
    province = ctx.province
    rows = []
    ningbo = OrgUnit.objects.filter(code=NINGBO, kind=OrgKind.CITY).first()
    if ningbo is not None:
        for y, enrolled, inclusive in ((year, 300000, 272400), (year - 1, 302000, 270592)):
            rows += [
                ("import.kg_enrolled", ningbo.pk, str(y), Decimal(enrolled)),
                ("import.inclusive_kg_enrolled", ningbo.pk, str(y), Decimal(inclusive)),
            ]
        rows += [
            ("import.kindergartens", ningbo.pk, str(year), Decimal(1180)),
            ("import.inclusive_kindergartens", ningbo.pk, str(year), Decimal(401 + 582)),
        ]
    for share, y in ((0.55, year), (0.45, year - 1)):
        for school_id in k12_schools(province):
            if ctx.rng.random() < share:
                rows.append(("import.smart_campus_schools", school_id, str(y), Decimal(1)))
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
