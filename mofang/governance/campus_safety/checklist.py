"""一校一单: each school's own safety checklist, built from its safety profile, ticked per month.

The catalogue is built in: every school carries the common items, and a flag of its profile
(near water, boarding, kindergarten, main road, canteen, construction) adds the items for it.
At the end of a month the items a school left unticked become reminders to its 护校安园 group
(the periodic job `campus_safety.checklist_reminders`). Only schools that have filled in their
profile (建档) take part, so a province's thousands of schools are not reminded of a list they
have never seen.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.notifications.services import notify
from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType

from .models import ChecklistTick, SchoolSafetyProfile
from .roles import TICK_CHECKLIST


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    flag: str | None = None  # the profile flag that adds the item; None: every school


FLAGS = ("near_water", "boarding", "kindergarten", "main_road", "canteen", "construction")

CATALOGUE = (
    Item("gate_duty", "上下学时段校门护学岗到岗到位"),
    Item("fire_check", "消防器材、疏散通道与安全出口检查"),
    Item("drill", "应急疏散演练或安全教育课开展"),
    Item("surroundings", "校园周边环境巡查（流动摊贩、治安隐患）"),
    Item("water_patrol", "周边河塘水库巡查、警示牌和救生设施完好", "near_water"),
    Item("drowning_lesson", "防溺水专题教育（“六不两会”）", "near_water"),
    Item("dorm_duty", "宿舍夜间值班与查寝记录", "boarding"),
    Item("dorm_power", "宿舍用电与消防安全检查", "boarding"),
    Item("kg_handover", "幼儿接送交接制度落实", "kindergarten"),
    Item("kg_play", "幼儿活动场地与大型玩具安全检查", "kindergarten"),
    Item("road_signs", "校门口交通标志、减速带与隔离护栏完好", "main_road"),
    Item("road_police", "上下学时段与交警、护学岗协同疏导", "main_road"),
    Item("canteen_food", "食堂食品留样、晨检与索证索票", "canteen"),
    Item("site_fence", "施工区域围挡隔离与安全警示", "construction"),
)
ITEMS = {i.code: i for i in CATALOGUE}


def items_for(profile: SchoolSafetyProfile | None) -> list[Item]:
    """The school's own list: the common items and those its profile's flags call for."""
    return [i for i in CATALOGUE if i.flag is None or (profile is not None and getattr(profile, i.flag))]


def _local(now) -> dt.datetime:
    now = now or timezone.now()
    return timezone.localtime(now if timezone.is_aware(now) else timezone.make_aware(now))


def current_period(now=None) -> str:
    return _local(now).strftime("%Y-%m")


def previous_period(now=None) -> str:
    first = _local(now).date().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def parse_period(raw: str | None) -> str | None:
    """A "YYYY-MM" month between 2000 and 2100, or None."""
    try:
        d = dt.datetime.strptime((raw or "").strip(), "%Y-%m")
    except ValueError:
        return None
    return f"{d:%Y-%m}" if 2000 <= d.year <= 2100 else None


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def _check_school(school, acting_user):
    if school is None or school.kind != OrgKind.SCHOOL:
        _refuse("school", gettext("学校：请选择学校"))
    if acting_user is not None and not has_perm_at(acting_user, TICK_CHECKLIST, school):
        _refuse("school", gettext("学校：您不能填报{name}的一校一单").format(name=school.name))


def profile_of(school) -> SchoolSafetyProfile | None:
    return SchoolSafetyProfile.objects.filter(school=school).first()


def default_profile(school) -> SchoolSafetyProfile:
    """An unsaved profile with what the org tree already knows (a kindergarten is one)."""
    return SchoolSafetyProfile(school=school, kindergarten=school.school_type == SchoolType.KINDERGARTEN)


def save_profile(school, *, acting_user, **flags) -> SchoolSafetyProfile:
    """建档 / update the school's safety profile; its checklist follows from it. Audited."""
    _check_school(school, acting_user)
    unknown = set(flags) - set(FLAGS)
    if unknown:
        _refuse(sorted(unknown)[0], gettext("未知的档案项"))
    with transaction.atomic():
        profile = SchoolSafetyProfile.objects.select_for_update().filter(school=school).first()
        before = snapshot(profile, list(FLAGS)) if profile else None
        profile = profile or default_profile(school)
        for name in FLAGS:
            setattr(profile, name, bool(flags.get(name, False)))
        profile.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            summary=f"{school.name}学校安全档案",
            obj=profile,
            org=school,
            before=before,
            after=snapshot(profile, list(FLAGS)),
        )
    return profile


def set_ticks(school, period: str, ticked: dict[str, str], *, acting_user) -> list[ChecklistTick]:
    """Record the month's ticks: `ticked` maps item code → note for every item ticked now; items
    ticked before and not in `ticked` are un-ticked. Only items of the school's list, only the
    current or an earlier month."""
    _check_school(school, acting_user)
    if parse_period(period) != period:
        _refuse("period", gettext("周期：请按“年-月”填写，如2026-11"))
    if period > current_period():
        _refuse("period", gettext("周期：不能填报未来的月份"))
    allowed = {i.code for i in items_for(profile_of(school))}
    for code, note in ticked.items():
        if code not in allowed:
            _refuse("item", gettext("检查项：不在本校的一校一单中"))
        if len(note or "") > 200:
            _refuse("note", gettext("{label}的情况说明不能超过200个字").format(label=ITEMS[code].label))
    with transaction.atomic():
        existing = {t.item: t for t in ChecklistTick.objects.select_for_update().filter(school=school, period=period)}
        before = sorted(existing)
        for code, tick in existing.items():
            if code not in ticked:
                tick.delete()
            elif tick.note != (ticked[code] or "").strip():
                tick.note = (ticked[code] or "").strip()
                tick.save(update_fields=["note"])
        for code in sorted(set(ticked) - set(existing)):
            ChecklistTick.objects.create(
                school=school, period=period, item=code, note=(ticked[code] or "").strip(), ticked_by=acting_user
            )
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{school.name}一校一单（{period}）",
            org=school,
            before={"items": before},
            after={"items": sorted(ticked)},
        )
    return list(ChecklistTick.objects.filter(school=school, period=period))


def completion(schools, period: str) -> list[dict]:
    """Per school: its list's size, items ticked in `period`, and the unticked items — in three
    queries whatever the number of schools."""
    schools = list(schools)
    ids = [s.pk for s in schools]
    profiles = {p.school_id: p for p in SchoolSafetyProfile.objects.filter(school_id__in=ids)}
    ticks: dict[int, set] = {}
    for school_id, item in ChecklistTick.objects.filter(school_id__in=ids, period=period).values_list(
        "school_id", "item"
    ):
        ticks.setdefault(school_id, set()).add(item)
    rows = []
    for s in schools:
        items = items_for(profiles.get(s.pk))
        done = ticks.get(s.pk, set())
        missing = [i for i in items if i.code not in done]
        rows.append(
            {
                "school": s,
                "profiled": s.pk in profiles,
                "total": len(items),
                "done": len(items) - len(missing),
                "missing": missing,
            }
        )
    return rows


def remind_unticked(period: str) -> int:
    """Month end: every profiled school with unticked items in `period` is told which, through
    its 护校安园 group's inbox (principal and 教务 at the school). Returns the schools reminded."""
    from mofang.platform.cases.services import staff_of

    schools = OrgUnit.objects.filter(pk__in=SchoolSafetyProfile.objects.values("school_id")).order_by("path")
    reminded = 0
    for row in completion(schools, period):
        if not row["missing"]:
            continue
        school = row["school"]
        labels = "、".join(i.label for i in row["missing"])
        for user in staff_of([school], permission=TICK_CHECKLIST):
            notify(
                user,
                title=f"一校一单提醒：{period}有{len(row['missing'])}项未完成",
                body=f"{school.name}{period}一校一单未完成：{labels}。请及时落实并补填。",
                org=school,
                link="/campus_safety/checklist/",
            )
        reminded += 1
    if reminded:
        record(actor=None, action=AuditAction.ACTION, summary=f"一校一单{period}：提醒{reminded}所学校未完成项")
    return reminded
