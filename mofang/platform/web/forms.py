from django import forms
from django.core.exceptions import ValidationError

from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.people import identity


class OrgUnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, error_messages={"required": "名称不能为空"})
    address = forms.CharField(label="地址", max_length=200, required=False)
    school_type = forms.ChoiceField(label="学校类型", choices=[("", "—"), *SchoolType.choices], required=False)
    ownership = forms.ChoiceField(label="办学性质", choices=[("", "—"), *Ownership.choices], required=False)
    longitude = forms.DecimalField(label="经度", min_value=73, max_value=136, decimal_places=6, required=False,
                                   error_messages={"invalid": "经度应为数字", "min_value": "经度应在73到136之间",
                                                   "max_value": "经度应在73到136之间"})
    latitude = forms.DecimalField(label="纬度", min_value=3, max_value=54, decimal_places=6, required=False,
                                  error_messages={"invalid": "纬度应为数字", "min_value": "纬度应在3到54之间",
                                                  "max_value": "纬度应在3到54之间"})

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
    klass = forms.ModelChoiceField(label="班级", queryset=OrgUnit.objects.none(), required=False,
                                   error_messages={"invalid_choice": "班级不属于该校"})

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].queryset = classes


class StaffForm(forms.Form):
    position = forms.CharField(label="岗位", max_length=50, required=False)
    subject = forms.CharField(label="任教学科", max_length=30, required=False)
    phone = forms.CharField(label="新手机号", max_length=20, required=False, help_text="不修改请留空")

    def clean_phone(self):
        raw = self.cleaned_data["phone"]
        if not raw:
            return ""
        try:
            return identity.validate_mobile(raw)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None
