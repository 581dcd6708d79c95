"""Services over people: revealing a sensitive value is permission-checked and audit-logged."""

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record

from . import identity

_FIELD_LABEL = {"id_number": "身份证号", "phone": "手机号"}


def _org_of(obj):
    return getattr(obj, "school", None) or getattr(obj, "org", None)


def can_reveal(user, obj) -> bool:
    return has_perm_at(user, "people.view_sensitive", _org_of(obj))


def reveal(obj, field: str, *, acting_user) -> str:
    if not can_reveal(acting_user, obj):
        raise PermissionError("您无权查看完整信息")
    sealed = getattr(obj, f"{field}_sealed", "")
    value = identity.unseal(sealed)
    record(actor=acting_user, action=AuditAction.REVEAL, obj=obj, org=_org_of(obj),
           summary=f"查看{obj}的完整{_FIELD_LABEL[field]}")
    return value
