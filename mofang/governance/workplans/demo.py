"""The 清单管理 demo story: 衢州市教育局's 工作要点 for this year, a dozen items taken from Lishui's
2021 工作要点 (seed 003) with their own numbers, led by 常山县 (admin_cs), 江山市, 常山县第一小学
(principal_cs1), 常山县公安局 (police_cs), 常山县卫生健康局 and the city bureau itself (admin_qz).

Monthly reports up to last month make every status appear: 超额完成 (新增学位), 按进度完成, 滞后 (a
milestone of 教育魔方 overdue; 智慧校园覆盖率 measured from the indicator below the schedule) and
未开始 (老年学位: nothing reported). This month is left to report, so the lead units have a to-do.
"""

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from django.utils import timezone

from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import services
from .models import Direction, PlanKind, WorkPlan

CITY_CODE = "330800"  # 衢州市

# number, category, title, target text, measures (short), lead key, cooperating keys,
# (target, baseline, unit, direction) or None, indicator code, pace (share of the schedule reached)
ITEMS = [
    (
        5,
        "一、健全党对教育工作的领导机制",
        "做好党风廉政建设工作",
        "健全和完善党风廉政建设工作机制，营造风清气正的教育生态环境，完成50%以上清廉学校的创建任务。",
        "逐级签订党风廉政建设责任书；统筹推进“清廉学校”建设，分批分层次推进。",
        "cs",
        ["js"],
        ("50", "20", "%", Direction.HIGHER),
        "",
        1.1,
    ),
    (
        10,
        "二、全面落实立德树人根本任务",
        "促进中小学生运动技能发展",
        "学生体质健康优良率达到50%以上、合格率96%以上，中小学运动技能达标率达到90%。",
        "开齐开足体育课程，实施中小学体育工作清单制度；推进校园足球改革。",
        "js",
        [],
        None,
        "",
        1.0,
    ),
    (
        11,
        "二、全面落实立德树人根本任务",
        "进一步加强学校卫生教育",
        "健全健康教育体系，强化卫生室（保健室）建设，儿童青少年总体近视率下降1个百分点以上。",
        "推进儿童青少年近视综合防控工作，完成每学期两次近视监测普查。",
        "health",
        ["school"],
        ("51.5", "52.5", "%", Direction.LOWER),
        "",
        1.0,
    ),
    (
        13,
        "二、全面落实立德树人根本任务",
        "丰富劳动实践活动",
        "强化劳动教育和综合实践活动，创建中小学生社会实践基地100个。",
        "全面实施中小学劳动教育清单化管理，评选市级中小学劳动教育实践基地。",
        "city",
        ["cs", "js"],
        ("100", None, "个", Direction.HIGHER),
        "",
        1.02,
    ),
    (
        15,
        "三、推动各级各类教育提质发展",
        "促进学前教育优质普惠发展",
        "公办幼儿园在园幼儿占比达46%，省一二级幼儿园在园幼儿占比达68%以上，专任教师持有教师资格证比例达到100%。",
        "制订实施第四轮发展学前教育行动计划，推进乡镇公办幼儿园扩容提质。",
        "cs",
        [],
        ("46", "44", "%", Direction.HIGHER),
        "",
        1.0,
    ),
    (
        16,
        "三、推动各级各类教育提质发展",
        "提高义务教育教学质量",
        "落实《义务教育质量评价指南》，实施初中“壮腰”工程，新增城乡义务教育共同体学校80家。",
        "深入推进城乡义务教育共同体建设工作，新增80所结对学校。",
        "js",
        ["cs"],
        ("80", None, "家", Direction.HIGHER),
        "",
        1.05,
    ),
    (
        21,
        "三、推动各级各类教育提质发展",
        "提升成人教育服务终身学习水平",
        "创建省现代化社区学校5所，社区教育进文化礼堂活动覆盖率达80%，创建老年学堂9所，新增老年学位25000个。",
        "加强老年教育服务能力建设，创建省标准要求的老年学堂。",
        "city",
        [],
        ("25000", None, "个", Direction.HIGHER),
        "",
        None,
    ),
    (
        24,
        "四、持续加大优质资源供给",
        "增加教育资源学位供给",
        "新建（改扩建）幼儿园项目9个，新增学位2610个。",
        "推进学位供给项目建设，实施乡镇公办幼儿园扩容工程。",
        "cs",
        ["school"],
        ("2610", None, "个", Direction.HIGHER),
        "",
        "over",
    ),
    (
        25,
        "四、持续加大优质资源供给",
        "改善数字教育基础环境",
        "全市中小学智慧校园覆盖率达到75%，教育内网万兆升级覆盖率达到60%。",
        "推进中小学智慧校园建设，全市教育内网核心升级万兆。",
        "city",
        ["cs", "js"],
        ("75", "45", "%", Direction.HIGHER),
        "smart_campus_coverage",
        0.9,
    ),
    (
        33,
        "六、加大教育教学改革力度",
        "加强学生管理工作",
        "加强学生规范管理，完善作业、睡眠、手机、读物、体质等管理举措，促进青少年身心健康发展。",
        "明确各学段作业管理要求；加强学生睡眠管理；禁止将手机带入课堂。",
        "school",
        [],
        None,
        "",
        1.0,
    ),
    (
        38,
        "七、提升教育现代治理能力",
        "推动教育数字化改革",
        "开展“教育魔方”工程建设，建立基于大数据、人工智能的教育智治体系。",
        "构建“一个平台三个核心业务N个应用模块”的教育信息化生态圈。",
        "city",
        ["cs"],
        None,
        "",
        1.0,
    ),
    (
        40,
        "七、提升教育现代治理能力",
        "切实维护校园安全稳定",
        "深化“平安校园”建设，确保不发生校园安全责任事故。",
        "加强校车交通安全监管；推进“智安校园”建设；开展师生安全素养提升行动。",
        "police",
        ["school", "cs"],
        None,
        "",
        1.0,
    ),
]

TEXTS = [
    "召开专题推进会，分解年度任务",
    "按计划推进，完成阶段性工作",
    "开展督查调研，梳理存在问题",
    "落实整改措施，推进重点项目",
    "总结经验做法，巩固工作成效",
]


def _units(city) -> dict:
    counties = {c.code: c for c in OrgUnit.objects.filter(path__startswith=city.path, kind=OrgKind.COUNTY)}
    cs, js = counties.get("330822"), counties.get("330881")
    if cs is None or js is None:
        return {}
    school = OrgUnit.objects.filter(path__startswith=cs.path, kind=OrgKind.SCHOOL, code="3308220001").first()
    depts = {d.code: d for d in OrgUnit.objects.filter(path__startswith=cs.path, kind=OrgKind.DEPARTMENT)}
    units = {
        "city": city,
        "cs": cs,
        "js": js,
        "school": school,
        "police": depts.get("330822-police"),
        "health": depts.get("330822-health"),
    }
    return {k: v for k, v in units.items() if v is not None}


def _figure(target: Decimal, baseline: Decimal | None, direction: str, k: int, pace, last: int) -> Decimal:
    """The value reached after month k when the work keeps `pace` × the schedule ("over": the year's
    target passed by 8% in the latest month, as Ningbo's 超额完成年度任务)."""
    if direction == Direction.LOWER and baseline is not None:  # comes down from the baseline on schedule
        return (baseline - (baseline - target) * k / 12).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    start = baseline if baseline is not None else Decimal(0)
    if pace == "over":
        return (target * Decimal("1.08") * k / max(k, last)).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    step = (target - start) * k / 12 * Decimal(str(pace))
    return (start + step).quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def build(ctx) -> None:
    city = OrgUnit.objects.filter(kind=OrgKind.CITY, code=CITY_CODE).first()
    admin = ctx.users.get("admin_qz")
    today = timezone.localdate()
    year = today.year
    if city is None or WorkPlan.objects.filter(owner=city, year=year).exists():
        ctx.log("清单管理：未找到衢州市或已生成，跳过")
        return
    units = _units(city)
    if "cs" not in units:
        ctx.log("清单管理：衢州市区县不全，跳过")
        return
    plan = services.create_plan(
        city,
        year=year,
        name=f"衢州市教育局{year}年工作要点",
        kind=PlanKind.POINTS,
        description="参照丽水市教育局工作要点，实行清单式管理、项目化推进。",
        acting_user=admin,
    )
    specs = []
    for number, category, title, target_text, measures, lead, coop, target, code, _pace in ITEMS:
        if lead not in units:
            continue
        t: dict[str, Any] = dict(zip(("target_value", "baseline", "unit", "direction"), target)) if target else {}
        specs.append(
            services.ItemSpec(
                number=number,
                category=category,
                title=title,
                target_text=target_text,
                measures=measures,
                lead_unit=units[lead],
                cooperating=tuple(units[c] for c in coop if c in units),
                target_value=Decimal(t["target_value"]) if t else None,
                baseline=Decimal(t["baseline"]) if t and t["baseline"] else None,
                unit=t.get("unit", ""),
                direction=t.get("direction", Direction.HIGHER),
                indicator_code=code,
            )
        )
    items = {i.number: i for i in services.add_items(plan, specs, acting_user=admin)}

    # milestones: 教育魔方's first phase is overdue; 安全 has one done and one ahead
    first_of_year = dt.date(year, 1, 1)
    if 38 in items:
        items[38].milestones.create(
            due=max(first_of_year, today - dt.timedelta(days=20)), description="完成“教育魔方”一期平台上线"
        )
        items[38].milestones.create(due=dt.date(year, 12, 31), description="完成年度建设任务并验收")
    if 40 in items:
        items[40].milestones.create(
            due=max(first_of_year, today - dt.timedelta(days=40)),
            description="完成校车交通安全专项检查",
            done_on=max(first_of_year, today - dt.timedelta(days=45)),
        )
        items[40].milestones.create(due=dt.date(year, 12, 31), description="完成“智安校园”年度创建")

    # monthly reports up to last month (this month in January)
    last = max(today.month - 1, 1)
    reporter = {
        "city": admin,
        "cs": ctx.users.get("admin_cs"),
        "js": ctx.users.get("admin_js") or admin,
        "school": ctx.users.get("principal_cs1"),
        "police": ctx.users.get("police_cs"),
        "health": admin,
    }
    n = 0
    for number, _c, _t, _tt, _m, lead, _co, target, code, pace in ITEMS:
        item = items.get(number)
        if item is None or pace is None:
            continue
        for k in range(max(1, last - 3), last + 1):  # the last four months
            when = timezone.make_aware(dt.datetime(year, k, 20, 17, 0)) if k < today.month else timezone.now()
            text = f"{k}月：{TEXTS[(k + number) % len(TEXTS)]}。"
            kw = {}
            if target and not code:
                kw["value"] = _figure(
                    Decimal(target[0]), Decimal(target[1]) if target[1] else None, target[3], k, pace, last
                )
            elif not code:
                kw["percent"] = min(
                    Decimal(100),
                    (Decimal(100) * k / 12 * Decimal(str(pace))).quantize(Decimal("0.1"), rounding=ROUND_CEILING),
                )
            services.report_progress(
                item, month=f"{year}-{k:02d}", text=text, acting_user=reporter.get(lead) or admin, now=when, **kw
            )
            n += 1
    ctx.log(f"清单管理：{plan.name}，{len(items)}项，月度进展{n}条")
