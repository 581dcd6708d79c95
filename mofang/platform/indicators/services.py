"""Changes to indicator data: targets and imported statistics. Each takes acting_user=, runs in one
transaction and writes its audit row."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record

from .analytics import recompute_totals
from .models import FactRefresh, FactValue, Indicator, Target
from .roles import CHANGE_TARGET

MAX_VALUE = Decimal("99999999999999")


def set_target(*, indicator: Indicator, org, year: int, value: Decimal | None, acting_user) -> Target | None:
    """Set (or with value None, remove) an org's target on an indicator for a year."""
    if not has_perm_at(acting_user, CHANGE_TARGET, org):
        raise ValidationError({"org": gettext("您无权设置该机构的指标目标")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": gettext("年度应在2000至2100之间")})
    if value is not None:
        if value < 0 or value > MAX_VALUE:
            raise ValidationError({"value": gettext("目标值应为不小于0的数")})
        if indicator.unit == "%" and value > 100:
            raise ValidationError({"value": gettext("百分比目标值不能超过100")})
    with transaction.atomic():
        current = Target.objects.select_for_update().filter(indicator=indicator, org=org, year=year).first()
        before = {"value": str(current.value)} if current else None
        if value is None:
            if current:
                current.delete()
                record(
                    actor=acting_user,
                    action=AuditAction.DELETE,
                    org=org,
                    before=before,
                    summary=f"删除{org.name}{year}年“{indicator.name}”目标",
                )
            return None
        if current is None:
            current = Target(indicator=indicator, org=org, year=year)
        current.value, current.updated_by = value, acting_user
        current.save()
        record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=current,
            org=org,
            before=before,
            after={"value": str(value)},
            summary=f"设置{org.name}{year}年“{indicator.name}”目标为{value.normalize():f}{indicator.unit}",
        )
    return current


def write_statistics(
    rows: list[tuple[str, int, str, Decimal]], *, acting_user, org, source: str = ""
) -> tuple[int, int]:
    """Upsert imported statistics (fact code, org id, period, value) and re-sum their totals.
    Returns (created, updated). Called inside the import's transaction."""
    now = timezone.now()
    created = updated = 0
    touched = set()
    for fact, org_id, period, value in rows:
        n = FactValue.objects.filter(fact=fact, org_id=org_id, period=period).update(
            value=value, imported=True, updated_at=now
        )
        if n:
            updated += 1
        else:
            FactValue.objects.create(fact=fact, org_id=org_id, period=period, value=value, imported=True)
            created += 1
        touched.add((fact, period))
    for fact, period in sorted(touched):
        recompute_totals(fact, period, now)
        state, _ = FactRefresh.objects.get_or_create(fact=fact, period=period, defaults={"refreshed_at": now})
        state.refreshed_at = now
        state.rows = FactValue.objects.filter(fact=fact, period=period).count()
        state.save()
    record(
        actor=acting_user,
        action=AuditAction.IMPORT,
        org=org,
        summary=f"导入统计数据{len(rows)}项{('：' + source) if source else ''}",
        after={"facts": sorted({f for f, *_ in rows})},
    )
    return created, updated
