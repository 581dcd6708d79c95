"""录取结果 pages: a parent downloads their own child's 录取通知书 (PDF); a school (principal,
教务) or bureau lists the children admitted by published draws (search, count, xlsx export)
and downloads all their notices as one PDF. Views parse, check scope, call notices.py."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from mofang.platform.accounts.scope import get_visible_or_404
from mofang.platform.web.lists import Col, ScopedListView

from .. import notices
from ..models import Admission, Registration, RegistrationType, Stage
from .registration import _login_url


def unavailable(request, title: str, message: str, status: int = 404):
    """A Chinese page saying why there is nothing to download (never a bare error)."""
    return render(request, "enrollment/unavailable.html", {"page_title": title, "message": message}, status=status)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def my_notice(request, pk: int):
    """The parent's own child's notice (owner-only through the scope layer)."""
    if not request.user.is_authenticated:
        return redirect(_login_url(request))
    reg = get_visible_or_404(Registration, request.user, "enrollment.register", pk=pk)
    try:
        content = notices.notice_for_registration(reg)
    except notices.NoticeUnavailable as exc:
        return unavailable(request, "录取通知书", str(exc), status=exc.status)
    return pdf_response(content, f"录取通知书-{reg.child_name}.pdf")


class AdmittedList(ScopedListView):
    """录取名单: the children admitted by PUBLISHED draws to the schools of the user's subtree
    (a school its own intake, a bureau its counties')."""

    model = Admission
    permission = "enrollment.view_admission"
    title = "录取名单"
    export_name = "录取名单"
    template_name = "enrollment/admitted_list.html"
    search_fields = ["registration__child_name", "school__name", "school__code"]
    search_placeholder = "儿童姓名或学校"
    select_related = ["draw__county", "registration", "school"]
    order_by = ["school__path", "registration__child_name", "pk"]
    filters = [
        ("draw__stage", "学段", list(Stage.choices)),
        ("registration__registration_type", "户籍类型", list(RegistrationType.choices)),
    ]
    columns = [
        Col("招生年份", lambda a: a.draw.year, num=True),
        Col("学段", lambda a: a.draw.get_stage_display()),
        Col("儿童姓名", lambda a: a.registration.child_name),
        Col("身份证号", lambda a: a.registration.id_number_masked),
        Col("录取学校", lambda a: a.school.name),
        Col("学校标识码", lambda a: a.school.code),
        Col("招生类别（顺位）", lambda a: a.category, num=True),
        Col("随机号", lambda a: a.lottery_number[: notices.LOTTERY_DIGITS]),
        Col("户籍类型", lambda a: a.registration.get_registration_type_display()),
    ]

    def base_queryset(self):
        return notices.published_admitted(super().base_queryset())


class AdmittedNotices(AdmittedList):
    """All notices of the 录取名单 (as searched and filtered) in one PDF."""

    def get(self, request, *args, **kwargs):
        try:
            content = notices.notices_for_school(self.get_queryset(), acting_user=request.user)
        except notices.NoticeUnavailable as exc:
            return unavailable(request, "录取通知书", str(exc), status=exc.status)
        return pdf_response(content, f"录取通知书-{timezone.localdate():%Y%m%d}.pdf")
