"""Forms of the case engine's own pages: parsing only; the rules live in the services."""

from typing import cast

from django import forms

from .routing import CATCH_ALL, CATCH_ALL_LABEL, RoutingTable


class RouteRuleForm(forms.Form):
    """One line of a county's routing table: category (or the catch-all), department, note."""

    category = forms.ChoiceField()
    department = forms.TypedChoiceField(coerce=int)
    note = forms.CharField(
        label="说明", max_length=200, required=False, error_messages={"max_length": "说明不能超过200个字"}
    )

    def __init__(self, *args, table: RoutingTable, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        category = cast(forms.ChoiceField, self.fields["category"])
        department = cast(forms.ChoiceField, self.fields["department"])
        category.label, department.label = table.category_field, table.department_field
        category.choices = ([(CATCH_ALL, CATCH_ALL_LABEL)] if table.catch_all else []) + list(table.categories)
        category.required = not table.catch_all
        category.error_messages = {
            "required": f"请选择{table.category_field}",
            "invalid_choice": table.invalid_category,
        }
        department.choices = [(d.pk, d.name) for d in departments]
        department.error_messages = {
            "required": f"请选择{table.department_field}",
            "invalid_choice": "请选择本区县的部门",
        }
