"""The bureau's own days: add and remove, each audited, in one transaction. The arithmetic on
the calendar (add_working_days, working_days_between …) is in calendar.py, re-exported here."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import REGION_KINDS

from .calendar import (  # noqa: F401  (the service API of the calendar)
    WorkCalendar,
    add_working_days,
    deadline_after,
    end_of_day,
    is_working_day,
    official_known,
    working_days_between,
)
from .models import BureauDay, DayKind
from .roles import CHANGE

FIELDS = ["org", "date", "kind", "name"]


def add_bureau_day(*, org, date: dt.date, kind: str, name: str, acting_user) -> BureauDay:
    """Declare `date` a working day or a holiday for `org`'s region (its whole subtree)."""
    name = (name or "").strip()
    errors = {}
    if kind not in DayKind.values:
        errors["kind"] = "类别只能是“上班”或“放假”"
    if not name:
        errors["name"] = "请填写名称或事由（如：国庆节调休上班）"
    elif len(name) > 100:
        errors["name"] = "名称或事由不能超过100个字"
    if not isinstance(date, dt.date) or not 2000 <= date.year <= 2100:
        errors["date"] = "日期应在2000年至2100年之间"
    if org is None or org.kind not in REGION_KINDS:
        errors["org"] = "适用地区只能是省、市或区县"
    if errors:
        raise ValidationError(errors)
    if not has_perm_at(acting_user, CHANGE, org):
        raise ValidationError(gettext("您没有维护{name}工作日历的权限").format(name=org.name))
    try:
        with transaction.atomic():
            if BureauDay.objects.filter(org=org, date=date).exists():
                raise IntegrityError
            day = BureauDay.objects.create(org=org, date=date, kind=kind, name=name, created_by=acting_user)
            record(
                actor=acting_user,
                action=AuditAction.CREATE,
                org=org,
                obj=day,
                summary=f"工作日历：{org.name}{date:%Y-%m-%d}设为{day.get_kind_display()}（{name}）",
                after=snapshot(day, FIELDS),
            )
    except IntegrityError:
        raise ValidationError(
            {"date": gettext("{name}已录入{date:%Y-%m-%d}，请先删除原记录").format(name=org.name, date=date)}
        ) from None
    return day


def remove_bureau_day(day: BureauDay, *, acting_user) -> None:
    with transaction.atomic():
        locked = BureauDay.objects.select_for_update().select_related("org").filter(pk=day.pk).first()
        if locked is None:
            return
        day = locked
        if not has_perm_at(acting_user, CHANGE, day.org):
            raise ValidationError(gettext("您没有维护{name}工作日历的权限").format(name=day.org.name))
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            org=day.org,
            obj=day,
            summary=f"工作日历：删除{day.org.name}{day.date:%Y-%m-%d}的{day.get_kind_display()}（{day.name}）",
            before=snapshot(day, FIELDS),
        )
        day.delete()
