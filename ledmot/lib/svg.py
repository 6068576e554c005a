"""The few SVG building blocks shared by the charts and the annual wheel.

Presentation attributes only (no style attributes: the pages run under a strict
CSP), every text escaped, numbers written compactly so output is deterministic.
"""

import html
import re

from django.utils.safestring import SafeString, mark_safe

FONT = "DejaVu Sans, Arial, sans-serif"

# Characters XML 1.0 does not allow: removed so user text cannot break the document.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def num(x: float) -> str:
    """Coordinate with at most one decimal and no "-0"."""
    if type(x) is int:
        return str(x)
    s = f"{x:.1f}".removesuffix(".0")  # rounds as round(x, 1) does
    return "0" if s == "-0" else s


def text(value) -> str:
    """Escaped text for an SVG element or attribute (as Django's ``escape``, without its
    lazy-string wrapper: a chart escapes hundreds of attributes)."""
    return html.escape(XML_INVALID.sub("", str(value)))


def element(tag: str, content: str = "", **attrs) -> str:
    """One element; attribute names use ``_`` for ``-``; ``content`` is already markup."""
    attr = "".join(
        f' {key.replace("_", "-")}="{num(val) if isinstance(val, (float, int)) else text(val)}"'
        for key, val in attrs.items()
        if val is not None and val != ""
    )
    return f"<{tag}{attr}>{content}</{tag}>" if content else f"<{tag}{attr}/>"


def document(
    cid: str,
    title: str,
    desc: str,
    body: str,
    *,
    width: float,
    height: float,
    display_width: float | str = "100%",
    display_height: float | None = None,
    role: str = "img",
) -> SafeString:
    """The ``<svg>`` root of an accessible image: ``role="img"`` named by its title and
    description, the shared font, ``body`` (already markup) inside. An image holding
    links (a risk matrix) is a ``role="group"``: an img may not contain focusable parts."""
    head = element("title", text(title), id=f"{cid}-title") + element(
        "desc", text(desc), id=f"{cid}-desc"
    )
    svg = element(
        "svg",
        head + body,
        xmlns="http://www.w3.org/2000/svg",
        id=cid,
        width=display_width,
        height=display_height,
        viewBox=f"0 0 {num(width)} {num(height)}",
        role=role,
        aria_labelledby=f"{cid}-title {cid}-desc",
        font_family=FONT,
        font_size=12,
    )
    return mark_safe(svg)  # noqa: S308 - every text went through text()/escape()
