"""Helpers for admin tests: turn a rendered admin change form back into POST data, as a browser would."""

from __future__ import annotations

from django.forms import CheckboxInput


def _field_values(form, data: dict) -> None:
    for name, field in form.fields.items():
        if field.disabled:
            continue
        bound = form[name]
        value = bound.value()
        key = form.add_prefix(name)
        if isinstance(field.widget, CheckboxInput):
            if value:
                data[key] = "on"
            continue
        if value is None:
            data[key] = ""
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
            continue
        formatted = field.widget.format_value(value)
        if isinstance(formatted, list):
            data[key] = formatted[0] if len(formatted) == 1 else formatted
        else:
            data[key] = "" if formatted is None else str(formatted)


def changeform_data(response) -> dict:
    """POST data equal to what the admin change page shows (main form and every inline formset)."""
    data: dict = {}
    _field_values(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            _field_values(form, data)
    return data


def result_pks(response) -> set:
    """Primary keys listed on an admin changelist page."""
    return {obj.pk for obj in response.context["cl"].result_list}


def messages_text(response) -> str:
    """All messages shown on a (followed) admin response, joined."""
    return " | ".join(str(m) for m in response.context["messages"])
