"""控辍保学 pages: the counts per county, a county's three lists, and a child's case (核查 → 劝返 →
复学 / 说明). Everything is read through the scope layer; the lists with names are for the county's
own handlers (HANDLE), the counts for everyone who may view (city, province, 督学)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, grants_for, has_perm_at
from mofang.platform.cases.services import available_transitions
from mofang.platform.orgs.models import OrgKind, OrgUnit

from . import rules, services
from .importers import CODE as IMPORT_CODE
from .models import ChildCase, ExplainReason, ListKind, RegisterBatch, RegisterChild
from .roles import HANDLE, VIEW
from .selectors import match, match_many


@login_required
def index(request):
    counties = OrgUnit.objects.visible_to(request.user, VIEW).filter(kind=OrgKind.COUNTY).order_by("path")
    counties = list(counties[:200])
    if not counties:
        raise PermissionDenied("您无权查看控辍保学比对")
    batches = {}
    for b in (
        RegisterBatch.objects.visible_to(request.user, VIEW)
        .filter(county__in=counties)
        .order_by("county_id", "-reference_date", "-pk")
    ):
        batches.setdefault(b.county_id, b)
    matched = match_many(list(batches.values()))
    rows = []
    for c in counties:
        b = batches.get(c.pk)
        rows.append({"county": c, "batch": b, "m": matched[b.pk] if b else None})
    return render(request, "dropout_control/index.html", {"page_title": "控辍保学比对", "rows": rows})


@login_required
def import_register(request):
    if not grants_for(request.user, "dropout_control.import_register"):
        raise PermissionDenied("您无权导入适龄儿童名册")
    return redirect(reverse("imports:upload", args=[IMPORT_CODE]))


def _county(request, county_id):
    return get_visible_or_404(OrgUnit, request.user, VIEW, pk=county_id, kind=OrgKind.COUNTY)


@login_required
def county(request, county_id):
    c = _county(request, county_id)
    batch = (
        RegisterBatch.objects.visible_to(request.user, VIEW).filter(county=c).order_by("-reference_date", "-pk").first()
    )
    can_handle = has_perm_at(request.user, HANDLE, c)
    m = match(batch) if batch else None
    lists = []
    if m is not None:
        ids = [f.child_id for kind in ListKind.values for f in m.lists[kind]] if can_handle else []
        children = RegisterChild.objects.visible_to(request.user, HANDLE).in_bulk(ids) if ids else {}
        cases = {}
        if can_handle:
            for cc in (
                ChildCase.objects.visible_to(request.user, HANDLE)
                .filter(county=c, id_number_hash__in=[ch.id_number_hash for ch in children.values()])
                .select_related("case")
                .order_by("pk")
            ):
                cases[cc.id_number_hash] = cc  # the latest case of the child
        for kind in ListKind:
            entries = []
            for f in m.lists[kind][:500] if can_handle else []:
                ch = children.get(f.child_id)
                if ch is not None:
                    entries.append({"child": ch, "flag": f, "case": cases.get(ch.id_number_hash)})
            lists.append({"kind": kind, "label": kind.label, "count": m.count(kind), "entries": entries})
    context = {
        "page_title": f"{c.name}控辍保学比对",
        "county": c,
        "batch": batch,
        "m": m,
        "lists": lists,
        "can_handle": can_handle,
        "age_rule": rules.AGE_RULE,
        "suspension_rule": rules.SUSPENSION_RULE,
    }
    return render(request, "dropout_control/county.html", context)


@login_required
@require_POST
def rematch(request, county_id):
    c = _county(request, county_id)
    if not has_perm_at(request.user, HANDLE, c):
        raise PermissionDenied("您无权办理该区县的控辍保学案件")
    batch = (
        RegisterBatch.objects.visible_to(request.user, VIEW).filter(county=c).order_by("-reference_date", "-pk").first()
    )
    if batch is None:
        messages.error(request, "名册：本区县尚未导入适龄儿童名册")
        return redirect("dropout_control:county", c.pk)
    opened = services.open_cases(batch, acting_user=request.user)
    messages.success(request, f"已重新比对，新立案{opened}件")
    return redirect("dropout_control:county", c.pk)


@login_required
def case_detail(request, pk):
    cc = get_visible_or_404(ChildCase, request.user, VIEW, pk=pk)
    can_handle = has_perm_at(request.user, HANDLE, cc.county)
    errors, status = {}, 200
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied("您无权办理该区县的控辍保学案件")
        action = request.POST.get("action", "")
        try:
            if action == "persuade":
                services.persuade(cc, acting_user=request.user, comment=request.POST.get("comment", ""))
                messages.success(request, "已转入劝返")
            elif action == "explain":
                services.explain(
                    cc,
                    acting_user=request.user,
                    reason=request.POST.get("reason", ""),
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, "已登记情况说明，案件办结")
            elif action == "readmit":
                school = None
                if request.POST.get("school", "").isdigit():
                    school = (
                        OrgUnit.objects.visible_to(request.user, HANDLE)
                        .filter(pk=int(request.POST["school"]), kind=OrgKind.SCHOOL)
                        .first()
                    )
                    if school is None:
                        raise ValidationError({"school": gettext("请选择本区县的学校")})
                grade = request.POST.get("grade", "").strip()
                if grade and not grade.isdigit():
                    raise ValidationError({"grade": gettext("年级应为数字")})
                services.readmit(
                    cc,
                    acting_user=request.user,
                    school=school,
                    grade=int(grade) if grade else None,
                    student_no=request.POST.get("student_no", ""),
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, "已复学，学籍已更新，案件办结")
            else:
                raise ValidationError({"action": gettext("未知的操作")})
            return redirect("dropout_control:case", cc.pk)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"action": exc.messages}
            status = 400
        cc.refresh_from_db()
        cc.case.refresh_from_db()
    schools = (
        OrgUnit.objects.visible_to(request.user, HANDLE)
        .filter(kind=OrgKind.SCHOOL, path__startswith=cc.county.path)
        .order_by("path")[:300]
        if can_handle
        else []
    )
    context = {
        "page_title": f"控辍保学案件 {cc.case.number or ''}",
        "cc": cc,
        "case": cc.case,
        "child": cc.child,
        "can_handle": can_handle and cc.case.state_kind == "open",
        "transitions": {t.code for t in available_transitions(cc.case, request.user)} if can_handle else set(),
        "reasons": ExplainReason.choices,
        "schools": schools,
        "errors": errors,
        "data": request.POST if status == 400 else {},
    }
    return render(request, "dropout_control/case.html", context, status=status)
