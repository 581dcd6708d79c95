"""The demo story: one login per role around 常山县第一小学 and the teacher 毛玉梅 (SPEC §3.4).

Staff users take over people the generator already made at the story school (its 校长, its
教务主任, its first female teacher becomes 毛玉梅 …), so every login lands on real-looking data.
"""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.people import identity
from mofang.platform.people.models import BindingRequest, Guardianship, Sex, Staff, Student

from .generator import ProvinceBuild, department_code
from .names import NamePicker
from .registry import MODULE_LOGINS, DemoContext, DemoLogin

DEMO_PASSWORD = "Mofang@2026"


DEMO_LOGINS = [
    DemoLogin(
        "admin_zj", "province_admin", "省级管理员", "浙江省", "全省数据一屏掌控；首次登录扫码绑定动态口令（TOTP）"
    ),
    DemoLogin("admin_qz", "city_admin", "市级管理员", "衢州市", "衢州市六个区县的学校与学生；需动态口令"),
    DemoLogin("admin_cs", "county_admin", "区县管理员", "常山县", "本县学校、学生、教职工，导入名册，查审计日志"),
    DemoLogin("admin_js", "county_admin", "区县管理员", "江山市", "对照：看不到常山县的任何数据"),
    DemoLogin("inspector_cs", "inspector", "督学", "常山县", "责任督学：本县学校与学生概况"),
    DemoLogin("principal_cs1", "principal", "校长", "常山县第一小学", "本校师生、时间银行总览、后台任务与审计日志"),
    DemoLogin(
        "academic_cs1",
        "academic",
        "教务",
        "常山县第一小学",
        "学生名册、查看完整身份证号（留痕）；登记代课、审批抵假；课后服务课程与选课",
    ),
    DemoLogin("auditor_cs1", "bank_auditor", "银行专管员", "常山县第一小学", "时间银行专管：审核流水、冲正"),
    DemoLogin("psych_cs1", "psych_teacher", "心理教师", "常山县第一小学", "心理健康护航：指派给自己的学生、危机预警与个案"),
    DemoLogin(
        "head_cs1",
        "head_teacher",
        "班主任",
        "常山县第一小学 一年级1班",
        "本班学生与家长；待办里有一条家长绑定申请（parent_cs1 的第二个孩子），确认或不通过",
    ),
    DemoLogin("maoyumei", "teacher", "教师", "常山县第一小学", "毛玉梅的时间账户：代课、托管、抵假，上月结余 12 小时"),
    DemoLogin("teacher_cs1b", "teacher", "教师", "常山县第一小学", "另一位教师：看不到毛玉梅的账户"),
    DemoLogin("police_cs", "dept_liaison", "部门联络员", "常山县公安局", "部门联络员：校园安全协同处置"),
    DemoLogin(
        "parent_cs1",
        "parent",
        "家长",
        "常山县第一小学",
        "家长：只看到自己的孩子（一年级1班）；“绑定孩子”里第二个孩子的申请待班主任确认",
    ),
]


def all_logins() -> list[DemoLogin]:
    """The core's demo logins, then those the modules registered (registry.register_demo_login)."""
    return DEMO_LOGINS + MODULE_LOGINS


def logins_table() -> str:
    """The demo logins as aligned text, for the terminal."""
    rows = [("用户名", "角色", "机构", "可以试试")] + [(d.username, d.role_name, d.org, d.hint) for d in all_logins()]
    widths = [max(_width(r[i]) for r in rows) for i in range(3)]
    lines = []
    for r in rows:
        cells = [r[i] + " " * (widths[i] - _width(r[i])) for i in range(3)]
        lines.append("  " + "  ".join(cells) + "  " + r[3])
    lines.append(f"  所有演示账号的密码：{DEMO_PASSWORD}")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def demo_users_exist() -> bool:
    return User.objects.filter(username=DEMO_LOGINS[0].username).exists()


def create_story(build: ProvinceBuild, *, seed: int, year: int) -> tuple[dict, dict]:
    """Create the demo users and their memberships; return (users, staff) by username."""
    rng = random.Random(f"mofang-demo:{seed}:story")
    picker = NamePicker(rng)
    ids, mobiles = build.people.ids, build.people.mobiles  # the generator's: numbers stay unique
    roles = {r.code: r for r in Role.objects.all()}
    county = build.counties["330822"]
    orgs = {
        "admin_zj": build.province,
        "admin_qz": build.cities["330800"],
        "admin_cs": county,
        "admin_js": build.counties["330881"],
        "inspector_cs": county,
        "police_cs": build.departments[department_code("330822", "police")],
    }
    positions = {
        "admin_zj": "管理员",
        "admin_qz": "管理员",
        "admin_cs": "管理员",
        "admin_js": "管理员",
        "inspector_cs": "责任督学",
        "police_cs": "护校安园联络员",
    }

    # Officers of the bureaus and the police station: new Staff rows at their own units.
    staff: dict[str, Staff] = {}
    for username, org in orgs.items():
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        birth = _adult_birth(rng, year)
        st = Staff(
            staff_no=f"J{(org.code or '').replace('-', '')}{len(staff) + 1:03d}",
            name=picker.adult(sex),
            sex=sex,
            org=org,
            position=positions[username],
        )
        st.set_id_number(ids.issue(rng, "330822", birth, sex, local=False))
        st.set_phone(mobiles.next())
        staff[username] = st
    Staff.objects.bulk_create(staff.values())

    # School staff users take over people already on the story school's roll.
    school_staff = list(Staff.objects.filter(org=build.story_school).order_by("staff_no"))
    leaders = {s.position: s for s in reversed(school_staff)}
    teachers = [s for s in school_staff if s.position == "教师"]
    mao = next(s for s in teachers if s.sex == Sex.FEMALE)
    mao.name = "毛玉梅"
    mao.subject = "语文"
    rest = [s for s in teachers if s is not mao]
    head, psych, auditor, colleague = rest[0], rest[1], rest[2], rest[3]
    psych.subject, psych.position = "心理健康", "心理教师"
    psych.certificates = [{"kind": "心理健康教育C证", "number": "ZJXL2021C0107", "date": "2021-06-30"}]
    auditor.position = "银行专管员"
    for s in (mao, psych, auditor):
        s.save(update_fields=["name", "subject", "position", "certificates"])
    staff.update(
        principal_cs1=leaders["校长"],
        academic_cs1=leaders["教务主任"],
        auditor_cs1=auditor,
        psych_cs1=psych,
        head_cs1=head,
        maoyumei=mao,
        teacher_cs1b=colleague,
    )
    orgs.update(
        dict.fromkeys(
            ("principal_cs1", "academic_cs1", "auditor_cs1", "psych_cs1", "maoyumei", "teacher_cs1b", "parent_cs1"),
            build.story_school,
        )
    )
    orgs["head_cs1"] = build.story_class

    # A parent of a first-grader in 一年级1班.
    link = (
        Guardianship.objects.filter(student__klass=build.story_class)
        .select_related("guardian")
        .order_by("student__student_no", "guardian_id")
        .first()
    )
    if link is None:
        raise RuntimeError("演示数据有误：一年级1班没有家长")
    guardian = link.guardian

    # One hash for all: the demo password is published anyway, and argon2 takes ~0.1 s per call.
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for login in DEMO_LOGINS:
        person = guardian if login.username == "parent_cs1" else staff[login.username]
        phone = identity.unseal(person.phone_sealed)
        user = User(username=login.username, full_name=person.name, phone=phone, password=password)
        users[login.username] = user
    User.objects.bulk_create(users.values())
    Membership.objects.bulk_create(
        Membership(user=users[d.username], role=roles[d.role], org=orgs[d.username]) for d in DEMO_LOGINS
    )
    for username, st in staff.items():
        st.user = users[username]
    Staff.objects.bulk_update(staff.values(), ["user"])
    guardian.user = users["parent_cs1"]
    guardian.save(update_fields=["user"])
    _second_child_waits(build, users["parent_cs1"], guardian, link.student)
    return users, staff


def _second_child_waits(build: ProvinceBuild, parent: User, guardian, first_child) -> None:
    """parent_cs1 asked to bind a second child of 一年级1班 whom the school registered with another
    phone: the request waits for head_cs1 (a to-do for the class teacher and 教务)."""
    second = (
        Student.objects.filter(klass=build.story_class)
        .exclude(pk=first_child.pk)
        .exclude(guardianships__guardian=guardian)
        .order_by("student_no")
        .first()
    )
    if second is None:
        return
    req = BindingRequest.objects.create(
        user=parent,
        student=second,
        parent_name=guardian.name,
        relation="母亲" if guardian.guardianships.filter(relation="母亲").exists() else "父亲",
    )
    record(
        actor=parent,
        action=AuditAction.CREATE,
        obj=req,
        org=second.school,
        summary=f"家长{guardian.name}申请绑定孩子{second.name}，待学校确认",
    )


def add_module_login(ctx: DemoContext, username: str, org, full_name: str) -> User:
    """Create the user of a module's registered demo login, with the demo password, as a member of
    `org` in the login's role; it joins ctx.users."""
    login = next(m for m in MODULE_LOGINS if m.username == username)
    # the core's users already carry the demo password's hash: reuse it (argon2 costs ~0.1 s a call)
    core = ctx.users.get(DEMO_LOGINS[0].username)
    password = core.password if core is not None else make_password(DEMO_PASSWORD)
    user = User.objects.create(username=username, full_name=full_name, password=password)
    Membership.objects.create(user=user, role=Role.objects.get(code=login.role), org=org)
    ctx.users[username] = user
    return user


def _adult_birth(rng, year):
    return dt.date(year - rng.randint(30, 52), 1, 1) + dt.timedelta(days=rng.randrange(365))
