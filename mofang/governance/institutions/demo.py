"""校外培训's demo story (registered with the core demo in AppConfig.ready()).

常山县's 科技局 and 文化和广电旅游体育局 (department units of the core tree, when it has them) get a
routing table; ten
institutions across categories — most 正常, one 筹设, one 审批中 at 科技局 (keji_cs can approve
it), one in 整改 after a 暗访 finding, one 停业; a white list of the good ones and a black list
of one that went "underground"; public reports (one 查实 with a 500-yuan reward, one waiting);
supervised accounts and charges, one of them beyond the 3-month limit.
"""

import datetime as dt
import decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.cases import routing
from mofang.platform.cases import services as cases
from mofang.platform.demo.registry import DemoLogin, register_demo_login
from mofang.platform.demo.story import DEMO_LOGINS, DEMO_PASSWORD
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import services, uscc
from .cases import APPLICATION_ROUTES
from .models import Category, InspectionKind, Institution, ListKind, Status

COUNTY_CODE = "330822"  # 常山县
KEJI = "keji_cs"  # 常山县科技局's liaison (dept_liaison): approves 科技类 applications
register_demo_login(
    DemoLogin(
        KEJI,
        "dept_liaison",
        "部门联络员",
        "常山县科技局",
        "校外培训分类审批：科技类机构的设立申请（常山县未来少儿科学馆待审批）",
    )
)

# A county's 文广旅体局 approves both 文化艺术 and 体育 (sport sits with culture and tourism there).
DEPARTMENTS = (
    ("tech", "科技局", Category.TECH),
    ("culture", "文化和广电旅游体育局", Category.ARTS),
    ("culture", "文化和广电旅游体育局", Category.SPORTS),
)
# (name, category, final status, on the white list)
INSTITUTIONS = (
    ("常山县青少年宫", Category.ARTS, Status.NORMAL, True),
    ("常山县立祥跆拳道馆", Category.SPORTS, Status.NORMAL, True),
    ("常山县弈林棋院", Category.ARTS, Status.NORMAL, True),
    ("常山县启明机器人编程中心", Category.TECH, Status.NORMAL, True),
    ("常山县小天鹅舞蹈培训中心", Category.ARTS, Status.NORMAL, False),
    ("常山县博学文化培训学校", Category.SUBJECT, Status.NORMAL, False),
    ("常山县星空科创培训中心", Category.TECH, Status.PREPARING, False),
    ("常山县未来少儿科学馆", Category.TECH, Status.REVIEWING, False),
    ("常山县智慧树托管中心", Category.OTHER, Status.RECTIFYING, False),
    ("常山县金榜教育咨询有限公司", Category.SUBJECT, Status.SUSPENDED, False),
)


def build(ctx) -> None:
    county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, code=COUNTY_CODE).first()
    if county is None or Institution.objects.filter(region=county).exists():
        ctx.log("校外培训：未找到常山县或已生成，跳过")
        return
    admin = ctx.users.get("admin_cs")
    # the department nodes come from the core's tree (generator.DEPARTMENTS: codes 330822-tech,
    # -culture); a county without them has its non-subject applications at the county
    depts = {
        category: OrgUnit.objects.filter(code=f"{COUNTY_CODE}-{key}", kind=OrgKind.DEPARTMENT).first()
        for key, _suffix, category in DEPARTMENTS
    }
    for category, dept in depts.items():
        if dept is not None:
            routing.save_rule(APPLICATION_ROUTES, county, category, dept, acting_user=admin)
    keji = _liaison(ctx, depts[Category.TECH]) if depts[Category.TECH] is not None else admin
    now = timezone.now()
    today = timezone.localdate()
    rng = ctx.rng
    made = {}
    for n, (name, category, final, _white) in enumerate(INSTITUTIONS, start=1):
        code = uscc.make_credit_code("52", COUNTY_CODE, f"MJ{n:06d}")
        inst = services.save_institution(
            acting_user=admin,
            name=name,
            credit_code=code,
            category=category,
            region=county,
            licence_no=f"教民1330822{n:08d}号" if final != Status.PREPARING else "",
            address=f"常山县天马街道{rng.choice(['定阳路', '紫港路', '文峰路', '人民路'])}{rng.randint(1, 300)}号",
            legal_representative=rng.choice(["徐建华", "汪丽萍", "周国强", "毛晓燕", "姜伟", "刘芳"]),
            phone=f"0570-50{rng.randint(10000, 99999)}",
        )
        services.add_site(inst, acting_user=admin, address=inst.address, area=rng.randint(120, 900))
        services.add_teacher(
            inst,
            acting_user=admin,
            name=rng.choice(["陈静", "吴磊", "郑敏", "黄涛"]),
            subject={"subject": "数学", "tech": "编程", "arts": "美术", "sports": "体育", "other": "托管"}[category],
            certificate_no=f"2019330{rng.randint(10**9, 10**10 - 1)}",
        )
        made[name] = inst
        if final == Status.PREPARING:
            continue
        unit = routing.responsible_for(APPLICATION_ROUTES, county, category)
        liaison = keji if depts[Category.TECH] is not None and unit == depts[Category.TECH] else admin
        app = services.submit_application(inst, acting_user=admin, note="申请材料齐全", now=now - dt.timedelta(days=40))
        if final == Status.REVIEWING:
            continue
        if liaison is admin or unit != depts.get(Category.TECH):
            # departments without a demo login: their decision recorded as the county's
            _decide_as_unit(app, admin, unit, now)
        else:
            services.decide_application(
                app, approve=True, acting_user=keji, reason="场地、师资符合要求", now=now - dt.timedelta(days=30)
            )
        inst.refresh_from_db()
        if final in (Status.SUSPENDED,):
            services.change_status(
                inst, Status.SUSPENDED, acting_user=admin, reason="暗访发现违规开展学科类培训，责令停业"
            )
    # the good ones on the county's white list; the suspended one on the black list
    for name, _c, _f, white in INSTITUTIONS:
        if white:
            services.add_to_list(
                made[name],
                acting_user=admin,
                kind=ListKind.WHITE,
                region=county,
                reason="2026年秋季课后服务校外培训机构遴选",
                start=today - dt.timedelta(days=60),
            )
    services.add_to_list(
        made["常山县金榜教育咨询有限公司"],
        acting_user=admin,
        kind=ListKind.BLACK,
        region=county,
        reason="以“咨询”名义违规开展学科类培训（换马甲）",
        start=today - dt.timedelta(days=20),
    )
    # inspections: one clean, one 暗访 with a finding (rectification open)
    services.record_inspection(
        made["常山县青少年宫"],
        acting_user=admin,
        kind=InspectionKind.INSPECTION,
        date=today - dt.timedelta(days=15),
        inspectors="汪建国、毛丽",
        findings="",
    )
    services.record_inspection(
        made["常山县智慧树托管中心"],
        acting_user=admin,
        kind=InspectionKind.COVERT,
        date=today - dt.timedelta(days=7),
        inspectors="双减专班 徐磊",
        findings="托管时段组织学生集中讲授数学习题，涉嫌学科类培训",
        rectify=True,
    )
    # public reports
    r1 = services.submit_public_report(
        county,
        target_name="天马街道某小区住宅内补习班",
        address="常山县天马街道紫港小区12幢",
        description="周末在住宅内开设初中数学、英语补习班，约20名学生",
        phone="13857000001",
        now=now - dt.timedelta(days=12),
    )
    cases.claim(r1.case, acting_user=admin, now=now - dt.timedelta(days=11))
    cases.fire(r1.case, "start", acting_user=admin, now=now - dt.timedelta(days=11))
    cases.fire(
        r1.case,
        "substantiate",
        acting_user=admin,
        comment="经核查属实，已责令停止，移交市场监管部门处理",
        now=now - dt.timedelta(days=5),
    )
    services.record_reward(r1, acting_user=admin, amount=decimal.Decimal("500"))
    services.submit_public_report(
        county,
        target_name="某“研学营”",
        address="常山县金川街道文峰路88号",
        description="以研学名义开设小学语文、数学课程",
        now=now - dt.timedelta(days=1),
    )
    # pre-paid fees
    for name in ("常山县青少年宫", "常山县立祥跆拳道馆", "常山县小天鹅舞蹈培训中心"):
        inst = made[name]
        services.save_fee_account(
            inst, acting_user=admin, bank="浙江常山农村商业银行", account_no=f"2010000{inst.pk:08d}"
        )
        services.record_charge(
            inst,
            acting_user=admin,
            student_name="李明",
            amount="2400",
            lessons=24,
            months=3,
            paid_on=today - dt.timedelta(days=10),
        )
    services.record_charge(
        made["常山县小天鹅舞蹈培训中心"],
        acting_user=admin,
        student_name="王小雨",
        amount="9600",
        lessons=96,
        months=12,
        paid_on=today - dt.timedelta(days=3),
    )
    ctx.log(f"校外培训：{len(made)}家机构、黑白名单、举报与预收费")


def _liaison(ctx, department):
    """The 科技局 liaison with the demo password (the core's users carry its hash already)."""
    core = ctx.users.get(DEMO_LOGINS[0].username)
    user = User.objects.create(
        username=KEJI,
        full_name="科技局联络员",
        password=core.password if core is not None else make_password(DEMO_PASSWORD),
    )
    Membership.objects.create(user=user, role=Role.objects.get(code="dept_liaison"), org=department)
    ctx.users[KEJI] = user
    return user


def _decide_as_unit(app, admin, unit, now):
    """A decision by a department without a demo login: the county administrator (who holds the
    decision right over the county's departments) records it."""
    services.decide_application(
        app, approve=True, acting_user=admin, reason="符合设置标准", now=now - dt.timedelta(days=30)
    )
