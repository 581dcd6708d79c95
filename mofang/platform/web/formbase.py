"""A base for page forms whose every refusal is a Chinese message naming its field.

Django's own checks (required, length, number, range, choice, date, NUL characters) answer with
"<label>：<reason>" unless a field sets its own message; a service's ValidationError is put on the
field it names (`add_service_errors`). A view shows `error_lines()` (or the per-field `errors`)
and answers 400, having written nothing.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# codes whose Django message carries %(...)s parameters: the label must not bring a stray "%"
_DEFAULTS = {
    "required": "{label}：请填写",
    "invalid": "{label}：格式不正确",
    "invalid_choice": "{label}：请从给定选项中选择",
    "invalid_list": "{label}：请从给定选项中选择",
    "invalid_pk_value": "{label}：请从给定选项中选择",
    "max_length": "{label}：不能超过%(limit_value)d字",
    "min_length": "{label}：不能少于%(limit_value)d字",
    "max_value": "{label}：不能大于%(limit_value)s",
    "min_value": "{label}：不能小于%(limit_value)s",
    "step_size": "{label}：格式不正确",
    "max_digits": "{label}：数字位数过多",
    "max_decimal_places": "{label}：最多%(max)s位小数",
    "max_whole_digits": "{label}：数字位数过多",
    "null_characters_not_allowed": "{label}：含有非法字符（NUL），请删除后重试",
    "empty": "{label}：文件是空的",
    "missing": "{label}：没有收到文件",
    "contradiction": "{label}：请上传文件或清除，不能同时选择",
}
_INVALID = {
    forms.DateField: "{label}：请填写有效日期（年-月-日）",
    forms.DateTimeField: "{label}：请填写有效的日期和时间",
    forms.IntegerField: "{label}：请填写整数",
    forms.DecimalField: "{label}：请填写数字",
    forms.FloatField: "{label}：请填写数字",
}
_CHOOSE = (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField, forms.FileField)


def _django_defaults(field) -> dict:
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


class BaseForm(forms.Form):
    """A form whose fields answer in Chinese, naming their label, where they set no message of their own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self.name_field(name, field)

    @staticmethod
    def name_field(name: str, field) -> None:
        """Give `field` the Chinese messages naming it (kept: any message the field set itself)."""
        label = str(field.label or name).replace("%", "％")
        django = _django_defaults(field)
        texts = dict(_DEFAULTS)
        if isinstance(field, _CHOOSE):
            texts["required"] = "{label}：请选择" if not isinstance(field, forms.FileField) else "{label}：请选择文件"
        for cls, text in _INVALID.items():
            if isinstance(field, cls):
                texts["invalid"] = text
                break
        for code, text in texts.items():
            current = field.error_messages.get(code)
            if current is None or str(current) == str(django.get(code, "")):
                field.error_messages[code] = text.format(label=label)

    def add_field(self, name: str, field) -> None:
        """Add a field after __init__ (fields built from data, e.g. one per checklist item)."""
        self.name_field(name, field)
        self.fields[name] = field

    def add_service_errors(self, exc: ValidationError) -> None:
        """A service's refusal onto the form: on the field it names (if the form has it and that field
        is not already refused), else on the form."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in self.fields else None
                if target is not None and target in self.errors:
                    continue
                for error in errors:
                    self.add_error(target, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            for message in exc.messages:
                self.add_error(None, message)

    def label_of(self, name: str) -> str:
        field = self.fields.get(name)
        return str(field.label or name) if field is not None else ""

    def _named(self, name: str, errors) -> list[str]:
        label = self.label_of(name)
        named = (label, label.replace("%", "％"))
        return [e if not label or any(n in e for n in named) else f"{label}：{e}" for e in errors]

    def error_lines(self, names=None) -> list[str]:
        """Every error as one Chinese line naming its field (the form's own errors first as they are);
        with `names`, only those fields' errors."""
        lines: list[str] = [str(e) for e in self.non_field_errors()] if names is None else []
        for name, errors in self.errors.items():
            if name != NON_FIELD_ERRORS and (names is None or name in names):
                lines += self._named(name, errors)
        return lines

    def named_errors(self) -> dict[str, list[str]]:
        """{field name: [lines naming the field]} for pages that show errors beside each field;
        the form's own errors under "__all__"."""
        return {
            name: [str(e) for e in errors] if name == NON_FIELD_ERRORS else self._named(name, errors)
            for name, errors in self.errors.items()
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (input multiple); each is only received here, the service checks content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []
