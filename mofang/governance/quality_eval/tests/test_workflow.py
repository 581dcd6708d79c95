"""A term's evaluation from entry to archive: a parent's and a teacher's records with evidence,
the 班主任's review (approve / return with a reason), 公示 for N working days with a parent's
objection that the school must resolve, then the archive — after which nothing changes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.governance.quality_eval import services
from mofang.governance.quality_eval.models import (
    Dimension,
    Evidence,
    Kind,
    ObjectionStatus,
    PublicityStatus,
    Record,
    Source,
    Status,
)
from mofang.platform.audit.models import AuditEntry
from mofang.platform.workdays.calendar import add_working_days

from .conftest import AUTUMN, png

pytestmark = pytest.mark.django_db


def _enter(student, user, title="学会游泳", kind=Kind.SPORTS_SKILL, dimension=Dimension.PHYSICAL, files=(), day=AUTUMN):
    return services.enter_record(
        student,
        dimension=dimension,
        kind=kind,
        title=title,
        description="能连续游50米",
        occurred_on=(day - dt.timedelta(days=3)).isoformat(),
        files=files,
        acting_user=user,
        today=day,
    )


def test_a_term_goes_through_publicity_with_an_objection_to_the_archive(cls):
    child, mate = cls.kids[0], cls.kids[1]
    # entry: the parent for their child (with a photo), a teacher for a pupil
    swim = _enter(child, cls.parent, files=[png()])
    assert (swim.source, swim.status, swim.school_year, swim.term) == (Source.PARENT, Status.SUBMITTED, 2026, 1)
    assert Evidence.objects.get(record=swim).content_type == "image/png"
    chore = _enter(child, cls.parent, "做家务", Kind.GENERAL, Dimension.LABOUR)
    piano = _enter(mate, cls.teacher, "钢琴四级", Kind.ART_SKILL, Dimension.AESTHETIC)
    assert piano.source == Source.TEACHER
    # a parent may not enter for another's child
    with pytest.raises(PermissionDenied):
        _enter(cls.other_kid, cls.parent)

    # review: a return needs a reason; only the 班主任
    with pytest.raises(ValidationError) as exc:
        services.review(chore, approve=False, reason=" ", acting_user=cls.head)
    assert exc.value.message_dict == {"reason": ["请填写退回原因"]}
    with pytest.raises(PermissionDenied):
        services.review(swim, approve=True, acting_user=cls.teacher)
    services.review(chore, approve=False, reason="请写明做了哪些家务并附照片", acting_user=cls.head)
    assert Record.objects.get(pk=chore.pk).status == Status.RETURNED
    services.review(swim, approve=True, acting_user=cls.head)
    services.review(piano, approve=True, acting_user=cls.head)

    # 公示 cannot start while a record waits for review; the parent corrects the returned one
    services.update_record(
        chore,
        dimension=Dimension.LABOUR,
        kind=Kind.GENERAL,
        title="每天洗碗",
        occurred_on=AUTUMN.isoformat(),
        files=[png("洗碗.png")],
        acting_user=cls.parent,
        today=AUTUMN,
    )
    chore.refresh_from_db()
    assert (chore.status, chore.return_reason) == (Status.SUBMITTED, "")
    start = dt.date(2026, 11, 2)
    with pytest.raises(ValidationError) as exc:
        services.start_publicity(cls.klass, acting_user=cls.head, today=start)
    assert "1条记录待审核" in exc.value.message_dict["form"][0]
    services.review(chore, approve=True, acting_user=cls.head)
    p = services.start_publicity(cls.klass, acting_user=cls.head, today=start)
    # N working days on the platform's calendar (not calendar days)
    assert p.ends_on == add_working_days(start, services.PUBLICITY_WORKING_DAYS, cls.klass) == dt.date(2026, 11, 9)
    assert set(p.records().values_list("pk", flat=True)) == {swim.pk, chore.pk, piano.pk}

    # during 公示: no entry, no edit
    with pytest.raises(ValidationError, match="正在公示"):
        _enter(child, cls.parent, "跳绳", day=dt.date(2026, 11, 4))

    # objections: a parent of the class, about a record on show, with a reason, within the period
    with pytest.raises(PermissionDenied):
        services.raise_objection(p, piano, reason="不属实", acting_user=cls.other_parent, today=start)
    with pytest.raises(ValidationError) as exc:
        services.raise_objection(p, piano, reason="", acting_user=cls.parent, today=start)
    assert exc.value.message_dict == {"reason": ["请填写异议理由"]}
    objection = services.raise_objection(
        p, piano, reason="该生本学期未参加钢琴考级", acting_user=cls.parent, today=dt.date(2026, 11, 5)
    )
    with pytest.raises(ValidationError, match="公示期已于"):
        services.raise_objection(
            p, swim, reason="不属实", acting_user=cls.classmate_parent, today=dt.date(2026, 11, 10)
        )

    # archive: not before the period ends, not with an objection open, only by the school
    with pytest.raises(ValidationError, match="公示结束后才能归档"):
        services.archive(p, acting_user=cls.principal, today=dt.date(2026, 11, 9))
    with pytest.raises(ValidationError, match="1条异议未处理"):
        services.archive(p, acting_user=cls.principal, today=dt.date(2026, 11, 10))
    with pytest.raises(PermissionDenied):
        services.resolve_objection(objection, upheld=True, resolution="核实", acting_user=cls.head)
    with pytest.raises(PermissionDenied):
        services.archive(p, acting_user=cls.head, today=dt.date(2026, 11, 10))
    services.resolve_objection(objection, upheld=True, resolution="经核实，考级在下学期", acting_user=cls.academic)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    assert Record.objects.get(pk=piano.pk).status == Status.REVOKED
    archived = services.archive(p, acting_user=cls.principal, today=dt.date(2026, 11, 10))
    assert archived == 2
    p.refresh_from_db()
    assert p.status == PublicityStatus.ARCHIVED
    assert dict(Record.objects.filter(klass=cls.klass).values_list("pk", "status")) == {
        swim.pk: Status.ARCHIVED,
        chore.pk: Status.ARCHIVED,
        piano.pk: Status.REVOKED,
    }
    assert AuditEntry.objects.filter(object_type="quality_eval.Publicity", object_id=str(p.pk)).count() == 2


def test_nothing_changes_after_the_archive(cls):
    rec = _enter(cls.kids[0], cls.parent)
    services.review(rec, approve=True, acting_user=cls.head)
    p = services.start_publicity(cls.klass, acting_user=cls.head, today=dt.date(2026, 11, 2))
    services.archive(p, acting_user=cls.principal, today=dt.date(2026, 12, 1))
    rec.refresh_from_db()
    before = (rec.title, rec.status, rec.updated_at)
    edit = dict(
        dimension=Dimension.PHYSICAL, kind=Kind.SPORTS_SKILL, title="改过的标题", occurred_on=AUTUMN.isoformat()
    )
    for user in (cls.parent, cls.head, cls.principal):
        with pytest.raises(ValidationError, match="已归档，记录只读"):
            services.update_record(rec, **edit, acting_user=user, today=dt.date(2026, 12, 2))
    with pytest.raises(ValidationError, match="已归档"):
        services.review(rec, approve=False, reason="再看看", acting_user=cls.head)
    with pytest.raises(ValidationError, match="已归档"):
        _enter(cls.kids[0], cls.parent, "新记录", day=dt.date(2026, 12, 2))
    with pytest.raises(ValidationError, match="已归档"):
        services.start_publicity(cls.klass, acting_user=cls.head, today=dt.date(2026, 12, 2))
    with pytest.raises(ValidationError, match="已归档"):
        services.archive(p, acting_user=cls.principal, today=dt.date(2026, 12, 2))
    rec.refresh_from_db()
    assert (rec.title, rec.status, rec.updated_at) == before
    assert rec.status == Status.ARCHIVED


def test_evidence_is_checked_by_content_and_size_and_nothing_is_half_written(cls):
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        _enter(cls.kids[0], cls.parent, files=[fake])
    assert exc.value.message_dict == {"files": ["证明材料只能是PDF、JPG或PNG文件"]}
    big = SimpleUploadedFile(
        "大.png", b"\x89PNG\r\n\x1a\n" + b"0" * services.MAX_EVIDENCE_BYTES, content_type="image/png"
    )
    with pytest.raises(ValidationError) as exc:
        _enter(cls.kids[0], cls.parent, files=[big])
    assert exc.value.message_dict == {"files": ["证明材料不能超过5MB"]}
    with pytest.raises(ValidationError) as exc:
        _enter(cls.kids[0], cls.parent, files=[png(), png(), png(), png()])
    assert "最多3个" in exc.value.message_dict["files"][0]
    assert not Record.objects.exists() and not Evidence.objects.exists()


def test_bad_input_names_the_field(cls):
    with pytest.raises(ValidationError) as exc:
        services.enter_record(
            cls.kids[0],
            dimension="x",
            kind=Kind.ART_SKILL,
            title="",
            occurred_on="2026-13-01",
            acting_user=cls.parent,
            today=AUTUMN,
        )
    assert set(exc.value.message_dict) == {"dimension", "title", "occurred_on"}
    with pytest.raises(ValidationError) as exc:
        _enter(cls.kids[0], cls.parent, "画画", Kind.ART_SKILL, Dimension.PHYSICAL)
    assert exc.value.message_dict == {"kind": ["“艺术特长”只能记在“美”维度"]}
    with pytest.raises(ValidationError) as exc:
        services.enter_record(
            cls.kids[0],
            dimension=Dimension.MORAL,
            kind=Kind.GENERAL,
            title="好人好事",
            occurred_on="2026-10-20",
            acting_user=cls.parent,
            today=AUTUMN,
        )
    assert exc.value.message_dict == {"occurred_on": ["发生日期不能晚于今天"]}
    assert not Record.objects.exists()
