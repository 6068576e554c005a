"""Political decisions on a proposal, and turning an adopted satsning into activities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from goals.access import can_edit_goal
from ledmot.lib.forms import add_validation_error
from ledmot.services import ConflictError, LockedError
from priorities.access import get_item_for_decision, get_item_for_view
from priorities.forms import ActivitiesForm, DecisionForm
from priorities.models import Decision, PriorityRound, RoundStatus
from priorities.services import item_create_activities, item_decide
from priorities.views.items import item_page


@login_required
@require_POST
def item_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_decision(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return item_page(request, item, decision_form=form)
    data = form.cleaned_data
    try:
        item_decide(
            item=item,
            user=request.user,
            decision=data["decision"],
            decided_on=data["decided_on"],
            paragraph=data["paragraph"],
            reference=data["reference"],
            note=data["note"],
            expected_version=data["version"],
        )
    except ConflictError:
        messages.error(request, _("Förslaget har ändrats av någon annan. Läs det och försök igen."))
        return redirect("priorities:item_detail", pk=item.pk)
    except LockedError as exc:
        raise PermissionDenied(exc.messages[0]) from exc
    except ValidationError as exc:
        add_validation_error(form, exc)
        return item_page(request, item, decision_form=form)
    item.refresh_from_db()
    messages.success(
        request,
        _("Beslutet är registrerat: %(title)s – %(decision)s.")
        % {"title": item.title, "decision": Decision(data["decision"]).label.lower()},
    )
    rnd = PriorityRound.objects.get(pk=item.worksheet.round_id)
    if rnd.status == RoundStatus.DECIDED:
        messages.success(request, _("Alla förslag är beslutade. Omgången är avslutad och låst."))
    if request.POST.get("next") == "oversikt":
        return redirect(reverse("priorities:overview", args=[rnd.pk]) + f"#objekt-{item.pk}")
    return redirect("priorities:item_detail", pk=item.pk)


@login_required
@require_POST
def item_activities(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_view(request, pk)
    editable = [g for g in item.goals.select_related("owner") if can_edit_goal(request.user, g)]
    if not editable or item.decision != Decision.ADOPTED or item.is_reducing:
        raise PermissionDenied
    form = ActivitiesForm(request.POST, goals=item.goals.filter(pk__in=[g.pk for g in editable]))
    if not form.is_valid():
        messages.error(request, _("Välj minst ett mål."))
        return redirect("priorities:item_detail", pk=item.pk)
    created = item_create_activities(item=item, user=request.user, goals=form.cleaned_data["goals"])
    messages.success(
        request,
        ngettext(
            "%(n)s aktivitet är skapad under målet.",
            "%(n)s aktiviteter är skapade under målen.",
            len(created),
        )
        % {"n": len(created)},
    )
    return redirect(reverse("priorities:item_detail", args=[item.pk]) + "#aktiviteter")
