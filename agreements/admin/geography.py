"""Counties and municipalities: reference data, read-mostly."""

import datetime

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import AccessMixin
from agreements.models import County, Municipality


@admin.register(County)
class CountyAdmin(AccessMixin, admin.ModelAdmin):
    list_display = ("code", "iso_letter", "name", "name_en", "short_name", "municipality_count")
    list_display_links = ("code", "name")
    search_fields = ("code", "iso_letter", "name", "name_en", "short_name")
    ordering = ("code",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_municipality_count=Count("municipalities"))

    @admin.display(description=_("kommuner"), ordering="_municipality_count")
    def municipality_count(self, obj):
        url = reverse("admin:agreements_municipality_changelist")
        return format_html(
            '<a href="{}?county__id__exact={}">{}</a>', url, obj.pk, obj._municipality_count
        )


class ValidityFilter(admin.SimpleListFilter):
    title = _("giltighet")
    parameter_name = "giltig"

    def lookups(self, request, model_admin):
        return [("idag", _("Finns idag")), ("upphord", _("Upphörd"))]

    def queryset(self, request, queryset):
        if self.value() == "idag":
            return queryset.valid_today()
        if self.value() == "upphord":
            return queryset.filter(valid_to__lt=datetime.date.today())
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(AccessMixin, admin.ModelAdmin):
    list_display = ("code", "name", "official_name", "county", "valid_from", "valid_to")
    list_display_links = ("code", "name")
    list_filter = (ValidityFilter, "county")
    list_select_related = ("county",)
    search_fields = ("code", "name", "official_name", "county__name")
    ordering = ("code",)
    list_per_page = 100
