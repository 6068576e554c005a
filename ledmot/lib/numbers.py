"""Numbers as Swedish users type them: ``12,5``, ``1 234``, ``85 %``, ``−3``."""

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


def parse_number(text: str) -> Decimal | None:
    """The number in ``text``, or ``None`` for an empty cell.

    Accepts a decimal comma or point, spaces (also non-breaking) as thousands
    separators, a trailing ``%`` and a Unicode minus. Raises ``ValueError`` for
    anything else, so that "tolv" or "12,5,3" is refused rather than guessed.
    """
    compact = _SPACES.sub("", text or "")
    if compact == "":
        return None
    cleaned = compact.replace("\u2212", "-").removesuffix("%")
    if not _NUMBER.match(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards
        raise ValueError(text) from exc
