"""Shared pieces of the admin: the county-scoped base class and small display helpers.

Every admin of data that belongs to one county inherits from ``CountyScopedAdmin`` and names the
lookup path from its model to the county in ``county_field``. Scoping a coordinator to their
counties (a later issue) is then done once, here, in ``get_queryset`` and the permission hooks.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.http import HttpResponseRedirect
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agreements.models.versioning import StaleObjectError, VersionedModel

# Money is entered the Swedish way: "1 250 000,50" (the plain "1250000.50" works too).
MONEY_FORMFIELD_OVERRIDES = {
    models.DecimalField: {"localize": True, "widget": forms.TextInput(attrs={"size": 14})},
}


def money(value) -> str:
    """An amount in Swedish format, without öre when there are none: ``1 250 000``."""
    if value is None:
        return "–"
    value = Decimal(value)
    decimals = 0 if value == value.to_integral_value() else 2
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def excerpt(text: str, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def object_id_from_request(request):
    """The id of the object whose change page is being shown (None on the add page)."""
    match = getattr(request, "resolver_match", None)
    return match.kwargs.get("object_id") if match else None


def is_changelist(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith("_changelist"))


class ChoicesOnceMixin:
    """Evaluate the options of plain <select> foreign keys once per page, not once per form.

    Without this an inline with 40 rows runs the same choices query 40 times. Subclasses list
    the foreign keys in ``choices_once`` (autocomplete fields are never listed).
    """

    choices_once: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.choices_once:
            formfield.choices = list(formfield.choices)
        return formfield


def is_versioned(model) -> bool:
    return issubclass(model, VersionedModel)


class VersionedModelForm(forms.ModelForm):
    """Carries the version the editor started from, so a save over someone else's is refused.

    Without it the admin would save the copy it reads when the form is posted, and the
    optimistic lock (agreements.models.versioning) would never see a stale version.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        super()._post_clean()
        seen = self.cleaned_data.get("version")
        if self.instance.pk and seen:
            self.instance.version = seen


class VersionedFormMixin:
    """Use VersionedModelForm for versioned models and keep its hidden field on the page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if is_versioned(self.model) and not issubclass(self.form, VersionedModelForm):
            self.form = type("VersionedForm", (VersionedModelForm, self.form), {})

    def get_exclude(self, request, obj=None):
        # "version" is a model field Django will not put in a form; the form declares its own.
        exclude = super().get_exclude(request, obj)
        if not is_versioned(self.model):
            return exclude
        return [*(exclude or ()), "version"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_versioned(self.model) or "version" in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]


class AuditedAdmin(VersionedFormMixin, SimpleHistoryAdmin):
    """Admin of a model with an audit trail (Historik) and optimistic locking."""

    formfield_overrides = MONEY_FORMFIELD_OVERRIDES

    def get_queryset(self, request):
        # Django's changelist ignores list_select_related once get_queryset has called
        # select_related; applying it here keeps the list at a fixed number of queries.
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, (list, tuple)):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleObjectError as error:
            # The whole save (inlines included) was rolled back; show the latest version.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_view(self, request, object_id, extra_context=None):
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def revert_disabled(self, request, obj=None):
        # Going back to an old version would bypass the review workflow and its locks.
        return True


class CountyScopedAdmin(AuditedAdmin):
    """Base class of every admin whose rows belong to one county.

    ``county_field`` is the lookup path to the county, e.g. ``"county"``, ``"project__county"``
    or ``"report__county"``. It does nothing special yet: this is the single place where the
    coordinator's county scoping will hook in.
    """

    county_field: str = "county"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        path = cls.county_field

        @admin.display(description=_("län"), ordering=f"{path}__code")
        def county_short_name(self, obj):
            county = obj
            for part in path.split("__"):
                county = getattr(county, part, None)
                if county is None:
                    return "–"
            return county.short_name

        if "county_short_name" not in cls.__dict__:
            cls.county_short_name = county_short_name


class CountyScopedInline(VersionedFormMixin, ChoicesOnceMixin):
    """Mixin for inlines on a county-scoped page (the same later hook as CountyScopedAdmin)."""

    county_field: str = "county"
    formfield_overrides = MONEY_FORMFIELD_OVERRIDES
    show_change_link = True
    extra = 0
