from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mofang.platform.web"
    label = "web"
    verbose_name = "界面"

    def ready(self):
        from django.urls import register_converter

        from . import menu, roles, todos  # noqa: F401  (the platform's own menu entries, permission, to-dos)
        from .converters import IdConverter

        register_converter(IdConverter, "id")  # row ids in every route: `<id:pk>` (404 beyond a bigint)
        _refuse_control_characters_in_forms()
        _pick_dates_in_chinese()


def _refuse_control_characters_in_forms():
    """Every text field of every form refuses control characters, in Chinese (issue 13).

    They reach exports (openpyxl refuses them: a 500 for good) and PostgreSQL (NUL). Django's
    CharField already refuses NUL, with a message its zh-hans catalogue mistranslates as "不允许是用
    空字符串": it is given ours, and our validator covers the other control characters.
    """
    from django import forms
    from django.core import validators

    from mofang.platform.text import CONTROL_MESSAGE, ProhibitControlCharacters

    if not any(isinstance(v, ProhibitControlCharacters) for v in forms.CharField.default_validators):
        forms.CharField.default_validators = [*forms.CharField.default_validators, ProhibitControlCharacters(nul=False)]
    validators.ProhibitNullCharactersValidator.message = CONTROL_MESSAGE


def _pick_dates_in_chinese():
    """Every DateField of every form renders as <input type=date> in 年-月-日, where the platform's
    Chinese date picker (static/mofang/datepicker.js, flatpickr with its zh locale) attaches."""
    from django import forms

    class DatePickerInput(forms.DateInput):
        input_type = "date"

        def __init__(self, attrs=None, format=None):
            super().__init__(attrs, format or "%Y-%m-%d")

    if forms.DateField.widget is forms.DateInput:
        forms.DateField.widget = DatePickerInput
