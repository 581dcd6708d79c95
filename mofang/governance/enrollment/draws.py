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

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.jobs.services import run_job, start_job
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.notifications.services import notify_inbox, send_sms_bulk
from mofang.platform.orgs.models import OrgUnit

from . import priority
from .engine.problem import canonical_input, load_problem
from .engine.run import ALGORITHMS, ENGINE_VERSION, output_hash, run_lottery, verify
from .models import Admission, Draw, DrawStatus, IntakePlan, Registration, RegistrationStatus
from .policy import mechanism_for


def _require(user, perm: str, draw_or_county):
    county = draw_or_county.county if isinstance(draw_or_county, Draw) else draw_or_county
    if user is not None and not has_perm_at(user, perm, county):
        raise PermissionDenied("您没有权限")


def draw(pk) -> Draw | None:
    return Draw.objects.filter(pk=pk).select_related("county").first()


def public_draws():
    """Draws whose seed has been entered (and is therefore public), newest intake year first."""
    return (
        Draw.objects.exclude(status=DrawStatus.DRAFT)
        .select_related("county")
        .order_by("-year", "county__path", "stage", "pk")
    )


def create_draw(
    county: OrgUnit, year: int, *, stage: str = "primary", mechanism: str | None = None, acting_user
) -> Draw:
    """A draft draw; its 派位办法 is the county's for the year (招生政策) unless `mechanism` is given."""
    _require(acting_user, "enrollment.run_draw", county)
    mechanism = mechanism or mechanism_for(county, year)
    if mechanism not in ALGORITHMS:
        raise ValidationError({"mechanism": gettext("未知的派位办法")})
    if Draw.objects.filter(county=county, year=year, stage=stage).exists():
        raise ValidationError(gettext("该区县本年度已有派位"))
    d = Draw.objects.create(county=county, year=year, stage=stage, mechanism=mechanism)
    record(
        actor=acting_user,
        action=AuditAction.CREATE,
        summary=f"创建{d}",
        obj=d,
        org=county,
        after={"year": year, "stage": stage, "mechanism": mechanism},
    )
    return d


# The seed is drawn in public under the notary's eye (e.g. 8 balls from a 0–9 lottery machine)
# and read out: a fixed count of decimal digits is what a crowd can note down and check later.
SEED_DIGITS = 8
SEED_RULE = f"{SEED_DIGITS}位数字（0–9），由公证员在派位现场公开摇出"
_SEED = re.compile(rf"[0-9]{{{SEED_DIGITS}}}")


def check_seed(seed: str, again: str | None = None) -> str:
    """The seed as entered, or ValidationError naming the field: exactly SEED_DIGITS decimal
    digits; `again` (the second entry on the page) must be the same."""
    seed = (seed or "").strip()
    if not seed:
        raise ValidationError({"seed": gettext("请输入随机种子")})
    if not _SEED.fullmatch(seed):
        raise ValidationError(
            {"seed": gettext("随机种子须为{n}位数字（0–9），您输入了“{value}”").format(n=SEED_DIGITS, value=seed[:40])}
        )
    if again is not None and (again or "").strip() != seed:
        raise ValidationError({"seed_again": gettext("两次输入的随机种子不一致，请核对后重新输入")})
    return seed


def enter_seed(d: Draw, seed: str, *, again: str | None = None, acting_user) -> Draw:
    """Enter (and thereby publish) the seed; once entered it can never change. The page passes
    the second entry as `again`; both must be the declared format (SEED_RULE)."""
    _require(acting_user, "enrollment.enter_seed", d)
    seed = check_seed(seed, again)
    with transaction.atomic():
        d = Draw.objects.select_for_update().get(pk=d.pk)
        if d.seed or d.status != DrawStatus.DRAFT:
            raise ValidationError({"seed": gettext("种子已录入并公布，不能修改")})
        d.seed, d.status = seed, DrawStatus.SEEDED
        d.seed_entered_by = acting_user if acting_user is not None and acting_user.is_authenticated else None
        d.seed_entered_at = timezone.now()
        d.save(update_fields=["seed", "status", "seed_entered_by", "seed_entered_at"])
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"录入{d}的随机种子",
            obj=d,
            org=d.county,
            after={"seed": seed},
        )
    return d


def _applicant_id(reg: Registration) -> str:
    return f"R{reg.pk}"


def registrations_for(d: Draw):
    return (
        Registration.objects.filter(
            community__county=d.county, year=d.year, stage=d.stage, status=RegistrationStatus.SUBMITTED
        )
        .select_related("community", "public_school", "private_school", "sibling_school")
        .order_by("pk")
    )


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
                    districts[school.pk] = priority.district_ids_of(school, d.stage)
                cat = priority.category_for(reg, school, cats, districts[school.pk])
                rank = cat.rank if cat else fallback
            else:
                rank = 1
            choices.append({"school": school.code, "category": rank, "sibling": reg.sibling_school_id == school.pk})
        applicants.append({"id": _applicant_id(reg), "choices": choices, "group": reg.multiple_group or None})
    seats = {
        p.school_id: p.seats for p in IntakePlan.objects.filter(school__in=list(schools), year=d.year, stage=d.stage)
    }
    return {
        "schools": [{"id": s.code, "capacity": seats.get(pk, 0)} for pk, s in schools.items()],
        "applicants": applicants,
    }


STEPS = 4  # progress steps of a run: read registrations, build input, run the engine, store


def _step(reporter, done: int, message: str) -> None:
    if reporter is not None:
        reporter.progress(done, total=STEPS, message=message)


def _compute(d: Draw, reporter=None):
    """Read the registrations and run the engine (no writes)."""
    _step(reporter, 0, "读取报名数据")
    regs = list(registrations_for(d))
    _step(reporter, 1, f"构建派位输入：{len(regs)}人")
    problem = load_problem(build_input(d, regs))
    _step(reporter, 2, "运行派位算法")
    result = run_lottery(problem, d.seed, d.mechanism)
    _step(reporter, 3, "保存录取结果")
    return regs, problem, result


def _store(d: Draw, regs, problem, result, acting_user) -> Draw:
    """Write the run record and all admissions (inside the caller's transaction, draw locked)."""
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
    Admission.objects.bulk_create(
        [
            Admission(
                draw=d,
                registration=by_id[row["applicant"]],
                school=codes.get(row["school"]) if row["school"] else None,
                lottery_number=row["lottery"],
                category=cats[row["applicant"]].get(row["school"]) if row["school"] else None,
            )
            for row in result.assignments
        ],
        batch_size=2000,
    )
    record(
        actor=acting_user,
        action=AuditAction.ACTION,
        summary=f"{d}：{len(regs)}人",
        obj=d,
        org=d.county,
        after=dict(result.record.items()),
    )
    return d


def _run_in_progress(d: Draw) -> bool:
    """正在派位 only while the run's job may still finish: a job that failed (its worker was
    killed and the reaper gave it up) or vanished leaves a draw that can be run again."""
    if d.status != DrawStatus.RUNNING:
        return False
    job = Job.objects.filter(pk=d.job_id).only("status").first() if d.job_id else None
    return job is not None and job.status != JobStatus.FAILED


def _refuse_run(d: Draw) -> ValidationError | None:
    if _run_in_progress(d):
        return ValidationError(gettext("正在派位，请勿重复操作"))
    if d.status in (DrawStatus.RUN, DrawStatus.PUBLISHED):
        return ValidationError(gettext("已派位，不能重复派位"))
    if d.status not in (DrawStatus.SEEDED, DrawStatus.RUNNING):
        return ValidationError(gettext("请先录入并公布随机种子"))
    if not registrations_for(d).exists():
        return ValidationError(
            gettext("{name}{year}年{value}没有有效报名，无需派位").format(
                name=d.county.name, year=d.year, value=d.get_stage_display()
            )
        )
    return None


def run_draw(d: Draw, *, acting_user) -> Draw:
    """Run the draw once, synchronously (the match command, the permission matrix and the demo):
    build the input, run the engine, store the admissions and the run record in one transaction."""
    _require(acting_user, "enrollment.run_draw", d)
    with transaction.atomic():
        d = Draw.objects.select_for_update().select_related("county").get(pk=d.pk)
        refusal = _refuse_run(d)
        if refusal is not None:
            raise refusal
        regs, problem, result = _compute(d)
        _store(d, regs, problem, result, acting_user)
    return d


def start_run(d: Draw, *, acting_user) -> Draw:
    """执行派位 from the page: mark the draw running (so a second press is refused) and start the
    background job; the draw page follows the job's progress."""
    _require(acting_user, "enrollment.run_draw", d)
    with transaction.atomic():
        d = Draw.objects.select_for_update().select_related("county").get(pk=d.pk)
        refusal = _refuse_run(d)
        if refusal is not None:
            raise refusal
        d.job = start_job(
            task=run_draw_task,
            kind="enrollment:draw",
            title=f"执行{d}",
            org=d.county,
            acting_user=acting_user,
            params={"draw": d.pk},
        )
        d.status = DrawStatus.RUNNING
        d.save(update_fields=["job", "status"])
        record(actor=acting_user, action=AuditAction.ACTION, summary=f"发起{d}", obj=d, org=d.county)
    return d


@task()
def run_draw_task(job_id: int) -> dict:
    return run_job(job_id, _run_body)


def _run_body(job, reporter) -> dict:
    pk = job.params["draw"]
    try:
        d = Draw.objects.select_related("county").get(pk=pk)
        if d.job_id == job.pk and d.status in (DrawStatus.RUN, DrawStatus.PUBLISHED):
            # a re-run of a job whose worker died after the run had committed: nothing to redo
            return _summary(d.admissions.count(), d.admissions.filter(school__isnull=False).count())
        if d.status != DrawStatus.RUNNING or d.job_id != job.pk:
            raise ValidationError(gettext("该派位不在进行中"))
        # the engine runs outside the transaction so the page sees the progress live; the
        # "running" status keeps anyone else from starting or changing the run meanwhile
        regs, problem, result = _compute(d, reporter)
        with transaction.atomic():
            d = Draw.objects.select_for_update().select_related("county").get(pk=pk)
            if d.status != DrawStatus.RUNNING or d.job_id != job.pk:
                raise ValidationError(gettext("该派位不在进行中"))
            _store(d, regs, problem, result, job.created_by)
    except Exception:
        # a failed run leaves nothing behind and can be started again
        Draw.objects.filter(pk=pk, status=DrawStatus.RUNNING, job_id=job.pk).update(status=DrawStatus.SEEDED)
        raise
    admitted = sum(1 for row in result.assignments if row["school"])
    reporter.progress(STEPS, total=STEPS)
    return _summary(len(regs), admitted)


def _summary(applicants: int, admitted: int) -> dict:
    return {
        "applicants": applicants,
        "admitted": admitted,
        "message": f"派位完成：共{applicants}人，录取{admitted}人，未录取{applicants - admitted}人",
    }


# --- the run's job when its worker died (see mofang/platform/jobs/reaper.py) --------------------
# The run is safe to repeat: the engine is deterministic in (input, seed, mechanism), and _store
# writes the run record and every admission in one transaction under the draw's lock, guarded by
# "running, by this job" (and the unique draw+registration): a killed run left nothing behind.


def release_abandoned_run(job) -> None:
    """The reaper gave the run's job up: the draw is no longer 正在派位 and can be run again."""
    Draw.objects.filter(job_id=job.pk, status=DrawStatus.RUNNING).update(status=DrawStatus.SEEDED)


def prepare_retry(job, acting_user) -> None:
    """重试 of a failed run from the 失败任务 page: the same checks as 执行派位, then running again."""
    d = Draw.objects.select_for_update().select_related("county").filter(pk=job.params.get("draw")).first()
    if d is None or d.job_id != job.pk:
        raise ValidationError(gettext("该派位已由其他任务执行或重新发起，此任务无需重试"))
    _require(acting_user, "enrollment.run_draw", d)
    refusal = _refuse_run(d)
    if refusal is not None:
        raise refusal
    d.status = DrawStatus.RUNNING
    d.save(update_fields=["status"])
    record(actor=acting_user, action=AuditAction.ACTION, summary=f"重试{d}", obj=d, org=d.county)


def publish_draw(d: Draw, *, acting_user) -> Draw:
    """Publish the results; after commit, each parent gets an inbox message and an SMS (in the
    background) naming each child's result."""
    _require(acting_user, "enrollment.run_draw", d)
    with transaction.atomic():
        d = Draw.objects.select_for_update().get(pk=d.pk)
        if d.status != DrawStatus.RUN:
            raise ValidationError(
                "已公布结果，不能重复公布" if d.status == DrawStatus.PUBLISHED else "尚未派位，不能公布结果"
            )
        d.status = DrawStatus.PUBLISHED
        d.save(update_fields=["status"])
        record(actor=acting_user, action=AuditAction.ACTION, summary=f"公布{d}结果", obj=d, org=d.county)
        pk = d.pk
        transaction.on_commit(lambda: notify_parents_task.enqueue(pk))
    return d


def result_text(admission: Admission) -> str:
    school = admission.school
    return f"已录取{school.name}" if school is not None else "未录取"


def notify_parents(d: Draw) -> int:
    """Tell each parent (registration owner) their children's results: inbox and SMS. Runs once
    per draw (notified_at); returns the number of parents told."""
    with transaction.atomic():
        if not Draw.objects.filter(pk=d.pk, status=DrawStatus.PUBLISHED, notified_at__isnull=True).update(
            notified_at=timezone.now()
        ):
            return 0
        by_owner: dict[int, list[Admission]] = {}
        owners = {}
        for a in d.admissions.select_related("registration__owner", "school").order_by(
            "registration__owner_id", "registration_id"
        ):
            by_owner.setdefault(a.registration.owner_id, []).append(a)
            owners[a.registration.owner_id] = a.registration.owner
        texts = []
        title = f"{d.year}年{d.get_stage_display()}入学派位结果已公布"
        for owner_id, admissions in by_owner.items():
            owner = owners[owner_id]
            results = "；".join(f"{a.registration.child_name}：{result_text(a)}" for a in admissions)
            notify_inbox(owner, title, f"{results}。详情请在“我的报名”中查看。", "/enrollment/my/")
            if owner.phone:
                text = f"【教育魔方】{d.county.name}{title}。{results}。详情请登录入学早知道“我的报名”查看。"
                texts.append(SMSMessage(org=d.county, recipient=owner, phone=owner.phone, text=text[:500]))
        if texts:
            send_sms_bulk(texts)
    return len(by_owner)


@task()
def notify_parents_task(draw_id: int) -> int:
    d = Draw.objects.select_related("county").filter(pk=draw_id).first()
    return notify_parents(d) if d is not None else 0


def _stored_assignments(d: Draw) -> list[dict]:
    return sorted(
        (
            {
                "applicant": f"R{a.registration_id}",
                "school": a.school.code if a.school else None,
                "lottery": a.lottery_number,
            }
            for a in d.admissions.select_related("school")
        ),
        key=lambda r: r["applicant"],
    )


def verify_draw(d: Draw) -> list[str]:
    """Re-run from the stored input and seed and compare with the stored record and admissions.
    Empty list = 一致."""
    if not d.input_json:
        return ["尚未派位"]
    problem = load_problem(d.input_json)
    rec = {
        "seed": d.seed,
        "mechanism": d.mechanism,
        "algorithm": d.algorithm,
        "engine_version": d.version,
        "input_sha256": d.input_hash,
        "output_sha256": d.output_hash,
    }
    return verify(problem, d.seed, rec, _stored_assignments(d))


def with_published_admission(registrations):
    """Registrations with their results in published draws fetched in one query (a list of them,
    then, costs no query per row: admission_of reads what was fetched)."""
    published = (
        Admission.objects.filter(draw__status=DrawStatus.PUBLISHED).select_related("school", "draw").order_by("pk")
    )
    return registrations.prefetch_related(Prefetch("admissions", queryset=published, to_attr="published_admissions"))


def admission_of(reg: Registration) -> Admission | None:
    """The registration's result in a published draw, if any."""
    fetched = getattr(reg, "published_admissions", None)
    if fetched is not None:
        return fetched[0] if fetched else None
    return (
        Admission.objects.filter(registration=reg, draw__status=DrawStatus.PUBLISHED).select_related("school").first()
    )


__all__ = [
    "ENGINE_VERSION",
    "admission_of",
    "create_draw",
    "enter_seed",
    "notify_parents",
    "output_hash",
    "publish_draw",
    "run_draw",
    "start_run",
    "verify_draw",
    "with_published_admission",
]
