"""Actors: organisations and their kinds."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import AccessMixin, AuditedAdmin
from agreements.models import Organisation, OrganisationKind
from agreements.validators import name_key, normalise_org_number, validate_name


@admin.register(OrganisationKind)
class OrganisationKindAdmin(AccessMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("name", "name_en", "code")


def _pointers(organisations) -> str:
    """Each organisation as a link to its page, with what tells organisations apart (kind,
    organisationsnummer, home county). Organisations are shared: every role reads them."""
    rows = []
    for org in organisations:
        details = ", ".join(
            str(part)
            for part in (org.kind, org.org_number, org.county and org.county.short_name)
            if part
        )
        url = reverse("admin:agreements_organisation_change", args=[org.pk])
        rows.append((url, org.name, details))
    return format_html_join(", ", '<a href="{}">{}</a> ({})', rows)


def _with_links(message, **values) -> str:
    """``message`` (a translation with %(…)s placeholders) with escaped ``values`` and
    the organisations' links put in, as HTML the admin shows as it is."""
    return mark_safe(escape(str(message)) % values)  # every part is escaped


class OrganisationForm(forms.ModelForm):
    """Says when a new (or renamed) organisation has the name of one the register holds —
    compared without case, extra spaces, invisible characters or compatibility forms
    (``name_key``) — and names it: saved only when the user confirms it is another one
    (*Spara ändå*). An organisationsnummer another organisation has is refused outright,
    naming that one."""

    confirm_same_name = forms.BooleanField(
        label=_("Spara ändå"),
        required=False,
        # Shown only once the name is found taken (see clean); hidden until then.
        widget=forms.HiddenInput,
        help_text=_("Kryssa i om det är en annan organisation med samma namn."),
    )

    def clean(self):
        cleaned = super().clean()
        self._refuse_taken_org_number(cleaned.get("org_number"))
        self._refuse_same_name(cleaned.get("name"), cleaned.get("confirm_same_name"))
        return cleaned

    def _others(self):
        others = Organisation.objects.select_related("kind", "county").order_by("name", "pk")
        return others.exclude(pk=self.instance.pk) if self.instance.pk else others

    def _refuse_taken_org_number(self, raw: str | None) -> None:
        try:
            number = normalise_org_number(raw or "")
        except ValidationError:
            return  # the field's own message says what is wrong with it
        if not number or number == self.instance.org_number:
            return
        holders = list(self._others().filter(org_number=number))
        if holders:
            # On the field: the model's uniqueness check of it, a plainer message, is then
            # skipped (ModelForm leaves out fields that already have an error).
            self.add_error(
                "org_number",
                _with_links(
                    _(
                        "Det finns redan en organisation med organisationsnumret %(number)s: "
                        "%(organisations)s."
                    ),
                    number=escape(number),
                    organisations=_pointers(holders),
                ),
            )

    def _refuse_same_name(self, name: str | None, confirmed: bool) -> None:
        if not name:
            return
        try:
            validate_name(name)
        except ValidationError:
            return  # refused for its characters (the model says so), not as a duplicate
        key = name_key(name)
        if self.instance.pk and name_key(self.instance.name) == key:
            return  # not renamed: a duplicate from before is not asked about at every save
        same = [
            pk for pk, other in self._others().values_list("pk", "name") if name_key(other) == key
        ]
        if not same or confirmed:
            return
        self.fields["confirm_same_name"].widget = forms.CheckboxInput()
        self.add_error(
            "name",
            _with_links(
                _(
                    "Det finns redan en organisation med namnet ”%(name)s”: %(organisations)s. "
                    "Kryssa i ”Spara ändå” om det är en annan organisation."
                ),
                name=escape(name),
                organisations=_pointers(self._others().filter(pk__in=same)),
            ),
        )


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    """Organisations are shared by all counties (a company can work in several)."""

    form = OrganisationForm
    list_display = ("name", "kind", "org_number", "home_county", "municipality", "updated_at")
    list_filter = ("kind", "county")
    list_select_related = ("kind", "county", "municipality")
    search_fields = ("name", "org_number", "municipality__name")
    autocomplete_fields = ("municipality",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "confirm_same_name", "kind", "org_number")}),
        (
            _("Hemort"),
            {
                "fields": ("county", "municipality"),
                "description": _(
                    "Anges kommunen men inte länet fylls länet i automatiskt. Vem som får ändra "
                    "organisationen: med ett hemlän länets regionala samordnare; utan hemlän den "
                    "som registrerade den (se Historik); och alltid administratörer."
                ),
            },
        ),
        (
            _("Historik"),
            {"fields": ("created_by", "created_at", "updated_at"), "classes": ("collapse",)},
        ),
    )

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("hemlän"), ordering="county__code")
    def home_county(self, obj):
        return obj.county.short_name if obj.county else "–"
