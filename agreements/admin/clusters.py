"""Clusters with their actors and the links between them."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import (
    CountyScopedAdmin,
    CountyScopedInline,
    RowsOnTheAddPage,
    is_changelist,
    kept_rows,
)
from agreements.models import Cluster, ClusterActor, ClusterLink, Organisation


class ClusterActorInline(CountyScopedInline, admin.TabularInline):
    model = ClusterActor
    fields = ("organisation", "in_working_group", "part")
    autocomplete_fields = ("organisation",)
    extra = 3

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


def _organisation_choice(label):
    """An organisation picked as the cluster's actors are (searched, not listed)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=Organisation.objects.all(),
        widget=AutocompleteSelect(ClusterActor._meta.get_field("organisation"), admin.site),
    )


class LinkByOrganisationForm(forms.ModelForm):
    """A link names its two actors by their organisations, so actors added on the same page
    can be linked at once: a cluster is entered in one sitting."""

    from_organisation = _organisation_choice(_("Från aktör"))
    to_organisation = _organisation_choice(_("Till aktör"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for side in ("from", "to"):
            actor = getattr(self.instance, f"{side}_actor", None) if self.instance.pk else None
            if actor is not None:
                self.initial.setdefault(f"{side}_organisation", actor.organisation_id)


class LinkByOrganisationFormSet(forms.BaseInlineFormSet):
    """Each link's organisations must be actors on the page (also ones added now); a link
    from an actor to itself, or the same link twice, is told at its row."""

    actor_formset = None  # set by the cluster's admin when it builds the page's formsets

    def clean(self):
        super().clean()
        if self.actor_formset is None:
            return
        actors = {form.cleaned_data.get("organisation") for form in kept_rows(self.actor_formset)}
        seen = set()
        for form in kept_rows(self):
            pair = []
            for side in ("from_organisation", "to_organisation"):
                organisation = form.cleaned_data.get(side)
                if organisation is not None and organisation not in actors:
                    form.add_error(
                        side,
                        _("%(name)s är inte en aktör i klustret; lägg till den ovan.")
                        % {"name": organisation},
                    )
                pair.append(organisation)
            if pair[0] is not None and pair[0] == pair[1]:
                form.add_error(
                    "to_organisation", _("En länk kan inte gå från en aktör till sig själv.")
                )
            key = (*pair, form.cleaned_data.get("direction"))
            if key in seen:
                form.add_error(None, _("Den länken finns redan."))
            seen.add(key)


class ClusterLinkInline(RowsOnTheAddPage, CountyScopedInline, admin.TabularInline):
    model = ClusterLink
    form = LinkByOrganisationForm
    formset = LinkByOrganisationFormSet
    fields = (
        "from_organisation",
        "to_organisation",
        "direction",
        "goods",
        "services",
        "knowledge",
        "description",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("from_actor__organisation", "to_actor__organisation")
        )


@admin.register(Cluster)
class ClusterAdmin(CountyScopedAdmin):
    list_display = ("name", "county_short_name", "delimitation", "actor_count", "link_count")
    list_filter = ("delimitation", "county")
    list_select_related = ("county",)
    search_fields = ("name", "description", "county__name")
    autocomplete_fields = ("other_counties",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("county", "other_counties", "name", "delimitation", "description")}),
        (
            _("Bedömning"),
            {"fields": ("strengths", "weaknesses", "planned_measures", "lock_in_risk")},
        ),
        (_("Historik"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (ClusterActorInline, ClusterLinkInline)

    def _create_formsets(self, request, obj, change):
        """The links' rows are checked against the actors the same page adds."""
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        by_model = {formset.model: formset for formset in formsets}
        if ClusterLink in by_model:
            by_model[ClusterLink].actor_formset = by_model.get(ClusterActor)
        return formsets, inline_instances

    def save_formset(self, request, form, formset, change):
        if formset.model is ClusterLink:
            # The actors are saved by now (the inlines' order): organisations to actors.
            actors = {actor.organisation_id: actor for actor in form.instance.actors.all()}
            for row in kept_rows(formset):
                for side in ("from", "to"):
                    organisation = row.cleaned_data.get(f"{side}_organisation")
                    if organisation is not None and organisation.pk in actors:
                        setattr(row.instance, f"{side}_actor", actors[organisation.pk])
        return super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        if is_changelist(request):
            queryset = queryset.annotate(
                _actor_count=Count("actors", distinct=True),
                _link_count=Count("links", distinct=True),
            )
        return queryset

    @admin.display(description=_("aktörer"), ordering="_actor_count")
    def actor_count(self, obj):
        return getattr(obj, "_actor_count", None)

    @admin.display(description=_("länkar"), ordering="_link_count")
    def link_count(self, obj):
        return getattr(obj, "_link_count", None)


@admin.register(ClusterActor)
class ClusterActorAdmin(CountyScopedAdmin):
    list_display = ("organisation", "cluster", "county_short_name", "in_working_group", "part")
    list_filter = ("in_working_group", "cluster__county")
    list_select_related = ("organisation", "cluster__county")
    search_fields = ("organisation__name", "cluster__name")
    autocomplete_fields = ("cluster", "organisation")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(ClusterLink)
class ClusterLinkAdmin(CountyScopedAdmin):
    list_display = (
        "from_actor",
        "to_actor",
        "direction",
        "flows_display",
        "cluster",
        "county_short_name",
    )
    list_filter = ("direction", "goods", "services", "knowledge", "cluster__county")
    list_select_related = ("from_actor__organisation", "to_actor__organisation", "cluster__county")
    search_fields = (
        "from_actor__organisation__name",
        "to_actor__organisation__name",
        "cluster__name",
        "description",
    )
    autocomplete_fields = ("cluster", "from_actor", "to_actor")

    @admin.display(description=_("för med sig"))
    def flows_display(self, obj):
        return ", ".join(obj.flows)
