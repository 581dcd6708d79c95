"""The public face of case types declared `open311=True` (Open311 GeoReport v2, views/open311.py).

Anyone may read the *public* cases of those types (never a private case, never who reported it)
and, for a type with `public_intake`, report a new one. A public report is filed at the org unit
the type's `public_intake(lon, lat)` returns for the place (e.g. the county whose departments
handle it: the case's reporting unit), routed to its responsible unit by the type's `router`, and
opened through services.open_case with no acting user (the audit row says 系统); it is public.
The reporter's optional e-mail and phone are kept sealed in the case's data, for the handling
unit's follow-up, and never shown.
"""

import datetime as dt
import decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.people import identity
from mofang.platform.text import strip_control

from . import services
from .models import Case, StateKind
from .open311_keys import OPEN311_REPORT
from .registry import CASE_TYPES, CaseType

MAX_REQUESTS = 1000  # GeoReport v2: at most 1000 requests per answer …
DEFAULT_DAYS = 90  # … of the last 90 days unless dates are given


def open311_types() -> list[CaseType]:
    return sorted((ct for ct in CASE_TYPES.values() if ct.open311), key=lambda ct: ct.code)


def open311_type(code: str) -> CaseType:
    ct = CASE_TYPES.get(code or "")
    if ct is None or not ct.open311:
        raise ValidationError(gettext("service_code「{value}」不是本平台提供的服务").format(value=code or ""))
    return ct


def public_cases():
    """Every public case of an Open311 type, with its last timeline time (updated_datetime)."""
    return (
        Case.objects.filter(public=True, case_type__in=[ct.code for ct in open311_types()])
        .select_related("responsible_org")
        .annotate(updated_at=Max("events__at"))
    )


def _when(raw: str, name: str):
    try:
        value = parse_datetime(raw.strip().replace(" ", "+"))  # a '+' arrives as ' ' in a query string
        if value is None:
            value = dt.datetime.combine(dt.date.fromisoformat(raw.strip()), dt.time.min)
    except ValueError:  # malformed, or well formed but no such date (month 13)
        raise ValidationError(
            gettext("{name}不是有效的时间（ISO 8601，如 2026-11-01T08:00:00+08:00）").format(name=name)
        ) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def find_requests(params) -> list[Case]:
    """GET requests.json: filters service_request_id, service_code, status, start_date, end_date."""
    qs = public_cases()
    # a control character (NUL) is in no case number, and PostgreSQL refuses NUL in a query
    ids = [i.strip() for i in strip_control(params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        return list(qs.filter(number__in=ids[:MAX_REQUESTS]).order_by("-opened_at", "-id"))
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    for code in codes:
        open311_type(code)
    if codes:
        qs = qs.filter(case_type__in=codes)
    statuses = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise ValidationError(gettext("status 只能是 open 或 closed"))
    if statuses == {"open"}:
        qs = qs.filter(state_kind=StateKind.OPEN)
    elif statuses == {"closed"}:
        qs = qs.exclude(state_kind=StateKind.OPEN)
    start = _when(params["start_date"], "start_date") if params.get("start_date") else None
    end = _when(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end and end < start:
        raise ValidationError(gettext("end_date 不能早于 start_date"))
    if start is None:
        start = (end or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
    qs = qs.filter(opened_at__gte=start)
    if end is not None:
        qs = qs.filter(opened_at__lte=end)
    return list(qs.order_by("-opened_at", "-id")[:MAX_REQUESTS])


def get_request(number: str) -> Case | None:
    if not number or strip_control(number) != number:
        return None  # no case number has a control character (and PostgreSQL refuses a NUL)
    return public_cases().filter(number=number).first()


def _coordinate(raw: str, name: str, limit: int) -> decimal.Decimal:
    """A finite number within ±limit, to six decimals (NaN, Infinity and words are refused)."""
    try:
        value = decimal.Decimal(raw.strip())
        if not value.is_finite() or not -limit <= value <= limit:
            raise ValueError
        return value.quantize(decimal.Decimal("0.000001"))
    except (decimal.InvalidOperation, ValueError):
        raise ValidationError(gettext("{name}应为-{limit}到{limit}之间的数字").format(name=name, limit=limit)) from None


def create_request(params, *, acting_user) -> Case:
    """POST requests.json: a public report through services.open_case (ValidationError when refused).
    `acting_user` is the service account of the caller's API key (open311_keys.key_for_report, e.g. a
    city's 12345 hotline): the place's county must lie in its OPEN311_REPORT subtree (else
    PermissionDenied), its system's name is kept with the case and it is the audit row's actor.
    `jurisdiction_id` is accepted and not needed: the place decides the county."""
    ct = open311_type(params.get("service_code"))
    if ct.public_intake is None:
        raise ValidationError(gettext("「{name}」不接受公众报事").format(name=ct.name))
    description = strip_control(params.get("description") or "").strip()
    if not description:
        raise ValidationError(gettext("请填写 description（问题描述）"))
    if len(description) > 4000:
        raise ValidationError(gettext("description（问题描述）不能超过4000个字"))
    if not params.get("lat") or not params.get("long"):
        raise ValidationError(
            gettext(
                "请提供问题地点的 lat（纬度）和 long（经度）：本平台按坐标确定区县，仅有 address_string（地址）无法受理"
            )
        )
    lon = _coordinate(params.get("long"), "long（经度）", 180)
    lat = _coordinate(params.get("lat"), "lat（纬度）", 90)
    contact = {}
    if params.get("email"):
        try:
            validate_email(params["email"].strip())
        except ValidationError:
            raise ValidationError(gettext("email（电子邮箱）格式不正确")) from None
        contact["email"] = identity.seal(params["email"].strip())
    if params.get("phone"):
        try:
            contact["phone"] = identity.seal(identity.validate_mobile(params["phone"]))
        except ValidationError:
            raise ValidationError(gettext("phone（手机号）应为11位中国大陆手机号码")) from None
    category = (params.get("attribute[category]") or "").strip()
    if ct.categories and category not in dict(ct.categories):
        raise ValidationError(
            "attribute[category]（类别）只能是：" + "、".join(f"{code}（{label}）" for code, label in ct.categories)
        )
    reporting_org = ct.public_intake(lon, lat)
    if reporting_org is None:
        raise ValidationError(gettext("lat/long（问题地点）不在本平台服务的区县范围内（浙江省内）"))
    if not has_perm_at(acting_user, OPEN311_REPORT, reporting_org):
        raise PermissionDenied(
            gettext("lat/long（问题地点）在{county}，不在本 api_key（接入密钥）可报事的范围内，未受理").format(
                county=reporting_org.name
            )
        )
    system = getattr(getattr(acting_user, "api_key", None), "name", "") or acting_user.full_name
    title = description.splitlines()[0][:40]
    with transaction.atomic():
        case = services.open_case(
            ct.code,
            title=title,
            description=description,
            reporting_org=reporting_org,
            acting_user=None,
            category=category,
            lon=lon,
            lat=lat,
            address=strip_control(params.get("address_string") or "").strip()[:200],
            public=True,
            data={
                "source": "open311",
                **({"source_system": system[:60]} if system else {}),
                **({"public_contact": contact} if contact else {}),
            },
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"Open311 报事：{case.number}「{title}」，交{case.responsible_org.name}办理",
            obj=case,
            after={"service_code": ct.code, "reporting_org": reporting_org.pk, "source_system": system[:60]},
        )
    return case


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def request_json(case: Case) -> dict:
    """One request in GeoReport v2 field names; nothing about who reported it."""
    ct = CASE_TYPES[case.case_type]
    return {
        "service_request_id": case.number,
        "status": "open" if case.state_kind == StateKind.OPEN else "closed",
        "status_notes": ct.state_label(case.state),
        "service_name": ct.name,
        "service_code": ct.code,
        "description": case.description or case.title,
        "agency_responsible": case.responsible_org.name,
        "service_notice": "",
        "requested_datetime": _iso(case.opened_at),
        "updated_datetime": _iso(getattr(case, "updated_at", None) or case.state_entered_at),
        "expected_datetime": _iso(case.due_at),
        "address": case.address,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.lat) if case.lat is not None else None,
        "long": float(case.lon) if case.lon is not None else None,
        "media_url": None,
    }


def service_json(ct: CaseType) -> dict:
    return {
        "service_code": ct.code,
        "service_name": ct.name,
        "description": f"{ct.name}（闭环办理）",
        "metadata": bool(ct.categories),
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def service_definition(ct: CaseType) -> dict:
    attributes = []
    if ct.categories:
        attributes.append(
            {
                "variable": True,
                "code": "category",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "问题类别",
                "order": 1,
                "description": "类别",
                "values": [{"key": k, "name": v} for k, v in ct.categories],
            }
        )
    return {"service_code": ct.code, "attributes": attributes}
