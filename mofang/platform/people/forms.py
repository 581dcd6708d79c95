"""Forms for guardians and binding a child; the services check again and own the rules."""

from django import forms
from django.core.exceptions import ValidationError

from . import identity
from .models import RELATIONS

_RELATION_CHOICES = [(r, r) for r in RELATIONS]


def _mobile(raw: str, *, required: bool) -> str:
    if not raw:
        if required:
            raise ValidationError("手机号不能为空")
        return ""
    try:
        return identity.validate_mobile(raw)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0]) from None


class GuardianForm(forms.Form):
    name = forms.CharField(label="家长姓名", max_length=50, error_messages={"required": "姓名不能为空"})
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    relation = forms.ChoiceField(label="关系", choices=_RELATION_CHOICES,
                                 error_messages={"required": "请选择关系", "invalid_choice": "关系不在可选范围内"})

    def __init__(self, *args, phone_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_required = phone_required
        if not phone_required:
            self.fields["phone"].label = "新手机号"
            self.fields["phone"].help_text = "不修改请留空；换成另一个手机号即换成另一位家长"

    def clean_phone(self):
        return _mobile(self.cleaned_data["phone"].strip(), required=self.phone_required)


class BindChildForm(forms.Form):
    number = forms.CharField(label="学籍号或身份证号", max_length=30,
                             error_messages={"required": "请填写孩子的学籍号或身份证号"})
    child_name = forms.CharField(label="孩子姓名", max_length=50, error_messages={"required": "请填写孩子姓名"})
    parent_name = forms.CharField(label="您的姓名", max_length=50, error_messages={"required": "请填写您的姓名"})
    relation = forms.ChoiceField(label="您是孩子的", choices=_RELATION_CHOICES,
                                 error_messages={"required": "请选择关系", "invalid_choice": "关系不在可选范围内"})


class RefuseForm(forms.Form):
    reason = forms.CharField(label="未通过原因", max_length=200,
                             error_messages={"required": "请填写未通过的原因", "max_length": "原因不能超过200个字"})
