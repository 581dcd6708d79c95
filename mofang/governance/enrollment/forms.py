"""Forms of the bureau pages (parsing only: the services decide and write)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext

from mofang.platform.web.formbase import BaseForm

from .models import DEFAULT_RED, DEFAULT_YELLOW, Stage


class PolicyForm(forms.Form):
    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100)
    yellow_from = forms.DecimalField(
        label="黄色预警起点（%）", min_value=Decimal("0.1"), max_value=1000, decimal_places=1, initial=DEFAULT_YELLOW
    )
    orange_from = forms.DecimalField(
        label="橙色预警起点（%）",
        min_value=Decimal("0.1"),
        max_value=1000,
        decimal_places=1,
        required=False,
        help_text="留空表示不设橙色预警",
    )
    red_from = forms.DecimalField(
        label="红色预警起点（%）", min_value=Decimal("0.1"), max_value=1000, decimal_places=1, initial=DEFAULT_RED
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100)
    stage = forms.ChoiceField(label="学段", choices=Stage.choices)
    classes = forms.IntegerField(label="班级数", min_value=1, max_value=60)
    class_size = forms.IntegerField(label="班额", min_value=1, max_value=60)


class OverflowForm(forms.Form):
    overflow_code = forms.CharField(
        label="分流学校标识码", max_length=10, required=False, help_text="留空表示不设分流学校"
    )
    overflow_note = forms.CharField(label="分流说明", max_length=200, required=False)


class RegistrationForm(forms.Form):
    """报名 form (parsing only; registration.submit_registration checks the rules). The stage
    (小学 or 初中, 小升初) is picked before the community and carried as a hidden field."""

    stage = forms.ChoiceField(label="学段", choices=Stage.choices, required=False, widget=forms.HiddenInput)
    child_name = forms.CharField(label="儿童姓名", max_length=50)
    id_number = forms.CharField(label="儿童身份证号", max_length=18)
    twin_name = forms.CharField(
        label="同胞多孩（双胞胎等）另一孩子姓名",
        max_length=50,
        required=False,
        help_text="双胞胎、多胞胎请一并填写，录取时绑定",
    )
    twin_id_number = forms.CharField(label="同胞多孩另一孩子身份证号", max_length=18, required=False)
    bind_with = forms.ChoiceField(label="与本账号已有报名绑定（多孩）", required=False)
    registration_type = forms.ChoiceField(
        label="户籍类型", choices=[("household", "户籍"), ("permit", "居住证（随迁子女）")]
    )
    community = forms.ChoiceField(label="户籍/居住小区")
    address = forms.CharField(label="详细地址", max_length=200)
    residence_proof = forms.ChoiceField(
        label="居住证明", choices=[("property", "房产证"), ("rent", "租赁备案"), ("none", "无")]
    )
    proof_no = forms.CharField(label="房产证/居住证号", max_length=60, required=False)
    public_school = forms.ChoiceField(label="学区公办学校")
    private_school = forms.ChoiceField(label="民办学校志愿（公民同招，可选一所）", required=False)
    sibling_school = forms.ChoiceField(label="哥哥姐姐就读学校（长幼随学，可选）", required=False)
    sibling_student_no = forms.CharField(label="哥哥姐姐学籍号（可选）", max_length=30, required=False)
    document = forms.FileField(label="证明材料（PDF/JPG/PNG，不超过5MB）", required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("twin_name")) != bool(data.get("twin_id_number")):
            self.add_error("twin_id_number", gettext("多孩报名须同时填写姓名和身份证号"))
        return data


_LOCAL_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class WindowForm(forms.Form):
    """报名时间 of a county for one intake year (policy.set_window checks the order)."""

    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    registration_opens = forms.DateTimeField(
        label="报名开始时间",
        required=False,
        input_formats=_LOCAL_DATETIME,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    registration_closes = forms.DateTimeField(
        label="报名截止时间",
        required=False,
        input_formats=_LOCAL_DATETIME,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="两项都留空表示不限制报名时间",
    )


class MechanismForm(forms.Form):
    """派位办法 of a county for one intake year."""

    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    mechanism = forms.ChoiceField(
        label="派位办法",
        widget=forms.RadioSelect,
        choices=[("da", "平行志愿（延迟接受，推荐）"), ("boston", "志愿优先")],
        error_messages={"required": "请选择派位办法", "invalid_choice": "未知的派位办法，只能选择平行志愿或志愿优先"},
    )


class DrawNewForm(BaseForm):
    """新建电脑派位: the county (scope: the view's 404), the intake year, the stage, the 派位办法."""

    county = forms.IntegerField(label="区县", required=False, error_messages={"invalid": "区县：请选择区县"})
    year = forms.IntegerField(label="招生年份", required=False, error_messages={"invalid": "招生年份应为数字"})
    stage = forms.ChoiceField(
        label="学段", required=False, choices=Stage.choices, error_messages={"invalid_choice": "学段应为小学或初中"}
    )
    mechanism = forms.ChoiceField(
        label="派位办法",
        required=False,
        choices=[("da", "平行志愿"), ("boston", "志愿优先")],
        error_messages={"invalid_choice": "未知的派位办法，只能选择平行志愿或志愿优先"},
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is None and self.years:
            return self.years[0]
        if year not in self.years:
            raise forms.ValidationError(
                gettext("招生年份应为{value}年之一").format(value="、".join(map(str, self.years)))
            )
        return year

    def clean_stage(self):
        return self.cleaned_data["stage"] or Stage.PRIMARY


class DrawActionForm(BaseForm):
    """One step of a draw: the notary's seed, the administrator's run and publication. Who may do
    which step, and whether the seed is given, is draws.py's check (403 / 400 in Chinese)."""

    action = forms.ChoiceField(
        label="操作",
        choices=[("seed", "录入种子"), ("run", "执行派位"), ("publish", "公布结果")],
        error_messages={"required": "操作：未知操作", "invalid_choice": "操作：未知操作"},
    )
    seed = forms.CharField(
        label="随机种子", required=False, max_length=200, error_messages={"max_length": "随机种子不能超过200个字符"}
    )
    seed_again = forms.CharField(
        label="再次输入随机种子",
        required=False,
        max_length=200,
        error_messages={"max_length": "再次输入随机种子：不能超过200个字符"},
    )
