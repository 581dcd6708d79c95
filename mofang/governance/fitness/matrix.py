"""体质健康's rows in the permission matrix (see mofang.platform.matrix).

Each side (常山县第一小学's 一年级1班 inside, a class of 江山市实验小学 outside) gets a child in
一年级 with this year's scored result. The bureau roles hold only the rates: the count on the
rates page proves an out-of-scope result is not counted; the school's and the class teacher's
pages show the child only inside. A parent's pages are "@own": no matrix role owns these children.

The import (/imports/fitness_results/) is not an object page: what it may write is proven in
tests/test_import.py (a 学籍号 outside the uploader's scope is refused exactly as an unknown one,
a county without the permission reaches no child).
"""

from decimal import Decimal

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.roll import current_school_year
from mofang.platform.testing import add, make_student

from .models import FitnessResult, result_key
from .services import check_cells, outcome

GRADE1 = {
    "height_cm": "122",
    "weight_kg": "23",
    "vital_capacity": "1100",
    "run_50m": "11.2",
    "sit_and_reach": "9",
    "rope_skipping_1min": "90",
}


def _side(tag: str, school, klass) -> dict:
    child = make_student(school, f"矩阵{tag}体测学生", klass=klass, grade=1)
    year = current_school_year()
    values, errors = check_cells(1, child.sex, GRADE1)
    assert not errors, errors
    fields = outcome(1, child.sex, values)
    if fields["total"] is None:  # whatever the engine makes of it, the result counts in the rates
        fields.update(total=Decimal("75.0"), band="及格")
    FitnessResult.objects.create(
        student_year=result_key(child.pk, year.start_year),
        student=child,
        school_year=year,
        school=school,
        klass=klass,
        grade=1,
        sex=child.sex,
        **fields,
    )
    return {
        "school": school,
        "klass": klass,
        "class_name": klass.name,
        "child": child,
        "child_name": child.name,
        "pdf": "%PDF",
        "empty": "",
    }


def make_objects(tree) -> dict:
    outside_class = add(add(tree.other_school, "一年级", OrgKind.GRADE), "矩阵乙班", OrgKind.CLASS)
    return {"inside": _side("甲", tree.school, tree.klass), "outside": _side("乙", tree.other_school, outside_class)}


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side["school"], side["klass"]])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("体质健康录入班级列表", "list", "fitness.enter", lambda s: "/fitness/classes/", "class_name"),
        ep(
            "班级体质健康成绩录入",
            "detail",
            "fitness.enter",
            lambda s: f"/fitness/classes/{s['klass'].pk}/",
            "child_name",
        ),
        ep("学生体质健康报告", "detail", "fitness.view", lambda s: f"/fitness/students/{s['child'].pk}/", "child_name"),
        ep("学生体质健康报告PDF", "export", "fitness.view", lambda s: f"/fitness/students/{s['child'].pk}/pdf/", "pdf"),
        ep("孩子的体质健康", "list", "fitness.view_child", lambda s: "/fitness/my/", "child_name"),
        ep("体质健康合格率（学校）", "list", "fitness.view_rates", lambda s: "/fitness/rates/", "class_name"),
        ep(
            "体质健康测试人数",
            "count",
            "fitness.view_rates",
            lambda s: "/fitness/rates/",
            "empty",
            count_label="测试人数",
            hidden_at_zero=True,
        ),
        # changes last: they add rows the counts above would see
        ep(
            "保存班级体质健康成绩",
            "change",
            "fitness.enter",
            lambda s: f"/fitness/classes/{s['klass'].pk}/",
            "empty",
            method="POST",
            data={},
        ),
    ]
