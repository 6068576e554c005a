"""What an uploaded workbook must pass before openpyxl opens it.

An ``.xlsx`` file is a zip of XML files. Before any XML is parsed the zip's
directory is checked with :mod:`zipfile`: the upload size, the number of members,
their total uncompressed size and each member's compression ratio (a zip bomb
expands a few kilobytes into gigabytes). XML entities (the "billion laughs"
attack, external entities) are refused by defusedxml, which openpyxl uses when it
is installed: this module refuses to import at all if it is not, and turns its
refusal into a Swedish message. A document type declaration is also refused
up front, from the first bytes of each XML member.

The limits are settings (see :func:`limit`).
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

import openpyxl.xml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
    raise ImproperlyConfigured("defusedxml must be installed: openpyxl parses workbooks with it")

# Defaults of the LEDMOT_IMPORT_* settings (ledmot/settings.py reads them from the
# environment), for a settings module without them.
DEFAULTS = {
    # The upload itself.
    "LEDMOT_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    # Data rows in all sheets together.
    "LEDMOT_IMPORT_MAX_ROWS": 50_000,
    # The zip's members: how many, how large together once uncompressed, and how
    # many times larger than compressed (checked for members above 1 MB).
    "LEDMOT_IMPORT_MAX_MEMBERS": 500,
    "LEDMOT_IMPORT_MAX_UNCOMPRESSED": 300 * 1024 * 1024,
    "LEDMOT_IMPORT_MAX_RATIO": 100,
    # Uploads with more data rows than this are validated and applied by a background task.
    "LEDMOT_IMPORT_BACKGROUND_ROWS": 2_000,
}
RATIO_FROM_BYTES = 1024 * 1024
ENTITY_MESSAGE = gettext_noop(
    "Filen innehåller XML-deklarationer (DOCTYPE/ENTITY) som inte är tillåtna och importeras inte."
)
PREFIX_BYTES = 4096


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


class UnsafeWorkbook(ValueError):
    """The file is refused before anything in it is read; the message is for the user."""


def check_name(name: str) -> None:
    if not (name or "").lower().endswith(".xlsx"):
        raise UnsafeWorkbook(_("Bara Excel-filer i formatet .xlsx kan importeras."))


def check_zip(fileobj: IO[bytes], *, size: int | None = None) -> None:
    """Refuse anything but a reasonable xlsx zip; reads only the zip's directory and
    the first bytes of each XML member. ``fileobj`` is left at position 0."""
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    max_bytes = limit("LEDMOT_IMPORT_MAX_BYTES")
    if size > max_bytes:
        raise UnsafeWorkbook(
            _("Filen är för stor: högst %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    fileobj.seek(0)
    if not zipfile.is_zipfile(fileobj):
        raise UnsafeWorkbook(_("Filen är inte en Excel-fil (.xlsx)."))
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as zf:
            members = zf.infolist()
            if len(members) > limit("LEDMOT_IMPORT_MAX_MEMBERS"):
                raise UnsafeWorkbook(
                    _("Filen innehåller för många delar för att vara en vanlig Excel-fil.")
                )
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise UnsafeWorkbook(_("Filen är inte en Excel-fil (.xlsx)."))
            total = sum(m.file_size for m in members)
            if total > limit("LEDMOT_IMPORT_MAX_UNCOMPRESSED"):
                raise UnsafeWorkbook(
                    _("Filen packas upp till för mycket data och importeras inte.")
                )
            max_ratio = limit("LEDMOT_IMPORT_MAX_RATIO")
            for m in members:
                if m.file_size > RATIO_FROM_BYTES and m.file_size > max_ratio * max(
                    m.compress_size, 1
                ):
                    raise UnsafeWorkbook(
                        _("Filen är misstänkt hårt packad (%(name)s) och importeras inte.")
                        % {"name": m.filename}
                    )
            for m in members:
                if m.filename.endswith((".xml", ".rels")):
                    with zf.open(m) as member:
                        head = member.read(PREFIX_BYTES)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise UnsafeWorkbook(_(ENTITY_MESSAGE))
    except zipfile.BadZipFile as exc:
        raise UnsafeWorkbook(_("Filen är inte en Excel-fil (.xlsx).")) from exc
    finally:
        fileobj.seek(0)


def is_xml_attack(exc: BaseException) -> bool:
    """True if ``exc`` is defusedxml refusing a DTD, an entity or an external reference."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:  # openpyxl wraps it in a ValueError
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def check_upload(name: str, fileobj: IO[bytes], *, size: int | None = None) -> None:
    check_name(name)
    check_zip(fileobj, size=size)


_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')
BYTES_PER_ROW = 120  # a rough size of one row of sheet XML, when a sheet has no dimension


def estimate_rows(fileobj: IO[bytes]) -> int:
    """The number of rows, from each sheet's ``<dimension>`` near the start of its XML
    (or its size): enough to decide whether to run in the background, read in
    milliseconds. Call after :func:`check_zip`."""
    fileobj.seek(0)
    rows = 0
    try:
        with zipfile.ZipFile(fileobj) as zf:
            for m in zf.infolist():
                if not (m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")):
                    continue
                with zf.open(m) as member:
                    head = member.read(PREFIX_BYTES)
                found = _DIMENSION.search(head)
                rows += int(found[1]) - 1 if found else m.file_size // BYTES_PER_ROW
    finally:
        fileobj.seek(0)
    return max(rows, 0)
