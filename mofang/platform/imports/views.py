"""Import pages: choose a template, download it, upload a file, follow the job."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from mofang.platform.accounts.scope import get_visible_or_404, grants_for, has_perm
from mofang.platform.orgs.models import OrgUnit

from .base import IMPORTERS
from .exports import xlsx_response
from .services import confirm_import, start_import, template_workbook

MAX_UPLOAD = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="数据文件",
        help_text="xlsx 或 csv（UTF-8 或 GBK 编码）",
        error_messages={"required": "请选择要导入的文件"},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(gettext("仅支持 xlsx 或 csv 文件"))
        if f.size > MAX_UPLOAD:
            raise ValidationError(gettext("文件不能超过200MB"))
        return f


def _importer(request, code):
    importer = IMPORTERS.get(code)
    if importer is None or not has_perm(request.user, importer.permission):
        raise Http404("导入模板不存在或您没有权限")
    return importer


@login_required
def index(request):
    # an import into one object (a work plan's items) is started from that object's page
    available = [i for i in IMPORTERS.values() if has_perm(request.user, i.permission) and not i.target_param]
    if not available:  # parents, teachers, liaisons: not their page (issue 14)
        raise PermissionDenied("您没有权限导入数据")
    return render(request, "imports/index.html", {"page_title": "数据导入", "importers": available})


@login_required
def template(request, code):
    importer = _importer(request, code)
    return xlsx_response(f"{importer.title}导入模板.xlsx", template_workbook(importer))


def _target(request, importer):
    """The object imported into (404 when missing or out of scope), or None for a plain importer."""
    if not importer.target_param:
        return None
    target = importer.resolve_target(request.user, request.GET.get(importer.target_param, ""))
    if target is None:
        raise Http404("导入对象不存在或不在您的数据范围内")
    return target


@login_required
def upload(request, code):
    importer = _importer(request, code)
    target = _target(request, importer)
    form = (
        UploadForm(request.POST or None, request.FILES or None) if "confirm_job" not in request.POST else UploadForm()
    )
    context = {"page_title": f"导入{importer.title}", "importer": importer, "form": form, "target": target}
    if request.method == "POST" and "confirm_job" in request.POST:  # 确认导入 on the job page
        try:
            job = confirm_import(importer=importer, job_id=request.POST["confirm_job"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return render(request, "imports/upload.html", context, status=400)
        return redirect("jobs:detail", job.pk)
    if request.method == "POST":
        if form.is_valid():
            if target is not None:
                org = importer.target_org(target)
            else:
                # the job belongs to the unit of the user's (first) grant: who may follow it is scoped by it
                grant = grants_for(request.user, importer.permission)[0]
                org = get_visible_or_404(OrgUnit, request.user, importer.permission, pk=grant.org_id)
            job = start_import(
                importer=importer, uploaded=form.cleaned_data["file"], org=org, acting_user=request.user, target=target
            )
            return redirect("jobs:detail", job.pk)
        return render(request, "imports/upload.html", context, status=400)
    return render(request, "imports/upload.html", context)
