"""Numbers as Swedish users type them: ``12,5``, ``1 234``, ``85 %``, ``−3``."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ledmot.lib.charts import format_number  # the one Swedish number format
from ledmot.lib.limits import MAX_KRONOR

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


def kronor_message() -> str:
    return _("Skriv beloppet i hela kronor, t.ex. 1 250 000 eller −800 000.")


def parse_kronor(value) -> int | None:
    """An amount in whole kronor as a person types it (``1 250 000``, ``−800 000``,
    ``12,0``, ``5 000 kr``, ``300:-``) or a spreadsheet cell holds it (a number); ``None``
    for an empty cell. The one reading of an amount: the forms' ``KronorField``, the
    economy entry screen, the workbook import and the models' ``clean`` call it.

    Raises ``ValueError`` with the Swedish message to show beside the field: not a
    number, öre, or more than ``MAX_KRONOR`` either way.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(kronor_message())
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().removesuffix(":-").removesuffix("kr")
        if "%" in text:
            raise ValueError(kronor_message())
        try:
            number = parse_number(text)
        except ValueError:
            raise ValueError(kronor_message()) from None
        if number is None:
            return None
    if not number.is_finite():
        raise ValueError(kronor_message())
    if number != number.to_integral_value():
        raise ValueError(_("Ange beloppet i hela kronor, utan ören."))
    if abs(number) >= MAX_KRONOR:
        raise ValueError(_("Beloppet är orimligt stort."))
    return int(number)


def kronor_text(amount: int | None) -> str:
    """An amount as screens and forms show it and a person types it: ``1 250 000``,
    ``−40 000`` (non-breaking spaces, Unicode minus), or "" for none."""
    return "" if amount is None else format_number(amount, 0)
