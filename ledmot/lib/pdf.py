"""PDF rendering with WeasyPrint: Django templates in, PDF bytes out, nothing fetched.

``render_pdf(template_name, context)`` renders a template (which extends
``pdf/base.html``) and lays it out with WeasyPrint. Every resource the document
asks for goes through :class:`StaticOnlyFetcher`, which serves the app's own
static files (the print stylesheet, the logo) from disk and refuses every other
URL — ``file:``, ``http:``, ``https:``, ``data:``, ``ftp:`` and the app's own pages
alike — so text typed by a user can never make a report read a file, reach the
network, or embed anything. User text is escaped by the template engine as on
every screen.

PDF/A-3u (``pdfa=True``) is for the archive (arkivbeständigt format).
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The document's base URL. It names no real host: relative and root-relative URLs
# (``{% static %}`` gives ``/static/…``) resolve against it, and the fetcher maps the
# static ones to files. Nothing is ever requested from it.
BASE_URL = "https://ledmot.invalid/"
LOGO_URL = BASE_URL + "_ledmot/logo"
# Images made by the app for this document (charts): ``image_url(key)``.
IMAGE_PREFIX = BASE_URL + "_ledmot/image/"
PDFA_VARIANT = "pdf/a-3u"

_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class RefusedURL(ValueError):
    """A URL the report may not fetch. WeasyPrint leaves the resource out."""


def image_url(key: str) -> str:
    return IMAGE_PREFIX + key


class StaticOnlyFetcher(URLFetcher):
    """Serves ``BASE_URL/static/…`` from the static files, the configured logo and
    the images the app made for this document (``images``: key → SVG text, e.g. the
    trend charts, drawn as images so that one chart shown under several goals is
    parsed once); refuses everything else. ``refused`` lists what was refused."""

    def __init__(self, images: dict[str, str] | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.refused: list[str] = []
        self.images = images or {}

    def fetch(self, url, headers=None):
        if url.startswith(IMAGE_PREFIX) and url[len(IMAGE_PREFIX) :] in self.images:
            body = self.images[url[len(IMAGE_PREFIX) :]]
            return URLFetcherResponse(url, body.encode(), {"Content-Type": "image/svg+xml"})
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            logger.info("PDF: refused to fetch %r", url[:200])
            raise RefusedURL(f"not fetched: {url[:200]}")
        mime = _TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    def _local_path(self, url: str) -> Path | None:
        if not url.startswith(BASE_URL):
            return None
        if url == LOGO_URL:
            return logo_path()
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            return None
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not parts.path.startswith(static_prefix):
            return None
        name = unquote(parts.path[len(static_prefix) :])
        normal = posixpath.normpath(name)
        if normal != name or normal.startswith(("/", "..")) or "\\" in name or "\0" in name:
            return None
        if Path(normal).suffix.lower() not in _TYPES:
            return None
        return _static_file(normal)


def _static_file(name: str) -> Path | None:
    """The file behind a static name: collected files first (production, hashed
    names), then the finders (development)."""
    root = Path(settings.STATIC_ROOT) if settings.STATIC_ROOT else None
    if root is not None:
        candidate = (root / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(root.resolve()):
            return candidate
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # pragma: no cover - a remote storage
        return None
    return None


def logo_path() -> Path | None:
    """The municipality's logo for report covers: ``LEDMOT_REPORT_LOGO`` (a file path
    set by the administrator) or LedMot's own mark."""
    configured = getattr(settings, "LEDMOT_REPORT_LOGO", "")
    if configured:
        path = Path(configured)
        return path if path.is_file() and path.suffix.lower() in _TYPES else None
    return _static_file("img/ledmot.svg")


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, {"logo_url": LOGO_URL, **context})


def render_pdf(
    template_name: str,
    context: dict,
    *,
    pdfa: bool = False,
    images: dict[str, str] | None = None,
    fetcher: StaticOnlyFetcher | None = None,
) -> bytes:
    """The template rendered to PDF bytes. ``images`` are the app's own images the
    template refers to with :func:`image_url`; ``fetcher`` may be passed to inspect
    what was refused afterwards (tests)."""
    html = render_html(template_name, context)
    return html_to_pdf(html, pdfa=pdfa, fetcher=fetcher or StaticOnlyFetcher(images))


def layout(html: str, *, images: dict[str, str] | None = None, fetcher=None):
    """The laid-out document (pages known) before it is written; see :func:`write`."""
    fetcher = fetcher or StaticOnlyFetcher(images)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()


def write(document, *, pdfa: bool = False) -> bytes:
    options = {"pdf_variant": PDFA_VARIANT} if pdfa else {}
    return document.write_pdf(**options)


def html_to_pdf(
    html: str, *, pdfa: bool = False, fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    return write(layout(html, fetcher=fetcher), pdfa=pdfa)
