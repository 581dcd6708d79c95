"""Forms of the 政令一键智达 pages: every posted field is parsed and checked here, each refusal a
Chinese message naming the field. Which units a rule reaches (the sender's scope) and the answer
rules of a directive's own 填报表 (forms_spec.py) are checked against the database by services.py,
which also writes and audits."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.web.formbase import BaseForm, MultipleFileField
from mofang.platform.web.formspec import parse_form_spec

from .forms_spec import validate_answer
from .models import DirectiveKind
from .services import TARGET_KINDS

MAX_PICKS = 500
MAX_ATTACHMENTS = 10


class TargetRuleForm(BaseForm):
    """发送对象: regions × unit kind × school types × ownership, plus units picked one per line.
    Enough for a preview; the sending forms add the directive's own fields."""

    action = forms.ChoiceField(
        label="操作",
        required=False,
        choices=[("send", "发送"), ("preview", "预览")],
        error_messages={"invalid_choice": "操作：未知的操作"},
    )
    use_rule = forms.ChoiceField(label="按规则选择", required=False, choices=[("1", "是"), ("0", "否")])
    only_picks = forms.BooleanField(label="只发给单独选择的单位", required=False)
    regions = forms.TypedMultipleChoiceField(label="地区", coerce=int, required=False)
    target_kind = forms.ChoiceField(
        label="单位类型",
        required=False,
        choices=list(TARGET_KINDS.items()),
        error_messages={"invalid_choice": "单位类型：请选择学校、部门、区县教育局或市教育局"},
    )
    school_types = forms.MultipleChoiceField(label="学校类型", required=False, choices=SchoolType.choices)
    ownerships = forms.MultipleChoiceField(label="办学性质", required=False, choices=Ownership.choices)
    picks = forms.CharField(label="单独选择的单位", required=False, max_length=20000, widget=forms.Textarea)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [(r.pk, r.name) for r in regions]

    def clean_picks(self):
        lines = [line for line in self.cleaned_data["picks"].splitlines() if line.strip()]
        if len(lines) > MAX_PICKS:
            raise ValidationError(gettext("单独选择的单位：一次最多{max_picks}个").format(max_picks=MAX_PICKS))
        return lines

    @property
    def is_preview(self) -> bool:
        return self.cleaned_data.get("action") == "preview"

    def rule_values(self) -> dict:
        """The rule's parts for services.TargetRule (picks are resolved against the scope by the view)."""
        d = self.cleaned_data
        return {
            "regions": d["regions"],
            "kind": d["target_kind"] or OrgKind.SCHOOL,
            "school_types": d["school_types"],
            "ownerships": d["ownerships"],
            "use_rule": (d["use_rule"] or "1") == "1" and not d["only_picks"],
        }

    def rule_is_valid(self) -> bool:
        """Whether the rule's own fields passed (a preview needs nothing else)."""
        return not any(name in self.errors for name in TargetRuleForm.base_fields)


class _DeadlineField(forms.DateTimeField):
    def __init__(self, **kwargs):
        message = "截止时间：请填写有效的截止时间"
        kwargs.setdefault("label", "截止时间")
        kwargs.setdefault("error_messages", {"required": message, "invalid": message})
        super().__init__(**kwargs)


class DirectiveForm(TargetRuleForm):
    """一键智达: the notice or task, its deadline, attachments, the optional 填报表, and the rule."""

    sender_org = forms.TypedChoiceField(label="发文单位", coerce=int, required=False)
    title = forms.CharField(
        label="标题",
        max_length=100,
        error_messages={"required": "标题：请填写标题", "max_length": "标题：不能超过100个字"},
    )
    kind = forms.ChoiceField(
        label="类别",
        choices=DirectiveKind.choices,
        error_messages={"required": "类别：请选择通知或任务", "invalid_choice": "类别：请选择通知或任务"},
    )
    body = forms.CharField(
        label="正文", max_length=20000, widget=forms.Textarea, error_messages={"required": "正文：请填写正文"}
    )
    deadline = _DeadlineField()
    forward_required = forms.BooleanField(label="需各单位转发", required=False)
    attachments = MultipleFileField(label="附件")
    form_spec = forms.CharField(label="填报表", required=False, max_length=20000, widget=forms.Textarea)
    submit_key = forms.CharField(label="提交标识", required=False, max_length=36)

    def __init__(self, *args, sender_orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_org"].choices = [(o.pk, o.name) for o in sender_orgs]

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise ValidationError(gettext("截止时间：必须晚于现在"))
        return deadline

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(gettext("附件：一次最多{max_attachments}个").format(max_attachments=MAX_ATTACHMENTS))
        return files

    def clean_form_spec(self):
        return parse_form_spec(self.cleaned_data["form_spec"])  # its messages name the line


class ForwardForm(TargetRuleForm):
    """转发: the unit's own title, body and deadline (the parent's when left empty), the same rule."""

    title = forms.CharField(
        label="标题", max_length=100, required=False, error_messages={"max_length": "标题：不能超过100个字"}
    )
    body = forms.CharField(label="正文", max_length=20000, required=False, widget=forms.Textarea)
    deadline = _DeadlineField()
    copy_form = forms.TypedMultipleChoiceField(
        label="同时下发上级的填报表", required=False, choices=[("1", "是"), ("0", "否")], coerce=lambda v: v == "1"
    )
    submit_key = forms.CharField(label="提交标识", required=False, max_length=36)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise ValidationError(gettext("截止时间：必须晚于现在"))
        return deadline


class LockForm(BaseForm):
    locked = forms.TypedChoiceField(
        label="锁定填报",
        choices=[("1", "锁定"), ("0", "解锁")],
        coerce=lambda v: v == "1",
        error_messages={"required": "锁定填报：请选择锁定或解锁", "invalid_choice": "锁定填报：请选择锁定或解锁"},
    )


class DeliveryActionForm(BaseForm):
    """签收, or 填报: the reply and every field of the directive's 填报表, checked by its type
    (forms_spec.validate_answer, the rules the service applies again under its lock)."""

    action = forms.ChoiceField(
        label="操作",
        choices=[("sign", "签收"), ("answer", "填报")],
        error_messages={"required": "操作：未知的操作", "invalid_choice": "操作：未知的操作"},
    )
    reply = forms.CharField(label="回复", required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, fields=(), previous=None, check_file=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec_fields, self.previous, self.check_file = list(fields), previous or {}, check_file

    def clean(self):
        data = super().clean()
        if data.get("action") == "answer":
            try:
                validate_answer(
                    self.spec_fields, self.data, self.files, previous=self.previous, check_file=self.check_file
                )
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error(None, message)
        return data
