"""Following the links a page offers, as the user who sees it (issue 11, point 8: a
link is never offered to a page that answers 403 for that user).

``page_links(html)`` collects the page's own links (``href`` of ``<a>``, plus htmx
``hx-get``), and ``broken_links(client, url)`` renders ``url`` with the client's user
and GETs each of them, returning those that answer 403, 404 or 500. Downloads (Excel,
PDF) are followed too: a link to one that refuses the user is as broken as a page.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

#: What is not a page of the app: Django's admin has its own permission model,
#: static files and the login/logout flow are not access-checked pages.
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/logga-ut/", "/i18n/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "hx-get") if tag == "a" else ("hx-get",):
            if attrs.get(name):
                self.links.append(attrs[name])


def page_links(html: str) -> list[str]:
    """The page's own links (same site, without fragment), once each, in page order."""
    parser = _Links()
    parser.feed(html)
    out = []
    for link in parser.links:
        link = urldefrag(link).url
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not link.startswith("/"):
            continue
        if link.startswith(SKIPPED_PREFIXES) or link in out:
            continue
        out.append(link)
    return out


def broken_links(
    client, url: str, *, statuses=(403, 404, 500), seen: dict[str, int] | None = None
) -> list[tuple[str, int]]:
    """The links on ``url`` that answer one of ``statuses`` to the client's user.
    ``seen`` (link → status) lets several pages of one user share the links they have
    in common (the menu), each followed once."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    seen = {} if seen is None else seen
    broken = []
    for link in page_links(page.content.decode()):
        if link not in seen:
            seen[link] = client.get(link).status_code
        if seen[link] in statuses:
            broken.append((link, seen[link]))
    return broken
