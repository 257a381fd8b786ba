"""The API's error answers in the site's language (Swedish, or English when chosen).

DRF's own messages are not used: its Swedish catalogue, once installed as an app, would take
precedence over Django's for the same English source strings and change the site's form errors
("Det här fältet är obligatoriskt." for Django's "Detta fält måste fyllas i."). So DRF is not an
installed app, and the few answers the API gives of its own are worded here.
"""

import math

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def _message(exc: exceptions.APIException) -> str | None:
    if isinstance(exc, exceptions.Throttled):
        seconds = max(1, math.ceil(exc.wait or 1))
        return _("För många anrop. Försök igen om %(seconds)d sekunder.") % {"seconds": seconds}
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Inloggning krävs: skicka en API-nyckel i huvudet Authorization: Bearer …")
    if isinstance(exc, exceptions.PermissionDenied):
        return _("Du har inte behörighet till API:et.")
    if isinstance(exc, exceptions.NotFound):
        return _("Hittades inte.")
    if isinstance(exc, exceptions.ParseError):
        return _("Ett värde i adressen kan inte användas.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("API:et kan bara läsas (GET).")
    if isinstance(exc, exceptions.NotAcceptable | exceptions.UnsupportedMediaType):
        return _("Formatet stöds inte; API:et svarar med JSON.")
    return None


def handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.APIException) and exc.detail == exc.default_detail:
        message = _message(exc)
        if message is not None:
            exc.detail = exceptions.ErrorDetail(message, code=exc.default_code)
    elif isinstance(exc, exceptions.Throttled):
        exc.detail = exceptions.ErrorDetail(_message(exc), code=exc.default_code)
    return exception_handler(exc, context)
