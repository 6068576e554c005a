"""The workbook's key for a row it created: kept so that importing the same workbook
again (or a migration from another system re-run) matches the row instead of creating
it a second time. The rule is :func:`goals.rules.external_id_error`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EXTERNAL_ID_MAX_LENGTH = 40


def validate_external_id(value) -> None:
    """:func:`goals.rules.validate_external_id` as a field validator (the rules module
    imports the models, so it is imported when the validator runs)."""
    from goals import rules

    rules.validate_external_id(value)


def external_id_field() -> models.CharField:
    """The same field on every kind the workbook creates (goals, activities, indicators)."""
    return models.CharField(
        _("externt id"),
        max_length=EXTERNAL_ID_MAX_LENGTH,
        blank=True,
        default="",
        validators=[validate_external_id],
        help_text=_(
            "Radens id i Excel-arbetsboken eller i ett annat system (t.ex. ny-1); "
            "en import av samma arbetsbok igen ändrar raden i stället för att skapa den igen."
        ),
    )


def external_id_unique(name: str) -> models.UniqueConstraint:
    """At most one row of a kind per external id; rows without one are not compared."""
    return models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name=name)
