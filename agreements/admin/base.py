"""Shared pieces of the admin: access for every admin and inline, optimistic locking, the
county-scoped base class, and small display helpers.

Every admin goes through the access door (``core.access``) once, here: rows, object
permissions, form choices, list filters, bulk actions, history pages. Every admin of data that
belongs to one county inherits from ``CountyScopedAdmin``; the path to the county is the one
declared for its model (``agreements/scopes.py``, ``followup/scopes.py``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agreements.models.versioning import StaleObjectError, VersionedModel
from core import access, formats
from core.conflicts import retry_on_conflict
from core.parameters import GuardedListsAdmin
from core.refusals import WriteRefused

# Money is entered the Swedish way: "1 250 000,50" (the plain "1250000.50" works too).
MONEY_FORMFIELD_OVERRIDES = {
    models.DecimalField: {"localize": True, "widget": forms.TextInput(attrs={"size": 14})},
}


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


class YearAndAmountColumns:
    """List columns for rows with a year and an amount: 2001 (not "2 001") and Swedish money."""

    @admin.display(description=_("år"), ordering="year")
    def year_display(self, obj):
        return str(obj.year)

    @admin.display(description=_("belopp (kr)"), ordering="amount")
    def amount_display(self, obj):
        return formats.amount(obj.amount)


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
    optimistic lock (agreements.models.versioning) would never see a stale version. A post of
    an existing record without a version, or with a blank, malformed or zero one, is treated
    as a stale copy: it never overwrites what is stored.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A string, as posted: an untouched row (an inline's empty extra one) is unchanged.
        self.fields["version"].initial = str(self.instance.version)

    def clean_version(self) -> int | None:
        seen = (self.cleaned_data.get("version") or "").strip()
        return int(seen) if seen.isascii() and seen.isdigit() and int(seen) > 0 else None

    def _post_clean(self):
        super()._post_clean()
        if not self.instance.pk:
            return
        # No version matches 0: the save's version check refuses it as a stale copy.
        self.instance.version = self.cleaned_data.get("version") or 0
        if self.has_changed():
            # Said now, with the form and what was typed still on the page; the save checks
            # again (someone may save between this and it).
            model = type(self.instance)
            stored = model._base_manager.filter(pk=self.instance.pk).values_list(
                "version", flat=True
            )
            if stored.first() != self.instance.version:
                self.add_error(None, StaleObjectError(self.instance).message)


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


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to what the user may pick."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_choices(formfield, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_choices(formfield, request)


class RelatedLinksMixin:
    """The links beside a relation's field: add a new one, and (on a record's own form) change
    the one chosen — never delete it, nor leave the page to view it.

    Django put a red ✖ beside a project's *Avtal* that opened the agreement's delete page, and
    an eye that left the form with what was typed unsaved. An inline's rows offer only to add:
    a change link in every row made the rows wider than the page. Every admin and inline of
    the project has this, through ``AccessMixin`` and ``InlineAccessMixin``.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_delete_related = False
            widget.can_view_related = False
            if isinstance(self, InlineModelAdmin):
                widget.can_change_related = False
        return formfield


class AccessMixin(GuardedListsAdmin, RelatedLinksMixin, ScopedChoicesMixin):
    """County isolation for a ModelAdmin: every admin goes through core.access.

    Rows, object permissions, form choices (checked again on save, so a forged POST fails),
    list-filter choices, bulk actions and history pages are all scoped here, once. Another
    county's object answers exactly like one that does not exist — one moved to another county
    from the user's own too, on its change, delete, history and version pages. A filter value
    from the address that the database cannot take answers as a wrong filter
    (``core.parameters``), never a server error.
    """

    def get_queryset(self, request):
        return access.visible(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or access.can_view(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_in_request(request, obj) or posted_to_a_locked(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit_in_request(request, obj)
        )

    def get_list_filter(self, request):
        # A plain relation filter lists every row of the related model, other counties'
        # names included; RelatedOnly lists only what occurs in this user's rows.
        return [_related_only(self.model, spec) for spec in super().get_list_filter(request)]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (scoped_delete_selected, name, description)
        return actions

    def save_model(self, request, obj, form, change):
        _check_can_save(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if (
                inline_form in getattr(formset, "deleted_forms", ())
                or not inline_form.has_changed()
            ):
                continue
            _check_can_save(request, instance)
        super().save_formset(request, form, formset, change)


def kept_rows(formset) -> list:
    """The rows of a validated ``formset`` that will be there once saved: valid, filled in and
    not marked for deletion (a page's inlines check their rows against each other's)."""
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None)
        and not form.cleaned_data.get("DELETE")
        and (form.instance.pk or form.has_changed())
    ]


def can_edit_in_request(request, obj) -> bool:
    """``access.can_edit``, asked once per object in a request: a change page asks it for the
    page, every inline and every button, and the answer cannot change while it is drawn."""
    cache = request.__dict__.setdefault("_followup_can_edit", {})
    key = (obj._meta.label_lower, obj.pk)
    if key not in cache:
        cache[key] = access.can_edit(request.user, obj)
    return cache[key]


def posted_to_a_locked(request, obj) -> bool:
    """A post to a record the user could change were its report not locked since the page was
    opened (submitted meanwhile, say). The form is then validated, so the model refuses it
    with its reason and the page comes back with what was typed — not a bare 403. Nothing is
    saved: the model refuses the save as well."""
    return request.method == "POST" and access.can_edit(request.user, obj, mind_lock=False)


def _check_can_save(request, obj):
    if not access.can_save(request.user, obj):
        raise PermissionDenied


def _scope_choices(formfield, request):
    if formfield is not None and getattr(formfield, "queryset", None) is not None:
        formfield.queryset = access.choosable(formfield.queryset, request.user)
    return formfield


def _related_only(model, spec):
    if not isinstance(spec, str):
        return spec
    try:
        field = get_fields_from_path(model, spec)[-1]
    except (FieldDoesNotExist, admin.utils.NotRelationField):
        return spec
    if field.is_relation:
        return (spec, admin.RelatedOnlyFieldListFilter)
    return spec


@admin.action(permissions=["delete"], description=delete_selected.short_description)
def scoped_delete_selected(modeladmin, request, queryset):
    """Django's bulk delete, limited to the rows this user may delete; nothing is deleted
    when any selected row may not be (a locked report's evidence names the report)."""
    allowed = access.editable(queryset, request.user)
    if allowed.count() != queryset.count():
        modeladmin.message_user(
            request,
            _("Några av de valda raderna får du inte ta bort. Ingenting har tagits bort."),
            messages.ERROR,
        )
        return None
    refusal = access.deletion_refusal(queryset.model, allowed.values("pk"))
    if refusal:
        modeladmin.message_user(
            request, refusal + " " + _("Ingenting har tagits bort."), messages.ERROR
        )
        return None
    return delete_selected(modeladmin, request, allowed)


class AuditedAdmin(AccessMixin, VersionedFormMixin, SimpleHistoryAdmin):
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
            return retry_on_conflict(super().changeform_view)(
                request, object_id, form_url, extra_context
            )
        except WriteRefused as refused:
            # A stale copy, a locked report: the whole save (inlines included) was rolled
            # back; say why and show the record as it now stands.
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        refusal = None
        if obj is not None and self._may_delete_were_nothing_locked(request, obj):
            refusal = access.deletion_refusal(self.model, [obj.pk])
        if refusal is None:
            try:
                return retry_on_conflict(super().delete_view)(request, object_id, extra_context)
            except WriteRefused as refused:
                refusal = refused.message
        # Said before anyone confirms, and again if the rule took effect meanwhile.
        self.message_user(request, refusal, messages.ERROR)
        return HttpResponseRedirect(request.path.rsplit("delete/", 1)[0] + "change/")

    def _may_delete_were_nothing_locked(self, request, obj) -> bool:
        # Someone who may not delete the row anyway gets the permission answer (403).
        return admin.ModelAdmin.has_delete_permission(self, request, obj) and access.can_edit(
            request.user, obj, mind_lock=False
        )

    def changelist_view(self, request, extra_context=None):
        try:
            return retry_on_conflict(super().changelist_view)(request, extra_context)
        except WriteRefused as refused:  # a bulk action the data's rules refused
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_view(self, request, object_id, extra_context=None):
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        # simple-history falls back to the history of objects it cannot find (deleted ones, and
        # those it cannot see) and then answers 403; another county's object — one moved there
        # from the user's county too — must look like a missing one.
        if not self._reads_audit_trail(request, self._history_pk(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history finds the version by id and then asks about the current row: another
        # county's version would answer 403 (not 404), and a reviewer could open the draft
        # version of a report submitted since. Only versions the history page lists are shown.
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            raise Http404  # a model without an audit trail has no versions (was a 500)
        pk = self._history_pk(object_id)
        try:
            version = int(version_id)
        except ValueError:
            raise Http404 from None
        if not (
            self._versions(request, pk).filter(history_id=version).exists()
            and self._reads_audit_trail(request, pk)
        ):
            raise Http404
        if request.method != "GET":
            # Going back to an old version is not offered (revert_disabled), and a post of its
            # form would write old values past the review workflow and its locks: refused.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _history_pk(self, object_id):
        pk = admin.utils.unquote(object_id)
        try:
            self.model._meta.pk.to_python(pk)
        except ValidationError:
            raise Http404 from None
        return pk

    def _versions(self, request, pk):
        """The versions of row ``pk`` this user may see (the history page's list)."""
        return self.get_history_queryset(
            request, self.model.history, self.model._meta.pk.attname, pk
        )

    def _reads_audit_trail(self, request, pk) -> bool:
        """Does this user read the audit trail of row ``pk`` — as the row stands now or, if it
        was deleted, as it stood last (``access.may_read_history``)?"""
        cache = request.__dict__.setdefault("_followup_reads_trail", {})
        key = str(pk)
        if key in cache:
            return cache[key]
        row = self.model._default_manager.filter(pk=pk)
        if not row.exists():
            history = self.model.history
            last = (
                history.filter(**{self.model._meta.pk.attname: pk})
                .order_by("-history_date", "-history_id")
                .values_list("history_id", flat=True)
                .first()
            )
            row = history.filter(history_id=last) if last is not None else history.none()
        cache[key] = access.may_read_history(request.user, row, self._versions(request, pk))
        return cache[key]

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # The audit trail's own rule decides, not whether the row is read as it stands: a
        # returned report's observations are read by the ministry from their versions.
        if obj is None:
            return super().has_view_history_or_change_history_permission(request, obj)
        return admin.ModelAdmin.has_view_permission(self, request) and self._reads_audit_trail(
            request, obj.pk
        )

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return access.visible(records, request.user)

    def revert_disabled(self, request, obj=None):
        # Going back to an old version would bypass the review workflow and its locks.
        return True


class CountyScopedAdmin(AuditedAdmin):
    """Base class of every admin whose rows belong to one county.

    The county a row belongs to is the one its model's scope leads to (``core.access``, declared
    once per model): rows, permissions and choices are scoped by ``AccessMixin``; here a
    coordinator's new record gets their county, and the list shows it.
    """

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.county_field = access.county_path(model)
        if "county_short_name" not in type(self).__dict__:
            self.county_short_name = _county_column(self.county_field)

    def get_list_display(self, request):
        # A column that says the same on every row is room taken from the others.
        shown = super().get_list_display(request)
        counties = access.readable_county_ids(request.user)
        if counties is not None and len(counties) <= 1:
            shown = [column for column in shown if column != "county_short_name"]
        return shown

    def _server_county_id(self, request):
        """The county a coordinator's new record gets: their only county (None otherwise)."""
        if self.county_field != "county" or access.is_administrator(request.user):
            return None
        counties = access.coordinated_county_ids(request.user)
        return next(iter(counties)) if len(counties) == 1 else None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A record never moves county through a form; a coordinator with one county never
        # sees the field at all (the server sets it).
        if (
            self.county_field == "county"
            and not access.is_administrator(request.user)
            and (obj is not None or self._server_county_id(request))
            and "county" not in readonly
        ):
            readonly.append("county")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        county_id = self._server_county_id(request)
        if self.county_field != "county" or "county" in form.base_fields:
            return form
        if obj is None and county_id is None:
            return form

        class ServerCountyForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if self.instance.pk is None:
                    self.instance.county_id = county_id

            def _get_validation_exclusions(self):
                # Constraints that involve the county (unique per county) are still checked.
                exclusions = super()._get_validation_exclusions()
                exclusions.discard("county")
                return exclusions

        return ServerCountyForm


def _county_column(path: str):
    """The list column with the county's short name, sorted by county code."""

    @admin.display(description=_("län"), ordering=f"{path}__code")
    def county_short_name(obj):
        county = obj
        for part in path.split("__"):
            county = getattr(county, part, None)
            if county is None:
                return "–"
        return county.short_name

    return county_short_name


class InlineAccessMixin(RelatedLinksMixin, ScopedChoicesMixin):
    """County isolation for inlines: rows, choices and whether the parent may be changed."""

    def get_queryset(self, request):
        return access.visible(super().get_queryset(request), request.user)

    def _parent_editable(self, request, obj):
        return obj is None or can_edit_in_request(request, obj) or posted_to_a_locked(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


class LabelsOnceAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """An autocomplete many-to-many widget that names its selected options from labels given
    by its formset (``known_labels``), so a page of many rows asks no query per row."""

    known_labels: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.known_labels
        if known is None or not selected <= known.keys():
            return super().optgroups(name, value, attr)  # a posted value not on the page
        options = [
            self.create_option(name, pk, known[pk], selected, index)
            for index, pk in enumerate(sorted(selected, key=known.get))
        ]
        return [(None, options, 0)]


class AutocompleteLabelsOnceInline:
    """Inline mixin: its autocomplete many-to-many fields are read with one prefetch per field
    and their selected options named from it — a fixed number of queries however many rows
    the page has (without it, two queries per row and field)."""

    def _autocomplete_many(self, request) -> list[str]:
        return [
            name
            for name in self.get_autocomplete_fields(request)
            if self.model._meta.get_field(name).many_to_many
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*self._autocomplete_many(request))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self._autocomplete_many(request) and "widget" not in kwargs:
            kwargs["widget"] = LabelsOnceAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = self._autocomplete_many(request)

        class LabelsOnceFormSet(formset):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                for name in names:
                    known = {
                        str(related.pk): str(related)
                        for form in self.initial_forms
                        for related in form.initial.get(name) or ()
                    }
                    for form in self.forms:
                        if name in form.fields:  # not on a page that only shows the row
                            widget = form.fields[name].widget
                            getattr(widget, "widget", widget).known_labels = known

        return LabelsOnceFormSet


class RowsOnTheAddPage:
    """An inline that offers a few empty rows on the add page, so a new record and its parts
    are entered in one sitting (a change page adds rows with "Lägg till ytterligare")."""

    rows_on_add_page = 2

    def get_extra(self, request, obj=None, **kwargs):
        return self.rows_on_add_page if obj is None or obj.pk is None else 0


class CountyScopedInline(InlineAccessMixin, VersionedFormMixin, ChoicesOnceMixin):
    """Mixin for inlines on a county-scoped page."""

    formfield_overrides = MONEY_FORMFIELD_OVERRIDES
    show_change_link = True
    extra = 0
