"""A readable change log built from django-simple-history records."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _


@dataclass
class Change:
    label: str
    old: object
    new: object


@dataclass
class Entry:
    when: object
    user: object
    kind: str  # "+", "~", "-"
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def kind_display(self) -> str:
        return {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}.get(self.kind, self.kind)


def _display(model_field, value, fk_names):
    if value is None or value == "":
        return "–"
    if isinstance(model_field, models.BooleanField):
        return _("Ja") if value else _("Nej")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.ForeignKey):
        return fk_names.get((model_field.name, value), f"#{value}")
    return value


def history_entries(obj, *, skip_fields=("version",)) -> list[Entry]:
    """Newest first: who changed which field, when, from what to what."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    diffs = []
    fk_ids: dict[str, set] = {}
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else None
        if previous is None or record.history_type != "~":
            diffs.append([])
            continue
        delta = record.diff_against(previous, excluded_fields=list(skip_fields))
        diffs.append(delta.changes)
        for change in delta.changes:
            f = model._meta.get_field(change.field)
            if isinstance(f, models.ForeignKey):
                fk_ids.setdefault(change.field, set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    fk_names = {}
    for name, ids in fk_ids.items():
        related = model._meta.get_field(name).related_model
        for pk, label in ((o.pk, str(o)) for o in related._default_manager.filter(pk__in=ids)):
            fk_names[(name, pk)] = label

    entries = []
    for record, changes in zip(records, diffs, strict=True):
        entry = Entry(
            when=record.history_date,
            user=record.history_user,
            kind=record.history_type,
            reason=record.history_change_reason or "",
        )
        for change in changes:
            f = model._meta.get_field(change.field)
            entry.changes.append(
                Change(
                    label=str(f.verbose_name).capitalize(),
                    old=_display(f, change.old, fk_names),
                    new=_display(f, change.new, fk_names),
                )
            )
        entries.append(entry)
    return entries
