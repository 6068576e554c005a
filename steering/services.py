"""The one write path of steering documents: every screen, the admin, the demo and any
command calls these, so the locks (a decided document is frozen) and the access checks
hold on every path. ``user=None`` is the system (the demo, a command)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ledmot.access import Cap, access_for, refusal
from ledmot.services import (
    ConflictError,
    LockedError,
    attributed_save,
    versioned_delete,
    versioned_save,
)
from steering import rules
from steering.models import DocumentStatus, SteeringDocument


def _require(user, cap: Cap, unit) -> None:
    if user is not None and not access_for(user).can(cap, unit):
        raise refusal(cap, unit)


@transaction.atomic
def document_save(
    *,
    document: SteeringDocument,
    user,
    expected_version: int | None,
    goals=None,
    uploaded=None,
) -> SteeringDocument:
    """Write a document (a new draft, a draft's changes, or a decided document's review
    date and goals). ``goals``: the goals it supports (None: unchanged), the council's
    and the owner's (:func:`steering.rules.goal_errors`); ``uploaded``: a
    new file (checked by its content). A decided document's other fields are refused
    (:func:`steering.rules.frozen_change_error`)."""
    stored = None
    if document.pk is not None:
        stored = SteeringDocument.objects.select_for_update().get(pk=document.pk)
        _require(user, Cap.EDIT, stored.owner)
    _require(user, Cap.EDIT, document.owner)
    if uploaded is not None:
        if message := rules.file_error(uploaded):
            raise ValidationError({"file": message})
        document.file = uploaded
    if message := rules.frozen_change_error(stored, document):
        raise LockedError(message)
    if stored is None:
        document.status = DocumentStatus.DRAFT
    document.full_clean()
    if goals is not None:
        kept = stored.goals.values_list("pk", flat=True) if stored is not None else ()
        if errors := rules.goal_errors(document.owner, list(goals), kept=kept):
            raise ValidationError(errors)
    reason = _("Skapat") if stored is None else ""
    saved = versioned_save(document, user=user, expected_version=expected_version, reason=reason)
    if goals is not None:
        saved.goals.set(goals)
    return saved


@transaction.atomic
def document_decide(
    *,
    document: SteeringDocument,
    user,
    expected_version: int | None,
    decided_by: str,
    decision_reference: str,
    decided_on: datetime.date,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    review_on: datetime.date | None = None,
) -> SteeringDocument:
    """Record the decision on a draft: from now on it is frozen. A new version replaces
    the document it revises: the old one is marked replaced, valid until the day before."""
    current = SteeringDocument.objects.select_for_update().get(pk=document.pk)
    _require(user, Cap.APPROVE, current.owner)
    if current.status != DocumentStatus.DRAFT:
        raise LockedError(_("%(title)s är redan beslutat.") % {"title": current.title})
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    current.decided_by = decided_by
    current.decision_reference = decision_reference
    current.decided_on = decided_on
    current.valid_from = valid_from
    current.valid_to = valid_to
    if review_on is not None:
        current.review_on = review_on
    if message := rules.decide_error(current):
        raise ValidationError(message)
    current.full_clean()
    current.status = DocumentStatus.DECIDED
    saved = versioned_save(current, user=user, expected_version=None, reason=_("Beslutat"))
    if saved.replaces_id:
        old = SteeringDocument.objects.select_for_update().get(pk=saved.replaces_id)
        old.status = DocumentStatus.REPLACED
        end = valid_from - datetime.timedelta(days=1)
        if old.valid_to is None or old.valid_to > end:
            old.valid_to = max(end, old.valid_from) if old.valid_from else end
        old.version += 1
        attributed_save(
            old, user=user, reason=_("Ersatt av ny version %(ref)s") % {"ref": decision_reference}
        )
    return saved


@transaction.atomic
def document_revise(*, document: SteeringDocument, user) -> SteeringDocument:
    """A new version of a decided document: a draft with its content and goals, which
    replaces it when decided. The decided document itself is not touched."""
    current = SteeringDocument.objects.select_for_update().get(pk=document.pk)
    _require(user, Cap.EDIT, current.owner)
    if message := rules.revise_error(current):
        raise LockedError(message)
    draft = SteeringDocument(
        title=current.title,
        kind=current.kind,
        owner=current.owner,
        summary=current.summary,
        file=current.file.name if current.file else "",
        link=current.link,
        review_on=None,
        replaces=current,
        status=DocumentStatus.DRAFT,
    )
    draft.full_clean()
    saved = versioned_save(
        draft, user=user, expected_version=None, reason=_("Ny version av beslutat dokument")
    )
    saved.goals.set(current.goals.all())
    return saved


@transaction.atomic
def document_delete(*, document: SteeringDocument, user, expected_version: int) -> None:
    """Delete a draft; a decided document is never deleted."""
    current = SteeringDocument.objects.select_for_update().get(pk=document.pk)
    _require(user, Cap.EDIT, current.owner)
    if message := rules.delete_refusal(current):
        raise LockedError(message)
    versioned_delete(current, user=user, expected_version=expected_version)
