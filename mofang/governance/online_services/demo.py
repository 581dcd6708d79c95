"""一网通办's demo story for 常山县 (registered with the core demo in AppConfig.ready()).

parent_cs1 asked to transfer their child from 常山县第一小学 to a school of 江山市 (of another
county in a small demo without one): the school has
agreed (academic_cs1) and the application waits at 常山县教育局 (admin_cs's to-do); after it,
江山市教育局 (admin_js) and the receiving school agree in turn. Four more parents of the school:
a 休学 waiting to be accepted (the school's to-do), a 在读证明 under review, a 学籍证明 issued
(its code verifies at /online_services/verify/), and a 县内转学 returned with its reason. A fifth
applied for 转学一件事 within the county: the transfer is done and the new school's 学籍证明 (the
bundle's second step) waits at the receiving school.
"""

from django.contrib.auth.hashers import make_password

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.cases import services as cases
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import grades
from mofang.platform.people.models import Guardianship, RollStatus

from . import bundles, services
from .catalogue import ensure_seed
from .models import Service

COUNTY_CODE = "330822"  # 常山县
OTHER_COUNTY_CODE = "330881"  # 江山市
ANSWERS = {
    "transfer": {"转学原因": "随迁", "说明": "父母工作调动到江山市"},
    "suspend": {"休学原因": "疾病", "说明": "骨折，需休养一学期"},
    "study_certificate": {"用途": "补贴申请"},
    "roll_certificate": {"用途": "升学"},
}


def _apply(code, parent, child, **kw):
    svc = Service.objects.get(code=code)
    return services.apply(svc, child, acting_user=parent, answers=ANSWERS.get(code, {}), **kw)


def _fire(app, handler, *transitions, comment=""):
    for t in transitions:
        app.case.refresh_from_db()
        cases.fire(app.case, t, acting_user=handler, comment=comment)


def _school_like(county, school, grade: int | None = None):
    """A school of `county` other than `school` that teaches the child's grade (same type first)."""
    candidates = (
        OrgUnit.objects.filter(path__startswith=county.path, kind=OrgKind.SCHOOL).exclude(pk=school.pk).order_by("path")
    )
    same = candidates.filter(school_type=school.school_type).first()
    if same is not None or grade is None:
        return same
    for s in candidates.exclude(school_type=school.school_type)[:200]:
        low, high = grades.GRADE_RANGE.get(s.school_type, (0, -1)) if grades.has_grades(s.school_type) else (0, -1)
        if low <= grade <= high:
            return s
    return None


def _parents(school, root, n: int, skip_student_ids) -> list:
    """n guardians of children in `school` (in school) without an account get a parent login (no
    password: these parents are characters of the story, not demo logins)."""
    links = (
        Guardianship.objects.filter(
            student__school=school, student__status=RollStatus.ENROLLED, guardian__user__isnull=True
        )
        .exclude(student_id__in=skip_student_ids)
        .select_related("guardian", "student")
        .order_by("student__student_no", "guardian_id")
    )
    role, seen = Role.objects.get(code="parent"), set()
    out: list = []
    for link in links:
        if link.student_id in seen:
            continue
        seen.add(link.student_id)
        user = User.objects.create(
            username=f"os_demo_parent{len(out) + 1}", full_name=link.guardian.name, password=make_password(None)
        )
        Membership.objects.create(user=user, role=role, org=root)
        link.guardian.user = user
        link.guardian.save(update_fields=["user"])
        out.append((user, link.student))
        if len(out) == n:
            break
    return out


def build(ctx) -> None:
    ensure_seed()
    county = OrgUnit.objects.filter(code=COUNTY_CODE, kind=OrgKind.COUNTY).first()
    other = OrgUnit.objects.filter(code=OTHER_COUNTY_CODE, kind=OrgKind.COUNTY).first()
    school_handler, county_handler = ctx.users.get("academic_cs1"), ctx.users.get("admin_cs")
    if county is None or other is None or school_handler is None or county_handler is None:
        ctx.log("一网通办：演示数据需要常山县、江山市与 academic_cs1、admin_cs，跳过")
        return
    school = school_handler.memberships.get().org
    parent_cs1 = ctx.users.get("parent_cs1")
    own = Guardianship.objects.filter(guardian__user=parent_cs1).order_by("student__student_no").first()
    taken = set()
    grade = own.student.grade if own else None
    target_js = _school_like(other, school, grade)
    if target_js is None:  # a small demo: 江山市 has no school of the kind; another county will do
        for c in OrgUnit.objects.filter(kind=OrgKind.COUNTY).exclude(pk=county.pk).order_by("path")[:50]:
            target_js = _school_like(c, school, grade)
            if target_js is not None:
                break
    if own is None or target_js is None:
        ctx.log("一网通办：parent_cs1 没有孩子或江山市没有可转入的学校，跳过其跨县转学")
    else:
        app = _apply("transfer", parent_cs1, own.student, target_school=target_js)
        _fire(app, school_handler, "accept", "agree_out")  # now at 常山县教育局
        taken.add(own.student_id)
    people = _parents(school, ctx.province, 5, taken)
    bundle_people, people = people[4:], people[:4]
    if len(people) < 4:
        ctx.log("一网通办：常山县第一小学的家长不足，只生成部分申请")
    steps = [
        ("suspend", ()),
        ("study_certificate", ("accept",)),
        ("roll_certificate", ("accept", "approve")),
        ("transfer", ("return",)),
    ]
    local_target = _school_like(county, school, people[-1][1].grade if people else None)
    for (parent, child), (code, transitions) in zip(people, steps, strict=False):
        kw = {"target_school": local_target} if code == "transfer" else {}
        if code == "transfer" and local_target is None:
            continue
        app = _apply(code, parent, child, **kw)
        comment = "请补充购房合同或户籍证明后重新申请" if "return" in transitions else ""
        _fire(app, school_handler, *transitions, comment=comment)
    for parent, child in bundle_people:  # 转学一件事: the transfer done, the new school's 学籍证明 to handle
        target = _school_like(county, school, child.grade)
        if target is None:
            break
        bundles.ensure_seed()
        ba = bundles.apply_bundle(
            bundles.Bundle.objects.get(code="transfer_bundle"),
            child,
            acting_user=parent,
            answers={"转学原因": "购房", "说明": "已在新学区购房"},
            target_school=target,
        )
        transfer = ba.steps.get(position=1).application
        _fire(transfer, school_handler, "accept", "agree_out")
        _fire(transfer, county_handler, "receive")  # the county's handler for the receiving school
    ctx.log("一网通办：常山县的转学、休学、证明申请（其中一件跨县转学在常山县教育局待审核）与一件转学一件事")
