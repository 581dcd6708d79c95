"""清单管理 services: every change goes through here (acting_user=, one transaction, an audit row).

- create_plan: a region's bureau opens an annual list;
- items: added and edited (add_items, update_item), checked by ItemChecker — the same checks the
  platform import of the xlsx template runs on every row (importers.py), whose write step is
  add_imported_items;
- report_progress: the lead unit's monthly report (one per item per month: a second report in the
  same month replaces the first), milestones marked done, optional attachments;
- send_reminders: the monthly reminder to lead units that have not reported for the month.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.models import Membership
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.files import sniff
from mofang.platform.notifications.services import notify
from mofang.platform.orgs.models import REGION_KINDS, OrgKind, OrgUnit

from .models import Direction, Milestone, PlanKind, ProgressReport, ReportAttachment, WorkItem, WorkPlan

MAX_ATTACHMENT = 10 * 1024 * 1024
LEAD_KINDS = (*REGION_KINDS, OrgKind.SCHOOL, OrgKind.DEPARTMENT)
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --- lists ---------------------------------------------------------------------------------------


def create_plan(
    owner: OrgUnit, *, year: int, name: str, kind: str = PlanKind.POINTS, description: str = "", acting_user
) -> WorkPlan:
    errors = {}
    name = (name or "").strip()
    if owner.kind not in REGION_KINDS:
        errors["owner"] = "所属教育局必须是省、市或区县"
    if not name:
        errors["name"] = "请填写清单名称"
    elif len(name) > 100:
        errors["name"] = "清单名称不能超过100个字"
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "年度应为2000至2100之间的年份"
    if kind not in PlanKind.values:
        errors["kind"] = "请选择清单类型"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            plan = WorkPlan.objects.create(
                owner=owner,
                year=year,
                name=name,
                kind=kind,
                description=description,
                created_by=acting_user if acting_user and acting_user.is_authenticated else None,
            )
            record(actor=acting_user, action=AuditAction.CREATE, summary=f"新建工作清单：{name}", obj=plan)
    except IntegrityError:
        raise ValidationError(
            {"name": gettext("{name}{year}年已有同名清单“{name2}”").format(name=owner.name, year=year, name2=name)}
        ) from None
    return plan


# --- items ---------------------------------------------------------------------------------------


@dataclass
class ItemSpec:
    """One cleaned item (from the import or a form)."""

    number: int
    title: str
    target_text: str
    lead_unit: OrgUnit
    category: str = ""
    measures: str = ""
    cooperating: tuple = ()
    target_value: Decimal | None = None
    unit: str = ""
    baseline: Decimal | None = None
    direction: str = Direction.HIGHER
    indicator_code: str = ""
    milestones: tuple = ()  # (date, description)


def _create_item(plan: WorkPlan, spec: ItemSpec) -> WorkItem:
    item = WorkItem.objects.create(
        plan=plan,
        number=spec.number,
        category=spec.category,
        title=spec.title,
        target_text=spec.target_text,
        measures=spec.measures,
        lead_unit=spec.lead_unit,
        target_value=spec.target_value,
        unit=spec.unit,
        baseline=spec.baseline,
        direction=spec.direction,
        indicator_code=spec.indicator_code,
    )
    if spec.cooperating:
        item.cooperating_units.set(spec.cooperating)
    Milestone.objects.bulk_create([Milestone(item=item, due=d, description=t) for d, t in spec.milestones])
    return item


def add_items(plan: WorkPlan, specs: list[ItemSpec], *, acting_user, summary: str = "") -> list[WorkItem]:
    with transaction.atomic():
        WorkPlan.objects.select_for_update().filter(pk=plan.pk).first()
        taken = set(plan.items.values_list("number", flat=True))
        dup = [s.number for s in specs if s.number in taken]
        if dup:
            raise ValidationError({"number": gettext("序号{value}已存在").format(value=dup[0])})
        items = [_create_item(plan, s) for s in specs]
        record(
            actor=acting_user,
            action=AuditAction.IMPORT if summary else AuditAction.CREATE,
            summary=summary or f"新增清单事项：{plan.name} {len(items)}项",
            obj=plan,
        )
    return items


# --- the xlsx import -----------------------------------------------------------------------------

COLUMNS = [
    # (key, header, required, example)
    ("number", "序号", True, "15"),
    ("category", "分类", False, "三、推动各级各类教育提质发展"),
    ("title", "事项", True, "促进学前教育优质普惠发展"),
    ("target_text", "目标任务", True, "2021年公办幼儿园在园幼儿占比达46%"),
    ("measures", "工作措施", False, "制订实施第四轮发展学前教育行动计划，提高公办幼儿园在园幼儿比例。"),
    ("lead_unit", "牵头单位", True, "本局"),
    ("cooperating", "配合单位", False, "青田县、缙云县"),
    ("target_value", "目标值", False, "46"),
    ("unit", "计量单位", False, "%"),
    ("baseline", "年初基数", False, "44"),
    ("direction", "目标方向", False, "达到或超过"),
    ("indicator_code", "指标代码", False, ""),
    ("milestones", "时间节点", False, "2021-06-30 出台行动计划；2021-12-31 完成年度目标"),
]
HEADERS = [c[1] for c in COLUMNS]
DIRECTIONS = {
    "": Direction.HIGHER,
    "达到或超过": Direction.HIGHER,
    "不低于": Direction.HIGHER,
    "不超过": Direction.LOWER,
    "不高于": Direction.LOWER,
    "降低": Direction.LOWER,
}


def _decimal(raw: str, label: str) -> Decimal | None:
    if raw == "":
        return None
    try:
        d = Decimal(raw.replace(",", "").rstrip("%"))
    except InvalidOperation:
        raise ValidationError(gettext("{label}应为数字").format(label=label)) from None
    if not d.is_finite() or abs(d) >= Decimal("1e12"):
        raise ValidationError(gettext("{label}应为数字").format(label=label))
    return d.quantize(Decimal("0.01"))


def _milestones(raw: str, year: int) -> list[tuple[dt.date, str]]:
    out = []
    for part in re.split(r"[；;\n]+", raw):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(.+)$", part)
        if not m:
            raise ValidationError(
                gettext("“{value}”格式应为“日期 内容”，如“{year}-06-30 完成方案”").format(value=part[:20], year=year)
            )
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValidationError(gettext("“{value}”的日期不存在").format(value=part[:20])) from None
        if day.year != year:
            raise ValidationError(gettext("节点日期{day:%Y-%m-%d}不在清单年度{year}年内").format(day=day, year=year))
        out.append((day, m.group(4).strip()[:200]))
    return out


class _Units:
    """Org units a list may name: the owner's subtree (regions, schools, departments), by name or code."""

    def __init__(self, owner: OrgUnit):
        self.owner = owner
        self.by_name: dict[str, list[OrgUnit]] = {}
        self.by_code: dict[str, OrgUnit] = {}
        for org in OrgUnit.objects.filter(path__startswith=owner.path, kind__in=LEAD_KINDS).only(
            "id", "name", "code", "path", "kind"
        ):
            self.by_name.setdefault(org.name, []).append(org)
            if org.code:
                self.by_code[org.code] = org

    def find(self, text: str) -> OrgUnit:
        if text in ("本局", "本级"):  # the list's own bureau
            return self.owner
        if text in self.by_code:
            return self.by_code[text]
        found = self.by_name.get(text, [])
        if not found:
            raise ValidationError(
                gettext("找不到单位“{text}”（须为本清单所属地区内的区县、学校或部门）").format(text=text)
            )
        if len(found) > 1:
            raise ValidationError(gettext("单位“{text}”重名，请填写机构代码").format(text=text))
        return found[0]


def _known_indicators() -> set[str]:
    from mofang.platform.indicators.models import Indicator

    return set(Indicator.objects.values_list("code", flat=True))


LABELS = {k: h for k, h, _r, _e in COLUMNS}


class ItemChecker:
    """Checks one item's fields (an import row or the item form) against the list: units in the
    owner's region, known indicator codes, free numbers, milestones within the year."""

    def __init__(self, plan: WorkPlan):
        self.plan = plan
        self.units = _Units(plan.owner)
        self.indicators = _known_indicators()

    def check(self, raw: dict, *, n: int = 0, taken=(), seen=None, with_milestones=True):
        """(ItemSpec or None, [(field key, Chinese message)])."""
        errs: list[tuple[str, str]] = []

        def fail(key, msg):
            errs.append((key, msg))

        raw = {k: (v or "").strip() for k, v in raw.items()}
        for key, _h, required, _e in COLUMNS:
            if required and not raw.get(key):
                fail(key, "不能为空")
        values: dict = {}
        if raw.get("number"):
            try:
                num = int(raw["number"])
                if not 1 <= num <= 9999:
                    raise ValueError
                values["number"] = num
                if num in taken:
                    fail("number", f"序号{num}在清单中已存在")
                elif seen is not None and num in seen:
                    fail("number", f"序号{num}与第{seen[num]}行重复")
                if seen is not None:
                    seen.setdefault(num, n)
            except ValueError:
                fail("number", "应为1至9999的整数")
        for key, limit in (
            ("title", 200),
            ("category", 100),
            ("unit", 10),
            ("indicator_code", 80),
            ("target_text", 2000),
            ("measures", 4000),
        ):
            if len(raw.get(key, "")) > limit:
                fail(key, f"不能超过{limit}个字")
        if raw.get("lead_unit"):
            try:
                values["lead_unit"] = self.units.find(raw["lead_unit"])
            except ValidationError as exc:
                fail("lead_unit", exc.messages[0])
        coop = []
        for name in [x.strip() for x in re.split(r"[、,，;；\n]+", raw.get("cooperating", "")) if x.strip()]:
            try:
                coop.append(self.units.find(name))
            except ValidationError as exc:
                fail("cooperating", exc.messages[0])
        for key in ("target_value", "baseline"):
            try:
                values[key] = _decimal(raw.get(key, ""), LABELS[key])
            except ValidationError as exc:
                fail(key, exc.messages[0])
        direction = DIRECTIONS.get(raw.get("direction", ""))
        if direction is None:
            fail("direction", "应为“达到或超过”或“不超过”")
        code = raw.get("indicator_code", "")
        if code and code not in self.indicators:
            fail("indicator_code", f"指标代码“{code}”不存在")
        if values.get("baseline") is not None and values.get("target_value") is None and not code:
            fail("target_value", "填写了年初基数时须填写目标值")
        ms = []
        if with_milestones:
            try:
                ms = _milestones(raw.get("milestones", ""), self.plan.year)
            except ValidationError as exc:
                fail("milestones", exc.messages[0])
        if errs:
            return None, errs
        return ItemSpec(
            number=values["number"],
            title=raw["title"],
            target_text=raw["target_text"],
            lead_unit=values["lead_unit"],
            category=raw.get("category", ""),
            measures=raw.get("measures", ""),
            cooperating=tuple(c for c in dict.fromkeys(coop) if c.pk != values["lead_unit"].pk),
            target_value=values["target_value"],
            unit=raw.get("unit", ""),
            baseline=values["baseline"],
            direction=direction,
            indicator_code=code,
            milestones=tuple(ms),
        ), []


def check_item_form(plan: WorkPlan, raw: dict, *, item: WorkItem | None = None) -> ItemSpec:
    """The item form's fields (keys as COLUMNS) → an ItemSpec, or ValidationError per field in Chinese."""
    taken = set(plan.items.exclude(pk=item.pk if item else None).values_list("number", flat=True))
    spec, errs = ItemChecker(plan).check(raw, taken=taken, with_milestones=item is None)
    if errs:
        out: dict[str, list[str]] = {}
        for key, msg in errs:
            out.setdefault(key, []).append(f"{LABELS[key]}{msg}" if msg == "不能为空" else msg)
        raise ValidationError(out)
    return spec


ITEM_FIELDS = [
    "number",
    "category",
    "title",
    "target_text",
    "measures",
    "lead_unit",
    "target_value",
    "baseline",
    "unit",
    "direction",
    "indicator_code",
]


def update_item(item: WorkItem, spec: ItemSpec, *, acting_user) -> WorkItem:
    from mofang.platform.audit.services import snapshot

    with transaction.atomic():
        item = WorkItem.objects.select_for_update().get(pk=item.pk)
        before = snapshot(item, ITEM_FIELDS)
        before["cooperating"] = sorted(item.cooperating_units.values_list("pk", flat=True))
        for f in (
            "number",
            "category",
            "title",
            "target_text",
            "measures",
            "lead_unit",
            "target_value",
            "baseline",
            "unit",
            "direction",
            "indicator_code",
        ):
            setattr(item, f, getattr(spec, f))
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            raise ValidationError({"number": [f"序号{spec.number}在清单中已存在"]}) from None
        item.cooperating_units.set(spec.cooperating)
        after = snapshot(item, ITEM_FIELDS)
        after["cooperating"] = sorted(c.pk for c in spec.cooperating)
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"修改清单事项：{item.plan.name} 第{item.number}项",
            obj=item,
            before=before,
            after=after,
        )
    return item


def add_milestone(item: WorkItem, *, due: "dt.date | str", description: str, acting_user) -> Milestone:
    errors = {}
    try:
        day = due if isinstance(due, dt.date) else dt.date.fromisoformat((due or "").strip())
        if day.year != item.plan.year:
            errors["due"] = [f"节点日期须在清单年度{item.plan.year}年内"]
    except ValueError:
        errors["due"] = ["节点日期格式应为YYYY-MM-DD"]
    description = (description or "").strip()
    if not description:
        errors["description"] = ["请填写节点内容"]
    elif len(description) > 200:
        errors["description"] = ["节点内容不能超过200个字"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        m = Milestone.objects.create(item=item, due=day, description=description)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=item,
            summary=f"新增时间节点：{item.plan.name} 第{item.number}项 {day:%Y-%m-%d} {description}",
        )
    return m


def remove_milestone(item: WorkItem, milestone_id, *, acting_user) -> None:
    with transaction.atomic():
        m = item.milestones.filter(pk=milestone_id).first() if str(milestone_id).isdigit() else None
        if m is None:
            raise ValidationError({"milestone": ["时间节点不存在"]})
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            obj=item,
            summary=f"删除时间节点：{item.plan.name} 第{item.number}项 {m.due:%Y-%m-%d} {m.description}",
        )
        m.delete()


def add_imported_items(plan: WorkPlan, specs: list[ItemSpec]) -> list[WorkItem]:
    """The write step of the platform's import of a list's items (importers.py): the list locked,
    the items created; the import itself is audited by the platform, once, with the file's name.
    A number taken meanwhile by another import trips the (plan, number) constraint: nothing is written."""
    WorkPlan.objects.select_for_update().filter(pk=plan.pk).first()
    return [_create_item(plan, s) for s in specs]


# --- progress ------------------------------------------------------------------------------------


def parse_month(raw: str, plan: WorkPlan, today: dt.date) -> str:
    m = MONTH_RE.match((raw or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError({"month": gettext("月份格式应为YYYY-MM，如2026-05")})
    key = m.group(0)
    if int(m.group(1)) != plan.year:
        raise ValidationError({"month": gettext("月份须在清单年度{year}年内").format(year=plan.year)})
    if key > month_key(today):
        raise ValidationError({"month": gettext("不能报送未来月份的进展")})
    return key


@dataclass
class CheckedReport:
    """A monthly report's fields, checked (check_report)."""

    month: str
    text: str
    percent: Decimal | None
    value: Decimal | None
    files: list  # (upload, content type)


def check_report(item: WorkItem, *, month: str, text: str, percent=None, value=None, files=(), today: dt.date):
    """The report's fields checked against the item (month within the list's year and not in the
    future, a figure where the item has a target, attachments by content); ValidationError per field."""
    plan = item.plan
    errors = {}
    try:
        month = parse_month(month, plan, today)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写进展情况"
    elif len(text) > 2000:
        errors["text"] = "进展情况不能超过2000字"
    pct = val = None
    try:
        pct = _decimal(str(percent) if percent not in (None, "") else "", "完成进度")
        if pct is not None and not 0 <= pct <= 100:
            errors["percent"] = "完成进度应在0至100之间"
    except ValidationError as exc:
        errors["percent"] = exc.messages[0]
    try:
        val = _decimal(str(value) if value not in (None, "") else "", "完成值")
    except ValidationError as exc:
        errors["value"] = exc.messages[0]
    if item.target_value is not None and not item.measured and val is None and "value" not in errors:
        errors["value"] = f"请填写完成值（目标值{Decimal(str(item.target_value)).normalize():f}{item.unit}）"
    if item.target_value is None and not item.measured and pct is None and "percent" not in errors:
        errors["percent"] = "请填写完成进度（%）"
    checked = []
    for f in files:
        try:
            checked.append((f, sniff(f, label="附件", max_bytes=MAX_ATTACHMENT)))
        except ValidationError as exc:
            errors["files"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return CheckedReport(month, text, pct, val, checked)


def report_progress(
    item: WorkItem,
    *,
    month: str,
    text: str,
    percent=None,
    value=None,
    done_milestones=(),
    files=(),
    acting_user,
    now: dt.datetime | None = None,
) -> ProgressReport:
    """The lead unit's report for `month` (one per item per month; reporting again replaces it)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    plan = item.plan
    checked = check_report(item, month=month, text=text, percent=percent, value=value, files=files, today=today)
    month, text, pct, val = checked.month, checked.text, checked.percent, checked.value
    with transaction.atomic():
        WorkItem.objects.select_for_update().filter(pk=item.pk).first()
        report = ProgressReport.objects.filter(item=item, month=month).first()
        before = None
        if report is None:
            report = ProgressReport(item=item, month=month)
        else:
            before = {"text": report.text, "percent": str(report.percent), "value": str(report.value)}
        report.text, report.percent, report.value = text, pct, val
        report.reported_by = acting_user if acting_user and acting_user.is_authenticated else None
        report.reported_at = now
        report.save()
        ids = [int(x) for x in done_milestones if str(x).isdigit()]
        if ids:
            item.milestones.filter(pk__in=ids, done_on__isnull=True).update(done_on=today)
        for f, kind in checked.files:
            ReportAttachment.objects.create(report=report, file=f, name=f.name[:200], content_type=kind)
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            summary=f"报送进展：{plan.name} 第{item.number}项 {month}",
            obj=report,
            before=before,
            after={"text": text, "percent": str(pct), "value": str(val), "milestones_done": ids},
        )
    return report


def attachment_of(item: WorkItem, pk: int) -> ReportAttachment | None:
    """An attachment of one of the item's reports (the caller has the item through the scope layer)."""
    return ReportAttachment.objects.filter(report__item=item, pk=pk).select_related("report").first()


# --- the monthly reminder -------------------------------------------------------------------------


def reporters_of(org_ids) -> dict[int, list]:
    """Users who report for each lead unit: members of the unit whose role may report."""
    out: dict[int, list] = {}
    for m in Membership.objects.filter(org_id__in=list(org_ids)).select_related("user", "role"):
        if "workplans.report" in (m.role.permissions or []) and m.user.is_active:
            out.setdefault(m.org_id, []).append(m.user)
    return out


def send_reminders(month: str, *, acting_user=None, plan: WorkPlan | None = None) -> int:
    """Remind the lead units of the year's items (or one list's) not reported for `month`."""
    year = int(month[:4])
    pending = WorkItem.objects.filter(plan=plan) if plan is not None else WorkItem.objects.filter(plan__year=year)
    pending = (
        pending.exclude(reports__month=month)
        .select_related("plan", "lead_unit")
        .order_by("lead_unit_id", "plan_id", "number")
    )
    by_unit: dict[int, list[WorkItem]] = {}
    for item in pending:
        by_unit.setdefault(item.lead_unit_id, []).append(item)
    users = reporters_of(by_unit)
    sent = 0
    with transaction.atomic():
        for unit_id, items in by_unit.items():
            titles = "、".join(f"{i.plan.name}第{i.number}项" for i in items[:5]) + ("等" if len(items) > 5 else "")
            for user in users.get(unit_id, []):
                body = f"{items[0].lead_unit.name}有{len(items)}项清单事项尚未报送{month}月度进展：{titles}。"
                transaction.on_commit(
                    lambda u=user, b=body, o=items[0].lead_unit: notify(
                        u, title="清单事项月度进展待报送", body=b, org=o, link="/workplans/items/?pending=1"
                    )
                )
                sent += 1
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            obj=plan,
            summary=f"清单事项月度进展提醒：{plan.name + ' ' if plan else ''}{month}，{len(by_unit)}个牵头单位，{sent}人",
        )
    return sent


REMIND_FROM_DAY = 25


def reminder_period(now) -> str | None:
    """The month to remind about: from the 25th of each month on (once per month)."""
    local = timezone.localtime(now)
    return month_key(local.date()) if local.day >= REMIND_FROM_DAY else None
