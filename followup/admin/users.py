"""Users: who they are, their role and the counties they keep."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import (
    AccessMixin,
    is_changelist,
)
from followup.models import (
    User,
)


@admin.register(User)
class UserAdmin(AccessMixin, BaseUserAdmin):
    """Django's user admin plus the counties a regional coordinator keeps."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Län"),
            {
                "fields": ("counties",),
                "description": _("De län användaren är regional samordnare för."),
            },
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            _("Personuppgifter och län"),
            {"fields": ("first_name", "last_name", "email", "counties")},
        ),
    )
    filter_horizontal = ("groups", "user_permissions", "counties")
    list_display = ("username", "full_name", "email", "county_list", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "counties")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_changelist(request):
            queryset = queryset.prefetch_related("counties")
        return queryset

    @admin.display(description=_("namn"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("län"))
    def county_list(self, obj):
        return ", ".join(county.short_name for county in obj.counties.all()) or "–"
