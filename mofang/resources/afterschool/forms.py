"""Forms of the school's pages: they parse; the services decide (errors come back on the field)."""

from django import forms
from django.core.exceptions import ValidationError

from .models import PERIODS, WEEKDAYS, Rating, SelectionMode


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service ValidationError to the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


_DT = {"type": "datetime-local"}


class TermForm(forms.Form):
    name = forms.CharField(label="学期名称", max_length=50, initial="2026年秋季学期")
    starts_on = forms.DateField(label="开课日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结课日期", widget=forms.DateInput(attrs={"type": "date"}))
    opens_at = forms.DateTimeField(label="选课开始时间", widget=forms.DateTimeInput(attrs=_DT))
    closes_at = forms.DateTimeField(label="选课截止时间", widget=forms.DateTimeInput(attrs=_DT))
    mode = forms.ChoiceField(label="名额分配方式", choices=SelectionMode.choices)
    max_courses = forms.IntegerField(label="每生限选门数", min_value=1, max_value=10, initial=2)


class CourseForm(forms.Form):
    name = forms.CharField(label="课程名称", max_length=50)
    description = forms.CharField(
        label="课程介绍", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    grade_from = forms.IntegerField(label="适用年级起", min_value=1, max_value=9, initial=1)
    grade_to = forms.IntegerField(label="适用年级止", min_value=1, max_value=9, initial=6)
    weekday = forms.TypedChoiceField(label="星期", coerce=int, choices=sorted(WEEKDAYS.items()))
    period_from = forms.TypedChoiceField(label="起始节次", coerce=int, choices=sorted(PERIODS.items()))
    period_to = forms.TypedChoiceField(label="结束节次", coerce=int, choices=sorted(PERIODS.items()))
    place = forms.CharField(label="上课地点", max_length=50)
    capacity = forms.IntegerField(label="名额", min_value=1, max_value=500)
    teacher = forms.TypedChoiceField(label="授课教师", coerce=int, required=False, empty_value=None)
    institution = forms.TypedChoiceField(label="校外机构（白名单）", coerce=int, required=False, empty_value=None)
    fee = forms.DecimalField(
        label="收费（元/学期，免费填0）", min_value=0, max_value=100000, decimal_places=2, initial=0
    )

    def __init__(self, *args, teachers=(), institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = [("", "——")] + [(t.pk, t.name) for t in teachers]
        self.fields["institution"].choices = [("", "——")] + [(i.pk, i.name) for i in institutions]


class LotteryForm(forms.Form):
    seed = forms.CharField(label="抽签种子（可由公证人员提供，留空则随机生成）", max_length=64, required=False)


class SurveyForm(forms.Form):
    rating = forms.ChoiceField(label="您对本学期课后服务的总体评价", choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="意见建议", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
