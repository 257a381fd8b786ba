"""Middleware of the project: the language, and no copies of pages in the browser's cache.

Language: Swedish unless the user has chosen English.

Django's LocaleMiddleware follows the browser's Accept-Language header, which would show an
English-configured browser a half-English admin. Here the language is the one chosen with
Django's set_language view (the language cookie), else settings.LANGUAGE_CODE ("sv").
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every response a view gives: pages, downloads
    (streamed ones too), redirects and error pages. After a logout, the browser's back button
    and its cache hold no page, workbook or CSV file of the register.

    Static files never come here: WhiteNoise, above this middleware, serves them with its own
    far-future caching (hashed names). The health endpoint and the login page carry no data
    of the register but are answered the same way; nothing of the site is meant to be cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
        return response
