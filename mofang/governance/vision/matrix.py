"""视力健康's rows in the permission matrix (see mofang.platform.matrix).

Each side (常山县第一小学 一年级1班 inside, a class of 江山市实验小学 outside) gets a pupil screened
as myopic this autumn. The parent's page is "@own" only: no matrix role may see the pupils there.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_student

from .models import Screening, round_of


def _side(tag: str, school, klass) -> dict:
    child = make_student(school, f"矩阵{tag}视力学生", klass=klass)
    day = timezone.localdate() - dt.timedelta(days=1)
    year, term = round_of(day)
    s = Screening(
        student=child,
        school=school,
        klass=klass,
        grade=child.grade,
        school_year=year,
        term=term,
        screened_on=day,
        right_acuity=Decimal("4.7"),
        left_acuity=Decimal("4.8"),
        right_sphere=Decimal("-1.50"),
        left_sphere=Decimal("-1.00"),
    )
    s.classify()
    s.save()
    return {
        "school": school,
        "school_name": school.name,
        "klass": klass,
        "class_name": f"{klass.name}",
        "child": child,
        "child_name": child.name,
        "screening": s,
        "saved": "已保存",
    }


def make_objects(tree) -> dict:
    other_class = add(add(tree.other_school, "二年级", OrgKind.GRADE), "矩阵乙视力班", OrgKind.CLASS)
    return {"inside": _side("甲", tree.school, tree.klass), "outside": _side("乙", tree.other_school, other_class)}


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs=("school", "klass"), **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[k] for k in orgs])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    day = timezone.localdate() - dt.timedelta(days=1)
    data = {"screened_on": day.isoformat()}
    for side in (i, o):
        pk = side["child"].pk
        data |= {f"right_acuity-{pk}": "4.9", f"left_acuity-{pk}": "5.0", f"glasses-{pk}": "none"}
    return [
        ep(
            "视力筛查录入班级",
            "list",
            "vision.record_screening",
            lambda s: "/vision/classes/",
            "class_name",
            ("klass",),
        ),
        ep(
            "班级视力筛查录入页",
            "detail",
            "vision.record_screening",
            lambda s: f"/vision/classes/{s['klass'].pk}/",
            "child_name",
            ("klass",),
        ),
        ep(
            "保存班级视力筛查",
            "change",
            "vision.record_screening",
            lambda s: f"/vision/classes/{s['klass'].pk}/",
            "saved",
            ("klass",),
            method="POST",
            data=data,
        ),
        ep(
            "视力筛查详情",
            "detail",
            "vision.view_screening",
            lambda s: f"/vision/screenings/{s['screening'].pk}/",
            "child_name",
        ),
        ep(
            "学校近视率",
            "detail",
            "vision.view_rates",
            lambda s: f"/vision/rates/?org={s['school'].pk}",
            "school_name",
            ("school",),
        ),
        ep("孩子的视力", "list", "vision.view_own", lambda s: "/vision/my/", "child_name"),
    ]
