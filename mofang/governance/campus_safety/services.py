"""校园安全 services: report a hazard with its photos (the 任务包), and 服务指导 visits.

The case itself is opened, claimed, handled and closed by the engine's services
(mofang.platform.cases.services); routing by the county's table (分派规则) is the engine's (cases.ROUTES,
mofang.platform.cases.routing), 一校一单 in checklist.py.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.cases import services as cases
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .cases import CODE
from .models import ServiceVisit
from .roles import RECORD_VISIT

MAX_PHOTOS = 9


def report_hazard(
    school,
    *,
    acting_user,
    category: str,
    severity: str,
    title: str,
    description: str = "",
    address: str = "",
    lon=None,
    lat=None,
    photos=(),
):
    """学校吹哨: open the hazard at `school` (routed to the department by the county's table) with
    its photos, all or nothing — a refused photo leaves no case behind."""
    photos = list(photos)
    if school is None or school.kind != OrgKind.SCHOOL:
        raise ValidationError({"school": gettext("上报学校：请选择学校")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": gettext("现场照片最多{max_photos}张").format(max_photos=MAX_PHOTOS)})
    for p in photos:
        try:
            cases.sniff_upload(p)
        except ValidationError as exc:
            raise ValidationError(
                {"photos": gettext("现场照片“{name}”：{value}").format(name=p.name, value=exc.messages[0])}
            ) from None
    with transaction.atomic():
        case = cases.open_case(
            CODE,
            title=title,
            reporting_org=school,
            acting_user=acting_user,
            description=description,
            category=category,
            severity=severity,
            lon=lon,
            lat=lat,
            address=address or school.address,
        )
        for p in photos:
            cases.attach(case, p, acting_user=acting_user)
    return case


# --- 服务指导 ---------------------------------------------------------------------------------


def departments_for(user) -> list[OrgUnit]:
    """The department units where `user` may record visits."""
    return [
        m.org
        for m in user.active_memberships()
        if m.org.kind == OrgKind.DEPARTMENT and has_perm_at(user, RECORD_VISIT, m.org)
    ]


def schools_served_by(department) -> list[OrgUnit]:
    """The schools of the department's region (the county it belongs to), by tree order."""
    region = OrgUnit.objects.get_ancestors(department).filter(kind=OrgKind.COUNTY).last()
    if region is None:
        return []
    return list(OrgUnit.objects.filter(path__startswith=region.path, kind=OrgKind.SCHOOL).order_by("path"))


def record_visit(department, school, *, acting_user, date, topic: str, result: str = "") -> ServiceVisit:
    """Record a department's 服务指导 visit to a school of its region; audited."""
    if department is None or department.kind != OrgKind.DEPARTMENT:
        raise ValidationError({"department": gettext("部门：请选择部门")})
    if acting_user is not None and not has_perm_at(acting_user, RECORD_VISIT, department):
        raise ValidationError({"department": gettext("部门：您不能登记{name}的服务指导").format(name=department.name)})
    if school is None or school.pk not in {s.pk for s in schools_served_by(department)}:
        raise ValidationError({"school": gettext("学校：请选择本区县的学校")})
    topic = (topic or "").strip()
    if not topic or len(topic) > 100:
        raise ValidationError({"topic": gettext("主题：请填写（不超过100个字）")})
    with transaction.atomic():
        visit = ServiceVisit.objects.create(
            department=department,
            school=school,
            date=date,
            topic=topic,
            result=(result or "").strip(),
            recorded_by=acting_user,
        )
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"服务指导：{department.name}到{school.name}（{date:%Y-%m-%d}，{topic}）",
            obj=visit,
            org=department,
            after=snapshot(visit, ["department", "school", "date", "topic", "result"]),
        )
    return visit


def map_points(school, limit: int = 500) -> list[dict]:
    """The schools of `school`'s county with a position, for the 上报隐患 page's offline scatter
    (school names and places are public facts: 入学早知道 shows them to anyone)."""
    county = OrgUnit.objects.get_ancestors(school).filter(kind=OrgKind.COUNTY).last()
    if county is None:
        return []
    rows = (
        OrgUnit.objects.filter(
            path__startswith=county.path, kind=OrgKind.SCHOOL, longitude__isnull=False, latitude__isnull=False
        )
        .order_by("path")
        .values_list("pk", "name", "longitude", "latitude")[:limit]
    )
    return [{"name": name, "value": [float(lon), float(lat)], "own": pk == school.pk} for pk, name, lon, lat in rows]
