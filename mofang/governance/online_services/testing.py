"""Helpers for 一网通办's tests, permission matrix, query budgets and demo: a parent bound to a child,
handlers at schools and bureaus, and a ready application."""

from itertools import count

from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import add, make_student, make_user

from . import bundles, services
from .catalogue import ensure_seed
from .models import Bundle, Service

_seq = count(1)


def bind(user, student, name: str = "") -> Guardianship:
    """`user` becomes a guardian (家长) of `student`."""
    g = Guardian.objects.filter(user=user).first()
    if g is None:
        g = Guardian(name=name or user.full_name or "家长", user=user)
        g.set_phone(f"139{next(_seq) + 50_000_000:08d}")
        g.save()
    return Guardianship.objects.create(guardian=g, student=student, relation="父亲")


def parent_of(school, tag: str, *, child_name: str = "", klass=None):
    """A parent login and the child they are bound to. As a phone sign-in makes it (accounts.phone),
    the 家长 role is held at the root of the tree: its grants are all "@own", so it reaches the
    parent's own children and applications wherever the child goes to school."""
    child = make_student(school, child_name or f"学生{tag}", klass=klass)
    parent = make_user(
        f"os_parent_{tag}", "parent", OrgUnit.objects.get(path=school.path[: OrgUnit.steplen]), full_name=f"家长{tag}"
    )
    bind(parent, child)
    return parent, child


def service(code: str) -> Service:
    ensure_seed()
    return Service.objects.get(code=code)


def second_school(county, name: str = "常山县第二小学", code: str = "3308220002"):
    return add(county, name, OrgKind.SCHOOL, code, school_type=SchoolType.PRIMARY, ownership=Ownership.PUBLIC)


def answers_for(code: str) -> dict:
    return {
        "transfer": {"转学原因": "随迁"},
        "suspend": {"休学原因": "疾病"},
        "resume": {},
        "roll_certificate": {"用途": "转学"},
        "study_certificate": {"用途": "其他"},
    }.get(code, {})


def apply_for(code: str, parent, child, **kw):
    return services.apply(service(code), child, acting_user=parent, answers=answers_for(code), **kw)


def bundle(code: str) -> Bundle:
    ensure_seed()
    bundles.ensure_seed()
    return Bundle.objects.get(code=code)


def apply_bundle_for(code: str, parent, child, answers=None, **kw):
    """`parent` applies for the seed bundle `code` for `child` (answers of the one form)."""
    default = {"transfer_bundle": {"转学原因": "随迁"}, "resume_bundle": {"用途": "其他"}}.get(code, {})
    return bundles.apply_bundle(bundle(code), child, acting_user=parent, answers=answers or default, **kw)
