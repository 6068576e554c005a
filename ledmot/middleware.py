from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language with the language switcher.

    A municipal workplace often has browsers set to English; the interface must
    still open in Swedish, so the Accept-Language header is not consulted.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in user receives is kept by the browser or a cache.

    Municipal computers are shared: after one person signs out, the next must not
    find that person's pages, fragments or downloaded Excel/PDF files in the browser's
    cache or its back button. Every response to a signed-in user therefore says
    ``Cache-Control: no-store`` (with ``private``, ``no-cache`` and ``max-age=0``).
    Static files are answered by whitenoise before this middleware and keep their
    long cache; responses to anonymous visitors are left as their views made them
    (Django's sign-in page is never cached anyway).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
