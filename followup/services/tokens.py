"""Personal API tokens: made, revoked, and counted per window by the API's throttle.

A token is ``tva_`` and 43 random URL-safe characters (256 bits). It is returned once, by
``api_token_create``; the database keeps its SHA-256 digest and its first characters. Each
step is written to the security log (``core.security``) with the token's id, never the token.
"""

import datetime
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.refusals import WriteRefused
from core.security import escaped, logger
from followup.models import ApiThrottleWindow, ApiToken
from followup.models.tokens import PREFIX, active_tokens_q, token_digest

SHOWN_CHARACTERS = 8  # after the prefix: enough to tell a user's tokens apart


class TokenRefused(WriteRefused):
    """A token that cannot be made as asked; the message says why, in Swedish."""


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``, named ``name``: the row and the token itself, which is shown
    to the user once and never stored. A user holds at most ``API_TOKENS_PER_USER`` tokens
    that are not revoked."""
    active = ApiToken.objects.filter(active_tokens_q(), user=user).count()
    if active >= settings.API_TOKENS_PER_USER:
        raise TokenRefused(
            _(
                "Du har redan %(n)d API-nycklar. Återkalla en som inte används innan du "
                "skapar en ny."
            )
            % {"n": active}
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[: len(PREFIX) + SHOWN_CHARACTERS],
        digest=token_digest(raw),
    )
    token.full_clean()
    token.save()
    logger.info(
        "api-token-created user=%s token=%s name=%s",
        escaped(user.get_username()),
        token.pk,
        escaped(token.name),
    )
    return token, raw


def api_token_revoke(*, token: ApiToken, by) -> bool:
    """Revoke ``token`` (its owner, or an administrator in the admin); False when it already
    was. The row stays, so the security log's token ids still name a token."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        logger.info(
            "api-token-revoked user=%s token=%s by=%s",
            escaped(token.user.get_username()),
            token.pk,
            escaped(by.get_username()),
        )
    return bool(revoked)


# Last use is recorded to this resolution: not a write on every request.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_note_use(*, token: ApiToken, now: datetime.datetime) -> None:
    """Record that ``token`` was used at ``now`` (to the minute)."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def api_throttle_hit(*, key: str, window_start: datetime.datetime) -> int:
    """Count one request of caller ``key`` in the window starting at ``window_start``; the
    number of requests counted in that window, this one included.

    An UPDATE that adds one is atomic in every database, so two workers never lose a count.
    The first request of a window inserts its row (a competing insert meets the unique
    constraint and adds one instead) and removes the caller's older windows, so the table holds
    about one row per active caller.
    """
    window = ApiThrottleWindow.objects.filter(key=key, window_start=window_start)
    if not window.update(requests=F("requests") + 1):
        try:
            with transaction.atomic():
                ApiThrottleWindow.objects.create(key=key, window_start=window_start, requests=1)
        except IntegrityError:
            window.update(requests=F("requests") + 1)
        else:
            ApiThrottleWindow.objects.filter(key=key, window_start__lt=window_start).delete()
            return 1
    return window.values_list("requests", flat=True).get()
