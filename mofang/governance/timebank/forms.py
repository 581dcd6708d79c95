"""Forms parse input; the services decide. Service errors are put back on the named field."""

from django import forms
from django.core.exceptions import ValidationError

from .models import Account, LeaveKind, RateKind
from .services.common import today

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service ValidationError to the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class _AccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.staff.name}（{obj.staff.staff_no}）"


class _WorkForm(forms.Form):
    record_no = forms.CharField(
        label="记录编号", max_length=40, required=False, help_text="自动生成；重复提交同一编号不会重复入账"
    )
    staff = _AccountChoice(
        label="教师",
        queryset=Account.objects.none(),
        error_messages={"required": "请选择教师", "invalid_choice": "请选择本校教师"},
    )
    date = forms.DateField(
        label="日期", widget=_DATE, error_messages={"required": "请填写日期", "invalid": "日期格式应为 2026-10-15"}
    )
    periods = forms.IntegerField(
        label="课时数",
        widget=forms.NumberInput(attrs={"min": 1, "max": 8, "inputmode": "numeric"}),
        error_messages={"required": "请填写课时数", "invalid": "课时数应为整数"},
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, accounts=None, record_no="", **kwargs):
        super().__init__(*args, **kwargs)
        qs = (
            accounts.select_related("staff").order_by("staff__staff_no")
            if accounts is not None
            else Account.objects.none()
        )
        self.fields["staff"].queryset = qs
        if "absent" in self.fields:
            self.fields["absent"].queryset = qs
        self.fields["date"].initial = today()
        self.fields["record_no"].initial = record_no


class SubstitutionForm(_WorkForm):
    absent = _AccountChoice(
        label="被代课教师",
        queryset=Account.objects.none(),
        required=False,
        error_messages={"invalid_choice": "请选择本校教师"},
    )
    field_order = ["record_no", "staff", "absent", "date", "periods", "note"]


class DutyForm(_WorkForm):
    pass


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型",
        choices=LeaveKind.choices,
        initial=LeaveKind.LEAVE,
        error_messages={"required": "请选择类型", "invalid_choice": "请选择请假类型"},
    )
    date = forms.DateField(
        label="请假日期",
        widget=_DATE,
        error_messages={"required": "请填写请假日期", "invalid": "日期格式应为 2026-10-15"},
    )
    hours = forms.CharField(
        label="抵扣小时",
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="按0.5小时递增",
        error_messages={"required": "请填写小时数"},
    )
    reason = forms.CharField(label="事由", max_length=200, error_messages={"required": "请填写请假事由"})


class DecisionForm(forms.Form):
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="冲正理由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写冲正理由"},
    )


class RateForm(forms.Form):
    kind = forms.ChoiceField(
        label="工作类型", choices=RateKind.choices, error_messages={"invalid_choice": "请选择工作类型"}
    )
    hours_per_period = forms.CharField(
        label="每课时折算小时", max_length=6, error_messages={"required": "请填写每课时折算小时"}
    )
    effective_from = forms.DateField(
        label="生效日期",
        widget=_DATE,
        error_messages={"required": "请填写生效日期", "invalid": "日期格式应为 2026-10-15"},
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label="月份",
        max_length=10,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"required": "请选择月份"},
    )


class OpenBankForm(forms.Form):
    school: forms.ModelChoiceField = forms.ModelChoiceField(
        label="学校", queryset=None, error_messages={"required": "请选择学校", "invalid_choice": "请选择您所在的学校"}
    )
    started_on = forms.DateField(
        label="起算日期",
        widget=_DATE,
        required=False,
        help_text="早于该日期的工作不入账；不填则为本学年9月1日",
        error_messages={"invalid": "日期格式应为 2026-09-01"},
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
