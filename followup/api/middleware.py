"""Every API call in the security log (``core.security``): who, with which token (its id,
never the token), from where, what, and the answer. Refused calls (401, 403, 404, 429) too."""

from core.security import client_address, escaped, logger
from followup.models import ApiToken

API_PREFIX = "/api/"


class ApiCallLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            # DRF sets the user and the token it authenticated on the request it wraps.
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            token = getattr(request, "auth", None)
            logger.info(
                "api status=%s user=%s token=%s addr=%s method=%s path=%s",
                response.status_code,
                escaped(name),
                token.pk if isinstance(token, ApiToken) else "-",
                client_address(request),
                escaped(request.method),
                escaped(request.path),
            )
        return response
