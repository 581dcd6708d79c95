"""Changing the org tree: every change audited, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record, snapshot

from .models import OrgUnit

EDITABLE = ["name", "school_type", "ownership", "address", "longitude", "latitude"]


@transaction.atomic
def update_org_unit(org: OrgUnit, changes: dict, *, acting_user) -> OrgUnit:
    before = snapshot(org, EDITABLE)
    for field, value in changes.items():
        if field not in EDITABLE:
            raise ValidationError({field: gettext("该字段不能修改")})
        setattr(org, field, value)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    after = snapshot(org, EDITABLE)
    if after != before:
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=org,
            org=org,
            before=before,
            after=after,
            summary=f"修改机构信息：{org.name}",
        )
    return org


@transaction.atomic
def add_school(county: OrgUnit, *, acting_user, **fields) -> OrgUnit:
    school = OrgUnit(kind="school", **fields)
    school.full_clean(exclude=["path", "depth", "numchild"])
    school = OrgUnit.objects.add_child(county, instance=school)
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=school,
        org=school,
        after=snapshot(school, ["code", *EDITABLE]),
        summary=f"新增学校：{school.name}",
    )
    return school
