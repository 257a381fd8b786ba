"""Users: who they are, their role and the counties they keep."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import (
    AccessMixin,
    is_changelist,
)
from core.roles import Role
from followup.models import (
    User,
)
from followup.services.users import role_county_problem


class UserAddForm(AdminUserCreationForm):
    """A new user with their role and, for a coordinator, their counties, in one page."""

    role = forms.ChoiceField(
        label=_("Roll"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Samordnare har ett eller flera län; handläggare och administratörer läser alla."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role:
            problem = role_county_problem(
                role=Role(role), has_counties=bool(cleaned.get("counties"))
            )
            if problem:
                self.add_error("counties", problem)
        return cleaned

    def save(self, commit=True):
        self.instance.is_staff = True  # every role signs in to the admin
        return super().save(commit=commit)

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.groups.add(Group.objects.get(name=self.cleaned_data["role"]))


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
    add_form = UserAddForm
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            _("Roll och län"),
            {"fields": ("role", "counties")},
        ),
        (
            _("Personuppgifter"),
            {"fields": ("first_name", "last_name", "email")},
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
