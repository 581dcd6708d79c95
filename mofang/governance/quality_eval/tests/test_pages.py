"""The pages: a parent's entry refused with each field named (400, nothing written), the 公示 page
where a parent of the class objects, the school resolving and archiving on the class page, the
evidence served only to those who see the record, and the 达标率 page's figures."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mofang.governance.quality_eval import services
from mofang.governance.quality_eval.models import (
    Dimension,
    Kind,
    Objection,
    ObjectionStatus,
    Publicity,
    PublicityStatus,
    Record,
    Source,
    Status,
    term_of,
)

from .conftest import png

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _approved(child, kind=Kind.SPORTS_SKILL, dimension=Dimension.PHYSICAL, title="学会游泳"):
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
        status=Status.APPROVED,
    )


def test_parent_entry_refused_names_the_fields_and_writes_nothing(cls):
    c = _client(cls.parent)
    url = f"/quality_eval/students/{cls.kids[0].pk}/new/"
    r = c.post(url, {"dimension": "", "kind": "general", "title": "", "occurred_on": "明天"})
    assert r.status_code == 400
    text = r.content.decode()
    for message in ("请选择评价维度", "请填写标题", "发生日期格式不正确"):
        assert message in text
    assert not Record.objects.exists()
    r = c.post(
        url,
        {
            "dimension": "aesthetic",
            "kind": "art_skill",
            "title": "钢琴四级",
            "occurred_on": timezone.localdate().isoformat(),
            "files": [png()],
        },
    )
    assert r.status_code == 302
    rec = Record.objects.get()
    assert (rec.source, rec.status, rec.evidence.count()) == (Source.PARENT, Status.SUBMITTED, 1)
    ev = rec.evidence.get()
    assert c.get(f"/quality_eval/evidence/{ev.pk}/").status_code == 200
    assert _client(cls.head).get(f"/quality_eval/evidence/{ev.pk}/").status_code == 200
    assert _client(cls.other_parent).get(f"/quality_eval/evidence/{ev.pk}/").status_code == 404
    # another child's entry page: not found for this parent
    assert c.get(f"/quality_eval/students/{cls.other_kid.pk}/new/").status_code == 404


def test_objection_resolution_and_archive_through_the_pages(cls):
    swim = _approved(cls.kids[1])
    today = timezone.localdate()
    p = Publicity.objects.create(
        school=cls.tree.school,
        klass=cls.klass,
        school_year=swim.school_year,
        term=swim.term,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today,
    )
    parent = _client(cls.parent)
    page = parent.get(f"/quality_eval/publicity/{p.pk}/").content.decode()
    assert "学会游泳" in page and "提出异议" in page
    assert _client(cls.other_parent).get(f"/quality_eval/publicity/{p.pk}/").status_code == 404
    r = parent.post(f"/quality_eval/publicity/{p.pk}/", {"record": str(swim.pk), "reason": ""})
    assert r.status_code == 400 and "请填写异议理由" in r.content.decode()
    r = parent.post(f"/quality_eval/publicity/{p.pk}/", {"record": str(swim.pk), "reason": "没有参加过游泳训练"})
    assert r.status_code == 200 and "异议已提交" in r.content.decode()
    o = Objection.objects.get()
    # the school resolves it on the class page; archiving waits for the end of the period
    principal = _client(cls.principal)
    assert "没有参加过游泳训练" in principal.get(f"/quality_eval/classes/{cls.klass.pk}/").content.decode()
    r = principal.post(f"/quality_eval/publicity/{p.pk}/archive/")
    assert r.status_code == 400 and "公示结束后才能归档" in r.content.decode()
    r = _client(cls.head).post(
        f"/quality_eval/objections/{o.pk}/resolve/", {"decision": "dismissed", "resolution": "属实"}
    )
    assert r.status_code == 403
    r = principal.post(f"/quality_eval/objections/{o.pk}/resolve/", {"decision": "dismissed", "resolution": ""})
    assert r.status_code == 400 and "请填写处理意见" in r.content.decode()
    r = principal.post(
        f"/quality_eval/objections/{o.pk}/resolve/", {"decision": "dismissed", "resolution": "有游泳馆结业证书"}
    )
    assert r.status_code == 302
    o.refresh_from_db()
    assert o.status == ObjectionStatus.DISMISSED
    Publicity.objects.filter(pk=p.pk).update(ends_on=today - dt.timedelta(days=1))
    r = principal.post(f"/quality_eval/publicity/{p.pk}/archive/")
    assert r.status_code == 302
    p.refresh_from_db()
    swim.refresh_from_db()
    assert (p.status, swim.status) == (PublicityStatus.ARCHIVED, Status.ARCHIVED)
    # the parent reads the outcome; editing the archived record is refused
    assert "异议不成立" in parent.get(f"/quality_eval/publicity/{p.pk}/").content.decode()
    r = _client(cls.head).post(
        f"/quality_eval/records/{swim.pk}/edit/",
        {"dimension": "physical", "kind": "general", "title": "改", "occurred_on": today.isoformat()},
    )
    assert r.status_code == 400 and "已归档，记录只读" in r.content.decode()


def test_rates_page_counts_students_not_records(cls):
    _approved(cls.kids[0])
    _approved(cls.kids[0], title="跳绳")  # the same child twice: one student
    _approved(cls.kids[1], Kind.ART_SKILL, Dimension.AESTHETIC, "书法")
    _approved(cls.kids[2], Kind.GENERAL, Dimension.MORAL, "好人好事")
    revoked = _approved(cls.kids[3])
    Record.objects.filter(pk=revoked.pk).update(status=Status.REVOKED)  # not evaluated, not 达标
    year = term_of(timezone.localdate())[0]
    total, parts = services_figures(cls, year)
    assert (total.evaluated, total.sports, total.art) == (3, 1, 1)
    assert str(total.sports_rate) == "33.3"
    r = _client(cls.county).get(f"/quality_eval/rates/?org={cls.tree.county.pk}")
    text = r.content.decode()
    assert r.status_code == 200 and "33.3%" in text and "常山县第一小学" in text
    assert _client(cls.parent).get("/quality_eval/rates/").status_code == 403


def services_figures(cls, year):
    from mofang.governance.quality_eval import selectors

    return selectors.figures(cls.county, cls.tree.county, year)


def test_head_teacher_reviews_on_the_record_page(cls):
    rec = services.enter_record(
        cls.kids[0],
        dimension="labour",
        kind="general",
        title="做家务",
        occurred_on=timezone.localdate().isoformat(),
        acting_user=cls.parent,
    )
    head = _client(cls.head)
    r = head.post(f"/quality_eval/records/{rec.pk}/review/", {"action": "return", "reason": ""})
    assert r.status_code == 400 and "请填写退回原因" in r.content.decode()
    r = head.post(f"/quality_eval/records/{rec.pk}/review/", {"action": "return", "reason": "请附照片"})
    assert r.status_code == 302
    my = _client(cls.parent).get("/quality_eval/my/").content.decode()
    assert "已退回" in my and "请附照片" in my
    assert (
        _client(cls.teacher).post(f"/quality_eval/records/{rec.pk}/review/", {"action": "approve"}).status_code == 403
    )
