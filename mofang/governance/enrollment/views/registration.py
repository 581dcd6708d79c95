"""报名 pages: parents register (login by phone), see their registrations with the 录取查询
status and withdraw; schools and bureaus list (and export) the registrations of their schools.
Views parse, check scope, call registration.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.web.lists import Col, ScopedListView

from .. import registration as reg_services
from ..forms import RegistrationForm
from ..models import Registration, RegistrationStatus


def _login_url(request):
    return f"{reverse('accounts:phone')}?{urlencode({'next': request.get_full_path()})}"


def _choices(rows, label=lambda o: str(o), blank=None):
    out = [("", blank)] if blank else []
    return out + [(str(o.pk), label(o)) for o in rows]


def _form(request, data=None, files=None):
    school_id = request.GET.get("school") or None
    try:
        school_id = int(school_id) if school_id else None
    except ValueError:
        school_id = None
    form = RegistrationForm(data, files)
    communities = list(reg_services.communities_for(school_id))
    form.fields["community"].choices = _choices(communities, lambda c: f"{c.county.name} · {c.name}", "请选择小区")
    picked = (data or {}).get("community") or request.GET.get("community")
    chosen = (reg_services.community(picked) if picked and str(picked).isdigit() else None) or (
        communities[0] if len(communities) == 1 else None)
    publics, privates = [], []
    if chosen is not None:
        publics = list(reg_services.public_schools_of(chosen))
        privates = list(reg_services.private_schools_of(chosen.county))
    elif school_id:
        publics = [s for s in [reg_services.school(school_id)] if s]
    form.fields["public_school"].choices = _choices(publics, lambda s: s.name, "请选择学区学校")
    form.fields["private_school"].choices = _choices(privates, lambda s: s.name, "不报民办学校")
    form.fields["sibling_school"].choices = [("", "无")] + [(str(s.pk), s.name) for s in publics + privates]
    own = Registration.objects.visible_to(request.user, "enrollment.register").filter(
        status=RegistrationStatus.SUBMITTED, year=reg_services.registration_year())
    form.fields["bind_with"].choices = _choices(own, lambda r: f"{r.child_name}（{r.id_number_masked}）", "不绑定")
    if chosen is not None and not data:
        form.initial["community"] = str(chosen.pk)
    return form


def register(request):
    """The one-stop 报名 form for the next intake (parents, after phone login)."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    if not has_perm(request.user, "enrollment.register"):
        raise Http404("页面不存在或您没有权限")
    status = 200
    if request.method == "POST":
        form = _form(request, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            children = [{"name": d["child_name"], "id_number": d["id_number"]}]
            if d["twin_name"]:
                children.append({"name": d["twin_name"], "id_number": d["twin_id_number"]})
            bind_with = None
            if d["bind_with"]:
                bind_with = Registration.objects.visible_to(request.user, "enrollment.register").filter(
                    pk=d["bind_with"]).first()
            try:
                created = reg_services.submit_registration(
                    owner=request.user, children=children, community=reg_services.community(d["community"]),
                    registration_type=d["registration_type"], address=d["address"],
                    residence_proof=d["residence_proof"], proof_no=d["proof_no"],
                    public_school=reg_services.school(d["public_school"]),
                    private_school=reg_services.school(d["private_school"]),
                    sibling_school=reg_services.school(d["sibling_school"]),
                    sibling_student_no=d["sibling_student_no"], bind_with=bind_with,
                    documents=[d["document"]] if d["document"] else [], acting_user=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "报名成功：" + "、".join(r.child_name for r in created))
                return redirect("enrollment:my_registrations")
        status = 400
    else:
        form = _form(request)
    return render(request, "enrollment/register.html",
                  {"page_title": f"{reg_services.registration_year()}年小学一年级网上报名", "form": form,
                   "community_chosen": bool(form.fields["public_school"].choices[1:])},
                  status=status)


def my_registrations(request):
    """我的报名 with the 录取查询 status of each."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    rows = (Registration.objects.visible_to(request.user, "enrollment.register")
            .select_related("public_school", "private_school", "community").order_by("-year", "-created_at"))
    items = [(r, reg_services.admission_status(r)) for r in rows]
    return render(request, "enrollment/my_registrations.html", {"page_title": "我的报名", "items": items})


@login_required
@require_POST
def withdraw(request, pk: int):
    reg = get_visible_or_404(Registration, request.user, "enrollment.register", pk=pk)
    reg_services.withdraw_registration(reg, acting_user=request.user)
    messages.success(request, f"已撤回{reg.child_name}的报名")
    return redirect("enrollment:my_registrations")


class RegistrationList(ScopedListView):
    """Registrations naming the schools of the user's subtree (ID numbers masked)."""

    model = Registration
    permission = "enrollment.view_registration"
    title = "入学报名"
    export_name = "入学报名"
    search_fields = ["child_name", "public_school__name", "public_school__code"]
    search_placeholder = "儿童姓名或学校"
    select_related = ["public_school", "private_school", "community"]
    order_by = ["public_school__path", "created_at"]
    columns = [
        Col("招生年份", lambda r: r.year, num=True),
        Col("儿童姓名", lambda r: r.child_name),
        Col("身份证号", lambda r: r.id_number_masked),
        Col("户籍类型", lambda r: r.get_registration_type_display()),
        Col("小区", lambda r: r.community.name),
        Col("学区公办学校", lambda r: r.public_school.name),
        Col("学校标识码", lambda r: r.public_school.code),
        Col("民办志愿", lambda r: r.private_school.name if r.private_school else ""),
        Col("多孩绑定", lambda r: "是" if r.multiple_group else ""),
        Col("长幼随学", lambda r: "是" if r.sibling_school_id else ""),
        Col("状态", lambda r: r.get_status_display()),
    ]

    @property
    def filters(self):
        return [("status", "状态", list(RegistrationStatus.choices))]
