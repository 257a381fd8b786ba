"""API tokens in the admin: administrators see whose tokens exist, when they were last used,
and revoke one that has leaked. Nobody reads a token here (only its digest is stored), and
nobody makes one here: each user makes their own on their profile page."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from followup.models import ApiThrottleWindow, ApiToken
from followup.services.tokens import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: the security log names tokens by their id

    @admin.action(description=_("Återkalla markerade API-nycklar"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(
            api_token_revoke(token=token, by=request.user)
            for token in queryset.filter(revoked_at__isnull=True)
        )
        self.message_user(
            request,
            ngettext("%(n)d API-nyckel återkallad.", "%(n)d API-nycklar återkallade.", revoked)
            % {"n": revoked},
            messages.SUCCESS,
        )


@admin.register(ApiThrottleWindow)
class ApiThrottleWindowAdmin(admin.ModelAdmin):
    """Requests per caller and window: who uses the API how much, right now."""

    list_display = ("key", "window_start", "requests")
    ordering = ("-window_start", "key")
    readonly_fields = ("key", "window_start", "requests")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
