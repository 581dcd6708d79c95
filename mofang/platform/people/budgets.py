"""Query budgets of 家长, 家长绑定确认, 学年升级 and 绑定孩子 (see mofang/platform/budgets.py)."""

from mofang.platform.accounts.models import User
from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_student, make_user

from .models import BindingRequest, Guardian, Guardianship

COVERS = ("people:guardian_list", "people:binding_list", "people:promotion", "people:bind", "people:guardian_detail")


def scene(tree, n: int) -> Scene:
    """n children of tree.klass, each with a guardian and a pending binding request from one parent
    (who also has n bound children), and n schools of the county with a pupil each (学年升级)."""
    parent = make_user("budget_parent", "parent", tree.school)
    mine = Guardian(name="预算本人家长", user=parent)
    mine.set_phone("13900003000")
    mine.save()
    for i in range(n):
        child = make_student(tree.school, f"预算孩子{i}", klass=tree.klass)
        guardian = Guardian(name=f"预算家长{i}")
        guardian.set_phone(f"139000030{i + 1:02d}")
        guardian.save()
        Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
        Guardianship.objects.create(
            guardian=mine, student=make_student(tree.school, f"预算本人孩子{i}"), relation="父亲"
        )
        asker = User.objects.create_user(username=f"budget_asker{i}", phone=f"139000031{i:02d}", password=None)
        BindingRequest.objects.create(user=asker, student=child, parent_name=f"预算申请{i}", relation="母亲")
        BindingRequest.objects.create(
            user=parent,
            student=make_student(tree.school, f"预算待绑{i}", klass=tree.klass),
            parent_name="预算本人家长",
            relation="父亲",
        )
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082293{i:02d}", school_type="primary")
        make_student(school, f"预算升级学生{i}")
    return Scene(
        user=make_user("budget_people", "academic", tree.school),
        urls={"people:guardian_detail": f"/people/guardians/{mine.pk}/"},
        users={"people:promotion": make_user("budget_promoter", "county_admin", tree.county), "people:bind": parent},
    )
