"""Who may call the API: as the review site, anyone with a role (each sees what it may)."""

from rest_framework.permissions import BasePermission

from core import access


class HasRole(BasePermission):
    """Signed in (else 401) and holding a role (else 403), as the site's ``role_required``."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and access.has_role(
            request.user
        )
