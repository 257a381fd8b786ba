"""Personal API tokens: ``Authorization: Bearer tva_…``."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from followup.selectors.tokens import active_token
from followup.services.tokens import api_token_note_use

KEYWORD = b"bearer"


class ApiTokenAuthentication(BaseAuthentication):
    """A request that presents a token is the token's user's; a token that is wrong, revoked
    or belongs to a deactivated user answers 401 (the same answer for each). A request without
    one is left to the next authentication (the session)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel.")) from None
        token = active_token(raw=raw)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel."))
        api_token_note_use(token=token, now=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
