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
    subject: str = ""  # set when the entry is about a related object (an activity)
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


def build_entries(model, records, *, subject_attr: str | None = None, skip=("version",)):
    """Entries for history ``records`` of ``model`` (one or several objects), newest first.

    Each record is compared with the previous record of the same object, so the
    entry says which fields changed from what to what. Foreign keys are shown by
    name, choices by label, booleans as Ja/Nej.
    """
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_of: dict[int, object] = {}
    pairs = []
    fk_ids: dict[str, set] = {}
    for record in records:
        prev = previous_of.get(record.id)
        changes = []
        if prev is not None and record.history_type == "~":
            changes = record.diff_against(prev, excluded_fields=list(skip)).changes
            for change in changes:
                f = model._meta.get_field(change.field)
                if isinstance(f, models.ForeignKey):
                    fk_ids.setdefault(change.field, set()).update(
                        v for v in (change.old, change.new) if v is not None
                    )
        previous_of[record.id] = record
        pairs.append((record, changes))

    fk_names = {}
    for name, ids in fk_ids.items():
        related = model._meta.get_field(name).related_model
        for obj in related._default_manager.filter(pk__in=ids):
            fk_names[(name, obj.pk)] = str(obj)

    entries = []
    for record, changes in reversed(pairs):
        entry = Entry(
            when=record.history_date,
            user=record.history_user,
            kind=record.history_type,
            reason=record.history_change_reason or "",
            subject=getattr(record, subject_attr) if subject_attr else "",
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


def history_entries(obj) -> list[Entry]:
    """Who changed which field of ``obj``, when, from what to what; newest first."""
    return build_entries(type(obj), obj.history.select_related("history_user"))
