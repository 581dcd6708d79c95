"""Forms of the 教育督导 pages: every posted field is parsed and checked here, each refusal a Chinese
message naming the field; the rules that need the database (scope, used lists, the case engine's
transitions) stay in services.py and config.py, which also write and audit."""

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.web.formbase import BaseForm, MultipleFileField

from .cases import TERMS
from .models import ItemResult

TERM_CHOICES = [(t, f"自签收之日起{t}天") for t in TERMS]
TERMS_TEXT = "、".join(str(t) for t in TERMS)


class VisitForm(BaseForm):
    """进校督查: the school, the date, the checklist and, per item, 符合 / 存在问题 with a note and a photo."""

    school = forms.TypedChoiceField(
        label="学校",
        coerce=int,
        error_messages={"required": "学校：请选择要督查的学校", "invalid_choice": "学校：请选择要督查的学校"},
    )
    visited_on = forms.DateField(
        label="督查日期",
        error_messages={
            "required": "督查日期：请填写有效日期（年-月-日）",
            "invalid": "督查日期：请填写有效日期（年-月-日）",
        },
    )
    checklist = forms.TypedChoiceField(label="督查清单", coerce=int, required=False)  # not sent: the first list
    summary = forms.CharField(label="总体情况", required=False, max_length=5000, widget=forms.Textarea)

    def __init__(self, *args, schools=(), lists=(), wanted_checklist: str = "", items_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        schools, lists = list(schools), list(lists)
        cast(forms.ChoiceField, self.fields["school"]).choices = [(s.pk, s.name) for s in schools]
        cast(forms.ChoiceField, self.fields["checklist"]).choices = [(c.pk, c.name) for c in lists]
        self.schools = {s.pk: s for s in schools}
        self.lists = {c.pk: c for c in lists}
        wanted = str(self.data.get("checklist", "")) if self.is_bound else wanted_checklist
        # the list whose items are shown (and, when posted, answered): the one asked for, else the first
        self.checklist = next((c for c in lists if str(c.pk) == wanted), lists[0] if lists else None)  # type: ignore[assignment]  # the chosen list; the field lives in self.fields
        self.items = list(items_of(self.checklist)) if (self.checklist is not None and items_of) else []
        for i in self.items:
            refused = f"第{i.order}项「{i.text}」请选择符合或存在问题"
            self.add_field(
                f"item_{i.pk}",
                forms.ChoiceField(
                    label=f"第{i.order}项",
                    choices=ItemResult.choices,
                    error_messages={"required": refused, "invalid_choice": refused},
                ),
            )
            self.add_field(
                f"note_{i.pk}", forms.CharField(label=f"第{i.order}项问题说明", required=False, max_length=500)
            )
            self.add_field(f"photo_{i.pk}", forms.FileField(label=f"第{i.order}项照片", required=False))

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("督查日期：不能晚于今天"))
        return day

    def clean(self):
        data = super().clean()
        if self.checklist is None:
            self.add_error("checklist", gettext("督查清单：没有可用的督查清单"))
        for i in self.items:
            note = f"note_{i.pk}"
            if data.get(f"item_{i.pk}") == ItemResult.PROBLEM and not data.get(note) and note not in self.errors:
                self.add_error(note, gettext("第{order}项存在问题，请填写问题说明").format(order=i.order))
        return data

    @property
    def school_unit(self):
        return self.schools.get(self.cleaned_data["school"])

    @property
    def results(self) -> dict[int, dict]:
        d = self.cleaned_data
        return {
            i.pk: {"result": d[f"item_{i.pk}"], "note": d[f"note_{i.pk}"], "photo": d[f"photo_{i.pk}"]}
            for i in self.items
        }


class NoticeForm(BaseForm):
    """下达整改通知 for a finding."""

    content = forms.CharField(
        label="整改内容", max_length=5000, error_messages={"required": "整改内容：请填写整改内容"}
    )
    term_days = forms.TypedChoiceField(
        label="整改期限",
        choices=TERM_CHOICES,
        coerce=int,
        error_messages={
            "required": f"整改期限：只能是{TERMS_TEXT}天",
            "invalid_choice": f"整改期限：只能是{TERMS_TEXT}天",
        },
    )
    recheck_days = forms.IntegerField(
        label="回头看间隔",
        required=False,
        min_value=1,
        max_value=365,
        error_messages={
            "invalid": "回头看间隔：须在1到365天之间",
            "min_value": "回头看间隔：须在1到365天之间",
            "max_value": "回头看间隔：须在1到365天之间",
        },
    )
    major = forms.BooleanField(label="挂牌督导", required=False)

    def clean_recheck_days(self):
        return self.cleaned_data["recheck_days"] or 90


RECTIFICATION_ACTIONS = ("reply", "verify", "reject", "held", "rebound", "publish", "major", "unmajor")
COMMENT_LABELS = {
    "reply": "整改情况",
    "verify": "核查意见",
    "reject": "核查意见",
    "held": "回头看情况",
    "rebound": "回头看情况",
}


class RectificationActionForm(BaseForm):
    """One action on the 整改通知 page: 报送, 核查, 回头看, 公开, 挂牌督导. Whether an action needs a
    comment is the case engine's rule (services refuse naming the field)."""

    action = forms.ChoiceField(
        label="操作",
        choices=[(a, a) for a in RECTIFICATION_ACTIONS],
        error_messages={"required": "操作：未知操作", "invalid_choice": "操作：未知操作"},
    )
    comment = forms.CharField(label="意见", required=False, max_length=5000)
    summary = forms.CharField(label="公开的整改情况", required=False, max_length=2000)
    files = MultipleFileField(label="整改材料")  # type: ignore[assignment]  # a field, not Form.files (the metaclass moves it)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = COMMENT_LABELS.get(str(self.data.get("action", "")) if self.is_bound else "")
        if label:  # the comment is named as the page names it for this action
            self.add_field("comment", forms.CharField(label=label, required=False, max_length=5000))


# --- 督查清单 and 督学名册 -------------------------------------------------------------------------


class CountyField(forms.IntegerField):
    """A county picked on the page; whether it is in the user's scope is the view's (404) business."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "区县")
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid": "区县：请选择区县"})
        super().__init__(**kwargs)


class ChecklistForm(BaseForm):
    """新建督查清单 (and 修改名称和说明)."""

    county = CountyField()
    name = forms.CharField(label="清单名称", max_length=100)
    source = forms.CharField(label="来源说明", max_length=200, required=False)


CHECKLIST_ACTIONS = ("rename", "add", "edit", "remove", "up", "down", "retire", "restore")


class ChecklistChangeForm(BaseForm):
    """One change on a county list's page; which fields an action needs is checked in clean()."""

    action = forms.ChoiceField(
        label="操作",
        choices=[(a, a) for a in CHECKLIST_ACTIONS],
        error_messages={"required": "操作：未知操作", "invalid_choice": "操作：未知操作"},
    )
    name = forms.CharField(label="清单名称", max_length=100, required=False)
    source = forms.CharField(label="来源说明", max_length=200, required=False)
    text = forms.CharField(label="督查内容", max_length=200, required=False)
    item = forms.IntegerField(
        label="条目",
        required=False,
        min_value=1,
        error_messages={"invalid": "条目：该条目不存在", "min_value": "条目：该条目不存在"},
    )

    NEEDS = {
        "rename": {"name": "清单名称：请填写"},
        "add": {"text": "督查内容：请填写"},
        "edit": {"text": "督查内容：请填写", "item": "条目：该条目不存在"},
        "remove": {"item": "条目：该条目不存在"},
        "up": {"item": "条目：该条目不存在"},
        "down": {"item": "条目：该条目不存在"},
    }

    def clean(self):
        data = super().clean()
        for field, message in self.NEEDS.get(data.get("action"), {}).items():
            if field not in self.errors and data.get(field) in (None, ""):
                self.add_error(field, message)
        return data


class CopyForm(BaseForm):
    county = CountyField()


class InspectorForm(BaseForm):
    """登记督学: a login holding the inspector role at the county."""

    county = CountyField()
    username = forms.CharField(
        label="账号", max_length=150, error_messages={"required": "账号：请选择或填写督学的登录账号"}
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    full_time = forms.BooleanField(label="专职督学", required=False)


class InspectorChangeForm(BaseForm):
    action = forms.ChoiceField(
        label="操作",
        choices=[(a, a) for a in ("full_time", "part_time", "deactivate")],
        error_messages={"required": "操作：未知操作", "invalid_choice": "操作：未知操作"},
    )
