"""Clusters with their actors and the links between them."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import (
    CountyScopedAdmin,
    CountyScopedInline,
    is_changelist,
    object_id_from_request,
)
from agreements.models import Cluster, ClusterActor, ClusterLink


class ClusterActorInline(CountyScopedInline, admin.TabularInline):
    model = ClusterActor
    fields = ("organisation", "in_working_group", "part")
    autocomplete_fields = ("organisation",)
    extra = 3

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class ClusterLinkInline(CountyScopedInline, admin.TabularInline):
    model = ClusterLink
    fields = (
        "from_actor",
        "to_actor",
        "direction",
        "goods",
        "services",
        "knowledge",
        "description",
    )
    choices_once = ("from_actor", "to_actor")
    verbose_name_plural = _("länkar i kluster (spara nya aktörer först, så går de att välja här)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("from_actor__organisation", "to_actor__organisation")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("from_actor", "to_actor"):
            cluster_id = object_id_from_request(request)
            kwargs["queryset"] = (
                ClusterActor.objects.filter(cluster_id=cluster_id).select_related("organisation")
                if cluster_id
                else ClusterActor.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
