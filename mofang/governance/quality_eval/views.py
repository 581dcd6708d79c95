"""综合素质评价 pages: a parent's entry on the phone, a class's term (review, 公示, objections,
archive), the 公示 a parent sees, and the 达标率 figures.

Views parse, reach rows through the scope layer and call the services; a refused form answers
400 with each field's Chinese message, a permission refusal 403, an out-of-scope object 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, grants_for, has_perm, has_perm_at
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import RollStatus, Student

from . import selectors, services
from .models import (
    ENTERED_KINDS,
    Dimension,
    Evidence,
    Kind,
    Objection,
    ObjectionStatus,
    Publicity,
    PublicityStatus,
    Record,
    Status,
    term_name,
    term_of,
)
from .roles import ENTER, FIGURES, OWN, PUBLICIZE, REVIEW, SETTLE, VIEW


def _forbidden(request, message="您没有权限查看该页面"):
    return render(request, "quality_eval/message.html", {"page_title": "没有权限", "message": message}, status=403)


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {
            k: "；".join(v.messages if hasattr(v, "messages") else [str(x) for x in v])
            for k, v in exc.message_dict.items()
        }
    return {"form": "；".join(exc.messages)}


def _visible_one(model, user, pk, *perms):
    """The object through the first of `perms` that shows it (404 when none does)."""
    for perm in perms:
        if has_perm(user, perm):
            found = model.objects.visible_to(user, perm).filter(pk=pk).first()
            if found is not None:
                return found
    raise Http404("对象不存在或不在您的数据范围内")


@login_required
def index(request):
    user = request.user
    if has_perm(user, OWN):
        return redirect("quality_eval:my")
    if has_perm(user, VIEW):
        return redirect("quality_eval:classes")
    if has_perm(user, FIGURES):
        return redirect("quality_eval:rates")
    return _forbidden(request)


# --- parents ------------------------------------------------------------------------------------


@login_required
def my(request):
    user = request.user
    if not has_perm(user, OWN):
        return _forbidden(request)
    year, term = term_of(timezone.localdate())
    children = list(Student.objects.visible_to(user, OWN).select_related("school", "klass").order_by("name"))
    records: dict[int, list] = {}
    for r in (
        Record.objects.visible_to(user, OWN)
        .filter(student__in=children, school_year=year, term=term)
        .order_by("dimension", "-occurred_on", "id")
    ):
        records.setdefault(r.student_id, []).append(r)
    publicities = {
        p.klass_id: p
        for p in Publicity.objects.visible_to(user, OWN).filter(
            school_year=year, term=term, klass_id__in=[c.klass_id for c in children]
        )
    }
    return render(
        request,
        "quality_eval/my.html",
        {
            "page_title": "孩子的综合素质评价",
            "term_name": term_name(year, term),
            "children": [(c, records.get(c.pk, []), publicities.get(c.klass_id)) for c in children],
        },
    )


def _entry_context(student, values, errors, rec=None):
    return {
        "page_title": f"{student.name} · {'修改' if rec else '填报'}综合素质评价",
        "student": student,
        "rec": rec,
        "values": values,
        "errors": errors,
        "dimensions": Dimension.choices,
        "kinds": [(k.value, k.label) for k in ENTERED_KINDS],
        "max_files": services.MAX_EVIDENCE_FILES,
        "term_name": term_name(*term_of(timezone.localdate())),
    }


def _form_values(request) -> dict:
    return {k: request.POST.get(k, "") for k in ("dimension", "kind", "title", "description", "occurred_on")}


@login_required
def entry(request, pk):
    """A record for one student: the parent for their child, a teacher for a pupil of their subtree."""
    user = request.user
    if not (has_perm(user, OWN) or has_perm(user, ENTER)):
        return _forbidden(request)
    student = _visible_one(Student, user, pk, OWN, ENTER)
    if student.status not in (RollStatus.ENROLLED, RollStatus.SUSPENDED):
        return _forbidden(request, "该学生不在籍，不能填报")
    values = {"dimension": "", "kind": Kind.GENERAL, "occurred_on": timezone.localdate().isoformat()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_values(request)
        try:
            rec = services.enter_record(student, **values, files=request.FILES.getlist("files"), acting_user=user)
        except PermissionDenied:
            return _forbidden(request, "您无权为该学生填报综合素质评价")
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("quality_eval:record", rec.pk)
    return render(
        request, "quality_eval/entry.html", _entry_context(student, values, errors), status=400 if errors else 200
    )


@login_required
def record_detail(request, pk):
    user = request.user
    if not (has_perm(user, OWN) or has_perm(user, VIEW)):
        return _forbidden(request)
    rec = _visible_one(Record, user, pk, VIEW, OWN)
    may_review = rec.status == Status.SUBMITTED and rec.klass is not None and has_perm_at(user, REVIEW, rec.klass)
    lock = services.term_lock(rec.klass_id, rec.school_year, rec.term)
    may_edit = (
        not lock
        and not rec.automatic
        and rec.status in (Status.SUBMITTED, Status.RETURNED)
        and (
            Student.objects.visible_to(user, OWN).filter(pk=rec.student_id).exists()
            or has_perm_at(user, ENTER, rec.klass or rec.school)
        )
    )
    return render(
        request,
        "quality_eval/record.html",
        {
            "page_title": f"{rec.student.name} · {rec.title}",
            "rec": rec,
            "evidence": list(rec.evidence.all()),
            "objections": list(rec.objections.filter(raised_by=user))
            if has_perm(user, OWN)
            else list(rec.objections.all()),
            "may_review": may_review,
            "may_edit": may_edit,
            "lock": lock,
        },
    )


@login_required
def record_edit(request, pk):
    user = request.user
    if not (has_perm(user, OWN) or has_perm(user, ENTER)):
        return _forbidden(request)
    rec = _visible_one(Record, user, pk, OWN, ENTER)
    values = {
        "dimension": rec.dimension,
        "kind": rec.kind,
        "title": rec.title,
        "description": rec.description,
        "occurred_on": rec.occurred_on.isoformat(),
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_values(request)
        try:
            services.update_record(rec, **values, files=request.FILES.getlist("files"), acting_user=user)
        except PermissionDenied:
            return _forbidden(request, "您无权修改该记录")
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("quality_eval:record", rec.pk)
    return render(
        request,
        "quality_eval/entry.html",
        _entry_context(rec.student, values, errors, rec),
        status=400 if errors else 200,
    )


@login_required
@require_POST
def record_review(request, pk):
    user = request.user
    if not has_perm(user, REVIEW):
        return _forbidden(request)
    rec = get_visible_or_404(Record, user, REVIEW, pk=pk)
    action = request.POST.get("action", "")
    if action not in ("approve", "return"):
        return render(
            request, "quality_eval/message.html", {"page_title": "审核", "message": "请选择通过或退回"}, status=400
        )
    try:
        services.review(rec, approve=action == "approve", reason=request.POST.get("reason", ""), acting_user=user)
    except PermissionDenied:
        return _forbidden(request, "只有本班班主任可以审核")
    except ValidationError as exc:
        return render(
            request,
            "quality_eval/message.html",
            {"page_title": "审核", "message": "；".join(_errors(exc).values()), "back": rec},
            status=400,
        )
    if request.POST.get("next") == "class" and rec.klass_id:
        return redirect("quality_eval:klass", rec.klass_id)
    return redirect("quality_eval:record", rec.pk)


@login_required
def evidence(request, pk):
    user = request.user
    if not (has_perm(user, OWN) or has_perm(user, VIEW)):
        return _forbidden(request)
    found = _visible_one(Evidence, user, pk, VIEW, OWN)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("证明材料文件已不存在") from None
    return FileResponse(handle, content_type=found.content_type, as_attachment=False, filename=found.name)


# --- a class's term ------------------------------------------------------------------------------


@login_required
def classes(request):
    user = request.user
    if not has_perm(user, VIEW):
        return _forbidden(request)
    year, term = term_of(timezone.localdate())
    rows = list(OrgUnit.objects.visible_to(user, VIEW).filter(kind=OrgKind.CLASS).order_by("path")[:300])
    counts = selectors.class_counts(user, [c.pk for c in rows], year, term)
    states = {
        p.klass_id: p
        for p in Publicity.objects.visible_to(user, VIEW).filter(
            school_year=year, term=term, klass_id__in=[c.pk for c in rows]
        )
    }
    schools = list(OrgUnit.objects.visible_to(user, SETTLE).filter(kind=OrgKind.SCHOOL).order_by("path")[:20])
    return render(
        request,
        "quality_eval/classes.html",
        {
            "page_title": "综合素质评价",
            "term_name": term_name(year, term),
            "rows": [(c, counts.get(c.pk, {}), states.get(c.pk)) for c in rows],
            "schools": schools,
            "pulled": request.GET.get("pulled", ""),
        },
    )


@login_required
def klass(request, pk):
    user = request.user
    if not has_perm(user, VIEW):
        return _forbidden(request)
    k = get_visible_or_404(OrgUnit, user, VIEW, pk=pk, kind=OrgKind.CLASS)
    today = timezone.localdate()
    year, term = term_of(today)
    records = list(
        Record.objects.visible_to(user, VIEW)
        .filter(klass=k, school_year=year, term=term)
        .select_related("student")
        .order_by("student__name", "dimension", "id")
    )
    p = Publicity.objects.visible_to(user, VIEW).filter(klass=k, school_year=year, term=term).first()
    objections = list(p.objections.select_related("record__student").order_by("status", "raised_at")) if p else []
    students = list(
        Student.objects.visible_to(user, VIEW)
        .filter(klass=k, status__in=(RollStatus.ENROLLED, RollStatus.SUSPENDED))
        .order_by("student_no")
    )
    pending = [r for r in records if r.status == Status.SUBMITTED]
    return render(
        request,
        "quality_eval/klass.html",
        {
            "page_title": f"{k.name} · 综合素质评价",
            "klass": k,
            "term_name": term_name(year, term),
            "records": records,
            "pending": pending,
            "students": students,
            "p": p,
            "p_open": p is not None and services.publicity_open(p, today),
            "objections": objections,
            "open_objections": sum(1 for o in objections if o.status == ObjectionStatus.OPEN),
            "may_review": has_perm_at(user, REVIEW, k),
            "may_enter": has_perm_at(user, ENTER, k),
            "may_publicize": p is None and has_perm_at(user, PUBLICIZE, k),
            "may_settle": p is not None and p.status == PublicityStatus.OPEN and has_perm_at(user, SETTLE, k),
            "may_archive": p is not None and p.status == PublicityStatus.OPEN and today > p.ends_on,
            "publicity_days": services.PUBLICITY_WORKING_DAYS,
            "done": request.GET.get("done", ""),
        },
    )


def _class_message(request, k, exc):
    return render(
        request,
        "quality_eval/message.html",
        {"page_title": f"{k.name} · 综合素质评价", "message": "；".join(_errors(exc).values()), "klass": k},
        status=400,
    )


@login_required
@require_POST
def start_publicity(request, pk):
    user = request.user
    if not has_perm(user, PUBLICIZE):
        return _forbidden(request)
    k = get_visible_or_404(OrgUnit, user, PUBLICIZE, pk=pk, kind=OrgKind.CLASS)
    try:
        services.start_publicity(k, acting_user=user)
    except PermissionDenied:
        return _forbidden(request, "您无权发起该班级的公示")
    except ValidationError as exc:
        return _class_message(request, k, exc)
    return redirect(f"/quality_eval/classes/{k.pk}/?done=publicity")


@login_required
@require_POST
def archive(request, pk):
    user = request.user
    if not has_perm(user, SETTLE):
        return _forbidden(request)
    p = get_visible_or_404(Publicity, user, SETTLE, pk=pk)
    try:
        services.archive(p, acting_user=user)
    except PermissionDenied:
        return _forbidden(request, "只有学校（校长、教务）可以归档")
    except ValidationError as exc:
        return _class_message(request, p.klass, exc)
    return redirect(f"/quality_eval/classes/{p.klass_id}/?done=archived")


@login_required
@require_POST
def resolve(request, pk):
    user = request.user
    if not has_perm(user, SETTLE):
        return _forbidden(request)
    o = get_visible_or_404(Objection, user, SETTLE, pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in ("upheld", "dismissed"):
        return _class_message(
            request, o.publicity.klass, ValidationError({"decision": gettext("请选择异议成立或不成立")})
        )
    try:
        services.resolve_objection(
            o, upheld=decision == "upheld", resolution=request.POST.get("resolution", ""), acting_user=user
        )
    except PermissionDenied:
        return _forbidden(request, "只有学校（校长、教务）可以处理公示异议")
    except ValidationError as exc:
        return _class_message(request, o.publicity.klass, exc)
    return redirect(f"/quality_eval/classes/{o.publicity.klass_id}/?done=resolved")


@login_required
@require_POST
def pull(request, pk):
    user = request.user
    if not has_perm(user, SETTLE):
        return _forbidden(request)
    school = get_visible_or_404(OrgUnit, user, SETTLE, pk=pk, kind=OrgKind.SCHOOL)
    year, term = term_of(timezone.localdate())
    counts = services.pull_term(school, year, term, acting_user=user)
    return render(
        request,
        "quality_eval/message.html",
        {
            "page_title": "转入体测与课后服务记录",
            "ok": True,
            "message": f"{school.name}：新增{counts['created']}条，更新{counts['updated']}条"
            + (f"，{counts['locked']}条所在学期已公示或归档，未改动" if counts["locked"] else ""),
        },
    )


# --- 公示 for parents ----------------------------------------------------------------------------


@login_required
def publicity(request, pk):
    user = request.user
    if not has_perm(user, OWN):
        return _forbidden(request)
    p = get_visible_or_404(Publicity, user, OWN, pk=pk)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    done = ""
    values = {"record": "", "reason": ""}
    if request.method == "POST":
        values = {"record": request.POST.get("record", ""), "reason": request.POST.get("reason", "")}
        rec = p.records().filter(pk=values["record"]).first() if values["record"].isdigit() else None
        if rec is None:
            errors["record"] = "请选择要提出异议的记录"
        else:
            try:
                services.raise_objection(p, rec, reason=values["reason"], acting_user=user, today=today)
            except PermissionDenied:
                return _forbidden(request, "只有本班学生家长可以对公示提出异议")
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                done = "异议已提交，学校处理后会在此显示处理结果"
                values = {"record": "", "reason": ""}
    records = list(p.records().select_related("student").order_by("student__name", "dimension", "id"))
    mine = list(Objection.objects.visible_to(user, OWN).filter(publicity=p).select_related("record__student"))
    return render(
        request,
        "quality_eval/publicity.html",
        {
            "page_title": f"{p.klass.name} · 综合素质评价公示",
            "p": p,
            "records": records,
            "mine": mine,
            "open": services.publicity_open(p, today),
            "errors": errors,
            "values": values,
            "done": done,
        },
        status=400 if errors else 200,
    )


# --- figures ------------------------------------------------------------------------------------


@login_required
def rates(request):
    user = request.user
    grants = [g for g in grants_for(user, FIGURES) if not g.own]
    if not grants:
        return _forbidden(request)
    current = term_of(timezone.localdate())[0]
    try:
        year = int(request.GET.get("year") or current)
    except ValueError:
        year = current
    if not 2000 <= year <= current + 1:
        year = current
    org_id = request.GET.get("org")
    if org_id:
        org = get_visible_or_404(OrgUnit, user, FIGURES, pk=org_id)
    else:
        top = min(grants, key=lambda g: len(g.path))
        org = get_visible_or_404(OrgUnit, user, FIGURES, pk=top.org_id)
    total, parts = selectors.figures(user, org, year)
    return render(
        request,
        "quality_eval/rates.html",
        {
            "page_title": "运动技能与艺术特长达标率",
            "org": org,
            "year": year,
            "year_name": f"{year}-{year + 1}学年",
            "years": list(range(current, current - 4, -1)),
            "total": total,
            "parts": parts,
            "crumbs": [o for o in org.breadcrumb() if any(o.path.startswith(g.path) for g in grants)],
        },
    )
