"""教师发展 pages: a teacher's points (process and value-added views) and yearly statement, school
and county rankings, the county's rules, the imported records, the growth ladder and 名师工作室.

Views parse, reach rows through the scope layer and call the services; a refused form answers
400 with the field's Chinese message, a permission refusal 403, an out-of-scope object 404."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.accounts.scope import get_visible_or_404, grants_for, has_perm, has_perm_at
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.orgs.selectors import county_of
from mofang.platform.people.models import Staff

from . import engine, selectors, services
from .models import (
    UNITS,
    ActivityRecord,
    CapPeriod,
    Category,
    LadderApplication,
    PointRule,
    Recognition,
    Studio,
    StudioActivity,
    StudioMember,
    StudioOutput,
)
from .roles import APPLY, IMPORT, LADDER, MANAGE_STUDIO, OWN, POINTS, RANKING, RULES, STUDIO

LEVEL_NAMES = ("县级", "市级", "省级")


def _forbidden(request, message="您没有权限查看该页面"):
    return render(request, "teacher_dev/message.html", {"page_title": "没有权限", "message": message}, status=403)


def _year(request) -> int:
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or current)
    except ValueError:
        return current
    return year if 2000 <= year <= current else current


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(m for ms in exc.message_dict.values() for m in ms)
    return "；".join(exc.messages)


@login_required
def index(request):
    user = request.user
    if has_perm(user, RANKING):
        return redirect("teacher_dev:ranking")
    if has_perm(user, OWN):
        return redirect("teacher_dev:my")
    if has_perm(user, STUDIO):
        return redirect("teacher_dev:studios")
    return _forbidden(request)


# --- a teacher's points --------------------------------------------------------------------------


def _own_staff(user):
    return Staff.objects.visible_to(user, OWN).filter(user=user).select_related("org").first()


def _points_page(request, staff, *, own: bool, perm=POINTS, template="teacher_dev/points.html"):
    year = _year(request)
    data = selectors.teacher_year(request.user, perm, staff, year)
    (first, last), hours = services.training_hours(staff, year)
    level = services.current_level(staff)
    current = timezone.localdate().year
    return render(
        request,
        template,
        {
            "page_title": "我的积分" if own else f"{staff.name}的积分",
            "staff": staff,
            "own": own,
            "year": year,
            "years": list(range(current, current - 5, -1)),
            "data": data,
            "lines": list(reversed(data.result.lines)),
            "cycle": f"{first}—{last}年",
            "hours": hours,
            "required": engine.TRAINING_HOURS,
            "hours_pct": min(int(hours * 100 / engine.TRAINING_HOURS), 100),
            "level": level,
            "school": staff.org.school,
            "today": timezone.localdate(),
        },
    )


@login_required
def my(request):
    user = request.user
    if not has_perm(user, OWN):
        return _forbidden(request)
    staff = _own_staff(user)
    if staff is None:
        return render(
            request,
            "teacher_dev/message.html",
            {"page_title": "我的积分", "message": "您的账号未关联教职工档案，暂无积分。"},
        )
    return _points_page(request, staff, own=True, perm=OWN)


@login_required
def teacher(request, pk):
    if not has_perm(request.user, POINTS):
        return _forbidden(request)
    staff = get_visible_or_404(Staff, request.user, POINTS, pk=pk)
    return _points_page(request, staff, own=staff.user_id == request.user.pk)


@login_required
def statement(request, pk):
    if not has_perm(request.user, POINTS):
        return _forbidden(request)
    staff = get_visible_or_404(Staff, request.user, POINTS, pk=pk)
    return _points_page(request, staff, own=staff.user_id == request.user.pk, template="teacher_dev/statement.html")


# --- rankings ------------------------------------------------------------------------------------


@login_required
def ranking(request):
    user = request.user
    grants = [g for g in grants_for(user, RANKING) if not g.own]
    if not grants:
        return _forbidden(request)
    year = _year(request)
    org_id = request.GET.get("org")
    if org_id:
        org = get_visible_or_404(OrgUnit, user, RANKING, pk=org_id)
    else:
        widest = min(grants, key=lambda g: len(g.path))
        org = get_visible_or_404(OrgUnit, user, RANKING, pk=widest.org_id)
    if org.kind not in (OrgKind.SCHOOL, OrgKind.COUNTY):
        school = org.school
        org = school if school is not None else org
    choices = []
    rows = []
    if org.kind in (OrgKind.SCHOOL, OrgKind.COUNTY):
        rows = selectors.ranking(user, RANKING, org, year)
    else:
        choices = list(
            OrgUnit.objects.visible_to(user, RANKING)
            .filter(path__startswith=org.path, kind=OrgKind.COUNTY)
            .order_by("path")[:200]
        )
    schools = []
    if org.kind == OrgKind.COUNTY:
        schools = list(
            OrgUnit.objects.visible_to(user, RANKING)
            .filter(path__startswith=org.path, kind=OrgKind.SCHOOL)
            .order_by("path")[:300]
        )
    current = timezone.localdate().year
    county = county_of(org) if org.kind != OrgKind.COUNTY else org
    return render(
        request,
        "teacher_dev/ranking.html",
        {
            "page_title": "积分排行",
            "org": org,
            "county": county,
            "year": year,
            "years": list(range(current, current - 5, -1)),
            "rows": rows,
            "choices": choices,
            "schools": schools,
            "categories": [(c.value, c.label) for c in Category],
            "links": _links(user),
        },
    )


def _links(user) -> list[tuple[str, str]]:
    """The module's pages outside the menu that the user may open (the menu keeps three entries)."""
    pages = (
        (RULES, "teacher_dev:rules", "积分规则"),
        (IMPORT, "teacher_dev:records", "积分记录导入"),
        (LADDER, "teacher_dev:ladder", "成长阶梯"),
        (STUDIO, "teacher_dev:studios", "名师工作室"),
    )
    return [(reverse(name), label) for perm, name, label in pages if any(not g.own for g in grants_for(user, perm))]


# --- the county's rules --------------------------------------------------------------------------


@login_required
def rules(request):
    user = request.user
    grants = [g for g in grants_for(user, RULES) if not g.own]
    if not grants:
        return _forbidden(request)
    counties = list(OrgUnit.objects.visible_to(user, RULES).filter(kind=OrgKind.COUNTY).order_by("path")[:200])
    if not counties:
        return _forbidden(request, "积分规则由区县教育局设置")
    county = counties[0]
    if request.GET.get("county") or request.POST.get("county"):
        county = get_visible_or_404(
            OrgUnit, user, RULES, pk=request.POST.get("county") or request.GET.get("county"), kind=OrgKind.COUNTY
        )
    status, errors, done, values = 200, [], "", {}
    if request.method == "POST":
        values = request.POST
        try:
            day = dt.date.fromisoformat((request.POST.get("effective_from") or "").strip())
        except ValueError:
            day = None
        try:
            if day is None:
                raise ValidationError(gettext("生效日期：请填写日期，如2026-09-01"))
            rule = services.set_rule(
                county,
                category=request.POST.get("category", ""),
                points_per_unit=request.POST.get("points_per_unit", ""),
                cap=request.POST.get("cap", ""),
                cap_period=request.POST.get("cap_period", ""),
                effective_from=day,
                note=request.POST.get("note", ""),
                acting_user=user,
            )
            done = f"已保存：{rule}，{rule.cap_text()}"
            values = {}
        except PermissionDenied:
            return _forbidden(request, "您无权设置该区县的积分规则")
        except ValidationError as exc:
            errors, status = [_message(exc)], 400
    today = timezone.localdate()
    all_rules = list(
        PointRule.objects.visible_to(user, RULES).filter(county=county).order_by("category", "-effective_from")
    )
    current = {}
    for r in sorted(all_rules, key=lambda r: r.effective_from):
        if r.effective_from <= today:
            current[r.category] = r
    return render(
        request,
        "teacher_dev/rules.html",
        {
            "page_title": "积分规则",
            "county": county,
            "counties": counties,
            "current": [(c.label, UNITS[c], current.get(c.value)) for c in Category],
            "history": all_rules,
            "categories": Category.choices,
            "periods": CapPeriod.choices,
            "errors": errors,
            "done": done,
            "values": values,
            "today": today,
        },
        status=status,
    )


# --- imported records ----------------------------------------------------------------------------


@login_required
def records(request):
    user = request.user
    if not has_perm(user, IMPORT):
        return _forbidden(request)
    rows = list(
        ActivityRecord.objects.visible_to(user, IMPORT).select_related("staff", "school").order_by("-date", "-id")[:300]
    )
    return render(request, "teacher_dev/records.html", {"page_title": "积分记录导入", "rows": rows})


# --- the growth ladder ---------------------------------------------------------------------------


@login_required
def ladder(request):
    user = request.user
    if not has_perm(user, LADDER):
        return _forbidden(request)
    levels = services.ladder_levels()
    staff = Staff.objects.visible_to(user, LADDER).filter(user=user).select_related("org").first()
    status, error, done = 200, "", ""
    if request.method == "POST":
        if staff is None or not has_perm_at(user, APPLY, staff.org, allow_own=True):
            return _forbidden(request, "只能由教师本人申报")
        level = next((lv for lv in levels if str(lv.pk) == request.POST.get("level", "")), None)
        try:
            if level is None:
                raise ValidationError(gettext("申报层级：请选择层级"))
            app = services.apply_for_level(staff, level, statement=request.POST.get("statement", ""), acting_user=user)
            done = f"已提交{level.name}申报（{app.case.number}），等待学校推荐"
        except PermissionDenied:
            return _forbidden(request, "只能由教师本人申报")
        except ValidationError as exc:
            error, status = _message(exc), 400
    mine = None
    if staff is not None:
        held = services.current_level(staff)
        today = timezone.localdate()
        nxt = next((lv for lv in levels if lv.rank == (held.level.rank + 1 if held else 1)), None)
        mine = {
            "staff": staff,
            "held": held,
            "next": nxt,
            "lacks": services.check_criteria(staff, nxt, today) if nxt else [],
            "applications": list(
                LadderApplication.objects.visible_to(user, LADDER)
                .filter(staff=staff)
                .select_related("level", "case")
                .order_by("-applied_at")[:20]
            ),
        }
    applications = []
    recognitions = []
    if any(not g.own for g in grants_for(user, LADDER)):
        applications = list(
            LadderApplication.objects.visible_to(user, LADDER)
            .select_related("staff", "school", "level", "case")
            .order_by("-applied_at")[:200]
        )
        recognitions = list(
            Recognition.objects.visible_to(user, LADDER)
            .select_related("staff", "school", "level")
            .order_by("-level__rank", "-recognized_on")[:300]
        )
    return render(
        request,
        "teacher_dev/ladder.html",
        {
            "page_title": "成长阶梯",
            "levels": levels,
            "mine": mine,
            "applications": applications,
            "recognitions": recognitions,
            "error": error,
            "done": done,
        },
        status=status,
    )


# --- 名师工作室 -------------------------------------------------------------------------------------


@login_required
def studios(request):
    user = request.user
    if not has_perm(user, STUDIO):
        return _forbidden(request)
    may_create = any(not g.own for g in grants_for(user, MANAGE_STUDIO))
    status, error, done = 200, "", ""
    if request.method == "POST":
        if not may_create:
            return _forbidden(request, "名师工作室由教育局设立")
        # the host's 工号 typed in the form, or carried by a link from the teacher's page
        host = _staff_by_no(user, MANAGE_STUDIO, request.POST.get("host_no") or request.GET.get("host_no", ""))
        try:
            if host is None:
                raise ValidationError(gettext("主持人工号：工号不存在或不在您的数据范围内"))
            created = services.create_studio(
                name=request.POST.get("name", ""),
                subject=request.POST.get("subject", ""),
                host=host,
                founded_on=timezone.localdate(),
                level=request.POST.get("level") if request.POST.get("level") in LEVEL_NAMES else "县级",
                acting_user=user,
            )
            done = f"已设立{created.name}"
        except PermissionDenied:
            return _forbidden(request, "您无权设立该校的名师工作室")
        except ValidationError as exc:
            error, status = _message(exc), 400
    rows = list(
        Studio.objects.visible_to(user, STUDIO).select_related("host", "school").order_by("school__path", "name")[:200]
    )
    counts = {}
    for model, key in ((StudioMember, "members"), (StudioActivity, "activities"), (StudioOutput, "outputs")):
        for sid in model.objects.visible_to(user, STUDIO).filter(studio__in=rows).values_list("studio_id", flat=True):
            counts.setdefault(sid, {"members": 0, "activities": 0, "outputs": 0})[key] += 1
    empty = {"members": 0, "activities": 0, "outputs": 0}
    return render(
        request,
        "teacher_dev/studios.html",
        {
            "page_title": "名师工作室",
            "rows": [(s, counts.get(s.pk, empty)) for s in rows],
            "may_create": may_create,
            "levels": LEVEL_NAMES,
            "error": error,
            "done": done,
        },
        status=status,
    )


def _staff_by_no(user, perm, raw: str):
    no = (raw or "").strip()
    if not no:
        return None
    return Staff.objects.visible_to(user, perm).filter(staff_no=no).select_related("org").first()


@login_required
def studio(request, pk):
    user = request.user
    if not has_perm(user, STUDIO):
        return _forbidden(request)
    s = get_visible_or_404(Studio, user, STUDIO, pk=pk)  # host and school: one query each, once
    may_manage = has_perm_at(user, MANAGE_STUDIO, s.school) or s.host.user_id == user.pk
    members = list(StudioMember.objects.visible_to(user, STUDIO).filter(studio=s).select_related("staff__org"))
    status, error, done = 200, "", ""
    if request.method == "POST":
        if not may_manage:
            return _forbidden(request, "只有工作室主持人或教育局可以登记")
        form = request.POST.get("form")
        try:
            if form == "activity":
                a = services.add_activity(
                    s,
                    date=request.POST.get("date", ""),
                    kind=request.POST.get("kind", ""),
                    title=request.POST.get("title", ""),
                    place=request.POST.get("place", ""),
                    participants=request.POST.get("participants", "0"),
                    acting_user=user,
                )
                done = f"已登记活动：{a.title}"
            elif form == "member":
                who = _staff_by_no(user, STUDIO, request.POST.get("staff_no", ""))
                if who is None:
                    raise ValidationError(gettext("教师工号：工号不存在或不在您的数据范围内"))
                m = services.add_member(s, who, role="学员", joined_on=timezone.localdate(), acting_user=user)
                members.append(m)
                done = f"已添加成员：{who.name}"
            elif form == "output":
                author = next((m.staff for m in members if str(m.staff_id) == request.POST.get("author", "")), None)
                o = services.add_output(
                    s,
                    date=request.POST.get("date", ""),
                    kind=request.POST.get("kind", ""),
                    title=request.POST.get("title", ""),
                    author=author,
                    acting_user=user,
                )
                done = f"已登记成果：{o.title}"
            else:
                raise ValidationError(gettext("表单：请选择登记活动或成果"))
        except PermissionDenied:
            return _forbidden(request, "只有工作室主持人或教育局可以登记")
        except ValidationError as exc:
            error, status = _message(exc), 400
    return render(
        request,
        "teacher_dev/studio.html",
        {
            "page_title": s.name,
            "s": s,
            "members": members,
            "activities": list(
                StudioActivity.objects.visible_to(user, STUDIO).filter(studio=s).order_by("-date")[:200]
            ),
            "outputs": list(
                StudioOutput.objects.visible_to(user, STUDIO)
                .filter(studio=s)
                .select_related("author")
                .order_by("-date")[:200]
            ),
            "may_manage": may_manage,
            "error": error,
            "done": done,
            "today": timezone.localdate(),
        },
        status=status,
    )
