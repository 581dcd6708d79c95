"""综合素质评价's rows in the permission matrix (see mofang.platform.matrix).

Each side (常山县第一小学 inside, 江山市实验小学 outside) gets: in its first class a record
awaiting review (with a photo) and an approved one; a class ready for 公示 (approved records
only); a class whose 公示 has ended (ready to archive); and a class on 公示 with an open objection.
The parent's pages are "@own" only: no matrix user is a parent of these pupils.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.testing import add, make_student

from .models import Dimension, Evidence, Kind, Objection, Publicity, Record, Source, Status, term_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _record(child, title, status, kind=Kind.GENERAL, dimension=Dimension.MORAL):
    year, term = term_of(timezone.localdate())
    return Record.objects.create(
        student=child,
        school=child.school,
        klass=child.klass,
        grade=child.grade,
        school_year=year,
        term=term,
        dimension=dimension,
        kind=kind,
        title=title,
        occurred_on=timezone.localdate(),
        source=Source.PARENT,
        status=status,
    )


def _publicity(school, klass, starts, ends):
    year, term = term_of(timezone.localdate())
    return Publicity.objects.create(
        school=school, klass=klass, school_year=year, term=term, starts_on=starts, ends_on=ends
    )


def _side(tag: str, school, klass) -> dict:
    today = timezone.localdate()
    grade = OrgUnit.objects.get_parent(klass)
    child = make_student(school, f"矩阵{tag}评价学生", klass=klass)
    pending = _record(child, f"矩阵{tag}待审核记录", Status.SUBMITTED, Kind.SPORTS_SKILL, Dimension.PHYSICAL)
    ev = Evidence.objects.create(
        record=pending, file=ContentFile(PNG, name="m.png"), name="证书.png", content_type="image/png", size=len(PNG)
    )
    ready = add(grade, f"矩阵{tag}待公示班", OrgKind.CLASS)
    _record(make_student(school, f"矩阵{tag}待公示学生", klass=ready), "好人好事", Status.APPROVED)
    ended = add(grade, f"矩阵{tag}公示期满班", OrgKind.CLASS)
    _record(make_student(school, f"矩阵{tag}期满学生", klass=ended), "文明礼仪", Status.APPROVED)
    p_ended = _publicity(school, ended, today - dt.timedelta(days=20), today - dt.timedelta(days=10))
    showing = add(grade, f"矩阵{tag}公示中班", OrgKind.CLASS)
    disputed = _record(make_student(school, f"矩阵{tag}公示学生", klass=showing), "钢琴四级", Status.APPROVED)
    p_open = _publicity(school, showing, today - dt.timedelta(days=1), today + dt.timedelta(days=10))
    objection = Objection.objects.create(publicity=p_open, record=disputed, reason="不属实")
    return {
        "school": school,
        "school_name": school.name,
        "klass": klass,
        "class_name": klass.name,
        "child": child,
        "child_name": child.name,
        "pending": pending,
        "title": pending.title,
        "evidence": ev,
        "ready": ready,
        "ended": ended,
        "p_ended": p_ended,
        "showing": showing,
        "p_open": p_open,
        "showing_name": showing.name,
        "objection": objection,
        "empty": "",
    }


def make_objects(tree) -> dict:
    other_class = add(add(tree.other_school, "二年级", OrgKind.GRADE), "矩阵乙评价班", OrgKind.CLASS)
    return {"inside": _side("甲", tree.school, tree.klass), "outside": _side("乙", tree.other_school, other_class)}


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs=("school", "klass"), **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[k] for k in orgs])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    entry = {
        "dimension": "moral",
        "kind": "general",
        "title": "矩阵录入记录",
        "occurred_on": timezone.localdate().isoformat(),
    }
    return [
        ep(
            "评价班级列表",
            "list",
            "quality_eval.view_record",
            lambda s: "/quality_eval/classes/",
            "class_name",
            ("klass",),
        ),
        ep(
            "班级学期评价",
            "detail",
            "quality_eval.view_record",
            lambda s: f"/quality_eval/classes/{s['klass'].pk}/",
            "title",
            ("klass",),
        ),
        ep(
            "评价记录详情",
            "detail",
            "quality_eval.view_record",
            lambda s: f"/quality_eval/records/{s['pending'].pk}/",
            "title",
        ),
        ep(
            "证明材料",
            "detail",
            "quality_eval.view_record",
            lambda s: f"/quality_eval/evidence/{s['evidence'].pk}/",
            "empty",
        ),
        ep(
            "为学生录入评价",
            "detail",
            "quality_eval.enter_record",
            lambda s: f"/quality_eval/students/{s['child'].pk}/new/",
            "child_name",
        ),
        ep(
            "修改评价记录",
            "detail",
            "quality_eval.enter_record",
            lambda s: f"/quality_eval/records/{s['pending'].pk}/edit/",
            "title",
        ),
        ep(
            "保存评价记录",
            "change",
            "quality_eval.enter_record",
            lambda s: f"/quality_eval/students/{s['child'].pk}/new/",
            "empty",
            method="POST",
            data=entry,
        ),
        ep(
            "审核评价记录",
            "change",
            "quality_eval.review_record",
            lambda s: f"/quality_eval/records/{s['pending'].pk}/review/",
            "empty",
            ("klass",),
            method="POST",
            data={"action": "approve"},
        ),
        ep(
            "发起公示",
            "change",
            "quality_eval.start_publicity",
            lambda s: f"/quality_eval/classes/{s['ready'].pk}/publicity/",
            "empty",
            ("ready",),
            method="POST",
        ),
        ep(
            "处理公示异议",
            "change",
            "quality_eval.settle_term",
            lambda s: f"/quality_eval/objections/{s['objection'].pk}/resolve/",
            "empty",
            ("showing",),
            method="POST",
            data={"decision": "dismissed", "resolution": "经核实属实"},
        ),
        ep(
            "归档学期评价",
            "change",
            "quality_eval.settle_term",
            lambda s: f"/quality_eval/publicity/{s['p_ended'].pk}/archive/",
            "empty",
            ("ended",),
            method="POST",
        ),
        ep(
            "转入体测与课后服务记录",
            "change",
            "quality_eval.settle_term",
            lambda s: f"/quality_eval/schools/{s['school'].pk}/pull/",
            "school_name",
            ("school",),
            method="POST",
        ),
        ep(
            "达标率",
            "detail",
            "quality_eval.view_rates",
            lambda s: f"/quality_eval/rates/?org={s['school'].pk}",
            "school_name",
            ("school",),
        ),
        ep("孩子的综合素质评价", "list", "quality_eval.own", lambda s: "/quality_eval/my/", "child_name"),
        ep(
            "班级公示（家长）",
            "detail",
            "quality_eval.own",
            lambda s: f"/quality_eval/publicity/{s['p_open'].pk}/",
            "showing_name",
            ("showing",),
        ),
    ]
