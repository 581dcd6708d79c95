from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.people import identity
from mofang.platform.people.models import Employment, StaffCategory, TeacherCertKind
from mofang.platform.people.models.staff import parse_certificates, parse_subjects, validate_teacher_cert_no


class OrgUnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, error_messages={"required": "名称不能为空"})
    address = forms.CharField(label="地址", max_length=200, required=False)
    school_type = forms.ChoiceField(label="学校类型", choices=[("", "—"), *SchoolType.choices], required=False)
    ownership = forms.ChoiceField(label="办学性质", choices=[("", "—"), *Ownership.choices], required=False)
    longitude = forms.DecimalField(
        label="经度",
        min_value=73,
        max_value=136,
        decimal_places=6,
        required=False,
        error_messages={
            "invalid": "经度应为数字",
            "min_value": "经度应在73到136之间",
            "max_value": "经度应在73到136之间",
        },
    )
    latitude = forms.DecimalField(
        label="纬度",
        min_value=3,
        max_value=54,
        decimal_places=6,
        required=False,
        error_messages={"invalid": "纬度应为数字", "min_value": "纬度应在3到54之间", "max_value": "纬度应在3到54之间"},
    )

    def __init__(self, *args, org: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        if org.kind != OrgKind.SCHOOL:
            del self.fields["school_type"], self.fields["ownership"]

    def clean(self):
        data = super().clean()
        if self.org.kind == OrgKind.SCHOOL:
            for f, msg in (("school_type", "请选择学校类型"), ("ownership", "请选择办学性质")):
                if f in data and not data.get(f):
                    self.add_error(f, msg)
        return data


class StudentForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "姓名不能为空"})
    klass = forms.ModelChoiceField(
        label="班级",
        queryset=OrgUnit.objects.none(),
        required=False,
        error_messages={"invalid_choice": "班级不属于该校"},
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].queryset = classes


class StaffForm(forms.Form):
    # not sent → unchanged
    category = forms.ChoiceField(
        label="类别",
        choices=StaffCategory.choices,
        required=False,
        error_messages={"invalid_choice": "类别不在可选范围内"},
    )
    employment = forms.ChoiceField(
        label="专兼职",
        choices=Employment.choices,
        required=False,
        error_messages={"invalid_choice": "专兼职应为专职或兼职"},
    )
    position = forms.CharField(label="岗位", max_length=50, required=False)
    title = forms.CharField(label="职称", max_length=30, required=False)
    subject = forms.CharField(label="任教学科", max_length=100, required=False, help_text="可填多门，用顿号分隔")
    teacher_cert_kind = forms.ChoiceField(
        label="教师资格种类",
        choices=[("", "—"), *TeacherCertKind.choices],
        required=False,
        error_messages={"invalid_choice": "教师资格种类不在可选范围内"},
    )
    teacher_cert_no = forms.CharField(
        label="教师资格证编号", max_length=30, required=False, help_text="17位数字，以发证年份开头"
    )
    certificates = forms.CharField(
        label="其他证书",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="种类/编号/取得日期，多个用；分隔，如 心理健康教育C证/ZJXL2021C0107/2021-06-30",
    )
    hired_on = forms.DateField(label="入职日期", required=False, error_messages={"invalid": "日期格式应为 2026-09-01"})
    phone = forms.CharField(label="新手机号", max_length=20, required=False, help_text="不修改请留空")

    def clean_phone(self):
        raw = self.cleaned_data["phone"]
        if not raw:
            return ""
        try:
            return identity.validate_mobile(raw)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_subject(self):
        try:
            return "、".join(parse_subjects(self.cleaned_data["subject"]))
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_teacher_cert_no(self):
        raw = self.cleaned_data["teacher_cert_no"].strip()
        if not raw:
            return ""
        try:
            return validate_teacher_cert_no(raw)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_certificates(self):
        try:
            return parse_certificates(self.cleaned_data["certificates"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_hired_on(self):
        hired = self.cleaned_data["hired_on"]
        if hired and hired > timezone.localdate():
            raise ValidationError(gettext("入职日期不能晚于今天"))
        return hired

    def clean(self):
        data = super().clean()
        kind, number = data.get("teacher_cert_kind"), data.get("teacher_cert_no")
        if "teacher_cert_no" not in self.errors and bool(kind) != bool(number):
            self.add_error(
                "teacher_cert_no" if kind else "teacher_cert_kind", gettext("教师资格种类与教师资格证编号须同时填写")
            )
        return data
