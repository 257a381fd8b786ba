"""The OpenAPI 3 schema and its documentation page (Swagger UI from our own static files).

The schema at /api/v1/schema/ describes every field in Swedish and then in English (the
models' verbose names and help texts, and their translations); ``?lang=sv`` or ``?lang=en``
gives one language. It is public — it holds no data — and made once per process and language:
it depends on the code alone, and asking for it again costs nothing.
"""

import threading

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
TEXT_KEYS = ("title", "description", "summary")

DESCRIPTION = _(
    "Registret över de regionala tillväxtavtalen och deras uppföljning, för andra system. "
    "Bara läsning. Samma regler som på webbplatsen: en regional samordnare läser sitt läns "
    "register och rapporter, departementet alla läns register och de rapporter som skickats in "
    "(aldrig ett utkast). Ett annat läns objekt svarar 404, som ett som inte finns.\n\n"
    "Logga in med en personlig API-nyckel (skapas på Min profil): "
    "`Authorization: Bearer tva_…`. Listorna bläddras med markörer (`next`, `previous`; "
    "`page_size` högst 500). Belopp är kronor som decimaltal i text."
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "followup.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("En personlig API-nyckel, skapad på Min profil.")),
        }


def describe(result, generator, request, public):
    """Postprocessing hook: the API's description in the active language."""
    result["info"]["description"] = str(DESCRIPTION)
    return result


def _merged(swedish, english):
    """``swedish`` with each description, title and summary followed by its English."""
    if isinstance(swedish, dict) and isinstance(english, dict):
        return {
            key: (
                _both(value, english.get(key))
                if key in TEXT_KEYS and isinstance(value, str)
                else _merged(value, english.get(key))
            )
            for key, value in swedish.items()
        }
    if isinstance(swedish, list) and isinstance(english, list) and len(swedish) == len(english):
        return [_merged(a, b) for a, b in zip(swedish, english, strict=True)]
    return swedish


def _both(swedish: str, english) -> str:
    if not isinstance(english, str) or english == swedish:
        return swedish
    return f"{swedish}\n\nEnglish: {english}"


_schemas: dict[str, dict] = {}
_lock = threading.Lock()


def _generate(language: str) -> dict:
    with translation.override(language):
        return SchemaGenerator().get_schema(request=None, public=True)


def api_schema(language: str = "") -> dict:
    """The schema in ``language`` ("sv", "en"), or in both ("")."""
    with _lock:
        if language not in _schemas:
            if language:
                _schemas[language] = _generate(language)
            else:
                _schemas[language] = _merged(api_schema_unlocked("sv"), api_schema_unlocked("en"))
        return _schemas[language]


def api_schema_unlocked(language: str) -> dict:
    if language not in _schemas:
        _schemas[language] = _generate(language)
    return _schemas[language]


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema: YAML by default, JSON with ``?format=json`` or by ``Accept``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = request.GET.get("lang", "")
        if language not in LANGUAGES:
            language = ""
        filename = f"tillvaxtavtal-api{'-' + language if language else ''}"
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        return Response(
            data=api_schema(language),
            headers={"Content-Disposition": f'inline; filename="{filename}.{suffix}"'},
        )


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI: its script and styles from our static files, no inline script or style (the
    site's Content-Security-Policy). The init script is this page's address with ``?script``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = _("API för tillväxtavtalens uppföljning")
