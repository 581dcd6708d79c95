"""Every change in 教育督导 goes through these functions (acting_user=, one transaction, audited).

The loop itself (签收, 报送, 核查, 督办) is the case engine's (mofang.platform.cases.services);
these functions open the case and keep the Rectification row beside it.
"""

import datetime as dt
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case
from mofang.platform.cases.registry import TO_SUPERVISION
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.orgs.selectors import county_of as county_of  # one rule, re-exported for callers

from . import compliance
from .cases import CODE, TERMS
from .models import (
    Checklist,
    ChecklistItem,
    Finding,
    Inspector,
    InspectorAssignment,
    ItemResult,
    Rectification,
    Visit,
    VisitItem,
)


def _refuse(message: str, field: str | None = None) -> NoReturn:
    raise ValidationError({field: message} if field else message)


# --- inspectors and 责任区 -----------------------------------------------------------------


def add_inspector(county, name: str, *, full_time: bool, user=None, staff=None, acting_user) -> Inspector:
    name = (name or "").strip()
    if not name:
        _refuse(gettext("请填写督学姓名"), "name")
    with transaction.atomic():
        ins = Inspector.objects.create(county=county, name=name[:50], full_time=full_time, user=user, staff=staff)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"登记督学{ins}",
            obj=ins,
            org=county,
            after={"name": ins.name, "full_time": full_time},
        )
    return ins


def assign_school(inspector: Inspector, school, *, acting_user, since: dt.date | None = None) -> InspectorAssignment:
    if not school.path.startswith(inspector.county.path) or school.kind != OrgKind.SCHOOL:
        _refuse(gettext("{name}不是{name2}的学校").format(name=school.name, name2=inspector.county.name), "school")
    with transaction.atomic():
        old = InspectorAssignment.objects.select_for_update().filter(school=school).first()
        before = {"inspector": old.inspector_id} if old else None
        a, _ = InspectorAssignment.objects.update_or_create(
            school=school, defaults={"inspector": inspector, "since": since or timezone.localdate()}
        )
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{school.name}的责任督学定为{inspector.name}",
            obj=a,
            org=school,
            before=before,
            after={"inspector": inspector.pk},
        )
    return a


def adopt_proposal(county, *, acting_user) -> int:
    """采用建议: replace the county's 责任区 by the proposal (recomputed here, so the page cannot
    adopt a stale one). Unchanged pairs keep their start date. Returns the schools assigned."""
    if acting_user is not None and not has_perm_at(acting_user, "supervision.assign", county):
        _refuse(gettext("您没有调整{name}督学责任区的权限").format(name=county.name))
    with transaction.atomic():
        list(Inspector.objects.select_for_update().filter(county=county).order_by("pk"))
        report, _facts = compliance.county_report(county)
        if report.proposal is None:
            _refuse(report.no_proposal_reason)
        today = timezone.localdate()
        old = {a.school_id: a for a in InspectorAssignment.objects.filter(school__path__startswith=county.path)}
        before = {str(k): a.inspector_id for k, a in old.items()}
        keep, new = set(), []
        for inspector_id, school_ids in report.proposal.items():
            for sid in school_ids:
                a = old.get(sid)
                if a is not None and a.inspector_id == inspector_id:
                    keep.add(a.pk)
                else:
                    new.append(InspectorAssignment(inspector_id=inspector_id, school_id=sid, since=today))
        InspectorAssignment.objects.filter(school__path__startswith=county.path).exclude(pk__in=keep).delete()
        InspectorAssignment.objects.bulk_create(new)
        after = {str(s): i for i, ids in report.proposal.items() for s in ids}
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{county.name}采用督学责任区建议方案",
            org=county,
            before=before,
            after=after,
        )
    return len(after)


# --- checklists and visits ------------------------------------------------------------------


def default_checklist() -> Checklist:
    """The shipped 20-item list; shipped again (as the data migration does) when a database was
    flushed after migrating (a demo --reset, a transactional test)."""
    found = Checklist.objects.filter(code="responsible-20").first()
    if found is None:
        from importlib import import_module

        from django.apps import apps

        import_module("mofang.governance.supervision.migrations.0002_checklist_20").ship(apps, None)
        found = Checklist.objects.get(code="responsible-20")
    return found


def active_checklists(county=None):
    """The lists offered for a new visit: active, shared or the county's own."""
    from django.db.models import Q

    qs = Checklist.objects.filter(active=True)
    own = Q(county__isnull=True) | (Q(county=county) if county is not None else Q(pk__in=[]))
    return qs.filter(own).order_by("name")


def checklist_items(checklist):
    return list(ChecklistItem.objects.filter(checklist=checklist).order_by("order"))


def inspector_of(user) -> Inspector | None:
    if user is None or not user.is_authenticated:
        return None
    return Inspector.objects.filter(user=user, active=True).select_related("county").first()


def record_visit(
    *,
    inspector: Inspector,
    school,
    visited_on: dt.date,
    checklist: Checklist,
    results: dict[int, dict],
    summary: str = "",
    acting_user,
) -> Visit:
    """Record a visit: `results` maps each checklist item id to {"result": ok|problem, "note", "photo"}.
    Every item must be answered; a problem needs a note (it becomes a finding with the photo as evidence)."""
    if not has_perm_at(acting_user, "supervision.record_visit", school):
        _refuse(gettext("您不能记录{name}的进校督查").format(name=school.name))
    if school.kind != OrgKind.SCHOOL or not school.path.startswith(inspector.county.path):
        _refuse(gettext("只能督查本区县的学校"), "school")
    if visited_on > timezone.localdate():
        _refuse(gettext("督查日期不能晚于今天"), "visited_on")
    if not checklist.active:
        _refuse(gettext("督查清单「{name}」已停用").format(name=checklist.name), "checklist")
    if checklist.county_id is not None and checklist.county_id != inspector.county_id:
        _refuse(gettext("只能使用本区县或通用的督查清单"), "checklist")
    items = checklist_items(checklist)
    if not items:
        _refuse(gettext("督查清单没有条目"), "checklist")
    rows = []
    for item in items:
        r = results.get(item.pk) or {}
        result, note = r.get("result"), (r.get("note") or "").strip()[:500]
        if result not in ItemResult.values:
            _refuse(
                gettext("第{order}项「{text}」请选择符合或存在问题").format(order=item.order, text=item.text),
                f"item_{item.pk}",
            )
        if result == ItemResult.PROBLEM and not note:
            _refuse(gettext("第{order}项存在问题，请填写问题说明").format(order=item.order), f"note_{item.pk}")
        photo = r.get("photo")
        if photo:
            cases.sniff_upload(photo)
        rows.append((item, str(result), note, photo))
    with transaction.atomic():
        visit = Visit.objects.create(
            inspector=inspector,
            school=school,
            visited_on=visited_on,
            checklist=checklist,
            summary=(summary or "").strip()[:5000],
            created_by=acting_user,
        )
        problems = 0
        for item, result, note, photo in rows:
            vi = VisitItem.objects.create(visit=visit, item=item, result=result, note=note, photo=photo or "")
            if result == ItemResult.PROBLEM:
                Finding.objects.create(
                    visit=visit,
                    visit_item=vi,
                    description=f"{item.text}：{note}"[:500],
                    evidence=vi.photo.name if vi.photo else "",
                )
                problems += 1
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"进校督查{school.name}，发现问题{problems}项",
            obj=visit,
            org=school,
            after={"visited_on": visited_on.isoformat(), "problems": problems},
        )
    return visit


# --- 整改通知 ----------------------------------------------------------------------------------


def issue_notice(
    finding: Finding,
    *,
    content: str,
    term_days: int,
    major: bool = False,
    recheck_days: int = 90,
    acting_user,
    now=None,
) -> Rectification:
    """下达整改通知: a case from the county (the inspector) to the school, due `term_days` after the
    school signs for it; a major issue is flagged 挂牌督导."""
    content = (content or "").strip()
    if not content:
        _refuse(gettext("请填写整改内容"), "content")
    if term_days not in TERMS:
        _refuse(gettext("整改期限只能是{value}天").format(value="、".join(str(t) for t in TERMS)), "term_days")
    if not 1 <= recheck_days <= 365:
        _refuse(gettext("回头看间隔须在1到365天之间"), "recheck_days")
    school = finding.visit.school
    county = finding.visit.inspector.county
    if acting_user is not None and not has_perm_at(acting_user, "supervision.issue_notice", school):
        _refuse(gettext("您不能向{name}下达整改通知").format(name=school.name))
    with transaction.atomic():
        # the finding's row lock serialises a double click: the second one finds the notice
        Finding.objects.select_for_update().filter(pk=finding.pk).first()
        if Rectification.objects.filter(finding=finding).exists():
            _refuse(gettext("该问题已下达整改通知"))
        case = cases.open_case(
            CODE,
            title=f"{school.name}：{finding.visit_item.item.text}"[:200],
            reporting_org=county,
            responsible_org=school,
            acting_user=acting_user,
            description=content,
            severity=f"d{term_days}",
            category="major" if major else "",
            now=now,
            data={"finding": finding.pk, "major": major},
        )
        rect = Rectification.objects.create(
            case=case,
            finding=finding,
            county=county,
            school=school,
            term_days=term_days,
            major=major,
            recheck_days=recheck_days,
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"向{school.name}下达整改通知{case.number}{'（挂牌督导）' if major else ''}",
            obj=rect,
            org=school,
            after={"term_days": term_days, "major": major},
        )
    return rect


def reply(rect: Rectification, *, comment: str, attachments=(), acting_user, now=None) -> Case:
    """The school reports its rectification (签收 first if it had not), with attachments."""
    case = rect.case
    with transaction.atomic():
        if case.state == "issued":
            cases.fire(case, "start", acting_user=acting_user, now=now)
        for upload in attachments:
            cases.attach(case, upload, acting_user=acting_user, now=now)
        cases.fire(case, "reply", acting_user=acting_user, comment=comment, now=now)
    return case


def verify(rect: Rectification, *, passed: bool, comment: str = "", acting_user, now=None) -> Case:
    """The inspector's 核查: 销号 (and the 回头看 is scheduled) or back to 整改中."""
    now = now or timezone.now()
    with transaction.atomic():
        case = cases.fire(
            rect.case, "verify" if passed else "reject", acting_user=acting_user, comment=comment, now=now
        )
        if passed:
            rect.recheck_due = timezone.localtime(now).date() + dt.timedelta(days=rect.recheck_days)
            rect.recheck_done_at = None
            rect.save(update_fields=["recheck_due", "recheck_done_at"])
    return case


def recheck(rect: Rectification, *, held: bool, note: str, acting_user, now=None) -> Rectification:
    """回头看: the problem stayed fixed (recorded), or it came back — the case re-opens to 整改中
    and a 督办单 is issued."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        _refuse(gettext("请填写回头看情况"), "note")
    case = rect.case
    if case.is_open:
        _refuse(gettext("整改尚未销号，不能回头看"))
    with transaction.atomic():
        if held:
            if not has_perm_at(acting_user, "supervision.verify", rect.school):
                _refuse(gettext("您没有回头看的权限"))
        else:
            cases.reopen(case, acting_user=acting_user, comment=note, transition="recheck", now=now)
            cases.escalate(
                case, acting_user=acting_user, to=TO_SUPERVISION, reason=f"回头看发现问题反弹：{note}", now=now
            )
        rect.recheck_done_at, rect.recheck_note = now, note[:500]
        rect.recheck_due = None
        rect.save(update_fields=["recheck_done_at", "recheck_note", "recheck_due"])
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            summary=f"整改通知{case.number}回头看：{'整改成效保持' if held else '问题反弹，重新整改并督办'}",
            obj=rect,
            org=rect.school,
            after={"held": held, "note": note[:200]},
        )
    return rect


def set_major(rect: Rectification, major: bool, *, acting_user) -> Rectification:
    """挂牌督导 on or off (a major issue)."""
    if not has_perm_at(acting_user, "supervision.issue_notice", rect.school):
        _refuse(gettext("您没有设置挂牌督导的权限"))
    with transaction.atomic():
        before = {"major": rect.major}
        rect.major = major
        rect.save(update_fields=["major"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"整改通知{rect.case.number}{'挂牌督导' if major else '取消挂牌督导'}",
            obj=rect,
            org=rect.school,
            before=before,
            after={"major": major},
        )
    return rect


def publish(rect: Rectification, *, summary: str, acting_user, now=None) -> Rectification:
    """向社会公布整改情况: only a closed (已销号) rectification; the summary is what the public reads."""
    summary = (summary or "").strip()
    if not summary:
        _refuse(gettext("请填写公开的整改情况"), "summary")
    if len(summary) > 2000:
        _refuse(gettext("公开的整改情况不能超过2000字"), "summary")
    if not has_perm_at(acting_user, "supervision.publish", rect.school):
        _refuse(gettext("您没有公开整改结果的权限"))
    rect.case.refresh_from_db(fields=["state", "state_kind"])
    if rect.case.state != "closed":
        _refuse(gettext("整改销号后才能公开整改结果"))
    with transaction.atomic():
        rect.published, rect.published_at, rect.public_summary = True, now or timezone.now(), summary
        rect.save(update_fields=["published", "published_at", "public_summary"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"公开整改通知{rect.case.number}的整改结果",
            obj=rect,
            org=rect.school,
            after={"published": True},
        )
    return rect


def published_rectifications():
    """The public list: published and closed, no person named (school, item, dates, summary)."""
    return (
        Rectification.objects.filter(published=True, case__state="closed")
        .select_related("school", "county", "case", "finding__visit_item__item")
        .order_by("-published_at")
    )


def supervision_order_number(rect: Rectification) -> str:
    return f"DB{rect.case.number[2:]}" if rect.case.number else ""


def supervision_reason(rect: Rectification) -> str:
    """Why the 督办单 was issued: the comment of the latest 督办 event on the case's timeline."""
    from mofang.platform.cases.models import CaseEvent, EventKind

    ev = CaseEvent.objects.filter(case=rect.case, kind=EventKind.SUPERVISE).order_by("-at", "-id").first()
    return (ev.comment if ev and ev.comment else "整改不及时、不到位") if ev else ""


def schools_for_visit(user, inspector: Inspector | None):
    """The schools an inspector may visit: those of the county, their own 责任区 first."""
    if inspector is None:
        return []
    from mofang.platform.accounts.scope import has_perm_at as _has

    units = list(OrgUnit.objects.filter(kind=OrgKind.SCHOOL, path__startswith=inspector.county.path).order_by("path"))
    mine = set(InspectorAssignment.objects.filter(inspector=inspector).values_list("school_id", flat=True))
    units = [u for u in units if _has(user, "supervision.record_visit", u)]
    return sorted(units, key=lambda u: (u.pk not in mine, u.path))
