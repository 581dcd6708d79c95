"""Platform pages: the 工作台 home (to-dos, apps, figures), 应用 and 我的, the watermark and the
favicon, the org-tree browser, master-data lists, audit, inbox, outbox."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm, has_perm_at
from mofang.platform.audit.display import describe_values, object_label
from mofang.platform.audit.models import AuditAction, AuditEntry
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.notifications.models import DeliveryStatus, SMSMessage
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.orgs.services import update_org_unit
from mofang.platform.people import services as people_services
from mofang.platform.people.grades import GRADE_CHOICES
from mofang.platform.people.models import Employment, Guardianship, RollStatus, Staff, StaffCategory, Student
from mofang.platform.people.models.staff import format_certificates

from .forms import OrgUnitForm, StaffForm, StudentForm
from .lists import Col, ScopedListView
from .registry import OVERVIEW_PROVIDERS, TODO_PROVIDERS, TodoItem
from .shell import personal_pages, viewer_stamp, workbench


@login_required
def home(request):
    """工作台: the user's to-dos (each opens the list of exactly the counted items), their apps grouped
    by business, and the figures that mean something for their role."""
    user = request.user
    items: list[TodoItem] = []
    for provider in TODO_PROVIDERS:
        items.extend(i for i in provider(request) if i.count)
    overview: list[TodoItem] = []
    for provider in OVERVIEW_PROVIDERS:
        overview.extend(provider(request))
    running = (
        Job.objects.visible_to(user, "jobs.view_job").filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])[:5]
        if has_perm(user, "jobs.view_job")
        else None
    )
    inbox = user.inbox.filter(read_at__isnull=True)[:5]
    memberships = user.active_memberships()
    return render(
        request,
        "web/home.html",
        {
            "page_title": "工作台",
            "greeting": _greeting(timezone.localtime().hour),
            "todos": items,
            "overview": overview,
            "businesses": workbench(user),
            "running_jobs": running,
            "inbox": inbox,
            "orgs": list(dict.fromkeys(m.org.name for m in memberships)),
            "roles": list(dict.fromkeys(m.role.name for m in memberships)),
        },
    )


def _greeting(hour: int) -> str:
    if hour < 5:
        return "您好"
    return "早上好" if hour < 11 else "中午好" if hour < 13 else "下午好" if hour < 18 else "晚上好"


@login_required
def apps(request):
    """应用: every app the user may open, grouped by business (the phone's tab of that name)."""
    return render(request, "web/apps.html", {"page_title": "应用", "businesses": workbench(request.user)})


@login_required
def me(request):
    """我的: who is signed in, in which units and roles, and the pages of their own (修改密码)."""
    return render(
        request,
        "web/me.html",
        {"page_title": "我的", "memberships": request.user.active_memberships(), "pages": personal_pages(request.user)},
    )


@login_required
def watermark(request):
    """The watermark tile of pages with personal data: the viewer's name and the time, drawn
    faintly and at a slant, tiled by the page's CSS (no inline style or script: CSP)."""
    text = escape(viewer_stamp(request.user))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="340" height="220" viewBox="0 0 340 220">'
        '<text x="170" y="110" text-anchor="middle" transform="rotate(-22 170 110)" fill="#1f2933" '
        'fill-opacity="0.08" font-size="15" font-family="PingFang SC, Noto Sans CJK SC, Microsoft YaHei, '
        f'sans-serif">{text}</text></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def favicon(request):
    """/favicon.ico, which browsers and bookmarks ask for whatever the page's <link rel=icon> says."""
    return FileResponse(open(finders.find("mofang/favicon.ico"), "rb"), content_type="image/x-icon")


# --- org tree -----------------------------------------------------------------------------


@login_required
def org_tree(request):
    roots = _visible_roots(request.user)
    return render(request, "web/org_tree.html", {"page_title": "组织机构", "nodes": roots})


def _visible_roots(user):
    """The top-most visible nodes: the user's membership orgs (with view permission)."""
    visible = OrgUnit.objects.visible_to(user, "orgs.view_org")
    paths = sorted({m.org.path for m in user.active_memberships()})
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(visible.filter(path__in=tops))


@login_required
def org_children(request, pk):
    node = get_visible_or_404(OrgUnit, request.user, "orgs.view_org", pk=pk)
    children = OrgUnit.objects.visible_to(request.user, "orgs.view_org").filter(
        path__startswith=node.path, depth=node.depth + 1
    )
    return render(request, "web/org_tree.html#children", {"nodes": children})


@login_required
def org_detail(request, pk):
    node = get_visible_or_404(OrgUnit, request.user, "orgs.view_org", pk=pk)
    user = request.user
    children = OrgUnit.objects.visible_to(user, "orgs.view_org").filter(
        path__startswith=node.path, depth=node.depth + 1
    )
    counts = {
        "schools": OrgUnit.objects.visible_to(user, "orgs.view_org")
        .filter(path__startswith=node.path, kind=OrgKind.SCHOOL)
        .count()
    }
    if has_perm(user, "people.view_student"):
        counts["students"] = (
            Student.objects.visible_to(user, "people.view_student").filter(school__path__startswith=node.path).count()
        )
    if has_perm(user, "people.view_staff"):
        counts["staff"] = (
            Staff.objects.visible_to(user, "people.view_staff").filter(org__path__startswith=node.path).count()
        )
    ancestors = [a for a in OrgUnit.objects.get_ancestors(node) if has_perm_at(user, "orgs.view_org", a)]
    return render(
        request,
        "web/org_detail.html",
        {
            "page_title": node.name,
            "node": node,
            "children": children,
            "counts": counts,
            "ancestors": ancestors,
            "can_edit": has_perm_at(user, "orgs.change_org", node),
        },
    )


# --- master-data lists ----------------------------------------------------------------------


class StudentList(ScopedListView):
    model = Student
    permission = "people.view_student"
    title = "学生"
    search_fields = ["name", "student_no"]
    search_placeholder = "姓名或学籍号"
    select_related = ["school", "klass"]
    order_by = ["school__path", "student_no"]
    filters = [("status", "学籍状态", list(RollStatus.choices)), ("grade", "年级", GRADE_CHOICES)]
    columns = [
        Col("学籍号", lambda s: s.student_no, lambda s: reverse("web:student_detail", args=[s.pk])),
        Col("姓名", lambda s: s.name),
        Col("性别", lambda s: s.get_sex_display()),
        Col("出生日期", lambda s: s.birth_date),
        Col("身份证号", lambda s: s.id_number_masked),
        Col("学校", lambda s: s.school.name),
        Col("年级", lambda s: s.grade_name),
        Col("班级", lambda s: s.klass.name if s.klass else ""),
        Col("学籍状态", lambda s: s.get_status_display()),
    ]


class StaffList(ScopedListView):
    model = Staff
    permission = "people.view_staff"
    title = "教职工"
    search_fields = ["name", "staff_no"]
    search_placeholder = "姓名或工号"
    select_related = ["org"]
    order_by = ["org__path", "staff_no"]
    filters = [("category", "类别", list(StaffCategory.choices)), ("employment", "专兼职", list(Employment.choices))]
    columns = [
        Col("工号", lambda s: s.staff_no, lambda s: reverse("web:staff_detail", args=[s.pk])),
        Col("姓名", lambda s: s.name),
        Col("性别", lambda s: s.get_sex_display()),
        Col("单位", lambda s: s.org.name),
        Col("类别", lambda s: s.get_category_display()),
        Col("专兼职", lambda s: s.get_employment_display()),
        Col("岗位", lambda s: s.position),
        Col("职称", lambda s: s.title),
        Col("学科", lambda s: s.subject),
        Col("教师资格", lambda s: s.teacher_cert_kind),
        Col("入职日期", lambda s: s.hired_on),
        Col("手机号", lambda s: s.phone_masked),
    ]


@login_required
def student_detail(request, pk):
    student = get_visible_or_404(Student, request.user, "people.view_student", pk=pk)
    # guardians: the links this user may see (a guardian is shared by the schools of its children)
    guardians = (
        Guardianship.objects.visible_to(request.user, "people.view_guardian")
        .filter(student=student)
        .select_related("guardian")
        .order_by("pk")
    )
    can_change = has_perm_at(request.user, "people.change_student", student.school)
    # the student's own history rows, reached through the student already checked above
    roll_events = student.roll_events.select_related("school", "klass", "school_year", "created_by").order_by(
        "-occurred_on", "-id"
    )
    placements = student.placements.select_related("school_year", "klass", "school").order_by(
        "-school_year__start_year"
    )
    return render(
        request,
        "web/person_detail.html",
        {
            "page_title": student.name,
            "person": student,
            "kind": "student",
            "guardians": guardians,
            "can_reveal": people_services.can_reveal(request.user, student),
            "can_change_guardians": has_perm_at(
                request.user, "people.change_guardian", student.klass or student.school
            ),
            "edit_url": reverse("web:student_edit", args=[pk]) if can_change else None,
            "roll_change_url": reverse("people:roll_change", args=[pk]) if can_change else None,
            "roll_events": roll_events,
            "placements": placements,
        },
    )


@login_required
def staff_detail(request, pk):
    staff = get_visible_or_404(Staff, request.user, "people.view_staff", pk=pk)
    return render(
        request,
        "web/person_detail.html",
        {
            "page_title": staff.name,
            "person": staff,
            "kind": "staff",
            "can_reveal": people_services.can_reveal(request.user, staff),
            "edit_url": reverse("web:staff_edit", args=[pk])
            if has_perm_at(request.user, "people.change_staff", staff.org)
            else None,
            # 开通账号: a staff member without a login gets one from this record (工号, 姓名, 手机号)
            "open_account_url": f"{reverse('accounts:user_create')}?staff_no={staff.staff_no}"
            if staff.user_id is None and has_perm_at(request.user, "accounts.change_user", staff.org)
            else None,
        },
    )


@login_required
@require_POST
def reveal(request, kind, pk, field):
    """Show one sensitive value in full, once; the read is audit-logged."""
    model, perm = {"student": (Student, "people.view_student"), "staff": (Staff, "people.view_staff")}.get(
        kind, (None, None)
    )
    if model is None or field not in ("id_number", "phone"):
        raise Http404
    obj = get_visible_or_404(model, request.user, perm, pk=pk)
    try:
        value = people_services.reveal(obj, field, acting_user=request.user)
    except PermissionError as exc:
        return HttpResponse(f'<span class="error">{exc}</span>', status=403)
    return HttpResponse(f'<span class="revealed">{value}</span>')


# --- audit, inbox, outbox ---------------------------------------------------------------------


class AuditList(ScopedListView):
    model = AuditEntry
    permission = "audit.view_log"
    title = "审计日志"
    search_fields = ["summary", "actor_name", "object_type"]
    search_placeholder = "摘要、操作人或对象"
    order_by = ["-at", "-id"]
    filters = [("action", "动作", list(AuditAction.choices))]
    columns = [
        Col("时间", lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")),
        Col("操作人", lambda e: e.actor_name),
        Col("动作", lambda e: e.get_action_display()),
        Col("摘要", lambda e: e.summary),
        Col("对象", lambda e: f"{object_label(e.object_type)} {e.object_id}" if e.object_id else ""),
        Col("修改前", lambda e: describe_values(e.object_type, e.before)),
        Col("修改后", lambda e: describe_values(e.object_type, e.after)),
    ]


class Outbox(ScopedListView):
    model = SMSMessage
    permission = "notifications.view_outbox"
    title = "短信发件箱"
    search_fields = ["phone", "text"]
    search_placeholder = "手机号或内容"
    filters = [("status", "状态", list(DeliveryStatus.choices))]
    columns = [
        Col("时间", lambda m: timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M")),
        Col("手机号", lambda m: m.phone),
        Col("内容", lambda m: m.text),
        Col("状态", lambda m: m.get_status_display()),
        Col("尝试次数", lambda m: m.attempts, num=True),
    ]


@login_required
def inbox(request):
    """我的消息: each message opens what it is about — its link, a path on this site (never another)."""
    items = [
        {"m": m, "href": m.link if m.link.startswith("/") and not m.link.startswith(("//", "/\\")) else ""}
        for m in request.user.inbox.all()[:200]
    ]
    return render(request, "web/inbox.html", {"page_title": "我的消息", "items": items})


@login_required
@require_POST
def inbox_read(request, pk):
    request.user.inbox.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    msg = request.user.inbox.filter(pk=pk).first()
    if msg and msg.link:
        return redirect(msg.link)
    return redirect("web:inbox")


# --- editing (through service functions; scope by the change permission) ---------------------


def _form_page(request, form, obj, title, cancel_url, status=200):
    return render(
        request,
        "web/form.html",
        {"page_title": title, "form": form, "obj": obj, "cancel_url": cancel_url},
        status=status,
    )


@login_required
def org_edit(request, pk):
    org = get_visible_or_404(OrgUnit, request.user, "orgs.change_org", pk=pk)
    initial = {f: getattr(org, f) for f in ("name", "address", "school_type", "ownership", "longitude", "latitude")}
    form = OrgUnitForm(request.POST or None, initial=initial, org=org)
    if request.method == "POST":
        if form.is_valid():
            changes = dict(form.cleaned_data.items())
            update_org_unit(org, changes, acting_user=request.user)
            return redirect("web:org_detail", org.pk)
        return _form_page(request, form, org, f"修改：{org.name}", reverse("web:org_detail", args=[pk]), 400)
    return _form_page(request, form, org, f"修改：{org.name}", reverse("web:org_detail", args=[pk]))


@login_required
def student_edit(request, pk):
    student = get_visible_or_404(Student, request.user, "people.change_student", pk=pk)
    classes = OrgUnit.objects.visible_to(request.user, "orgs.view_org").filter(
        path__startswith=student.school.path, kind=OrgKind.CLASS
    )
    form = StudentForm(request.POST or None, initial={"name": student.name, "klass": student.klass_id}, classes=classes)
    cancel = reverse("web:student_detail", args=[pk])
    if request.method == "POST":
        if form.is_valid():
            try:
                people_services.update_student(student, acting_user=request.user, **form.cleaned_data)
                return redirect(cancel)
            except ValidationError as exc:  # e.g. a class of another grade than the student's
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
        return _form_page(request, form, student, f"修改学生：{student.name}", cancel, 400)
    return _form_page(request, form, student, f"修改学生：{student.name}", cancel)


@login_required
def staff_edit(request, pk):
    staff = get_visible_or_404(Staff, request.user, "people.change_staff", pk=pk)
    form = StaffForm(
        request.POST or None,
        initial={
            "position": staff.position,
            "subject": staff.subject,
            "category": staff.category,
            "employment": staff.employment,
            "title": staff.title,
            "teacher_cert_kind": staff.teacher_cert_kind,
            "teacher_cert_no": staff.teacher_cert_no,
            "certificates": format_certificates(staff.certificates),
            "hired_on": staff.hired_on,
        },
    )
    cancel = reverse("web:staff_detail", args=[pk])
    if request.method == "POST":
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if v or k not in ("category", "employment")}
            people_services.update_staff(staff, acting_user=request.user, **changes)
            return redirect(cancel)
        return _form_page(request, form, staff, f"修改教职工：{staff.name}", cancel, 400)
    return _form_page(request, form, staff, f"修改教职工：{staff.name}", cancel)
