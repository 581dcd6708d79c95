"""Permission-matrix endpoints for guardians and binding requests (see mofang/platform/matrix.py).

A guardian belongs to no school: it is seen through its children. Besides one guardian per side,
one shared guardian (one phone) has a child on each side: its page must list only the child
inside the viewer's scope, and the guardian list only that child's row.
"""

from mofang.platform.accounts.models import User
from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_student

from .models import BindingRequest, Guardian, Guardianship


def _guardian(name: str, phone: str) -> Guardian:
    g = Guardian(name=name)
    g.set_phone(phone)
    g.save()
    return g


def make_objects(tree):
    objs = {}
    shared = _guardian("矩阵共同家长", "13900001000")
    objs["shared"] = shared
    for side, school, klass, n in (("in", tree.school, tree.klass, 1), ("out", tree.other_school, None, 2)):
        tag = "甲" if side == "in" else "乙"
        orgs = [school, klass] if klass else [school]
        child = make_student(school, f"矩阵孩子{tag}", klass=klass)
        guardian = _guardian(f"矩阵家长{tag}", f"1390000100{n}")
        objs[f"link_{side}"] = Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
        objs[f"guardian_{side}"] = guardian
        objs[f"child_{side}"] = child
        shared_child = make_student(school, f"矩阵共孩{tag}", klass=klass)
        objs[f"shared_link_{side}"] = Guardianship.objects.create(
            guardian=shared, student=shared_child, relation="父亲"
        )
        objs[f"shared_child_{side}"] = shared_child
        parent = User.objects.create_user(
            username=f"matrix_parent_{side}", phone=f"1390000200{n}", password=None, full_name=f"矩阵申请{tag}"
        )
        asked = make_student(school, f"矩阵绑定孩子{tag}", klass=klass)
        objs[f"binding_{side}"] = BindingRequest.objects.create(
            user=parent, student=asked, parent_name=f"矩阵申请{tag}", relation="母亲"
        )
        objs[f"orgs_{side}"] = orgs
    return objs


def endpoints(o):
    def pair(url_fmt, marker, key, perm, kind, **kw):
        return Endpoint(
            name=f"{url_fmt} [{kind}]",
            kind=kind,
            perm=perm,
            inside=Target(url_fmt.format(obj=o[f"{key}_in"]), marker(o, "in"), o["orgs_in"]),
            outside=Target(url_fmt.format(obj=o[f"{key}_out"]), marker(o, "out"), o["orgs_out"]),
            **kw,
        )

    child = lambda o, side: o[f"child_{side}"].name  # noqa: E731
    shared_child = lambda o, side: o[f"shared_child_{side}"].name  # noqa: E731
    guardian = lambda o, side: o[f"guardian_{side}"].name  # noqa: E731
    applicant = lambda o, side: o[f"binding_{side}"].parent_name  # noqa: E731
    asked = lambda o, side: o[f"binding_{side}"].student.name  # noqa: E731
    nothing = lambda o, side: ""  # noqa: E731
    shared_url = f"/people/guardians/{o['shared'].pk}/"
    view, change, confirm = "people.view_guardian", "people.change_guardian", "people.confirm_binding"
    return [
        pair("/people/guardians/?q=矩阵孩子", child, "link", view, "list"),
        pair("/people/guardians/?q=矩阵孩子", child, "link", view, "count"),
        pair("/people/guardians/?q=矩阵孩子&export=xlsx", child, "link", view, "export"),
        # one phone, a child on each side: each school lists only its own child's row
        pair("/people/guardians/?q=矩阵共孩", shared_child, "shared_link", view, "list"),
        pair("/people/guardians/?q=矩阵共孩&export=xlsx", shared_child, "shared_link", view, "export"),
        pair("/people/guardians/{obj.pk}/", guardian, "guardian", view, "detail"),
        Endpoint(
            name="/people/guardians/<shared>/ [detail]",
            kind="detail",
            perm=view,
            inside=Target(shared_url, o["shared_child_in"].name, o["orgs_in"]),
            outside=Target(shared_url, o["shared_child_out"].name, o["orgs_out"]),
        ),
        pair("/students/{obj.pk}/", lambda o, side: "矩阵共同家长", "shared_child", view, "detail"),
        pair(
            "/people/guardianships/{obj.pk}/edit/",
            nothing,
            "shared_link",
            change,
            "change",
            method="POST",
            data={"name": "矩阵共同家长", "relation": "祖父"},
        ),
        pair(
            "/people/students/{obj.pk}/guardians/add/",
            nothing,
            "child",
            change,
            "change",
            method="POST",
            data={"name": "矩阵新家长", "phone": "13900003000", "relation": "祖母"},
        ),
        pair("/people/bindings/?q=矩阵申请", applicant, "binding", confirm, "list"),
        pair("/people/bindings/?q=矩阵申请", applicant, "binding", confirm, "count"),
        pair("/people/bindings/?q=矩阵申请&export=xlsx", applicant, "binding", confirm, "export"),
        pair("/", applicant, "binding", confirm, "count", count_label="待确认的家长绑定申请"),
        pair("/people/bindings/{obj.pk}/refuse/", asked, "binding", confirm, "detail"),
        # a parent's page shows only its own requests: these belong to other parents
        pair("/people/bind/", asked, "binding", "people.bind_child", "detail"),
        pair("/people/bindings/{obj.pk}/confirm/", nothing, "binding", confirm, "change", method="POST"),
        pair("/people/guardianships/{obj.pk}/remove/", nothing, "link", change, "change", method="POST"),
    ]
