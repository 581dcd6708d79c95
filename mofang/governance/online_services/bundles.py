"""一件事 (bundles, seed 003 教育事务一件事 and 掌上联办; seed 004 一证通办): several services of the
catalogue applied for at once, with ONE form and ONE set of materials, on the parent's phone.

A bundle is data (models.Bundle, seeded by migration 0005 from SEED, the rest imported like the
services, importers.BundleImporter): its steps name member services in order, a step may wait for
another (`after`: it is applied for only when that one is 办结, e.g. the new school's 学籍证明 after
the transfer), and may fill in answers itself (the certificate's 用途 is 转学). What the platform
already holds about the child (identity, guardianship, roll) is shown filled in, never asked.

Applying creates the bundle application and its steps and opens the steps that wait for nothing,
each an ordinary application (its own case at its own unit, services.open_application). When a
member application is 办结 (services.after_case_transition → after_member), the steps waiting for it
are applied for in the parent's name, with the materials already given; when one is 退回, the steps
waiting for it are not handled (不再办理). A step that can no longer start (e.g. the roll changed)
is marked 未能发起 with the reason, and the parent is told; the step before it stays 办结.
"""

import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import has_perm
from mofang.platform.audit.models import AuditAction
from mofang.platform.audit.services import record
from mofang.platform.cases import services as cases
from mofang.platform.cases.models import CaseAttachment
from mofang.platform.notifications.services import notify_inbox
from mofang.platform.people.models import Guardianship, Student

from . import services
from .models import Applicant, Application, Bundle, BundleApplication, BundleStep, Result, Service, StepState, Workflow
from .roles import APPLY

MIN_STEPS, MAX_STEPS = 2, 6


def _identity(student, link) -> str:
    return f"{student.name}，身份证号 {student.id_number_masked or '未登记'}"


def _guardianship(student, link) -> str:
    return f"{link.guardian.name}是{student.name}的{link.relation}" if link else ""


def _roll(student, link) -> str:
    return f"{student.school.name} {student.grade_name}，学籍号 {student.student_no}（{student.get_status_display()}）"


# what the platform holds about the child (一证通办): a bundle names which of these it needs; the
# form shows them filled in and the member applications carry them, so nobody uploads them
HELD = {"身份证明": _identity, "监护关系证明": _guardianship, "学籍信息": _roll}

SEED = (
    {
        "code": "transfer_bundle",
        "name": "转学一件事",
        "steps": [
            {"service": "transfer"},
            {"service": "roll_certificate", "after": "transfer", "answers": {"用途": "转学"}},
        ],
        "held": ["身份证明", "监护关系证明", "学籍信息"],
        "description": "一次填表、一次提交：先办理转学（转出学校同意、转入学校接收；跨县转学另经两地教育局），"
        "转学办结后自动向转入学校申请学籍证明。孩子的身份、监护关系和学籍由平台提供，无需上传。",
        "order": 1,
    },
    {
        "code": "resume_bundle",
        "name": "复学一件事",
        "steps": [{"service": "resume"}, {"service": "study_certificate", "after": "resume"}],
        "held": ["身份证明", "监护关系证明", "学籍信息"],
        "description": "一次填表、一次提交：学校办理复学后，自动申请在读证明。孩子的身份、监护关系和学籍由平台提供，无需上传。",
        "order": 2,
    },
)


def ensure_seed(Bundle=Bundle) -> None:
    """Create the seed bundles that are missing (never overwrites what an administrator changed)."""
    have = set(Bundle.objects.values_list("code", flat=True))
    Bundle.objects.bulk_create(Bundle(**b) for b in SEED if b["code"] not in have)


# --- the bundle as data: its steps ----------------------------------------------------------------

STEP_SPLIT = re.compile(r"[；;\n]")


def steps_text(steps: list) -> str:
    """Steps back to the import syntax: 编码[:前置编码][:字段=值,字段=值], separated by “；”."""
    out = []
    for s in steps:
        bits = [s["service"]]
        if s.get("after") or s.get("answers"):
            bits.append(s.get("after") or "")
        if s.get("answers"):
            bits.append(",".join(f"{k}={v}" for k, v in s["answers"].items()))
        out.append(":".join(bits))
    return "；".join(out)


def parse_steps(text: str) -> list:
    """“transfer；roll_certificate:transfer:用途=转学” → steps, checked against the catalogue."""
    steps = []
    for part in STEP_SPLIT.split(text or ""):
        part = part.strip()
        if not part:
            continue
        bits = [b.strip() for b in re.split(r"[:：]", part, maxsplit=2)]
        step: dict = {"service": bits[0]}
        if len(bits) > 1 and bits[1]:
            step["after"] = bits[1]
        if len(bits) > 2 and bits[2]:
            answers = {}
            for pair in re.split(r"[,，]", bits[2]):
                k, eq, v = pair.partition("=")
                if not eq or not k.strip() or not v.strip():
                    raise ValidationError(gettext("预填写应为 字段=值：{part}").format(part=part))
                answers[k.strip()] = v.strip()
            step["answers"] = answers
        steps.append(step)
    check_steps(steps)
    return steps


def check_steps(steps: list) -> dict:
    """The steps are 2–6 distinct services of the catalogue a parent may apply for, each `after` an
    earlier step, at most one transfer, presets valid for the service's form, and no form field
    asked twice with different rules. Returns {code: Service}."""
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        raise ValidationError(gettext("包含事项应为{a}至{b}个").format(a=MIN_STEPS, b=MAX_STEPS))
    codes = [s["service"] for s in steps]
    found = {s.code: s for s in Service.objects.filter(code__in=codes)}
    seen: list = []
    shared: dict = {}
    for s in steps:
        code = s["service"]
        svc = found.get(code)
        if svc is None:
            raise ValidationError(gettext("目录中没有编码为“{code}”的事项").format(code=code))
        if code in seen:
            raise ValidationError(gettext("事项“{code}”重复").format(code=code))
        if Applicant.PARENT not in (svc.applicants or []):
            raise ValidationError(gettext("事项“{name}”不能由家长申请").format(name=svc.name))
        if s.get("after") and s["after"] not in seen:
            raise ValidationError(
                gettext("事项“{name}”的前置事项“{after}”应是排在它前面的事项").format(name=svc.name, after=s["after"])
            )
        seen.append(code)
        fields = services.parse_form(svc.form_spec)
        preset = s.get("answers") or {}
        labels = {f.label for f in fields}
        bad = [k for k in preset if k not in labels]
        if bad:
            raise ValidationError(gettext("事项“{name}”的申请表没有字段“{field}”").format(name=svc.name, field=bad[0]))
        try:
            services.validate_answers([f for f in fields if f.label in preset], preset)
        except ValidationError as exc:
            raise ValidationError(gettext("{name}：{msg}").format(name=svc.name, msg="；".join(exc.messages))) from None
        for f in fields:
            if f.label in preset:
                continue
            rule = (f.ftype, tuple(f.choices))
            if shared.setdefault(f.label, rule) != rule:
                raise ValidationError(
                    gettext("“{field}”在两个事项的申请表中规则不同，请为其中一个预先填写").format(field=f.label)
                )
    if sum(found[c].workflow == Workflow.TRANSFER for c in codes) > 1:
        raise ValidationError(gettext("一件事最多包含一个转学事项"))
    return found


# --- the one form and the one set of materials ------------------------------------------------------


def catalogue_services(bundle: Bundle) -> dict:
    """{code: Service} of the bundle's steps (one query); a missing one refuses the bundle."""
    codes = [s["service"] for s in bundle.steps]
    found = {s.code: s for s in Service.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        services._refuse("bundle", gettext("一件事：事项“{code}”已不在目录中").format(code=missing[0]))
    return found


def form_fields(bundle: Bundle, found: dict) -> list:
    """The one form: every member service's fields not filled in by the bundle, each asked once."""
    out, seen = [], set()
    for s in bundle.steps:
        preset = s.get("answers") or {}
        for f in services.parse_form(found[s["service"]].form_spec):
            if f.label not in preset and f.label not in seen:
                seen.add(f.label)
                out.append(f)
    return out


def form_materials(bundle: Bundle, found: dict) -> list:
    """The one set of materials: every member service's, each asked once, none the platform holds."""
    out: dict = {}
    held = set(bundle.held or [])
    for s in bundle.steps:
        for m in found[s["service"]].materials or []:
            name = m.get("name", "材料")
            if name in held:
                continue
            if name in out:
                out[name]["required"] = out[name].get("required") or m.get("required")
            else:
                out[name] = dict(m)
    return list(out.values())


def held_facts(bundle: Bundle, student, user) -> dict:
    """{material name: what the platform holds}, for the form (filled in) and the applications."""
    link = (
        Guardianship.objects.filter(guardian__user=user, student=student)
        .select_related("guardian")
        .order_by("pk")
        .first()
    )
    return {name: HELD[name](student, link) for name in bundle.held or [] if name in HELD}


def needs_target(found: dict) -> bool:
    return any(s.workflow == Workflow.TRANSFER for s in found.values())


# --- applying ---------------------------------------------------------------------------------------


def apply_bundle(
    bundle: Bundle, student, *, acting_user, answers=None, files=None, target_school=None, now=None
) -> BundleApplication:
    """A parent applies for a bundle for their own child with one form and one set of materials:
    the bundle application, its steps, and the applications of the steps that wait for nothing.
    Everything is checked first; nothing is written unless all of it is."""
    now = now or timezone.now()
    if not bundle.active:
        services._refuse("bundle", gettext("一件事：{name}暂未开通网上办理").format(name=bundle.name))
    if not has_perm(acting_user, APPLY):
        raise PermissionDenied(gettext("您没有申请一网通办事项的权限"))
    if not services.is_guardian(acting_user, student):
        services._refuse("student", gettext("学生：只能为自己的孩子申请"))
    found = catalogue_services(bundle)
    for s in bundle.steps:
        svc = found[s["service"]]
        if not s.get("after"):
            services.check_applicant(svc, student, acting_user)
        elif not svc.active:
            services._refuse("bundle", gettext("一件事：{service}暂未开通网上办理").format(service=svc.name))
    busy = (
        Application.objects.filter(service__code__in=list(found), student=student, result=Result.PENDING)
        .select_related("service")
        .first()
    )
    if busy is not None:
        services._refuse(
            "bundle",
            gettext("一件事：{name}已有一件{service}申请在办理中").format(name=student.name, service=busy.service.name),
        )
    clean = services.validate_answers(form_fields(bundle, found), answers or {})
    uploads = services.check_materials(Service(materials=form_materials(bundle, found)), files)
    target = None
    for svc in found.values():
        target = target or services.transfer_target(svc, student, target_school)
    held = held_facts(bundle, student, acting_user)
    with transaction.atomic():
        ba = BundleApplication.objects.create(
            bundle=bundle,
            number=f"tmp-{secrets.token_hex(8)}",  # the real one needs the pk
            student=student,
            applicant=acting_user,
            school=student.school,
            target_school=target,
            answers=clean,
            held=held,
        )
        ba.number = f"YJ{timezone.localdate(now):%Y%m%d}{ba.pk:05d}"
        position = {}
        for i, s in enumerate(bundle.steps, 1):
            position[s["service"]] = i
            svc = found[s["service"]]
            mine = {f.label: clean[f.label] for f in services.parse_form(svc.form_spec) if f.label in clean}
            BundleStep.objects.create(
                bundle_application=ba,
                position=i,
                service=svc,
                after=position.get(s.get("after") or ""),
                answers={**mine, **(s.get("answers") or {})},
            )
        steps = list(ba.steps.filter(after__isnull=True).select_related("service").order_by("position"))
        first = _open_step(ba, steps[0], student, now=now)
        for name, upload in uploads:
            att = cases.attach(first.case, upload, acting_user=acting_user, now=now)
            ba.materials[name] = att.pk
        for step in steps[1:]:
            app = _open_step(ba, step, student, now=now)
            _copy_materials(ba, step.service, app, now=now)
        ba.save(update_fields=["number", "materials"])
        record(
            actor=acting_user,
            action=AuditAction.CREATE,
            summary=f"申请{bundle.name}（{student.name}，{ba.number}，{len(bundle.steps)}个事项）",
            obj=ba,
            org=student.school,
            after={"bundle": bundle.code, "student": student.pk, "number": ba.number},
        )
    return ba


def _member_answers(ba: BundleApplication, step: BundleStep) -> dict:
    answers = dict(step.answers)
    if ba.held:
        answers["平台已有材料"] = "、".join(ba.held)  # identity, guardianship, roll: not uploaded
    answers["一件事"] = f"{ba.bundle.name}（{ba.number}）第{step.position}项"
    return answers


def _open_step(ba: BundleApplication, step: BundleStep, student, *, now) -> Application:
    svc = step.service
    target = ba.target_school if svc.workflow == Workflow.TRANSFER else None
    app = services.open_application(
        svc,
        student,
        acting_user=ba.applicant,
        answers=_member_answers(ba, step),
        target_school=target,
        now=now,
        note=f"，{ba.bundle.name}{ba.number}",
    )
    step.application, step.state, step.note = app, StepState.STARTED, ""
    step.save(update_fields=["application", "state", "note"])
    return app


def _copy_materials(ba: BundleApplication, service: Service, app: Application, *, now) -> None:
    """The materials given once with the bundle that this member service asks for, attached to its case."""
    names = {m.get("name") for m in service.materials or []}
    pks = [pk for name, pk in (ba.materials or {}).items() if name in names]
    for att in CaseAttachment.objects.filter(pk__in=pks).order_by("pk"):
        with att.file.open("rb") as fh:
            cases.attach(app.case, File(fh, name=att.original_name), acting_user=ba.applicant, now=now)


def after_member(app: Application, *, now) -> None:
    """Inside the engine's transaction, once a member application has its result: on 办结 the steps
    waiting for it are applied for; on 退回 they (and those waiting for them) are not handled."""
    step = (
        BundleStep.objects.select_for_update(of=("self",))
        .select_related(
            "bundle_application__bundle", "bundle_application__applicant", "bundle_application__target_school"
        )
        .filter(application=app)
        .first()
    )
    if step is None:
        return
    ba = step.bundle_application
    waiting = list(ba.steps.filter(state=StepState.WAITING).select_related("service").order_by("position"))
    if app.result == Result.DONE:
        student = Student.objects.select_related("school").get(pk=ba.student_id)  # after a transfer: the new school
        for nxt in (s for s in waiting if s.after == step.position):
            _start_later(ba, nxt, student, now=now)
        return
    stopped = {step.position}
    for s in waiting:
        if s.after in stopped:
            stopped.add(s.position)
            s.state, s.note = StepState.CANCELLED, f"{step.service.name}已退回，不再办理"
            s.save(update_fields=["state", "note"])


def _start_later(ba: BundleApplication, step: BundleStep, student, *, now) -> None:
    title = f"您的{ba.bundle.name}：{step.service.name}"
    try:
        with transaction.atomic():
            services.check_applicant(step.service, student, ba.applicant)
            app = _open_step(ba, step, student, now=now)
            _copy_materials(ba, step.service, app, now=now)
    except (ValidationError, PermissionDenied) as exc:
        why = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        step.state, step.note = StepState.FAILED, "；".join(why)[:500]
        step.save(update_fields=["state", "note"])
        title, body = title + "未能发起", f"{ba.number}：{step.note}"
    else:
        title, body = (
            title + "已开始办理",
            f"{ba.number}：前一事项已办结，{step.service.name}已交{app.case.responsible_org.name}办理。",
        )
    user, link = ba.applicant, reverse("online_services:bundle_detail", args=[ba.pk])
    transaction.on_commit(lambda: notify_inbox(user, title, body, link))


# --- the status the parent sees ----------------------------------------------------------------------


def step_label(step: BundleStep, apps: dict) -> str:
    """A step's status: its application's case state once started, else why it has not."""
    app = apps.get(step.application_id)
    if step.application_id and app is not None:
        return app.case.state_label
    return step.get_state_display()


def overall(steps: list, apps: dict) -> str:
    """The bundle's one status: 已办结 when every step is, 已退回 when one was, else 办理中 (第k项)."""
    results = [apps[s.application_id].result if s.application_id in apps else None for s in steps]
    if any(r == Result.RETURNED for r in results):
        return "已退回"
    if any(s.state == StepState.FAILED for s in steps):
        return "部分未能办理"
    if results and all(r == Result.DONE for r in results):
        return "已办结"
    done = sum(r == Result.DONE for r in results)
    return f"办理中（已办结{done}项，共{len(steps)}项）"


# --- the catalogue ---------------------------------------------------------------------------------


def save_bundle(values: dict, *, acting_user) -> tuple[Bundle, bool]:
    """Create or update one bundle of the catalogue by its code (the importer's writer), checked."""
    services.may_manage_catalogue(acting_user)
    check_steps(values.get("steps") or [])
    bad = [h for h in values.get("held") or [] if h not in HELD]
    if bad:
        raise ValidationError({"held": gettext("平台已有材料只能是{names}").format(names="、".join(HELD))})
    return services.upsert(Bundle, values, acting_user=acting_user, what="一件事")
