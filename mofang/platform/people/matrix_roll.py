"""Permission-matrix endpoints of the roll (see mofang/platform/matrix.py): the promotion preview
counts only students inside the user's subtree, starting a promotion is refused outside it, and a
学籍异动 can be filed only for a student the user may change."""

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.people.promotion import PERM, target_years
from mofang.platform.testing import make_student


def make_objects(tree):
    return {
        "student_in": make_student(tree.school, "学籍矩阵甲", klass=tree.klass),
        "student_out": make_student(tree.other_school, "学籍矩阵乙"),
        "tree": tree,
        "year": target_years()[0],
    }


def endpoints(o):
    t = o["tree"]
    s_in, s_out = o["student_in"], o["student_out"]
    orgs_in, orgs_out = [t.school, t.klass], [t.other_school]
    preview = "/people/promotion/"
    change = {"action": "suspend", "reason": "矩阵", "confirm": "on"}
    return [
        # the preview is a county-level page: its counts and its school rows cover the user's subtree only
        Endpoint(
            name="/people/promotion/ [count]",
            kind="count",
            perm=PERM,
            inside=Target(preview, "", orgs_in),
            outside=Target(preview, "", orgs_out),
        ),
        Endpoint(
            name="/people/promotion/ [list]",
            kind="list",
            perm=PERM,
            inside=Target(preview, t.school.name, orgs_in),
            outside=Target(preview, t.other_school.name, orgs_out),
        ),
        # before the change rows below, which take the students off 在读
        Endpoint(
            name="/students/?grade=1&status=enrolled [count]",
            kind="count",
            perm="people.view_student",
            inside=Target("/students/?q=学籍矩阵&grade=1&status=enrolled", "", orgs_in),
            outside=Target("/students/?q=学籍矩阵&grade=1&status=enrolled", "", orgs_out),
        ),
        Endpoint(
            name="/people/promotion/<county>/start/ [change]",
            kind="change",
            perm=PERM,
            method="POST",
            data={"year": str(o["year"]), "confirm": "on"},
            inside=Target(f"/people/promotion/{t.county.pk}/start/", "", [t.county]),
            outside=Target(f"/people/promotion/{t.other_county.pk}/start/", "", [t.other_county]),
        ),
        Endpoint(
            name="/people/students/<pk>/change/ [change]",
            kind="change",
            perm="people.change_student",
            method="POST",
            data=change,
            inside=Target(f"/people/students/{s_in.pk}/change/", "", orgs_in),
            outside=Target(f"/people/students/{s_out.pk}/change/", "", orgs_out),
        ),
        Endpoint(
            name="/people/students/<pk>/change/ [detail]",
            kind="detail",
            perm="people.change_student",
            inside=Target(f"/people/students/{s_in.pk}/change/", s_in.name, orgs_in),
            outside=Target(f"/people/students/{s_out.pk}/change/", s_out.name, orgs_out),
        ),
    ]
