"""指标's rows in the permission matrix (see mofang.platform.matrix).

Each side — tree.school in 常山县 ("inside") and tree.other_school in 江山市 ("outside") — gets an
imported statistic, a target and an open validation violation. The catalogue and the rules are
shared data: their "orgs" are every node of the tree, so anyone holding the permission sees them.
"""

from decimal import Decimal

from django.utils import timezone

from mofang.platform.matrix import Endpoint
from mofang.platform.matrix import Target as MTarget

from .models import Indicator, Target, ValidationRule, Violation
from .roles import CHANGE_TARGET, IMPORT, VIEW, VIEW_RULE
from .services import write_statistics


def _side(school, county, tag: str, value: int) -> dict:
    write_statistics([("import.smart_campus_schools", school.pk, "2026", Decimal(value))], acting_user=None, org=county)
    Target.objects.create(
        indicator=Indicator.objects.get(code="smart_campus_coverage"),
        org=county,
        year=2026,
        value=Decimal(f"7{value}.5"),
    )
    rule = ValidationRule.objects.get(code="smart_campus_within_schools")
    Violation.objects.create(
        rule=rule, org=school, period="2026", left_value=value, right_value=1, found_at=timezone.now()
    )
    return {"school": school, "county": county, "name": school.name, "target": f"7{value}.5", "tag": tag, "empty": ""}


def make_objects(tree) -> dict:
    everyone = [
        tree.province,
        tree.city,
        tree.county,
        tree.school,
        tree.klass,
        tree.other_county,
        tree.other_school,
        tree.department,
    ]
    return {
        "inside": _side(tree.school, tree.county, "甲", 3),
        "outside": _side(tree.other_school, tree.other_county, "乙", 4),
        "everyone": everyone,
    }


def endpoints(objs) -> list[Endpoint]:
    i, o, everyone = objs["inside"], objs["outside"], objs["everyone"]

    def ep(name, kind, perm, url, marker, orgs=("school",), **kw):
        def target(side):
            return MTarget(
                url=url(side),
                marker=side.get(marker, marker),
                orgs=everyone if orgs == "everyone" else [side[x] for x in orgs],
            )

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("指标目录", "detail", VIEW, lambda s: "/indicators/", "智慧校园覆盖率", orgs="everyone"),
        ep(
            "指标值（学校）",
            "detail",
            VIEW,
            lambda s: f"/indicators/smart_campus_coverage/?org={s['school'].pk}&period=2026",
            "name",
        ),
        ep(
            "指标值（区县及下级）",
            "detail",
            VIEW,
            lambda s: f"/indicators/smart_campus_coverage/?org={s['county'].pk}&period=2026",
            "name",
            orgs=("county",),
        ),
        ep(
            "指标目标",
            "detail",
            CHANGE_TARGET,
            lambda s: f"/indicators/targets/?indicator=smart_campus_coverage&year=2026&org={s['county'].pk}",
            "target",
            orgs=("county",),
        ),
        ep(
            "设置指标目标",
            "change",
            CHANGE_TARGET,
            lambda s: f"/indicators/targets/?indicator=smart_campus_coverage&year=2026&org={s['county'].pk}",
            "empty",
            orgs=("county",),
            method="POST",
            data={"value": "80"},
        ),
        ep(
            "数据校验规则",
            "detail",
            VIEW_RULE,
            lambda s: "/indicators/rules/",
            "智慧校园数不超过中小学校数",
            orgs="everyone",
        ),
        ep("数据校验违规", "list", VIEW_RULE, lambda s: "/indicators/violations/", "name"),
        ep("数据校验违规计数", "count", VIEW_RULE, lambda s: "/indicators/violations/", "name"),
        ep("数据校验违规导出", "export", VIEW_RULE, lambda s: "/indicators/violations/?export=xlsx", "name"),
        ep("已导入统计数据", "list", IMPORT, lambda s: "/indicators/import/", "name"),
        ep("已导入统计数据计数", "count", IMPORT, lambda s: "/indicators/import/", "name"),
        ep("已导入统计数据导出", "export", IMPORT, lambda s: "/indicators/import/?export=xlsx", "name"),
        ep(
            "指标目录接口",
            "detail",
            VIEW,
            lambda s: "/api/indicators/smart_campus_coverage/",
            "智慧校园覆盖率",
            orgs="everyone",
            api=True,
        ),
        ep(
            "指标值接口（学校）",
            "detail",
            VIEW,
            lambda s: f"/api/indicator-values/{s['school'].pk}/?indicator=smart_campus_coverage&period=2026",
            "name",
            api=True,
        ),
        ep(
            "指标值接口计数",
            "count",
            VIEW,
            lambda s: "/api/indicator-values/?indicator=smart_campus_coverage&kind=school",
            "name",
            api=True,
        ),
        ep(
            "指标值接口列表",
            "list",
            VIEW,
            lambda s: "/api/indicator-values/?indicator=smart_campus_coverage&kind=school&period=2026",
            "name",
            api=True,
        ),
    ]
