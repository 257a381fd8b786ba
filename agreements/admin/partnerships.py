"""Partnerships and their members."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import CountyScopedAdmin, CountyScopedInline, is_changelist
from agreements.models import Partnership, PartnershipMember
from agreements.models.partnerships import MEMBER_ROLE_ORDER


class PartnershipMemberInline(CountyScopedInline, admin.TabularInline):
    model = PartnershipMember
    fields = ("organisation", "role", "start_date", "end_date")
    autocomplete_fields = ("organisation",)
    extra = 3

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "partnership")
            .order_by(MEMBER_ROLE_ORDER.asc(), "organisation__name", "pk")  # the chair first
        )


@admin.register(Partnership)
class PartnershipAdmin(CountyScopedAdmin):
    list_display = (
        "name",
        "county_short_name",
        "level",
        "kind",
        "municipality",
        "agreement",
        "member_count",
    )
    list_filter = ("level", "kind", "county")
    list_select_related = ("county", "municipality", "agreement__county")
    search_fields = ("name", "description", "municipality__name", "county__name")
    autocomplete_fields = ("agreement", "municipality")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("county", "name", "agreement")}),
        (
            _("Typ"),
            {
                "fields": ("level", "kind", "municipality"),
                "description": _(
                    "Representerande partnerskap är formella och beslutar; agerande genomför "
                    "arbetet. Lokala partnerskap ska ha en kommun."
                ),
            },
        ),
        (None, {"fields": ("description",)}),
        (_("Historik"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (PartnershipMemberInline,)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        if is_changelist(request):
            queryset = queryset.annotate(_member_count=Count("members"))
        return queryset

    @admin.display(description=_("medlemmar"), ordering="_member_count")
    def member_count(self, obj):
        return getattr(obj, "_member_count", None)


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(CountyScopedAdmin):
    list_display = (
        "organisation",
        "partnership",
        "county_short_name",
        "role",
        "start_date",
        "end_date",
    )
    list_filter = ("role", "partnership__level", "partnership__county")
    list_select_related = ("organisation", "partnership__county")
    search_fields = ("organisation__name", "partnership__name")
    autocomplete_fields = ("partnership", "organisation")
