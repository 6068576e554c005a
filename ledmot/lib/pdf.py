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

A long document (the municipality's report: hundreds of pages) is laid out in parts
by :func:`write_in_parts`, so that only one part's boxes are in memory at a time;
the parts are joined into one PDF with the page numbers, contents, links and
bookmarks running across them as if it had been laid out at once.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML, Document
from weasyprint.matrix import Matrix
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The document's base URL. It names no real host: relative and root-relative URLs
# (``{% static %}`` gives ``/static/…``) resolve against it, and the fetcher maps the
# static ones to files. Nothing is ever requested from it.
BASE_URL = "https://ledmot.invalid/"
LOGO_URL = BASE_URL + "_ledmot/logo"
# Images made by the app for this document (charts): ``image_url(key)``.
IMAGE_PREFIX = BASE_URL + "_ledmot/image/"
# Every report PDF is tagged (issue 18): PDF/UA-1 (a structure tree, the document's
# language and title, headings, tables with header cells, figures with their text);
# for the archive PDF/A-3a, PDF/A's level "accessible", which is tagged as well.
UA_VARIANT = "pdf/ua-1"
PDFA_VARIANT = "pdf/a-3a"

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
        # The caller's dict, not a copy: a document laid out in parts adds to it.
        self.images = images if images is not None else {}

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


def write(document, *, pdfa: bool = False, tagged: bool = True) -> bytes:
    """``tagged=False``: a PDF without structure, for content that is drawn onto the
    pages of a tagged one as an artifact (the page numbers of :func:`write_in_parts`)."""
    if not tagged:
        return document.write_pdf()
    return document.write_pdf(pdf_variant=PDFA_VARIANT if pdfa else UA_VARIANT, pdf_tags=True)


def html_to_pdf(
    html: str,
    *,
    pdfa: bool = False,
    fetcher: StaticOnlyFetcher | None = None,
    tagged: bool = True,
) -> bytes:
    return write(layout(html, fetcher=fetcher), pdfa=pdfa, tagged=tagged)


# --------------------------------------------------------------------------- in parts

# CSS pixels to PDF points (72 / 96), as WeasyPrint writes them.
_SCALE = 0.75


@dataclass
class _Page:
    """What the joined document needs of a laid-out page once its boxes are gone
    (the attributes ``Document.make_bookmark_tree`` reads)."""

    height: float
    bookmarks: list
    links: list  # (anchor, (x1, y1, x2, y2)): links to anchors of other parts


@dataclass
class _Part:
    data: bytes
    pages: list[_Page]
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)


def _written_part(document, *, pdfa: bool) -> _Part:
    """The part written to PDF, and what it leaves for the joined document: its
    anchors (page index, x, y), bookmarks and links to anchors elsewhere."""
    own = {name for page in document.pages for name in page.anchors}
    part = _Part(data=b"", pages=[])
    for i, page in enumerate(document.pages):
        for name, (x, y, _w, _h) in page.anchors.items():
            part.anchors.setdefault(name, (i, x, y))
        elsewhere = [link for link in page.links if link[0] == "internal" and link[1] not in own]
        # Made in the joined document (WeasyPrint would drop them as missing anchors).
        page.links = [link for link in page.links if link not in elsewhere]
        links = [(target, rect) for _kind, target, rect, _box in elsewhere]
        part.pages.append(_Page(page.height, page.bookmarks, links))
    part.data = write(document, pdfa=pdfa)
    return part


def write_in_parts(
    front: Callable[[Callable[[str], int]], str],
    body: Iterable[str],
    *,
    images: dict[str, str] | None = None,
    pdfa: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """One PDF (bytes, pages) laid out part by part, in bounded memory.

    ``body`` yields the HTML of each part after the first pages (each part begins
    on a new page; it may be built as it is asked for); ``front(page_of)`` gives
    the HTML of the first pages (cover, contents), with ``page_of(anchor)`` the page
    number an anchor of the body lands on. The parts are rendered with
    ``parts=True`` in the base template's context (see :func:`render_html`): no page
    number in the footer, as the footer's "page X of Y" is added across the joined
    document (``pdf/page_numbers.html``). Links from the front to the body, the
    bookmarks and the named destinations are made for the joined document.
    ``progress(n)`` is called after each body part."""
    # What exists before the parts (Django, the report's data) is not garbage: frozen,
    # the collection after each part looks at that part's objects only.
    gc.freeze()
    try:
        return _write_in_parts(front, body, images=images, pdfa=pdfa, progress=progress)
    finally:
        gc.unfreeze()


def _write_in_parts(front, body, *, images, pdfa, progress) -> tuple[bytes, int]:
    fetcher = StaticOnlyFetcher(images)
    parts: list[_Part] = []
    for n, html in enumerate(body, start=1):
        parts.append(_written_part(layout(html, fetcher=fetcher), pdfa=pdfa))
        del html
        gc.collect()  # the part's boxes are cyclic: free them before the next one
        if progress:
            progress(n)
    anchors: dict[str, tuple[int, float, float]] = {}
    offset = 0
    for part in parts:
        for name, (i, x, y) in part.anchors.items():
            anchors.setdefault(name, (offset + i, x, y))
        offset += len(part.pages)

    # The front's length moves every page number it prints: lay it out until the
    # numbers it assumed are the ones it gets (the second time, nearly always).
    front_pages = 0
    for _attempt in range(4):
        html = front(lambda name, f=front_pages: f + anchors[name][0] + 1)
        document = layout(html, fetcher=fetcher)
        if len(document.pages) == front_pages:
            break
        front_pages = len(document.pages)
    first = _written_part(document, pdfa=pdfa)
    del document
    gc.collect()
    parts.insert(0, first)
    total = sum(len(p.pages) for p in parts)
    all_anchors = {name: (i, x, y) for name, (i, x, y) in first.anchors.items()}
    for name, (i, x, y) in anchors.items():
        all_anchors.setdefault(name, (front_pages + i, x, y))
    return _join(parts, all_anchors, total), total


def _join(parts: list[_Part], anchors: dict, total: int) -> bytes:
    """The parts as one PDF: the first part's catalogue and metadata (PDF/A's
    included), every part's pages, the page numbers drawn over them, and the
    links, bookmarks and named destinations of the whole.

    Joined with qpdf (pikepdf), whose objects cost a fraction of pure-Python ones:
    the joined municipality's report at four times large is 45 MB of PDF, which
    pypdf held as 700 MB of objects."""
    numbers = pikepdf.open(
        io.BytesIO(
            html_to_pdf(render_html("pdf/page_numbers.html", {"pages": range(total)}), tagged=False)
        )
    )
    if len(numbers.pages) != total:  # pragma: no cover - the template makes one per page
        raise RuntimeError(f"{len(numbers.pages)} sidnummersidor för {total} sidor")
    _retag_fonts(numbers, len(parts))

    pdf = pikepdf.open(io.BytesIO(parts[0].data))
    parts[0].data = b""
    structure = _Structure(pdf)
    for n, part in enumerate(parts[1:], start=1):
        source = pikepdf.open(io.BytesIO(part.data))
        _retag_fonts(source, n)
        first = len(pdf.pages)
        pdf.pages.extend(source.pages)
        structure.add_part(source, list(pdf.pages)[first:])
        part.data = b""

    written = list(pdf.pages)
    save = pdf.make_stream(b"q\n")  # one stream for every page
    for i, (page, number) in enumerate(zip(written, numbers.pages, strict=True)):
        if structure.tagged:
            _as_artifact(number)
        _draw_over(pdf, page, number, save, pikepdf.Name(f"/LedmotPage{i + 1}"))
    del numbers
    refs = [page.obj for page in written]
    pages = [page for part in parts for page in part.pages]

    def dest(i, x, y):
        x, y = Matrix(a=_SCALE, d=-_SCALE, f=pages[i].height * _SCALE).transform_point(x, y)
        return pikepdf.Array([refs[i], pikepdf.Name.XYZ, x, y, 0])

    for i, page in enumerate(pages):
        for name, rect in page.links:
            if name not in anchors:
                continue
            matrix = Matrix(a=_SCALE, d=-_SCALE, f=page.height * _SCALE)
            x1, y1 = matrix.transform_point(*rect[:2])
            x2, y2 = matrix.transform_point(*rect[2:])
            annotation = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[x1, y1, x2, y2],
                    BS=pikepdf.Dictionary(W=0),
                    F=4,  # printed (PDF/A)
                    Dest=dest(*anchors[name]),
                    Contents=pikepdf.String(_("Gå till sidan %(n)s") % {"n": anchors[name][0] + 1}),
                )
            )
            if "/Annots" not in refs[i]:
                refs[i].Annots = pikepdf.Array()
            refs[i].Annots.append(annotation)
            structure.add_link(annotation, refs[i])

    names = pikepdf.Array()
    for name in sorted(anchors):
        names.extend([pikepdf.String(name), dest(*anchors[name])])
    root = pdf.Root
    if "/Names" not in root:
        root.Names = pikepdf.Dictionary()
    root.Names.Dests = pikepdf.Dictionary(Names=names)

    structure.finish()
    if "/Outlines" in root:
        del root.Outlines
    tree = Document.make_bookmark_tree(_Bookmarks(pages), scale=_SCALE, transform_pages=True)
    with pdf.open_outline() as outline:
        outline.root.extend(_outline_items(tree))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _draw_over(pdf: pikepdf.Pdf, page: pikepdf.Page, number: pikepdf.Page, save, name) -> None:
    """``number`` (a page of another PDF) drawn over ``page`` as a form XObject: the
    page's content is left as it is (not parsed and rewritten), between ``q`` (the
    stream ``save``) and ``Q``, so that the number is drawn in the default graphics
    state. ``name``: the form's name in the resources, which the pages of a part
    share."""
    form = pdf.copy_foreign(number.as_form_xobject())
    page.add_resource(form, pikepdf.Name.XObject, name)
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    page.obj.Contents = pikepdf.Array(
        [save, *streams, pdf.make_stream(b"Q q " + bytes(name) + b" Do Q\n")]
    )


class _Structure:
    """The joined document's structure tree (tags): the first part's, with every later
    part's elements appended to its ``Document`` element in order, their pages' and
    annotations' keys into the parent tree moved past those already there, so a
    screen reader reads the parts as one document. The page numbers drawn over the
    pages are artifacts; the links made across parts get ``Link`` elements."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        root = pdf.Root.get("/StructTreeRoot")
        self.tagged = root is not None
        if root is None:
            return
        self.root = root
        self.document = _first_element(root)
        self.nums = root.ParentTree.Nums
        self.next_key = _next_key(self.nums)

    def add_part(self, source: pikepdf.Pdf, added: list[pikepdf.Page]) -> None:
        """``added``: the part's pages as copied into the joined document (qpdf maps
        every later reference to them, from the part's elements, to the copies)."""
        tree = source.Root.get("/StructTreeRoot")
        if not self.tagged or tree is None:
            return
        offset = self.next_key
        for page in added:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        document = _first_element(tree)
        # Copied without the way up to the part's own root, then hung under ours.
        del document.P
        for kid in _kids(self.pdf.copy_foreign(document)):
            kid.P = self.document
            self.document.K.append(kid)
        nums = tree.ParentTree.Nums
        values = self.pdf.copy_foreign(source.make_indirect(pikepdf.Array(nums[1::2])))
        for key, value in zip(nums[::2], values, strict=True):
            self.nums.extend([int(key) + offset, value])
        self.next_key = max(self.next_key, _next_key(nums) + offset)

    def add_link(self, annotation: pikepdf.Object, page: pikepdf.Object) -> None:
        """A ``Link`` element for a link annotation made in the joined document."""
        if not self.tagged:
            return
        element = self.pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem,
                S=pikepdf.Name.Link,
                P=self.document,
                Pg=page,
                K=pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=page),
            )
        )
        annotation.StructParent = self.next_key
        self.nums.extend([self.next_key, element])
        self.document.K.append(element)
        self.next_key += 1

    def finish(self) -> None:
        if self.tagged:
            self.root.ParentTreeNextKey = self.next_key


def _first_element(root: pikepdf.Object) -> pikepdf.Object:
    kids = root.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _kids(element: pikepdf.Object) -> list:
    kids = element.get("/K", pikepdf.Array())
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _next_key(nums) -> int:
    return max((int(k) for k in nums[::2]), default=-1) + 1


def _as_artifact(page: pikepdf.Page) -> None:
    """Mark all of ``page``'s content as an artifact (page furniture a screen reader
    skips), before it is drawn over a page of a tagged document."""
    page.contents_coalesce()
    contents = page.obj.Contents
    contents.write(b"/Artifact BMC\n" + contents.read_bytes() + b"\nEMC\n")


def _retag_fonts(pdf: pikepdf.Pdf, n: int) -> None:
    """Each part embeds its own subsets of the fonts under WeasyPrint's name for the
    font (``ABCDEF+DejaVu-Sans``); subsets that differ must have different tags in
    one PDF, or a reader may draw one part's text with another part's glyphs."""
    for page in list(pdf.pages)[:1]:  # WeasyPrint's pages share one resource dictionary
        fonts = page.obj.Resources.get("/Font", {})
        for key in list(fonts.keys()):
            font = fonts[key]
            names = []
            for f in [font, *font.get("/DescendantFonts", [])]:
                names.append((f, "/BaseFont"))
                if "/FontDescriptor" in f:
                    names.append((f.FontDescriptor, "/FontName"))
            for obj, key_ in names:
                tag, plus, name = str(obj[key_]).lstrip("/").partition("+")
                if plus:
                    digest = hashlib.md5(f"{tag}{n}".encode(), usedforsecurity=False).digest()
                    tag = "".join(chr(65 + b % 26) for b in digest[:6])
                    obj[key_] = pikepdf.Name(f"/{tag}+{name}")


@dataclass
class _Bookmarks:
    pages: list[_Page]


def _outline_items(tree) -> list[pikepdf.OutlineItem]:
    items = []
    for label, (i, x, y), children, state in tree:
        item = pikepdf.OutlineItem(label, i, pikepdf.PageLocation.XYZ, left=x, top=y, zoom=0)
        item.is_closed = state == "closed"
        item.children.extend(_outline_items(children))
        items.append(item)
    return items
