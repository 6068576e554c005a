"""Public pages are cache-friendly: ETag and Last-Modified from when what the public
sees last changed (``publication.last_changed``), ``Cache-Control: public`` for
anonymous visitors, and a 304 when nothing changed."""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from portal.access import check_portal
from portal.publication import last_changed

#: How long a browser or proxy may keep a public page without asking again.
MAX_AGE = 300


def _changed(request):
    if not hasattr(request, "_portal_changed"):
        request._portal_changed = last_changed()
    return request._portal_changed


def _etag(request, *args, **kwargs):
    changed = _changed(request)
    key = "|".join(
        [
            request.get_full_path(),
            get_language() or settings.LANGUAGE_CODE,
            changed.isoformat() if changed else "-",
            settings.LEDMOT_MUNICIPALITY_NAME,
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return _changed(request)


def public_page(view):
    """A page of the public portal: 404 when the portal is off, conditional GET, and
    cache headers for anonymous visitors (signed-in users get ``no-store`` from
    ``NoStoreForSignedInMiddleware``). The language comes from a cookie, hence
    ``Vary: Cookie``."""

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        check_portal()
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
