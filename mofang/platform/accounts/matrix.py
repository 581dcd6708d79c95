"""Permission-matrix endpoints of 账号管理 (see mofang/platform/matrix.py): an account holding
教师 at tree.school (in scope of the county, city, province and the school's principal) and one at
tree.other_school (江山市, out of every 常山县 scope)."""

from mofang.platform.matrix import Endpoint, Target

from .models import Membership, Role, User


def make_objects(tree):
    teacher = Role.objects.get(code="teacher")
    objs = {}
    for side, school in (("in", tree.school), ("out", tree.other_school)):
        tag = "甲" if side == "in" else "乙"
        user = User.objects.create_user(
            username=f"matrix_acct_{side}", full_name=f"矩阵账号{tag}", password="Mofang#2026", home_org=school
        )
        Membership.objects.create(user=user, role=teacher, org=school)
        objs[f"user_{side}"] = user
        objs[f"school_{side}"] = school
    return objs


def endpoints(o):
    def pair(url_fmt, kind, perm, marker=lambda u: u.full_name, **kw):
        return Endpoint(
            name=f"{url_fmt} [{kind}]",
            kind=kind,
            perm=perm,
            inside=Target(url_fmt.format(obj=o["user_in"]), marker(o["user_in"]), [o["school_in"]]),
            outside=Target(url_fmt.format(obj=o["user_out"]), marker(o["user_out"]), [o["school_out"]]),
            **kw,
        )

    return [
        pair("/accounts/users/?q=矩阵", "list", "accounts.view_user"),
        pair("/accounts/users/?q=矩阵", "count", "accounts.view_user"),
        pair("/accounts/users/?q=矩阵&export=xlsx", "export", "accounts.view_user"),
        pair("/accounts/users/{obj.pk}/", "detail", "accounts.view_user"),
        # granting 心理教师 at the account's own school: every holder of accounts.change_user above
        # or at the school may grant it there (grant table), nobody may reach the other county's
        pair(
            "/accounts/users/{obj.pk}/grant/",
            "change",
            "accounts.change_user",
            marker=lambda u: "",
            method="POST",
            data={"role": "psych_teacher", "org": o["school_in"].code},
        ),
        pair(
            "/accounts/users/{obj.pk}/edit/",
            "change",
            "accounts.change_user",
            marker=lambda u: "",
            method="POST",
            data={"full_name": "矩阵改名", "phone": ""},
        ),
        pair("/accounts/users/{obj.pk}/unlock/", "change", "accounts.change_user", marker=lambda u: "", method="POST"),
    ]
