"""The security log: logins, failed logins, lockouts and access denials.

Never a password or a session id: only the username, the client address and the request path,
with control characters escaped so a crafted path cannot forge log lines.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("core.security")


def escaped(text) -> str:
    """Printable text as it is; control and other non-printable characters as \\xNN / \\uNNNN."""
    out = []
    for char in str(text or ""):
        if char.isprintable() and char != "\\":
            out.append(char)
        elif char == "\\":
            out.append("\\\\")
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def client_address(request) -> str:
    if request is None:
        return "-"
    return escaped(request.META.get("REMOTE_ADDR", "-"))


def _path(request) -> str:
    return escaped(request.path) if request is not None else "-"


@receiver(user_logged_in, dispatch_uid="security-login")
def log_login(sender, request, user, **kwargs):
    logger.info(
        "login user=%s addr=%s path=%s",
        escaped(user.get_username()),
        client_address(request),
        _path(request),
    )


@receiver(user_logged_out, dispatch_uid="security-logout")
def log_logout(sender, request, user, **kwargs):
    name = user.get_username() if user is not None else "-"
    logger.info("logout user=%s addr=%s", escaped(name), client_address(request))


@receiver(user_login_failed, dispatch_uid="security-login-failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password replaced by Django, but only the username is logged.
    logger.warning(
        "login-failed user=%s addr=%s path=%s",
        escaped(credentials.get("username", "-")),
        client_address(request),
        _path(request),
    )


@receiver(user_locked_out, dispatch_uid="security-locked-out")
def log_locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning(
        "locked-out user=%s addr=%s path=%s",
        escaped(username),
        escaped(ip_address),
        _path(request),
    )


class AccessDeniedLogMiddleware:
    """Logs every 403 (and the 429 of a lockout) with who, from where and which path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 429):
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            logger.warning(
                "access-denied status=%s user=%s addr=%s method=%s path=%s",
                response.status_code,
                escaped(name),
                client_address(request),
                escaped(request.method),
                _path(request),
            )
        return response
