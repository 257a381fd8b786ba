"""Reading API tokens: a user's own, and the one a request presents."""

from django.db.models import QuerySet

from followup.models import ApiToken
from followup.models.tokens import PREFIX, active_tokens_q, token_digest

# Longer than any token we make: anything longer is not one, and is not hashed.
MAX_TOKEN_LENGTH = 100


def tokens_of(*, user) -> QuerySet:
    """The user's tokens, newest first, revoked ones too (they say when)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def active_token(*, raw: str) -> ApiToken | None:
    """The token ``raw`` is, with its user, if it is one that is not revoked (one query)."""
    if not raw.startswith(PREFIX) or len(raw) > MAX_TOKEN_LENGTH:
        return None
    return (
        ApiToken.objects.filter(active_tokens_q(), digest=token_digest(raw))
        .select_related("user")
        .first()
    )
