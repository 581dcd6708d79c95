"""教师发展's rows in the permission matrix (see mofang.platform.matrix).

Each side (常山县第一小学 inside, 江山市实验小学 outside) gets a teacher with an imported record, a
rule of its county, an application for 教坛新苗 (a case) and a 名师工作室. "我的积分" and the
application form are "@own" only: no matrix user owns a teacher there, so none sees them."""

import datetime as dt

from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_staff, make_user

from . import services
from .models import ActivityRecord, Category


def _side(tag: str, school, county) -> dict:
    user = make_user(f"matrix_td_{tag}", "teacher", school, full_name=f"矩阵{tag}教师")
    teacher = make_staff(school, f"矩阵{tag}积分教师", user=user)
    day = timezone.localdate() - dt.timedelta(days=1)
    ActivityRecord.objects.create(
        school=school,
        staff=teacher,
        record_no=f"MX-{tag}",
        category=Category.HOME_VISIT,
        date=day,
        quantity=1,
        title=f"矩阵{tag}家访记录",
    )
    services.set_rule(
        county,
        category=Category.HOME_VISIT,
        points_per_unit="1",
        cap="20",
        cap_period="year",
        effective_from=dt.date(2020, 1, 1),
        note=f"矩阵{tag}积分规则",
        acting_user=None,
    )
    app = services.apply_for_level(teacher, services.ensure_levels()[0], statement="任教满一年", acting_user=user)
    studio = services.create_studio(
        name=f"矩阵{tag}名师工作室", subject="数学", host=teacher, founded_on=day, acting_user=None
    )
    return {
        "school": school,
        "county": county,
        "teacher": teacher,
        "name": teacher.name,
        "record": f"矩阵{tag}家访记录",
        "rule": f"矩阵{tag}积分规则",
        "app": app,
        "studio": studio,
        "studio_name": studio.name,
        "saved": "已保存",
        "applied": "已提交",
        "logged": "已登记活动",
        "founded": "已设立",
        "added": "已添加成员",
        "member": make_staff(school, f"矩阵{tag}成员教师"),
    }


def make_objects(tree) -> dict:
    return {
        "inside": _side("甲", tree.school, tree.county),
        "outside": _side("乙", tree.other_school, tree.other_county),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs=("school",), **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[k] for k in orgs])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    today = timezone.localdate().isoformat()
    return [
        ep("我的积分", "list", "teacher_dev.view_own_points", lambda s: "/teacher_dev/my/", "name"),
        ep(
            "教师积分明细",
            "detail",
            "teacher_dev.view_points",
            lambda s: f"/teacher_dev/teachers/{s['teacher'].pk}/",
            "record",
        ),
        ep(
            "年度积分报告单",
            "detail",
            "teacher_dev.view_points",
            lambda s: f"/teacher_dev/teachers/{s['teacher'].pk}/statement/",
            "name",
        ),
        ep(
            "积分排行",
            "list",
            "teacher_dev.view_ranking",
            lambda s: f"/teacher_dev/ranking/?org={s['school'].pk}",
            "name",
        ),
        ep(
            "积分规则",
            "list",
            "teacher_dev.manage_rules",
            lambda s: f"/teacher_dev/rules/?county={s['county'].pk}",
            "rule",
            ("county",),
        ),
        ep(
            "保存积分规则",
            "change",
            "teacher_dev.manage_rules",
            lambda s: f"/teacher_dev/rules/?county={s['county'].pk}",
            "saved",
            ("county",),
            method="POST",
            data={
                "category": "public_lesson",
                "points_per_unit": "3",
                "cap": "15",
                "cap_period": "year",
                "effective_from": today,
            },
        ),
        ep("积分记录导入", "list", "teacher_dev.import_records", lambda s: "/teacher_dev/records/", "record"),
        ep("成长阶梯申报", "list", "teacher_dev.view_ladder", lambda s: "/teacher_dev/ladder/", "name"),
        ep(
            "提交成长阶梯申报",
            "change",
            "teacher_dev.apply_ladder",
            lambda s: "/teacher_dev/ladder/",
            "applied",
            method="POST",
            data={"level": "1", "statement": "申报"},
        ),
        ep("名师工作室", "list", "teacher_dev.view_studio", lambda s: "/teacher_dev/studios/", "studio_name"),
        ep(
            "名师工作室详情",
            "detail",
            "teacher_dev.view_studio",
            lambda s: f"/teacher_dev/studios/{s['studio'].pk}/",
            "studio_name",
        ),
        ep(
            "登记工作室活动",
            "change",
            "teacher_dev.manage_studio",
            lambda s: f"/teacher_dev/studios/{s['studio'].pk}/",
            "logged",
            method="POST",
            data={"form": "activity", "date": today, "kind": "研修", "title": "矩阵研修", "participants": "5"},
        ),
        ep(
            "设立名师工作室",
            "change",
            "teacher_dev.manage_studio",
            lambda s: f"/teacher_dev/studios/?host_no={s['teacher'].staff_no}",
            "founded",
            method="POST",
            data={"name": "矩阵新设工作室", "subject": "语文", "level": "县级"},
        ),
        ep(
            "添加工作室成员",
            "change",
            "teacher_dev.manage_studio",
            lambda s: f"/teacher_dev/studios/{s['studio'].pk}/",
            "added",
            method="POST",
            data={"form": "member", "staff_no": i["member"].staff_no},
        ),
    ]
