"""The admin change form of a page as a browser submits it: every field with its value, the
inline formsets with their existing rows (and no empty extra rows)."""

import datetime

from django.db import models
from django.forms import MultiWidget


def _serialize(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, models.QuerySet)):
        return [_serialize(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _form_data(form):
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                data[bound.html_name + suffix] = _serialize(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif (
            getattr(getattr(widget, "widget", widget), "allow_multiple_selected", False)
            and not value
        ):
            continue  # a browser sends nothing for a multiple choice with nothing chosen
        else:
            data[bound.html_name] = _serialize(value)
    return data


def page_form_data(response, *, extra_rows: bool = False) -> dict:
    """What the change page in ``response`` posts when its user presses save unchanged; with
    ``extra_rows`` also the inlines' empty rows, as a browser sends them."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _form_data(formset.management_form)
        forms = formset.forms if extra_rows else formset.initial_forms
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(forms))
        for inline_form in forms:
            data |= _form_data(inline_form)
    return data
