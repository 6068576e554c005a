"""Access helpers for steering documents (404 out of scope, 403 read-only); the rules
themselves live in :mod:`ledmot.access`.

Decided documents are public decisions: every signed-in person reads them. Drafts are
read by those who read the owner's material. The owner's editors write drafts and the
review date and goals of a decided one; recording the decision needs the approver's
right (``Cap.APPROVE``: "record decisions") on the owner."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from goals.access import editable_units
from ledmot.access import Cap, access_for, refusal
from steering.models import SteeringDocument
from steering.rules import OWNER_KINDS


def can_edit_document(user, document: SteeringDocument) -> bool:
    return access_for(user).can(Cap.EDIT, document.owner)


def can_decide_document(user, document: SteeringDocument) -> bool:
    return access_for(user).can(Cap.APPROVE, document.owner)


def owner_units(user):
    """The owners (council, committees) under which ``user`` may write documents."""
    return editable_units(user, kinds=OWNER_KINDS)


def can_create_documents(user) -> bool:
    return owner_units(user).exists()


def get_document_for_view(request, pk) -> SteeringDocument:
    qs = SteeringDocument.objects.select_related("owner", "replaces")
    return get_object_or_404(qs.visible_to(request.user), pk=pk)


def get_document_for_edit(request, pk) -> SteeringDocument:
    document = get_document_for_view(request, pk)
    if not can_edit_document(request.user, document):
        raise refusal(Cap.EDIT, document.owner)
    return document


def get_document_for_decision(request, pk) -> SteeringDocument:
    document = get_document_for_view(request, pk)
    if not can_decide_document(request.user, document):
        raise refusal(Cap.APPROVE, document.owner)
    return document
