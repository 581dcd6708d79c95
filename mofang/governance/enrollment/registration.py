"""报名 (online registration) services: every change goes through here with `acting_user=` and
an audit row.

Rules (SPEC §3.1, seed 002; the age rule is the warning's, see README):
- the year is the next intake; for primary (小学) the child must be 6 by 31 August of it (born
  1 September Y-7 … 31 August Y-6), for junior middle (小升初) 12 by 31 August (six years
  earlier), read from the ID number (GB 11643), which also gives the sex;
- the public school must be one of the chosen community's 学区 schools of that stage; at most
  one private (民办) school of the same county and stage may be added (公民同招);
- one active registration per child and year, enforced by a partial unique constraint: the
  IntegrityError of a double submit becomes "该儿童今年已报名" on the ID number field;
- twins/multiples registered in one form, or linked to an earlier registration of the same
  account, share a `multiple_group` key;
- documents are PDF/JPG/PNG by their first bytes (not the name), at most 5 MB.
"""

import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform import files
from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.people import identity

from .models import (
    Admission,
    Community,
    Registration,
    RegistrationDocument,
    RegistrationStatus,
    RegistrationType,
    Stage,
    WaiverStatus,
)
from .policy import window_refusal
from .services import cache_version, cohort_range, intake_years

# The school types that take each stage's starting grade (a 九年一贯制 school takes both).
_PRIVATE_TYPES: dict[str, list[str]] = {
    Stage.PRIMARY: [SchoolType.PRIMARY, SchoolType.NINE_YEAR],
    Stage.JUNIOR: [SchoolType.JUNIOR, SchoolType.NINE_YEAR, SchoolType.COMPLETE_SECONDARY],
}
GRADE_NAMES: dict[str, str] = {Stage.PRIMARY: "小学一年级", Stage.JUNIOR: "初中一年级"}

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
DUPLICATE = "该儿童今年已报名，不能重复报名"


def registration_year() -> int:
    return intake_years()[0]


def stage_of(value) -> str:
    """The stage a page asks for (?stage=junior); anything else is primary."""
    return Stage.JUNIOR if value == Stage.JUNIOR else Stage.PRIMARY


def communities_for(school_id: int | None = None, stage: str = Stage.PRIMARY):
    """Communities a parent may choose (those of one school's 学区 of the stage when coming from its page)."""
    qs = Community.objects.select_related("county").order_by("county__path", "name")
    if school_id:
        field = "primary_schools" if stage == Stage.PRIMARY else "junior_schools"
        qs = qs.filter(**{f"{field}__pk": school_id})
    return qs


def community(pk) -> Community | None:
    return Community.objects.select_related("county").filter(pk=pk).first()


def public_schools_of(community: Community, stage: str = Stage.PRIMARY):
    """The community's 学区 schools of the stage (primary or junior)."""
    return community.schools_of(stage).filter(kind=OrgKind.SCHOOL).order_by("path")


def private_schools_of(county: OrgUnit, stage: str = Stage.PRIMARY):
    """Private schools of the county taking the stage, one of which a parent may add (公民同招)."""
    return OrgUnit.objects.filter(
        kind=OrgKind.SCHOOL,
        ownership=Ownership.PRIVATE,
        path__startswith=county.path,
        school_type__in=_PRIVATE_TYPES[stage],
    ).order_by("path")


def school(pk) -> OrgUnit | None:
    return OrgUnit.objects.filter(pk=pk, kind=OrgKind.SCHOOL).first() if pk else None


# --- the 报名 form's option lists, cached ------------------------------------------------------
#
# The form's choices (a school's 学区 communities, a community's 学区 schools and its county's
# private schools) change only through the enrollment services (communities, plans, imports: they
# bump services.cache_version) or when a school itself changes (apps.py bumps it on every OrgUnit
# save or delete). They are cached under that version, so every 报名 GET and POST reads them from
# the cache instead of four queries; the POST's ids are still checked in the database, in one
# query (check_schools). Where each worker has its own local-memory cache (no REDIS_URL), another
# worker may show a changed list for up to OPTIONS_SECONDS.

OPTIONS_SECONDS = 600


@dataclass
class SchoolOptions:
    """What the form offers when coming from a school's page (or from none: school None)."""

    stage: str
    school: OrgUnit | None
    communities: list[Community] = field(default_factory=list)


@dataclass
class CommunityOptions:
    """A community (with its county) and the schools a parent of it may choose at a stage."""

    community: Community
    publics: list[OrgUnit] = field(default_factory=list)
    privates: list[OrgUnit] = field(default_factory=list)


def _options_key(*parts) -> str:
    return "enrollment:regopts:" + ":".join(str(p) for p in (cache_version(), *parts))


def school_options(school_id: int | None, asked_stage: str | None) -> SchoolOptions:
    """The stage (asked for, else 小升初 coming from a junior middle school's page) and the
    communities of the school's 学区 at that stage (every community when no school)."""
    key = _options_key("school", school_id or 0, asked_stage or "")
    found = cache.get(key)
    if found is not None:
        return found
    the_school = school(school_id) if school_id else None
    stage = stage_of(asked_stage)
    if not asked_stage and the_school is not None and Stage.PRIMARY not in _stages_taken(the_school):
        stage = Stage.JUNIOR
    opts = SchoolOptions(stage, the_school, list(communities_for(school_id if the_school else None, stage)))
    if school_id and the_school is None:
        opts.communities = []  # not a school: nothing to offer (and nothing worth caching)
        return opts
    cache.set(key, opts, OPTIONS_SECONDS)
    return opts


def org_changed(sender, instance, **kwargs) -> None:
    """A school or county saved or deleted (its name, type, ownership): the cached option lists
    and public pages name it, so they are dropped (apps.py connects this to OrgUnit's signals)."""
    if instance.kind in (OrgKind.SCHOOL, OrgKind.COUNTY):
        from .services import invalidate_public_cache

        invalidate_public_cache()


def _stages_taken(s: OrgUnit) -> tuple[str, ...]:
    from .models import STAGES_OF_TYPE

    return STAGES_OF_TYPE.get(s.school_type, (Stage.PRIMARY,))


def community_options(community_pk, stage: str, known: Community | None = None) -> CommunityOptions | None:
    """The community `community_pk` with its public 学区 schools and its county's private schools at
    `stage`; None when there is no such community. `known` is the community when the caller has it."""
    try:
        pk = int(str(community_pk))
    except (TypeError, ValueError):
        return None
    key = _options_key("community", pk, stage)
    found = cache.get(key)
    if found is not None:
        return found
    chosen = known if known is not None and known.pk == pk else community(pk)
    if chosen is None:
        return None
    opts = CommunityOptions(
        chosen, list(public_schools_of(chosen, stage)), list(private_schools_of(chosen.county, stage))
    )
    cache.set(key, opts, OPTIONS_SECONDS)
    return opts


def check_schools(community: Community, stage: str, public_school: OrgUnit | None, private_school: OrgUnit | None):
    """The posted schools checked in the database: the public school must be one of the
    community's 学区 schools of the stage (one query on the community's school list), the private
    one (if any) a private school of the county taking the stage (a second query, only then).
    Raises ValidationError keyed by the field. Plain filters, not one annotated query: this runs on
    every 报名 POST, and building the annotated one cost twice the time of the two."""
    not_public = _field_error(
        "public_school", gettext("所选公办学校不是该小区的{label}学区学校").format(label=Stage(stage).label)
    )
    if public_school is None:
        raise not_public
    through = community.schools_of(stage).through
    if not through.objects.filter(
        community_id=community.pk, orgunit_id=public_school.pk, orgunit__kind=OrgKind.SCHOOL
    ).exists():
        raise not_public
    if (
        private_school is not None
        and not OrgUnit.objects.filter(
            pk=private_school.pk,
            kind=OrgKind.SCHOOL,
            ownership=Ownership.PRIVATE,
            path__startswith=community.county.path,
            school_type__in=_PRIVATE_TYPES[stage],
        ).exists()
    ):
        raise _field_error(
            "private_school", gettext("所选民办学校不在本区县{label}招生范围内").format(label=Stage(stage).label)
        )


def sniff_document(upload) -> str:
    """The content type from the file's first bytes; ValidationError (Chinese) when not allowed."""
    return files.sniff(upload, label="证明材料", max_bytes=MAX_DOCUMENT_BYTES)


def check_child(id_number: str, year: int, stage: str = Stage.PRIMARY) -> str:
    """Validate the ID number and the stage's age rule; return the normalised number."""
    number = identity.validate_id_number(id_number)
    start, end = cohort_range(stage, year)
    born = identity.id_birth_date(number)
    if not start <= born <= end:
        raise ValidationError(
            gettext(
                "{year}年{value}招收{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}出生的儿童，该儿童出生于{born:%Y年%-m月%-d日}"
            ).format(year=year, value=GRADE_NAMES[stage], start=start, end=end, born=born),
            code="age",
        )
    return number


def _field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def submit_registration(
    *,
    owner,
    children: list[dict],
    community: Community,
    registration_type: str,
    address: str,
    residence_proof: str,
    proof_no: str = "",
    public_school: OrgUnit,
    private_school: OrgUnit | None = None,
    sibling_school: OrgUnit | None = None,
    sibling_student_no: str = "",
    bind_with: Registration | None = None,
    documents=(),
    stage: str = Stage.PRIMARY,
    acting_user,
) -> list[Registration]:
    """Register one child, or twins/multiples together (one entry per child in `children`:
    {"name", "id_number"}), for the starting grade of `stage` (primary or junior middle).
    Raises ValidationError keyed by form field."""
    year = registration_year()
    refusal = window_refusal(community.county, year)
    if refusal:  # the county's 报名时间 (招生政策), when it set one
        raise _field_error(NON_FIELD_ERRORS, refusal, code="closed")
    if stage not in Stage.values:
        raise _field_error("stage", gettext("请选择学段"))
    numbers = []
    for i, child in enumerate(children):
        field = "id_number" if i == 0 else "twin_id_number"
        try:
            numbers.append(check_child(child["id_number"], year, stage))
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
    if len(set(numbers)) != len(numbers):
        raise _field_error("twin_id_number", gettext("多孩的身份证号不能相同"))
    if registration_type not in RegistrationType.values:
        raise _field_error("registration_type", gettext("请选择户籍类型"))
    check_schools(community, stage, public_school, private_school)
    if bind_with is not None and (
        bind_with.owner_id != owner.pk
        or bind_with.year != year
        or bind_with.stage != stage
        or bind_with.status != RegistrationStatus.SUBMITTED
    ):
        raise _field_error("bind_with", gettext("只能与本账号今年有效的报名绑定"))
    # multiples are born together; a day's slack covers twins born either side of midnight
    births = [identity.id_birth_date(n) for n in numbers] + ([bind_with.birth_date] if bind_with else [])
    if (max(births) - min(births)).days > 1:
        raise _field_error(
            "bind_with" if bind_with else "twin_id_number", gettext("多孩绑定须为同时出生的同胞（出生日期应相同）")
        )
    kinds = [sniff_document(f) for f in documents]
    group = ""
    if bind_with is not None:
        group = bind_with.multiple_group or uuid.uuid4().hex
    elif len(children) > 1:
        group = uuid.uuid4().hex
    created = []
    try:
        with transaction.atomic():
            if bind_with is not None and not bind_with.multiple_group:
                bind_with.multiple_group = group
                bind_with.save(update_fields=["multiple_group"])
            for child, number in zip(children, numbers):
                reg = Registration(
                    owner=owner,
                    year=year,
                    stage=stage,
                    child_name=child["name"].strip(),
                    birth_date=identity.id_birth_date(number),
                    sex=identity.id_sex(number),
                    registration_type=registration_type,
                    community=community,
                    address=address,
                    residence_proof=residence_proof,
                    proof_no=proof_no,
                    proof_in_district=True,
                    sibling_school=sibling_school,
                    sibling_student_no=sibling_student_no,
                    multiple_group=group,
                    public_school=public_school,
                    private_school=private_school,
                )
                reg.set_id_number(number)
                reg.save()
                created.append(reg)
                record(
                    actor=acting_user,
                    action=AuditAction.CREATE,
                    summary=f"{reg.child_name} {year}年{GRADE_NAMES[stage]}报名",
                    obj=reg,
                    org=public_school,
                    after=snapshot(reg),
                )
            for upload, kind in zip(documents, kinds):
                doc = RegistrationDocument.objects.create(
                    registration=created[0],
                    file=upload,
                    original_name=upload.name[:200],
                    content_type=kind,
                    size=upload.size,
                )
                record(
                    actor=acting_user,
                    action=AuditAction.CREATE,
                    summary=f"上传报名材料 {doc.original_name}",
                    obj=doc,
                    org=created[0].public_school,
                )
    except IntegrityError:
        # the partial unique constraint on (year, id hash): someone (maybe this same click) was first
        raise _field_error("id_number", DUPLICATE, "duplicate") from None
    return created


class WithdrawRefused(ValidationError):
    """Withdrawing is only for a registration the draw has not placed yet."""


def withdraw_registration(reg: Registration, *, acting_user) -> Registration:
    """撤回报名 before the draw (the page asks for confirmation first). Once the draw has placed
    the child, the seat is given up through waivers.request_waiver instead, which the school decides."""
    with transaction.atomic():
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        if reg.status == RegistrationStatus.WITHDRAWN:
            return reg
        if reg.admissions.exists():
            raise WithdrawRefused(
                gettext("{child}已参加派位，不能直接撤回报名；如已录取，请“申请放弃录取”，由学校确认").format(
                    child=reg.child_name
                )
            )
        before = snapshot(reg, ["status"])
        reg.status = RegistrationStatus.WITHDRAWN
        reg.withdrawn_at = timezone.now()
        reg.save(update_fields=["status", "withdrawn_at"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"撤回{reg.child_name} {reg.year}年入学报名",
            obj=reg,
            before=before,
            after=snapshot(reg, ["status"]),
        )
    return reg


@dataclass(frozen=True)
class State:
    """The one state a parent reads for a registration (status and result never disagree)."""

    label: str  # e.g. 已录取：常山县第一小学 / 放弃申请待学校确认 / 已放弃录取 / 未录取 / 已报名，待派位
    tone: str  # green / amber / red / grey (the card's colour)
    next_step: str  # what to do now, in one sentence
    admission: "Admission | None"
    can_withdraw: bool = False  # before the draw: 撤回报名 (with confirmation)
    can_waive: bool = False  # admitted: 申请放弃录取 (the school decides)
    has_notice: bool = False  # the 录取通知书 can be downloaded


def state_of(reg: Registration) -> State:
    from .draws import admission_of

    adm = admission_of(reg)
    if adm is not None and adm.school is not None and adm.waiver_status == WaiverStatus.CONFIRMED:
        return State(f"已放弃录取：{adm.school.name}", "grey", "学校已确认放弃，该学位已释放，不可恢复。", adm)
    if reg.status == RegistrationStatus.WITHDRAWN:
        return State("已撤回", "grey", "报名已撤回，不参加本次派位。", adm)
    if adm is None:
        return State("已报名，待派位", "amber", "请留意派位结果公布（站内消息和短信通知）。", None, can_withdraw=True)
    if adm.school is None:
        return State("未录取", "red", "未被派位录取，请留意教育局的统筹安排。", adm)
    if adm.waiver_status == WaiverStatus.PENDING:
        return State(
            "放弃申请待学校确认",
            "amber",
            f"已申请放弃{adm.school.name}的录取，等待学校确认；确认前录取仍然有效。",
            adm,
            has_notice=True,
        )
    step = "请下载录取通知书，按学校通知时间报到。"
    if adm.waiver_status == WaiverStatus.REFUSED:
        step = f"放弃申请未获同意（{adm.waiver_note}），录取仍然有效。" + step
    return State(f"已录取：{adm.school.name}", "green", step, adm, can_waive=True, has_notice=True)


def result_of(reg: Registration):
    """录取查询: (the displayed state's text, the published Admission or None)."""
    state = state_of(reg)
    return state.label, state.admission


def with_results(registrations):
    """The registrations with what result_of reads fetched alongside (no query per row)."""
    from .draws import with_published_admission

    return with_published_admission(registrations)


def admission_status(reg: Registration) -> str:
    return state_of(reg).label


class DocumentMissing(Exception):
    """The document's file is no longer in storage."""


def open_document(doc: RegistrationDocument, *, acting_user):
    """Open an uploaded registration document for download (the caller has checked scope).
    Anyone but the registering parent (school staff, bureau) leaves an audit row: the documents
    are personal papers (户口簿、房产证)."""
    try:
        handle = doc.file.open("rb")
    except (OSError, ValueError):
        raise DocumentMissing(doc.original_name) from None
    reg = doc.registration
    if acting_user is None or acting_user.pk != reg.owner_id:
        record(
            actor=acting_user,
            action=AuditAction.REVEAL,
            summary=f"下载报名材料 {doc.original_name}（{reg.child_name}）",
            obj=doc,
            org=reg.public_school,
        )
    return handle
