"""Forms of the roll pages (学籍异动, 学年升级)."""

from django import forms

from mofang.platform.orgs.models import OrgUnit

from . import grades

ACTIONS = [
    ("suspend", "休学"), ("resume", "复学"), ("transfer_out", "转出"), ("dropout", "辍学"),
    ("promote", "升级"), ("graduate", "毕业"),
]


class RollChangeForm(forms.Form):
    action = forms.ChoiceField(label="异动类型", choices=ACTIONS,
                               error_messages={"required": "请选择异动类型", "invalid_choice": "异动类型无效"})
    occurred_on = forms.DateField(label="异动日期", required=False, help_text="格式 2026-09-01，不填为今天",
                                  error_messages={"invalid": "日期格式应为 2026-09-01"})
    grade = forms.TypedChoiceField(label="年级", required=False, coerce=int, empty_value=None,
                                   help_text="复学时可选，不填为休学前的年级",
                                   error_messages={"invalid_choice": "年级无效"})
    klass = forms.ModelChoiceField(label="班级", queryset=OrgUnit.objects.none(), required=False,
                                   help_text="复学、升级时可选", error_messages={"invalid_choice": "班级不属于该校"})
    other_school = forms.CharField(label="转出去向", max_length=100, required=False)
    reason = forms.CharField(label="原因", max_length=200, required=False, help_text="辍学必须填写")
    confirm = forms.BooleanField(label="我已核对，确认办理（学籍异动记录只能追加，不能删除）",
                                 error_messages={"required": "请勾选确认后再办理"})

    def __init__(self, *args, classes, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].queryset = classes
        low, high = grades.GRADE_RANGE.get(school.school_type, (1, 0))
        self.fields["grade"].choices = [("", "—")] + [
            (g, grades.grade_name(school.school_type, g)) for g in range(low, high + 1)]


class PromotionStartForm(forms.Form):
    year = forms.IntegerField(error_messages={"required": "请选择学年", "invalid": "学年无效"})
    confirm = forms.BooleanField(error_messages={"required": "请勾选“我已核对以上人数”后再开始升级（升级不可撤销）"})
