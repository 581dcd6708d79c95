"""Every change in 校外培训机构监管 goes through a function here: `acting_user=` keyword, one
transaction, an audit row; case work goes through the engine's services in the same transaction.
Refusals are ValidationError with a Chinese message naming the field."""

import datetime as dt
import decimal
import re
import secrets
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import Case, StateKind
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import identity
from mofang.platform.text import normalize_code

from . import uscc
from .cases import APPLICATION, RECTIFICATION, REPORT
from .models import (
    STATUS_TRANSITIONS,
    Application,
    Category,
    Charge,
    Decision,
    FeeAccount,
    FeeLimit,
    Inspection,
    InspectionKind,
    Institution,
    ListEntry,
    ListKind,
    PublicReport,
    Site,
    Status,
    Teacher,
)
from .roles import HANDLE_REPORT, INSPECT, MANAGE, MANAGE_FEES, MANAGE_LISTS, SUBMIT_APPLICATION

FIELDS = [
    "name",
    "credit_code",
    "licence_no",
    "category",
    "region",
    "status",
    "address",
    "legal_representative",
    "phone",
    "approving_department",
]
DEFAULT_MAX_MONTHS, DEFAULT_MAX_LESSONS = 3, 60
# statuses an administrator may set by hand; 正常 after 审批中 comes from an approval and 整改 ↔ 正常
# from a rectification case
MANUAL_STATUS: dict[str, set[str]] = {
    Status.PREPARING: {Status.CANCELLED},
    Status.REVIEWING: {Status.CANCELLED},
    Status.NORMAL: {Status.SUSPENDED, Status.CANCELLED},
    Status.RECTIFYING: {Status.SUSPENDED, Status.CANCELLED},
    Status.SUSPENDED: {Status.NORMAL, Status.CANCELLED},
    Status.CANCELLED: set(),
}
QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by the public


def _refuse(field: str | None, message: str) -> NoReturn:
    raise ValidationError({field: message} if field else message)


def _must(user, perm: str, org, what: str) -> None:
    if user is not None and not has_perm_at(user, perm, org):
        _refuse(None, gettext("您没有在{name}{what}的权限").format(name=org.name, what=what))


def _text(value, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse(field, gettext("{label}：请填写").format(label=label))
    if len(value) > max_length:
        _refuse(field, gettext("{label}：不能超过{max_length}个字").format(label=label, max_length=max_length))
    return value


def _set_status(inst: Institution, status: str, *, acting_user, why: str) -> None:
    """Move the (locked) institution to `status` if the registry's graph allows it; audited."""
    if status == inst.status:
        return
    if status not in STATUS_TRANSITIONS[inst.status]:
        _refuse(
            "status",
            gettext("状态：「{value}」的机构不能改为「{label}」").format(
                value=inst.get_status_display(), label=Status(status).label
            ),
        )
    before = inst.get_status_display()
    inst.status = status
    inst.save(update_fields=["status", "updated_at"])
    record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=inst,
        org=inst.region,
        summary=f"{inst.name}：{before} → {inst.get_status_display()}（{why}）",
        before={"status": before},
        after={"status": inst.get_status_display()},
    )


def _lock(inst: Institution) -> Institution:
    return Institution.objects.select_for_update().select_related("region").get(pk=inst.pk)


# --- the registry ---------------------------------------------------------------------------


def save_institution(
    *,
    acting_user,
    instance: Institution | None = None,
    name: str,
    credit_code: str,
    category: str,
    region: OrgUnit,
    licence_no: str = "",
    address: str = "",
    legal_representative: str = "",
    phone: str = "",
) -> Institution:
    """Register an institution (筹设) or change its particulars (not its status)."""
    name = _text(name, "name", "机构名称", 100)
    try:
        code = uscc.validate_credit_code(credit_code)
    except ValidationError as exc:
        _refuse("credit_code", exc.messages[0])
    if category not in Category.values:
        _refuse("category", gettext("类别：请从列表中选择"))
    if region is None or region.kind != OrgKind.COUNTY:
        _refuse("region", gettext("属地：请选择区县"))
    _must(acting_user, MANAGE, region, "登记培训机构")
    licence_no = _text(licence_no, "licence_no", "办学许可证号", 40, required=False)
    address = _text(address, "address", "地址", 200, required=False)
    legal_representative = _text(legal_representative, "legal_representative", "法定代表人", 50, required=False)
    phone = normalize_code(_text(phone, "phone", "联系电话", 20, required=False))  # ０５７０ as 0570
    if phone and not re.fullmatch(r"[0-9\-]{7,20}", phone):
        _refuse("phone", gettext("联系电话：只能包含数字和“-”"))
    with transaction.atomic():
        clash = Institution.objects.filter(credit_code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            _refuse("credit_code", gettext("统一社会信用代码：已有机构使用该代码"))
        if instance is None:
            inst = Institution(status=Status.PREPARING)
            before = None
        else:
            inst = _lock(instance)
            _must(acting_user, MANAGE, inst.region, "维护培训机构")
            before = snapshot(inst, FIELDS)
            if inst.category != category and inst.status in (Status.REVIEWING,):
                _refuse("category", gettext("类别：审批中的机构不能改类别"))
        inst.name, inst.credit_code, inst.category, inst.region = name, code, category, region
        inst.licence_no, inst.address = licence_no, address
        inst.legal_representative, inst.phone = legal_representative, phone
        inst.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=inst,
            org=region,
            summary=f"{'修改' if before else '登记'}培训机构：{name}",
            before=before,
            after=snapshot(inst, FIELDS),
        )
    if instance is not None:
        instance.refresh_from_db()
        return instance
    return inst


def change_status(inst: Institution, status: str, *, acting_user, reason: str) -> Institution:
    """停业, 恢复正常 (from 停业), 注销 by hand, with a reason."""
    reason = _text(reason, "reason", "理由", 300)
    with transaction.atomic():
        locked = _lock(inst)
        _must(acting_user, MANAGE, locked.region, "变更机构状态")
        if status not in Status.values:
            _refuse("status", gettext("状态：请从列表中选择"))
        if status not in MANUAL_STATUS[locked.status]:
            hints: dict[str, str] = {Status.NORMAL: "（审批中须经审批，整改中须整改验收）"}
            why = hints.get(status, "")
            _refuse(
                "status",
                gettext("状态：「{value}」的机构不能直接改为「{label}」{why}").format(
                    value=locked.get_status_display(), label=Status(status).label, why=why
                ),
            )
        _set_status(locked, status, acting_user=acting_user, why=reason)
    inst.refresh_from_db()
    return inst


def add_site(inst: Institution, *, acting_user, address: str, area) -> Site:
    address = _text(address, "address", "场所地址", 200)
    try:
        area = decimal.Decimal(str(area).strip())
    except (decimal.InvalidOperation, ValueError):
        _refuse("area", gettext("面积：请填写数字（平方米）"))
    if not area.is_finite() or not decimal.Decimal("1") <= area <= decimal.Decimal("100000"):
        _refuse("area", gettext("面积：应在1至100000平方米之间"))
    _must(acting_user, MANAGE, inst.region, "维护培训机构")
    with transaction.atomic():
        site = Site.objects.create(institution=inst, address=address, area=area.quantize(decimal.Decimal("0.1")))
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=site,
            org=inst.region,
            summary=f"{inst.name}：新增办学场所{address}（{site.area}平方米）",
        )
    return site


def add_teacher(inst: Institution, *, acting_user, name: str, subject: str, certificate_no: str = "") -> Teacher:
    """A teacher; the 教师资格证 number, when given, is the 17-digit number on the certificate."""
    name = _text(name, "name", "姓名", 50)
    subject = _text(subject, "subject", "任教科目", 50)
    certificate_no = (certificate_no or "").strip()
    if certificate_no and not re.fullmatch(r"\d{17}", certificate_no):
        _refuse("certificate_no", gettext("教师资格证号：应为17位数字"))
    _must(acting_user, MANAGE, inst.region, "维护培训机构")
    with transaction.atomic():
        t = Teacher.objects.create(institution=inst, name=name, subject=subject, certificate_no=certificate_no)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=t,
            org=inst.region,
            summary=f"{inst.name}：新增教师{name}（{subject}）",
        )
    return t


def remove_site(site: Site, *, acting_user) -> None:
    _must(acting_user, MANAGE, site.institution.region, "维护培训机构")
    with transaction.atomic():
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            obj=site,
            org=site.institution.region,
            summary=f"{site.institution.name}：删除办学场所{site.address}",
        )
        site.delete()


def remove_teacher(teacher: Teacher, *, acting_user) -> None:
    _must(acting_user, MANAGE, teacher.institution.region, "维护培训机构")
    with transaction.atomic():
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            obj=teacher,
            org=teacher.institution.region,
            summary=f"{teacher.institution.name}：删除教师{teacher.name}",
        )
        teacher.delete()


# --- classified approval --------------------------------------------------------------------


def submit_application(inst: Institution, *, acting_user, note: str = "", documents=(), now=None) -> Application:
    """File a 筹设 institution's application: a case routed by category (subject → the county,
    others → the department of the county's table); documents become case attachments."""
    now = now or timezone.now()
    note = _text(note, "note", "申请说明", 2000, required=False)
    for doc in documents:
        cases.sniff_upload(doc)  # refuse a bad file before anything is written
    with transaction.atomic():
        locked = _lock(inst)
        _must(acting_user, SUBMIT_APPLICATION, locked.region, "提交办学审批")
        if locked.status != Status.PREPARING:
            _refuse(
                "status",
                gettext("只有筹设中的机构可以申请办学审批（当前：{value}）").format(value=locked.get_status_display()),
            )
        case = cases.open_case(
            APPLICATION,
            title=f"{locked.name}办学审批（{locked.get_category_display()}）",
            reporting_org=locked.region,
            acting_user=acting_user,
            description=note,
            category=locked.category,
            now=now,
            data={"institution": locked.pk},
        )
        for doc in documents:
            cases.attach(case, doc, acting_user=acting_user, now=now)
        app = Application.objects.create(
            institution=locked, case=case, department=case.responsible_org, submitted_at=now
        )
        _set_status(locked, Status.REVIEWING, acting_user=acting_user, why=f"申请已交{case.responsible_org.name}")
    inst.refresh_from_db()
    return app


def apply_decision(app: Application, *, acting_user, now=None) -> Application:
    """Carry a closed application case's outcome onto the institution (idempotent): 已批准 →
    正常 with the approving department; 不予批准 → back to 筹设 with the refusal's reason."""
    now = now or timezone.now()
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("case").get(pk=app.pk)
        if app.decision or app.case.state_kind == StateKind.OPEN:
            return app
        inst = _lock(app.institution)
        last = app.case.events.filter(kind="transition").order_by("-at", "-id").first()
        if app.case.state == "approved":
            app.decision = Decision.APPROVED
            app.reason = (last.comment if last else "")[:500]
            inst.approving_department = app.case.responsible_org
            inst.save(update_fields=["approving_department", "updated_at"])
            _set_status(inst, Status.NORMAL, acting_user=acting_user, why=f"{app.case.responsible_org.name}批准")
        else:
            app.decision = Decision.REFUSED
            app.reason = (last.comment if last else "")[:500]
            _set_status(inst, Status.PREPARING, acting_user=acting_user, why=f"不予批准：{app.reason}")
        app.decided_at = app.case.closed_at or now
        app.save(update_fields=["decision", "reason", "decided_at"])
    return app


def decide_application(app: Application, *, approve: bool, acting_user, reason: str = "", now=None) -> Application:
    """The department (or the county, for 学科类) approves or refuses: claims the case if nobody
    has, fires 批准 / 不予批准 (from 待受理 or 审查中), and applies the outcome — all at once."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not approve and not reason:
        _refuse("reason", gettext("理由：不予批准须填写理由"))
    if len(reason) > 500:
        _refuse("reason", gettext("理由：不能超过500个字"))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=app.case_id)
        if not case.is_open:
            _refuse(None, gettext("该申请已办结（{state_label}）").format(state_label=case.state_label))
        if case.claimed_by_id is None:
            cases.claim(case, acting_user=acting_user, now=now)
        elif case.claimed_by_id != acting_user.pk:
            _refuse(None, gettext("该申请已由{claimed_by}认领办理").format(claimed_by=case.claimed_by))
        cases.fire(case, "approve" if approve else "refuse", acting_user=acting_user, comment=reason, now=now)
        return apply_decision(app, acting_user=acting_user, now=now)


# --- inspections and rectification ---------------------------------------------------------


def record_inspection(
    inst: Institution,
    *,
    acting_user,
    kind: str,
    date: dt.date,
    inspectors: str,
    findings: str = "",
    rectify: bool = False,
    now=None,
) -> Inspection:
    """检查 or 暗访 with its findings; `rectify` opens a rectification case at the county and
    puts the institution in 整改."""
    now = now or timezone.now()
    if kind not in InspectionKind.values:
        _refuse("kind", gettext("方式：请选择检查或暗访"))
    if not isinstance(date, dt.date) or not dt.date(2000, 1, 1) <= date <= timezone.localdate():
        _refuse("date", gettext("检查日期：不能晚于今天"))
    inspectors = _text(inspectors, "inspectors", "检查人员", 100)
    findings = _text(findings, "findings", "发现问题", 5000, required=rectify)
    with transaction.atomic():
        locked = _lock(inst)
        _must(acting_user, INSPECT, locked.region, "检查培训机构")
        insp = Inspection(
            institution=locked,
            kind=kind,
            date=date,
            inspectors=inspectors,
            findings=findings,
            recorded_by=acting_user if acting_user is not None else None,
        )
        if rectify:
            if locked.status not in (Status.NORMAL, Status.RECTIFYING):
                _refuse(
                    "rectify",
                    gettext("只有正常或整改中的机构可以责令整改（当前：{value}）").format(
                        value=locked.get_status_display()
                    ),
                )
            insp.rectification = cases.open_case(
                RECTIFICATION,
                title=f"{locked.name}整改（{InspectionKind(kind).label}{date:%Y-%m-%d}）",
                reporting_org=locked.region,
                responsible_org=locked.region,
                acting_user=acting_user,
                description=findings,
                now=now,
                data={"institution": locked.pk},
            )
            _set_status(locked, Status.RECTIFYING, acting_user=acting_user, why=f"{InspectionKind(kind).label}发现问题")
        insp.save()
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=insp,
            org=locked.region,
            summary=f"{locked.name}：{InspectionKind(kind).label}{date:%Y-%m-%d}{'，责令整改' if rectify else ''}",
        )
    return insp


def close_rectification(insp: Inspection, *, acting_user, comment: str, now=None) -> Inspection:
    """整改验收通过: the case closes; the institution is 正常 again when no other rectification of
    it is still open."""
    now = now or timezone.now()
    if insp.rectification is None:
        _refuse(None, gettext("该检查没有整改事项"))
    with transaction.atomic():
        cases.fire(insp.rectification, "accept", acting_user=acting_user, comment=comment, now=now)
        settle_rectification(insp.institution, acting_user=acting_user)
    insp.refresh_from_db()
    return insp


def settle_rectification(inst: Institution, *, acting_user) -> None:
    """Back to 正常 once every rectification case of an institution in 整改 is closed (idempotent)."""
    with transaction.atomic():
        locked = _lock(inst)
        if locked.status != Status.RECTIFYING:
            return
        open_cases = Inspection.objects.filter(institution=locked, rectification__state_kind=StateKind.OPEN)
        if not open_cases.exists():
            _set_status(locked, Status.NORMAL, acting_user=acting_user, why="整改验收通过")


# --- black and white lists ------------------------------------------------------------------


def add_to_list(
    inst: Institution,
    *,
    acting_user,
    kind: str,
    region: OrgUnit,
    reason: str,
    start: dt.date,
    end: dt.date | None = None,
) -> ListEntry:
    """Publish an institution on a region's white or black list (the region is the institution's
    county or a region above it). A black entry overrides white ones (selectors)."""
    if kind not in ListKind.values:
        _refuse("kind", gettext("名单：请选择白名单或黑名单"))
    if (
        region is None
        or region.kind not in (OrgKind.COUNTY, OrgKind.CITY, OrgKind.PROVINCE)
        or not inst.region.path.startswith(region.path)
    ):
        _refuse("region", gettext("发布地区：应为机构所在区县或其上级地区"))
    _must(acting_user, MANAGE_LISTS, region, "发布黑白名单")
    reason = _text(reason, "reason", "理由", 300)
    if not isinstance(start, dt.date):
        _refuse("start", gettext("起始日期：请填写"))
    if end is not None and end < start:
        _refuse("end", gettext("截止日期：不能早于起始日期"))
    with transaction.atomic():
        if kind == ListKind.WHITE:
            if inst.status != Status.NORMAL:
                _refuse(
                    "kind",
                    gettext("白名单：只有状态正常的机构可以列入（当前：{value}）").format(
                        value=inst.get_status_display()
                    ),
                )
            black = ListEntry.objects.filter(
                institution=inst, kind=ListKind.BLACK, start__lte=end or dt.date.max
            ).exclude(end__lt=start)
            if black.exists():
                _refuse("kind", gettext("白名单：该机构在此期间位于黑名单，不能列入白名单"))
        entry = ListEntry.objects.create(
            kind=kind, institution=inst, region=region, reason=reason, start=start, end=end
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=entry,
            org=region,
            summary=f"{region.name}{entry.get_kind_display()}：列入{inst.name}（{reason}）",
        )
    return entry


def end_list_entry(entry: ListEntry, *, acting_user, end: dt.date) -> ListEntry:
    """Take an institution off a list from `end` on (the entry stays, for the record)."""
    _must(acting_user, MANAGE_LISTS, entry.region, "发布黑白名单")
    if not isinstance(end, dt.date):
        _refuse("end", gettext("截止日期：请填写"))
    if end < entry.start:
        _refuse("end", gettext("截止日期：不能早于起始日期"))
    with transaction.atomic():
        before = {"end": str(entry.end) if entry.end else ""}
        entry.end = end
        entry.save(update_fields=["end"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=entry,
            org=entry.region,
            before=before,
            after={"end": str(end)},
            summary=f"{entry.region.name}{entry.get_kind_display()}：{entry.institution.name}截止于{end}",
        )
    return entry


# --- public reports (有奖举报) ---------------------------------------------------------------


def _query_code() -> str:
    return "".join(secrets.choice(QUERY_ALPHABET) for _ in range(10))


def submit_public_report(
    county: OrgUnit, *, target_name: str, address: str, description: str, phone: str = "", now=None
) -> PublicReport:
    """Anyone reports unlicensed subject tutoring at a place in `county`: a case in the county's
    queue; the reporter gets a query code (and may leave a phone, kept sealed)."""
    now = now or timezone.now()
    if county is None or county.kind != OrgKind.COUNTY:
        _refuse("county", gettext("所在区县：请从列表中选择"))
    target_name = _text(target_name, "target_name", "被举报机构或个人", 100)
    address = _text(address, "address", "培训地点", 200)
    description = _text(description, "description", "举报内容", 2000)
    phone = (phone or "").strip()
    if phone:
        try:
            phone = identity.validate_mobile(phone)
        except ValidationError:
            _refuse("phone", gettext("手机号：请填写11位手机号码，或留空"))
    with transaction.atomic():
        case = cases.open_case(
            REPORT,
            title=f"举报：{target_name}违规开展学科类培训",
            reporting_org=county,
            responsible_org=county,
            acting_user=None,
            description=description,
            address=address,
            now=now,
        )
        code = _query_code()
        while PublicReport.objects.filter(query_code=code).exists():
            code = _query_code()
        report = PublicReport.objects.create(
            case=case,
            county=county,
            query_code=code,
            target_name=target_name,
            phone_sealed=identity.seal(phone),
            submitted_at=now,
        )
    return report


def record_reward(report: PublicReport, *, acting_user, amount) -> PublicReport:
    """The handler records the reward of a 查实 report (once)."""
    try:
        amount = decimal.Decimal(str(amount).strip())
    except (decimal.InvalidOperation, ValueError):
        _refuse("amount", gettext("奖励金额：请填写数字（元）"))
    if not amount.is_finite() or not decimal.Decimal("1") <= amount <= decimal.Decimal("100000"):
        _refuse("amount", gettext("奖励金额：应在1至100000元之间"))
    with transaction.atomic():
        report = PublicReport.objects.select_for_update().select_related("case", "county").get(pk=report.pk)
        _must(acting_user, HANDLE_REPORT, report.county, "办理举报")
        if report.case.state != "substantiated":
            _refuse("amount", gettext("奖励金额：举报查实办结后才能登记奖励"))
        if report.reward_amount is not None:
            _refuse(
                "amount", gettext("奖励金额：已登记奖励{reward_amount}元").format(reward_amount=report.reward_amount)
            )
        report.reward_amount = amount.quantize(decimal.Decimal("0.01"))
        report.rewarded_by, report.rewarded_at = acting_user, timezone.now()
        report.save(update_fields=["reward_amount", "rewarded_by", "rewarded_at"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=report,
            org=report.county,
            summary=f"有奖举报{report.case.number}：登记奖励{report.reward_amount}元",
        )
    return report


# --- pre-paid fee supervision ---------------------------------------------------------------


def save_fee_account(inst: Institution, *, acting_user, bank: str, account_no: str) -> FeeAccount:
    bank = _text(bank, "bank", "监管银行", 100)
    account_no = _text(account_no, "account_no", "监管账号", 40).replace(" ", "")
    if not re.fullmatch(r"\d{8,30}", account_no):
        _refuse("account_no", gettext("监管账号：应为8至30位数字"))
    _must(acting_user, MANAGE_FEES, inst.region, "登记预收费监管账户")
    with transaction.atomic():
        acc = FeeAccount.objects.select_for_update().filter(institution=inst).first()
        before = snapshot(acc, ["bank", "account_no"]) if acc else None
        acc = acc or FeeAccount(institution=inst)
        acc.bank, acc.account_no = bank, account_no
        acc.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=acc,
            org=inst.region,
            before=before,
            after=snapshot(acc, ["bank", "account_no"]),
            summary=f"{inst.name}：预收费监管账户 {bank}",
        )
    return acc


def limit_for(org: OrgUnit) -> tuple[int, int]:
    """(max months, max lessons) in force at `org`: the nearest region with a limit of its own,
    else 3 months / 60 lessons."""
    return limits_for([org])[org.pk]


def limits_for(orgs) -> dict[int, tuple[int, int]]:
    """limit_for of many org units (by id) in one query, however many: a page of regions costs
    no query per row. A unit's ancestors are the prefixes of its materialised path."""
    orgs = list(orgs)
    step = OrgUnit.steplen
    prefixes = {o.path[:i] for o in orgs for i in range(step, len(o.path) + 1, step)}
    own = {
        path: (months, lessons)
        for path, months, lessons in FeeLimit.objects.filter(region__path__in=prefixes).values_list(
            "region__path", "max_months", "max_lessons"
        )
    }
    found = {}
    for o in orgs:
        nearest = (own.get(o.path[:i]) for i in range(len(o.path), 0, -step))
        found[o.pk] = next((x for x in nearest if x), (DEFAULT_MAX_MONTHS, DEFAULT_MAX_LESSONS))
    return found


def set_fee_limit(region: OrgUnit, *, acting_user, max_months, max_lessons) -> FeeLimit:
    if region is None or region.kind not in (OrgKind.COUNTY, OrgKind.CITY, OrgKind.PROVINCE):
        _refuse("region", gettext("地区：请选择地区"))
    _must(acting_user, MANAGE_FEES, region, "设置预收费上限")
    values = {}
    for field, label, raw, top in (
        ("max_months", "最多预收月数", max_months, 24),
        ("max_lessons", "最多预收课时", max_lessons, 500),
    ):
        try:
            v = int(str(raw).strip())
        except (TypeError, ValueError):
            _refuse(field, gettext("{label}：请填写整数").format(label=label))
        if not 1 <= v <= top:
            _refuse(field, gettext("{label}：应在1至{top}之间").format(label=label, top=top))
        values[field] = v
    with transaction.atomic():
        fl, created = FeeLimit.objects.select_for_update().get_or_create(region=region, defaults=values)
        before = None if created else snapshot(fl, ["max_months", "max_lessons"])
        fl.max_months, fl.max_lessons = values["max_months"], values["max_lessons"]
        fl.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=fl,
            org=region,
            before=before,
            after=snapshot(fl, ["max_months", "max_lessons"]),
            summary=f"{region.name}预收费上限：{fl.max_months}个月/{fl.max_lessons}课时",
        )
    return fl


def flag_reason(months: int, lessons: int, limit: tuple[int, int]) -> str:
    """Why a charge is over the limit ('' when within it: exactly at the limit is allowed)."""
    max_months, max_lessons = limit
    reasons = []
    if months > max_months:
        reasons.append(f"预收{months}个月，超过{max_months}个月")
    if lessons > max_lessons:
        reasons.append(f"预收{lessons}课时，超过{max_lessons}课时")
    return "；".join(reasons)


def record_charge(
    inst: Institution, *, acting_user, student_name: str, amount, lessons, months, paid_on: dt.date
) -> Charge:
    student_name = _text(student_name, "student_name", "学员", 50)
    try:
        amount = decimal.Decimal(str(amount).strip())
    except (decimal.InvalidOperation, ValueError):
        _refuse("amount", gettext("金额：请填写数字（元）"))
    if not amount.is_finite() or not decimal.Decimal("0.01") <= amount <= decimal.Decimal("1000000"):
        _refuse("amount", gettext("金额：应在0.01至1000000元之间"))
    ints = {}
    for field, label, raw in (("lessons", "课时数", lessons), ("months", "覆盖月数", months)):
        try:
            ints[field] = int(str(raw).strip())
        except (TypeError, ValueError):
            _refuse(field, gettext("{label}：请填写整数").format(label=label))
        if not 1 <= ints[field] <= 1000:
            _refuse(field, gettext("{label}：应在1至1000之间").format(label=label))
    if not isinstance(paid_on, dt.date) or paid_on > timezone.localdate():
        _refuse("paid_on", gettext("收费日期：不能晚于今天"))
    _must(acting_user, MANAGE_FEES, inst.region, "登记预收费")
    reason = flag_reason(ints["months"], ints["lessons"], limit_for(inst.region))
    with transaction.atomic():
        charge = Charge.objects.create(
            institution=inst,
            student_name=student_name,
            amount=amount.quantize(decimal.Decimal("0.01")),
            paid_on=paid_on,
            flagged=bool(reason),
            flag_reason=reason,
            recorded_by=acting_user,
            **ints,
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=charge,
            org=inst.region,
            summary=f"{inst.name}：预收费{charge.amount}元（{ints['months']}个月/{ints['lessons']}课时）"
            f"{'，超限' if reason else ''}",
        )
    return charge
