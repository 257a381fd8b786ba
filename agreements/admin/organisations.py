"""Actors: organisations and their kinds."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import AccessMixin, AuditedAdmin
from agreements.models import Organisation, OrganisationKind


@admin.register(OrganisationKind)
class OrganisationKindAdmin(AccessMixin, admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("name", "code")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    """Organisations are shared by all counties (a company can work in several)."""

    list_display = ("name", "kind", "org_number", "home_county", "municipality", "updated_at")
    list_filter = ("kind", "county")
    list_select_related = ("kind", "county", "municipality")
    search_fields = ("name", "org_number", "municipality__name")
    autocomplete_fields = ("municipality",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "kind", "org_number")}),
        (
            _("Hemort"),
            {
                "fields": ("county", "municipality"),
                "description": _("Anges kommunen men inte länet fylls länet i automatiskt."),
            },
        ),
        (_("Historik"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    @admin.display(description=_("hemlän"), ordering="county__code")
    def home_county(self, obj):
        return obj.county.short_name if obj.county else "–"
