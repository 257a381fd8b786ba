"""Throttling per token: ``API_THROTTLE_RATE`` requests per period, counted in the database.

DRF's own throttles keep their history in the cache, which is local memory per process here;
with five workers a caller would get five times the rate, and a read-then-write history loses
counts under concurrency. Here each request adds one to its caller's window in one atomic
UPDATE (``followup.services.tokens.api_throttle_hit``): every worker and every app server on the
same database counts the same requests. Windows are fixed (one minute for ``…/min``).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from followup.models import ApiToken
from followup.services.tokens import api_throttle_hit


def caller_key(request) -> str | None:
    """The token a request presents, else its signed-in user; None for anyone else."""
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return None


class TokenRateThrottle(BaseThrottle):
    def __init__(self):
        self.wait_seconds: float | None = None

    def allow_request(self, request, view):
        key = caller_key(request)
        rate = settings.API_THROTTLE_RATE
        if key is None or not rate:
            return True
        limit, period = SimpleRateThrottle.parse_rate(None, rate)
        now = timezone.now()
        seconds = int(now.timestamp())
        start = seconds - seconds % period
        window_start = datetime.datetime.fromtimestamp(start, tz=datetime.UTC)
        if api_throttle_hit(key=key, window_start=window_start) <= limit:
            return True
        self.wait_seconds = start + period - now.timestamp()
        return False

    def wait(self):
        return self.wait_seconds
