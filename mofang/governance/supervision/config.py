"""督查清单 and 督学名册 maintenance by a county's 督导室 (supervision.configure): every change is one
transaction, audited, and refused with a Chinese message naming the field.

A checklist belongs to a county; the shared list (county empty, the shipped 20 items) is copied to
be changed. The items of a checklist that a visit used are never edited in place: the page offers
复制为新清单 instead (the copy is new and editable; the old list can be retired), so a past visit
always shows the items it was recorded against.
"""

import uuid
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext

from mofang.platform.accounts.models import Membership
from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.orgs.models import OrgKind

from .models import Checklist, ChecklistItem, Inspector, InspectorAssignment, Visit

PERM = "supervision.configure"


def _refuse(message: str, field: str | None = None) -> NoReturn:
    raise ValidationError({field: message} if field else message)


def _check_perm(user, county):
    if county is None or not has_perm_at(user, PERM, county):
        _refuse(gettext("您没有维护该区县督查清单和督学名册的权限"))


def _clean(value, field: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse(gettext("{label}：请填写").format(label=label), field)
    if len(value) > limit:
        _refuse(gettext("{label}：不能超过{limit}字").format(label=label, limit=limit), field)
    return value


# --- 督查清单 -----------------------------------------------------------------------------------


def shared_checklists():
    """The lists every county uses (no county): read-only on the pages, copied to be changed."""
    return Checklist.objects.filter(county__isnull=True).order_by("name")


def is_used(checklist: Checklist) -> bool:
    return Visit.objects.filter(checklist=checklist).exists()


def used_counts(checklists) -> dict[int, int]:
    rows = (
        Visit.objects.filter(checklist__in=list(checklists))
        .values("checklist")
        .annotate(n=Count("id"))
        .values_list("checklist", "n")
    )
    return dict(rows)


def create_checklist(county, *, name: str, source: str = "", acting_user) -> Checklist:
    _check_perm(acting_user, county)
    name = _clean(name, "name", "清单名称", 100)
    source = _clean(source, "source", "来源说明", 200, required=False)
    with transaction.atomic():
        cl = Checklist.objects.create(
            code=f"c{county.pk}-{uuid.uuid4().hex[:12]}", name=name, source=source, county=county
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"新建督查清单「{name}」",
            obj=cl,
            org=county,
            after={"name": name, "source": source},
        )
    return cl


def update_checklist(cl: Checklist, *, name: str, source: str = "", acting_user) -> Checklist:
    """Rename / change the 说明 (allowed on a used list: the items, not the title, are the history)."""
    _check_perm(acting_user, cl.county)
    name = _clean(name, "name", "清单名称", 100)
    source = _clean(source, "source", "来源说明", 200, required=False)
    with transaction.atomic():
        before = {"name": cl.name, "source": cl.source}
        cl.name, cl.source = name, source
        cl.save(update_fields=["name", "source"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"修改督查清单「{name}」",
            obj=cl,
            org=cl.county,
            before=before,
            after={"name": name, "source": source},
        )
    return cl


def set_active(cl: Checklist, active: bool, *, acting_user) -> Checklist:
    """停用 (retire: no longer offered for new visits; past visits keep it) or 重新启用."""
    _check_perm(acting_user, cl.county)
    if active and not cl.items.exists():
        _refuse(gettext("清单没有条目，不能启用"), "items")
    with transaction.atomic():
        before = {"active": cl.active}
        cl.active = active
        cl.save(update_fields=["active"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"{'启用' if active else '停用'}督查清单「{cl.name}」",
            obj=cl,
            org=cl.county,
            before=before,
            after={"active": active},
        )
    return cl


def _editable_items(cl: Checklist, acting_user):
    _check_perm(acting_user, cl.county)
    # lock the list: concurrent edits of its numbering queue up here
    Checklist.objects.select_for_update().filter(pk=cl.pk).first()
    if is_used(cl):
        _refuse(
            gettext("清单「{name}」已用于进校督查，条目不能再修改；请“复制为新清单”后修改，并停用旧清单").format(
                name=cl.name
            ),
            "items",
        )


def _item(cl: Checklist, item_id) -> ChecklistItem:
    try:
        return ChecklistItem.objects.get(checklist=cl, pk=int(item_id))
    except (ChecklistItem.DoesNotExist, TypeError, ValueError):
        _refuse(gettext("条目：该条目不存在"), "item")


def add_item(cl: Checklist, text: str, *, acting_user) -> ChecklistItem:
    text = _clean(text, "text", "督查内容", 200)
    with transaction.atomic():
        _editable_items(cl, acting_user)
        order = (ChecklistItem.objects.filter(checklist=cl).aggregate(m=Max("order"))["m"] or 0) + 1
        item = ChecklistItem.objects.create(checklist=cl, order=order, text=text)
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"督查清单「{cl.name}」增加第{order}项",
            obj=item,
            org=cl.county,
            after={"order": order, "text": text},
        )
    return item


def edit_item(cl: Checklist, item_id, text: str, *, acting_user) -> ChecklistItem:
    text = _clean(text, "text", "督查内容", 200)
    with transaction.atomic():
        _editable_items(cl, acting_user)
        item = _item(cl, item_id)
        before = {"text": item.text}
        item.text = text
        item.save(update_fields=["text"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"修改督查清单「{cl.name}」第{item.order}项",
            obj=item,
            org=cl.county,
            before=before,
            after={"text": text},
        )
    return item


def remove_item(cl: Checklist, item_id, *, acting_user) -> None:
    with transaction.atomic():
        _editable_items(cl, acting_user)
        item = _item(cl, item_id)
        order, text = item.order, item.text
        item.delete()
        for later in ChecklistItem.objects.filter(checklist=cl, order__gt=order).order_by("order"):
            later.order -= 1
            later.save(update_fields=["order"])
        if cl.active and not ChecklistItem.objects.filter(checklist=cl).exists():
            cl.active = False  # an empty list cannot be used for a visit
            cl.save(update_fields=["active"])
        record(
            actor=acting_user,
            action=AuditAction.DELETE,
            summary=f"删除督查清单「{cl.name}」第{order}项",
            obj=cl,
            org=cl.county,
            before={"order": order, "text": text},
        )


def move_item(cl: Checklist, item_id, direction: str, *, acting_user) -> None:
    if direction not in ("up", "down"):
        _refuse(gettext("移动方向：只能上移或下移"), "direction")
    with transaction.atomic():
        _editable_items(cl, acting_user)
        item = _item(cl, item_id)
        other = ChecklistItem.objects.filter(
            checklist=cl, order=item.order - 1 if direction == "up" else item.order + 1
        ).first()
        if other is None:
            _refuse("条目已在最前" if direction == "up" else "条目已在最后", "direction")
        a, b = item.order, other.order
        item.order = 0  # free `a` first: (checklist, order) is unique
        item.save(update_fields=["order"])
        other.order = a
        other.save(update_fields=["order"])
        item.order = b
        item.save(update_fields=["order"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"督查清单「{cl.name}」第{a}项{'上移' if direction == 'up' else '下移'}",
            obj=item,
            org=cl.county,
            before={"order": a},
            after={"order": b},
        )


def copy_checklist(source: Checklist, county, *, acting_user) -> Checklist:
    """复制为新清单: a new editable list of `county` with the same items (the source is untouched)."""
    _check_perm(acting_user, county)
    if source.county_id is not None and source.county_id != county.pk:
        _refuse(gettext("只能复制本区县或通用的督查清单"), "checklist")
    with transaction.atomic():
        cl = Checklist.objects.create(
            code=f"c{county.pk}-{uuid.uuid4().hex[:12]}",
            name=f"{source.name}（副本）"[:100],
            source=source.source,
            county=county,
        )
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(checklist=cl, order=i.order, text=i.text) for i in source.items.order_by("order")]
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"复制督查清单「{source.name}」为新清单",
            obj=cl,
            org=county,
            after={"from": source.pk, "items": cl.items.count()},
        )
    return cl


# --- 督学名册 -----------------------------------------------------------------------------------


def candidates(county):
    """Users holding the inspector role at the county who are not yet registered as inspectors."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(org=county, role__code="inspector").values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True, inspector__isnull=True).order_by("username")


def register_inspector(county, *, username: str, name: str = "", full_time: bool, acting_user) -> Inspector:
    """登记督学: the login must hold the inspector role at this county and not be registered already."""
    from django.contrib.auth import get_user_model

    from . import services

    _check_perm(acting_user, county)
    if county.kind != OrgKind.COUNTY:
        _refuse(gettext("区县：请选择区县"), "county")
    username = (username or "").strip()
    if not username:
        _refuse(gettext("账号：请选择或填写督学的登录账号"), "username")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        _refuse(gettext("账号：没有账号“{value}”").format(value=username[:50]), "username")
    if not Membership.objects.filter(user=user, org=county, role__code="inspector").exists():
        _refuse(
            gettext("账号：“{username}”不是{name}的督学角色，请先在机构管理中为其分配督学角色").format(
                username=username, name=county.name
            ),
            "username",
        )
    if Inspector.objects.filter(user=user).exists():
        _refuse(gettext("账号：“{username}”已登记为督学").format(username=username), "username")
    name = _clean(name or getattr(user, "full_name", "") or username, "name", "姓名", 50)
    return services.add_inspector(county, name, full_time=full_time, user=user, acting_user=acting_user)


def roster(inspectors):
    """Annotate inspectors with the number of 责任区 schools."""
    return inspectors.annotate(n_schools=Count("assignments")).select_related("user")


def set_full_time(ins: Inspector, full_time: bool, *, acting_user) -> Inspector:
    _check_perm(acting_user, ins.county)
    with transaction.atomic():
        before = {"full_time": ins.full_time}
        ins.full_time = full_time
        ins.save(update_fields=["full_time"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"督学{ins.name}改为{'专职' if full_time else '兼职'}",
            obj=ins,
            org=ins.county,
            before=before,
            after={"full_time": full_time},
        )
    return ins


def deactivate(ins: Inspector, *, acting_user) -> int:
    """停用 (离岗): no longer counted, cannot record visits; their 责任区 schools are released (the
    compliance page then shows them unassigned). Returns the schools released."""
    _check_perm(acting_user, ins.county)
    if not ins.active:
        _refuse(gettext("该督学已停用"), "active")
    with transaction.atomic():
        released = list(InspectorAssignment.objects.filter(inspector=ins).values_list("school_id", flat=True))
        InspectorAssignment.objects.filter(inspector=ins).delete()
        ins.active = False
        ins.save(update_fields=["active"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"停用督学{ins.name}，释放责任区学校{len(released)}所",
            obj=ins,
            org=ins.county,
            before={"active": True, "schools": released},
            after={"active": False},
        )
    return len(released)
