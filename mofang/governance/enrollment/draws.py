"""电脑派位 (issue 3): a county's draw for one intake year — create, enter the seed (public and
immutable before the run), run the engine once, publish, and re-verify from the stored input.

Engine input built from the county's active registrations for the year and stage:
- choices: the chosen private school first (if any), then the public 学区 school. Under DA an
  applicant not admitted to the private choice falls back to the public school, because it is the
  next school on the list (公民同招).
- category: `priority.category_for(reg, school).rank`; an applicant matching no rule gets
  (highest rank + 1); a county with no rules for the year puts every applicant in category 1
  (a pure lottery, with 长幼随学 still breaking ties within the category).
- sibling: the registration's sibling school is that school. group: `multiple_group` (twins).
- capacities: the IntakePlan seats of each school for the year and stage; a school without a plan
  has 0 seats.
The canonical input JSON is stored on the draw so `verify_draw` can re-run it exactly.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.notifications.services import notify_inbox
from mofang.platform.orgs.models import OrgUnit

from . import priority
from .engine.problem import canonical_input, load_problem
from .engine.run import ALGORITHMS, ENGINE_VERSION, output_hash, run_lottery, verify
from .models import Admission, Draw, DrawStatus, IntakePlan, Registration, RegistrationStatus


def _require(user, perm: str, draw_or_county):
    county = draw_or_county.county if isinstance(draw_or_county, Draw) else draw_or_county
    if user is not None and not has_perm_at(user, perm, county):
        raise PermissionDenied("您没有权限")


def draw(pk) -> Draw | None:
    return Draw.objects.filter(pk=pk).select_related("county").first()


def public_draws():
    """Draws whose seed has been entered (and is therefore public), newest intake year first."""
    return (Draw.objects.exclude(status=DrawStatus.DRAFT).select_related("county")
            .order_by("-year", "county__path", "stage", "pk"))


def create_draw(county: OrgUnit, year: int, *, stage: str = "primary", mechanism: str = "da", acting_user) -> Draw:
    _require(acting_user, "enrollment.run_draw", county)
    if mechanism not in ALGORITHMS:
        raise ValidationError({"mechanism": "未知的派位办法"})
    if Draw.objects.filter(county=county, year=year, stage=stage).exists():
        raise ValidationError("该区县本年度已有派位")
    d = Draw.objects.create(county=county, year=year, stage=stage, mechanism=mechanism)
    record(actor=acting_user, action=AuditAction.CREATE, summary=f"创建{d}", obj=d, org=county,
           after={"year": year, "stage": stage, "mechanism": mechanism})
    return d


def enter_seed(d: Draw, seed: str, *, acting_user) -> Draw:
    """Enter (and thereby publish) the seed; once entered it can never change."""
    _require(acting_user, "enrollment.enter_seed", d)
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError({"seed": "请输入随机种子"})
    with transaction.atomic():
        d = Draw.objects.select_for_update().get(pk=d.pk)
        if d.seed or d.status != DrawStatus.DRAFT:
            raise ValidationError({"seed": "种子已录入并公布，不能修改"})
        d.seed, d.status = seed, DrawStatus.SEEDED
        d.seed_entered_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
        d.seed_entered_at = timezone.now()
        d.save(update_fields=["seed", "status", "seed_entered_by", "seed_entered_at"])
        record(actor=acting_user, action=AuditAction.UPDATE, summary=f"录入{d}的随机种子", obj=d,
               org=d.county, after={"seed": seed})
    return d


def _applicant_id(reg: Registration) -> str:
    return f"R{reg.pk}"


def registrations_for(d: Draw):
    return (Registration.objects.filter(community__county=d.county, year=d.year, stage=d.stage,
                                        status=RegistrationStatus.SUBMITTED)
            .select_related("community", "public_school", "private_school", "sibling_school").order_by("pk"))


def build_input(d: Draw, regs) -> dict:
    """The engine's JSON input (docs/enrollment-match.md) for these registrations."""
    cats = priority.categories_of(d.county, d.year)
    fallback = (max(c.rank for c in cats) + 1) if cats else 1
    districts: dict[int, set[int]] = {}
    schools: dict[int, OrgUnit] = {}
    applicants = []
    for reg in regs:
        choices = []
        for school in [reg.private_school, reg.public_school]:
            if school is None:
                continue
            schools[school.pk] = school
            if cats:
                if school.pk not in districts:
                    districts[school.pk] = set(school.primary_communities.values_list("pk", flat=True))
                cat = priority.category_for(reg, school, cats, districts[school.pk])
                rank = cat.rank if cat else fallback
            else:
                rank = 1
            choices.append({"school": school.code, "category": rank, "sibling": reg.sibling_school_id == school.pk})
        applicants.append({"id": _applicant_id(reg), "choices": choices, "group": reg.multiple_group or None})
    seats = {p.school_id: p.seats for p in IntakePlan.objects.filter(school__in=list(schools), year=d.year,
                                                                      stage=d.stage)}
    return {"schools": [{"id": s.code, "capacity": seats.get(pk, 0)} for pk, s in schools.items()],
            "applicants": applicants}


def run_draw(d: Draw, *, acting_user) -> Draw:
    """Run the draw once: build the input, run the engine, store the admissions and the run record
    in one transaction, then tell the parents (inbox) that results will follow publication."""
    _require(acting_user, "enrollment.run_draw", d)
    with transaction.atomic():
        d = Draw.objects.select_for_update().select_related("county").get(pk=d.pk)
        if d.status != DrawStatus.SEEDED:
            raise ValidationError("已派位，不能重复派位" if d.status in (DrawStatus.RUN, DrawStatus.PUBLISHED)
                                  else "请先录入并公布随机种子")
        regs = list(registrations_for(d))
        problem = load_problem(build_input(d, regs))
        result = run_lottery(problem, d.seed, d.mechanism)
        d.input_json = canonical_input(problem)
        d.input_hash = result.record["input_sha256"]
        d.output_hash = result.record["output_sha256"]
        d.algorithm = result.record["algorithm"]
        d.version = result.record["engine_version"]
        d.run_at = timezone.now()
        d.status = DrawStatus.RUN
        d.save()
        by_id = {_applicant_id(r): r for r in regs}
        codes = {s.code: s for r in regs for s in (r.public_school, r.private_school) if s is not None}
        cats = {a["id"]: {c["school"]: c["category"] for c in a["choices"]} for a in d.input_json["applicants"]}
        Admission.objects.bulk_create([
            Admission(draw=d, registration=by_id[row["applicant"]],
                      school=codes.get(row["school"]) if row["school"] else None,
                      lottery_number=row["lottery"],
                      category=cats[row["applicant"]].get(row["school"]) if row["school"] else None)
            for row in result.assignments])
        record(actor=acting_user, action=AuditAction.ACTION, summary=f"{d}：{len(regs)}人", obj=d, org=d.county,
               after={k: v for k, v in result.record.items()})
    return d


def publish_draw(d: Draw, *, acting_user) -> Draw:
    _require(acting_user, "enrollment.run_draw", d)
    with transaction.atomic():
        d = Draw.objects.select_for_update().get(pk=d.pk)
        if d.status != DrawStatus.RUN:
            raise ValidationError("尚未派位，不能公布结果")
        d.status = DrawStatus.PUBLISHED
        d.save(update_fields=["status"])
        record(actor=acting_user, action=AuditAction.ACTION, summary=f"公布{d}结果", obj=d, org=d.county)
        owners = {a.registration.owner for a in d.admissions.select_related("registration__owner")}
    for owner in owners:
        notify_inbox(owner, f"{d.year}年入学派位结果已公布", "请在“我的报名”中查看录取结果。", "/enrollment/my/")
    return d


def _stored_assignments(d: Draw) -> list[dict]:
    return sorted(({"applicant": f"R{a.registration_id}", "school": a.school.code if a.school else None,
                    "lottery": a.lottery_number} for a in d.admissions.select_related("school")),
                  key=lambda r: r["applicant"])


def verify_draw(d: Draw) -> list[str]:
    """Re-run from the stored input and seed and compare with the stored record and admissions.
    Empty list = 一致."""
    if not d.input_json:
        return ["尚未派位"]
    problem = load_problem(d.input_json)
    rec = {"seed": d.seed, "mechanism": d.mechanism, "algorithm": d.algorithm, "engine_version": d.version,
           "input_sha256": d.input_hash, "output_sha256": d.output_hash}
    return verify(problem, d.seed, rec, _stored_assignments(d))


def admission_of(reg: Registration) -> Admission | None:
    """The registration's result in a published draw, if any."""
    return (Admission.objects.filter(registration=reg, draw__status=DrawStatus.PUBLISHED)
            .select_related("school").first())


__all__ = ["create_draw", "enter_seed", "run_draw", "publish_draw", "verify_draw", "admission_of",
           "ENGINE_VERSION", "output_hash"]
