"""控辍保学's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives each county (常山县 "inside", 江山市 "outside") a register batch of two
children — one on the county school's roll, one with no roll record — and the case opened for the
latter. The import page itself (no object) needs only the import permission anywhere and is the
platform's (/imports/dropout_register/), so it is not in the matrix.
"""

from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_id_number, make_student, make_user

from . import services
from .models import ChildCase, RegisterBatch, RegisterChild


def _side(tag: str, county, school) -> dict:
    admin = make_user(f"mx_kc_{tag}", "county_admin", county, full_name=f"矩阵{tag}教育局")
    batch = RegisterBatch.objects.create(
        county=county, reference_date=timezone.localdate(), filename=f"矩阵{tag}名册.csv", children=2
    )
    student = make_student(school, f"矩阵{tag}在读")
    on_roll = RegisterChild(
        batch=batch,
        county=county,
        name=student.name,
        sex="M",
        birth_date=student.birth_date,
        hukou_region=county.code,
        residence_region=county.code,
    )
    on_roll.id_number_hash, on_roll.id_number_sealed = student.id_number_hash, student.id_number_sealed
    on_roll.save()
    out = RegisterChild(
        batch=batch,
        county=county,
        name=f"矩阵{tag}失学儿童",
        sex="F",
        birth_date=student.birth_date,
        hukou_region=county.code,
        residence_region=county.code,
    )
    out.set_id_number(make_id_number("20150301", "F", county.code))
    out.save()
    services.open_cases(batch, acting_user=admin)
    return {
        "county": county,
        "batch": batch,
        "file": batch.filename,
        "child": out.name,
        "case": ChildCase.objects.get(child=out),
        "empty": "",
    }


def make_objects(tree) -> dict:
    return {
        "inside": _side("甲", tree.county, tree.school),
        "outside": _side("乙", tree.other_county, tree.other_school),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side["county"]])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("控辍保学各区县比对", "list", "dropout_control.view", lambda s: "/dropout_control/", "file"),
        ep(
            "区县比对结果",
            "detail",
            "dropout_control.view",
            lambda s: f"/dropout_control/county/{s['county'].pk}/",
            "file",
        ),
        ep(
            "区县三类名单（姓名）",
            "detail",
            "dropout_control.handle",
            lambda s: f"/dropout_control/county/{s['county'].pk}/",
            "child",
        ),
        ep(
            "控辍保学案件",
            "detail",
            "dropout_control.view",
            lambda s: f"/dropout_control/cases/{s['case'].pk}/",
            "child",
        ),
        ep(
            "重新比对并立案",
            "change",
            "dropout_control.handle",
            lambda s: f"/dropout_control/county/{s['county'].pk}/rematch/",
            "empty",
            method="POST",
        ),
        ep(
            "转入劝返",
            "change",
            "dropout_control.handle",
            lambda s: f"/dropout_control/cases/{s['case'].pk}/",
            "empty",
            method="POST",
            data={"action": "persuade", "comment": "矩阵核查"},
        ),
        ep(
            "说明情况",
            "change",
            "dropout_control.handle",
            lambda s: f"/dropout_control/cases/{s['case'].pk}/",
            "empty",
            method="POST",
            data={"action": "explain", "reason": "abroad", "comment": "矩阵说明"},
        ),
    ]
