"""What steering adds to the core's screens: the documents behind a goal on the goal's
page (``goals.extensions.GOAL_PAGE_SECTIONS``) and "Styrdokument" in the main menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ledmot.context_processors import MenuEntry
from steering.models import DocumentStatus, SteeringDocument


def goal_documents_section(goal, user) -> dict:
    """The decided documents (in force) that the goal stands on; one query."""
    documents = list(
        SteeringDocument.objects.filter(goals=goal, status=DocumentStatus.DECIDED)
        .select_related("owner")
        .order_by("kind", "title")
    )
    return {
        "template": "steering/_goal_documents.html",
        "documents": documents,
        "register_url": reverse("steering:register"),
    }


def menu_entry(user) -> MenuEntry:
    return MenuEntry(_("Styrdokument"), reverse("steering:register"))
