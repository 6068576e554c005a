"""The Excel export of the steering document register: its columns, declared once."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ledmot.lib.xlsx import Column
from steering.models import SteeringDocument

DATE = "yyyy-mm-dd"


def _heading(field: str) -> str:
    return capfirst(SteeringDocument._meta.get_field(field).verbose_name)


def register_columns() -> list[Column]:
    return [
        Column(_heading("title"), 44),
        Column(_heading("kind"), 12),
        Column(_heading("owner"), 30),
        Column(_heading("status"), 12),
        Column(_heading("decided_by"), 24),
        Column(_heading("decision_reference"), 20),
        Column(_heading("decided_on"), 12, DATE),
        Column(_heading("valid_from"), 12, DATE),
        Column(_heading("valid_to"), 12, DATE),
        Column(_heading("review_on"), 14, DATE),
        Column(_("Dags att revidera"), 12),
        Column(_heading("link"), 40),
        Column(_("Mål som dokumentet stödjer"), 60),
    ]


def register_rows(documents, *, due_ids: set[int]):
    """One row per document; ``documents`` come with their owner and goals loaded."""
    for d in documents:
        yield [
            d.title,
            d.get_kind_display(),
            d.owner.name,
            d.get_status_display(),
            d.decided_by,
            d.decision_reference,
            d.decided_on,
            d.valid_from,
            d.valid_to,
            d.review_on,
            d.pk in due_ids,
            d.link,
            "; ".join(g.title for g in d.goals.all()),
        ]
