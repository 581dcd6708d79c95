"""Forms for guardians, binding a child and the roll pages (学籍异动, 学年升级); the services check
again and own the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from mofang.platform.orgs.models import OrgUnit

from . import grades, identity
from .models import RELATIONS

_RELATION_CHOICES = [(r, r) for r in RELATIONS]


def _mobile(raw: str, *, required: bool) -> str:
    if not raw:
        if required:
            raise ValidationError(gettext("手机号不能为空"))
        return ""
    try:
        return identity.validate_mobile(raw)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0]) from None


class GuardianForm(forms.Form):
    name = forms.CharField(label="家长姓名", max_length=50, error_messages={"required": "姓名不能为空"})
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    relation = forms.ChoiceField(
        label="关系",
        choices=_RELATION_CHOICES,
        error_messages={"required": "请选择关系", "invalid_choice": "关系不在可选范围内"},
    )

    def __init__(self, *args, phone_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_required = phone_required
        if not phone_required:
            self.fields["phone"].label = "新手机号"
            self.fields["phone"].help_text = "不修改请留空；换成另一个手机号即换成另一位家长"

    def clean_phone(self):
        return _mobile(self.cleaned_data["phone"].strip(), required=self.phone_required)


class BindChildForm(forms.Form):
    number = forms.CharField(
        label="学籍号或身份证号", max_length=30, error_messages={"required": "请填写孩子的学籍号或身份证号"}
    )
    child_name = forms.CharField(label="孩子姓名", max_length=50, error_messages={"required": "请填写孩子姓名"})
    parent_name = forms.CharField(label="您的姓名", max_length=50, error_messages={"required": "请填写您的姓名"})
    relation = forms.ChoiceField(
        label="您是孩子的",
        choices=_RELATION_CHOICES,
        error_messages={"required": "请选择关系", "invalid_choice": "关系不在可选范围内"},
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="未通过原因",
        max_length=200,
        error_messages={"required": "请填写未通过的原因", "max_length": "原因不能超过200个字"},
    )


ACTIONS = [
    ("suspend", "休学"),
    ("resume", "复学"),
    ("transfer_out", "转出"),
    ("dropout", "辍学"),
    ("promote", "升级"),
    ("graduate", "毕业"),
]


class RollChangeForm(forms.Form):
    action = forms.ChoiceField(
        label="异动类型",
        choices=ACTIONS,
        error_messages={"required": "请选择异动类型", "invalid_choice": "异动类型无效"},
    )
    occurred_on = forms.DateField(
        label="异动日期",
        required=False,
        help_text="格式 2026-09-01，不填为今天",
        error_messages={"invalid": "日期格式应为 2026-09-01"},
    )
    grade = forms.TypedChoiceField(
        label="年级",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="复学时可选，不填为休学前的年级",
        error_messages={"invalid_choice": "年级无效"},
    )
    klass = forms.ModelChoiceField(
        label="班级",
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text="复学、升级时可选",
        error_messages={"invalid_choice": "班级不属于该校"},
    )
    other_school = forms.CharField(label="转出去向", max_length=100, required=False)
    reason = forms.CharField(label="原因", max_length=200, required=False, help_text="辍学必须填写")
    confirm = forms.BooleanField(
        label="我已核对，确认办理（学籍异动记录只能追加，不能删除）", error_messages={"required": "请勾选确认后再办理"}
    )

    def __init__(self, *args, classes, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].queryset = classes
        low, high = grades.GRADE_RANGE.get(school.school_type, (1, 0))
        self.fields["grade"].choices = [("", "—")] + [
            (g, grades.grade_name(school.school_type, g)) for g in range(low, high + 1)
        ]


class PromotionStartForm(forms.Form):
    year = forms.IntegerField(error_messages={"required": "请选择学年", "invalid": "学年无效"})
    confirm = forms.BooleanField(error_messages={"required": "请勾选“我已核对以上人数”后再开始升级（升级不可撤销）"})
