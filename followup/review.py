"""*Att granska* (read model): the reports waiting for the person's approval, oldest
first, a page at a time, and the main menu's entry with their number. Which reports wait
for whom is one rule, :func:`followup.access.waiting_for`, shared with the round list."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followup.access import waiting_counts, waiting_for
from followup.dashboard import PER_PAGE
from followup.models import FollowUpRound, RoundStatus
from ledmot.access import Cap, access_for
from ledmot.context_processors import MenuEntry


def review_menu_entry(user) -> MenuEntry | None:
    """ "Att granska (3)" for those who may approve somewhere (:func:`waiting_counts`)."""
    if not access_for(user).can_anywhere(Cap.APPROVE):
        return None
    n = sum(waiting_counts(user).values())
    return MenuEntry(
        label=_("Att granska"),
        url=reverse("followup:review"),
        count=n or None,
        name=ngettext(
            "Att granska: %(n)s rapport väntar på ditt godkännande",
            "Att granska: %(n)s rapporter väntar på ditt godkännande",
            n,
        )
        % {"n": n}
        if n
        else _("Att granska: ingen rapport väntar på ditt godkännande"),
    )


def review_page(user, page_number=None) -> dict:
    """Page ``page_number`` of the reports waiting for ``user``, oldest submission first;
    and the open rounds, whose dashboards list every submitted report the person may
    approve (also those a nearer approver has waiting)."""
    reports = waiting_for(user).select_related("round__kind", "org_unit")
    paginator = Paginator(reports.order_by("submitted_at", "pk"), PER_PAGE)
    paginator.count = sum(waiting_counts(user).values())  # the menu's: not counted again
    page: Page = paginator.get_page(page_number)
    return {
        "page": page,
        "open_rounds": list(
            FollowUpRound.objects.filter(status=RoundStatus.OPEN)
            .select_related("kind")
            .order_by("deadline", "pk")
        ),
    }
