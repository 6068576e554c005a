"""Text as LedMot stores it, and the limits every way in agrees on.

Every piece of text a person enters — a form, the admin, the workbook import, the
results grid — passes through :func:`clean_text` before it is checked or stored, so
the same input is stored the same way whichever path it took. Text pasted from Word
carries control characters (a vertical tab for a manual line break, escape codes);
PostgreSQL refuses NUL in text and an Excel file cannot hold any of them.

The length of a field is its model field's ``max_length``: the model, the form's
``maxlength`` attribute and the importer all read it from there.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy

# A comment beside a value.
COMMENT_LENGTH = 2_000
# Any longer text (descriptions, analyses, fact sheets). Excel's limit for one cell,
# so that every text round-trips through the workbook export unchanged.
LONG_TEXT_LENGTH = 32_767

# Word's manual line break (vertical tab) and page break (form feed), and the
# other ways of ending a line, become one newline.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 and C1 control characters except tab and newline, DEL, and the two
# non-characters XML cannot hold.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` with line breaks as ``\\n`` and every other control character removed.

    Idempotent: cleaning clean text changes nothing."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", value))


def field_length(model, name: str) -> int | None:
    """The ``max_length`` of a model's field: the one definition of how long it may be."""
    return model._meta.get_field(name).max_length


# Whole numbers as PostgreSQL holds them, on every database: SQLite takes any 64-bit
# number in any integer column, so without this an order of 3 000 000 000 would be
# saved on SQLite and refused on PostgreSQL.
_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


class CleanInputModel:
    """A model mixin: ``full_clean`` (forms, the admin, services) stores every text
    field through :func:`clean_text`, holds a text field to its ``max_length``
    (Django checks that for ``CharField`` only) and a whole number to the range its
    column has on PostgreSQL."""

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        for f in self._meta.concrete_fields:
            if f.name in exclude:
                continue
            value = getattr(self, f.attname)
            if isinstance(f, (models.CharField, models.TextField)) and isinstance(value, str):
                value = clean_text(value)
                setattr(self, f.attname, value)
                if isinstance(f, models.TextField) and f.max_length and len(value) > f.max_length:
                    errors[f.name] = [too_long_message(f.max_length, len(value))]
            elif isinstance(value, int) and f.get_internal_type() in _INTEGER_RANGES:
                low, high = _INTEGER_RANGES[f.get_internal_type()]
                for validator in (MinValueValidator(low), MaxValueValidator(high)):
                    try:
                        validator(value)
                    except ValidationError as exc:
                        errors.setdefault(f.name, []).extend(exc.messages)
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            # One message each: on PostgreSQL Django's own range check says the same.
            raise ValidationError(
                {k: list(dict.fromkeys(ValidationError(v).messages)) for k, v in errors.items()}
            )


# The one message for a text over its length, wherever it was entered (the forms
# give it to Django's length check, which fills in the numbers).
TOO_LONG = gettext_lazy(
    "Texten är för lång: högst %(limit_value)s tecken (den har %(show_value)s)."
)


def too_long_message(limit: int, length: int) -> str:
    return str(TOO_LONG) % {"limit_value": limit, "show_value": length}
