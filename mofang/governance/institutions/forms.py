"""Forms of the 校外培训 pages: parsing only; the rules live in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext

from .models import Category, InspectionKind, ListKind, Status


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写日期", "invalid": "日期格式应为2026-11-23"},
    )


class InstitutionForm(forms.Form):
    name = forms.CharField(
        label="机构名称", max_length=100, error_messages={"required": "请填写机构名称", "max_length": "不能超过100个字"}
    )
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        error_messages={"required": "请填写统一社会信用代码", "max_length": "应为18位"},
    )
    category = forms.ChoiceField(
        label="类别",
        choices=Category.choices,
        error_messages={"required": "请选择类别", "invalid_choice": "请从列表中选择类别"},
    )
    region = forms.TypedChoiceField(
        label="属地区县",
        coerce=int,
        error_messages={"required": "请选择属地区县", "invalid_choice": "请选择您管理的区县"},
    )
    licence_no = forms.CharField(
        label="办学许可证号", max_length=40, required=False, error_messages={"max_length": "不能超过40个字"}
    )
    address = forms.CharField(
        label="地址", max_length=200, required=False, error_messages={"max_length": "不能超过200个字"}
    )
    legal_representative = forms.CharField(
        label="法定代表人", max_length=50, required=False, error_messages={"max_length": "不能超过50个字"}
    )
    phone = forms.CharField(
        label="联系电话", max_length=20, required=False, error_messages={"max_length": "不能超过20个字"}
    )

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(c.pk, c.name) for c in counties]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="新状态",
        choices=Status.choices,
        error_messages={"required": "请选择状态", "invalid_choice": "请从列表中选择状态"},
    )
    reason = forms.CharField(
        label="理由", max_length=300, error_messages={"required": "请填写理由", "max_length": "不能超过300个字"}
    )


class SiteForm(forms.Form):
    address = forms.CharField(
        label="场所地址", max_length=200, error_messages={"required": "请填写场所地址", "max_length": "不能超过200个字"}
    )
    area = forms.DecimalField(
        label="面积（平方米）",
        max_digits=9,
        decimal_places=1,
        error_messages={
            "required": "请填写面积",
            "invalid": "请填写数字",
            "max_digits": "数值过大",
            "max_decimal_places": "最多1位小数",
            "max_whole_digits": "数值过大",
        },
    )


class TeacherForm(forms.Form):
    name = forms.CharField(
        label="姓名", max_length=50, error_messages={"required": "请填写姓名", "max_length": "不能超过50个字"}
    )
    subject = forms.CharField(
        label="任教科目", max_length=50, error_messages={"required": "请填写任教科目", "max_length": "不能超过50个字"}
    )
    certificate_no = forms.CharField(
        label="教师资格证号", max_length=30, required=False, error_messages={"max_length": "应为17位数字"}
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批结果",
        choices=[("approve", "批准"), ("refuse", "不予批准")],
        error_messages={"required": "请选择审批结果", "invalid_choice": "请选择批准或不予批准"},
    )
    reason = forms.CharField(
        label="理由",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "不能超过500个字"},
    )


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(
        label="方式",
        choices=InspectionKind.choices,
        error_messages={"required": "请选择方式", "invalid_choice": "请选择检查或暗访"},
    )
    date = _date_field("检查日期")
    inspectors = forms.CharField(
        label="检查人员", max_length=100, error_messages={"required": "请填写检查人员", "max_length": "不能超过100个字"}
    )
    findings = forms.CharField(
        label="发现问题",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "不能超过5000个字"},
    )
    rectify = forms.BooleanField(label="责令整改（开启整改事项，机构转为“整改”）", required=False)


class ListEntryForm(forms.Form):
    institution = forms.TypedChoiceField(
        label="机构", coerce=int, error_messages={"required": "请选择机构", "invalid_choice": "请选择您管理的机构"}
    )
    kind = forms.ChoiceField(
        label="名单",
        choices=ListKind.choices,
        error_messages={"required": "请选择名单", "invalid_choice": "请选择白名单或黑名单"},
    )
    region = forms.TypedChoiceField(
        label="发布地区",
        coerce=int,
        error_messages={"required": "请选择发布地区", "invalid_choice": "请选择您管理的地区"},
    )
    reason = forms.CharField(
        label="理由", max_length=300, error_messages={"required": "请填写理由", "max_length": "不能超过300个字"}
    )
    start = _date_field("起始日期")
    end = _date_field("截止日期", required=False)

    def __init__(self, *args, institutions=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [(i.pk, i.name) for i in institutions]
        self.fields["region"].choices = [(r.pk, r.name) for r in regions]


class EndEntryForm(forms.Form):
    end = _date_field("截止日期")


class PublicReportForm(forms.Form):
    """有奖举报. The place is picked city first, then county — nothing is pre-selected, so a parent
    who leaves it is asked, never filed at the first of 90 districts. The county select groups its
    counties by city (usable without script); region_select.js narrows it to the chosen city."""

    city = forms.TypedChoiceField(
        label="所在地市",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "请从列表中选择地市"},
        widget=forms.Select(attrs={"data-narrows": "id_county"}),
    )
    county = forms.TypedChoiceField(
        label="所在区县",
        coerce=int,
        error_messages={"required": "请选择所在区县", "invalid_choice": "请从列表中选择区县"},
    )
    target_name = forms.CharField(
        label="被举报机构或个人",
        max_length=100,
        error_messages={"required": "请填写被举报机构或个人", "max_length": "不能超过100个字"},
    )
    address = forms.CharField(
        label="培训地点", max_length=200, error_messages={"required": "请填写培训地点", "max_length": "不能超过200个字"}
    )
    description = forms.CharField(
        label="举报内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="如：以“托管”“研学”名义开展语数英等学科类培训、无证办学、更换名称（马甲）继续招生等",
        error_messages={"required": "请填写举报内容", "max_length": "不能超过2000个字"},
    )
    phone = forms.CharField(
        label="手机号（选填，便于核实与发放奖励）",
        max_length=20,
        required=False,
        error_messages={"max_length": "请填写11位手机号码"},
    )

    def __init__(self, *args, counties=(), cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.city_of = {}  # county pk -> city pk
        groups = []
        for city in cities:
            inside = [c for c in counties if c.path.startswith(city.path)]
            self.city_of.update((c.pk, city.pk) for c in inside)
            if inside:
                groups.append((city.name, [(c.pk, c.name) for c in inside]))
        loose = [(c.pk, c.name) for c in counties if c.pk not in self.city_of]
        self.fields["city"].choices = [("", "请选择地市")] + [(c.pk, c.name) for c in cities]
        self.fields["county"].choices = [("", "请先选择地市，再选择区县")] + groups + loose

    def clean(self):
        d = super().clean()
        city, county = d.get("city"), d.get("county")
        if city is not None and county is not None and self.city_of.get(county) != city:
            self.add_error("county", gettext("所选区县不属于所选地市，请重新选择"))
        return d


class RewardForm(forms.Form):
    amount = forms.DecimalField(
        label="奖励金额（元）",
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": "请填写奖励金额",
            "invalid": "请填写数字",
            "max_digits": "数值过大",
            "max_decimal_places": "最多2位小数",
            "max_whole_digits": "数值过大",
        },
    )


class FeeAccountForm(forms.Form):
    bank = forms.CharField(
        label="监管银行", max_length=100, error_messages={"required": "请填写监管银行", "max_length": "不能超过100个字"}
    )
    account_no = forms.CharField(
        label="监管账号", max_length=40, error_messages={"required": "请填写监管账号", "max_length": "不能超过40个字"}
    )


class ChargeForm(forms.Form):
    student_name = forms.CharField(
        label="学员", max_length=50, error_messages={"required": "请填写学员", "max_length": "不能超过50个字"}
    )
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": "请填写金额",
            "invalid": "请填写数字",
            "max_digits": "数值过大",
            "max_decimal_places": "最多2位小数",
            "max_whole_digits": "数值过大",
        },
    )
    lessons = forms.IntegerField(label="课时数", error_messages={"required": "请填写课时数", "invalid": "请填写整数"})
    months = forms.IntegerField(
        label="覆盖月数", error_messages={"required": "请填写覆盖月数", "invalid": "请填写整数"}
    )
    paid_on = _date_field("收费日期")


class FeeLimitForm(forms.Form):
    max_months = forms.IntegerField(
        label="最多预收月数", error_messages={"required": "请填写月数", "invalid": "请填写整数"}
    )
    max_lessons = forms.IntegerField(
        label="最多预收课时", error_messages={"required": "请填写课时", "invalid": "请填写整数"}
    )


def today():
    return timezone.localdate()
