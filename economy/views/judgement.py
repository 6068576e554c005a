"""Samlad bedömning: the controller's written overall judgement of god ekonomisk
hushållning for a follow-up round, printed in the round's report (economy.report)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from economy import rules
from economy.models import EconomyJudgement
from economy.services import judgement_save
from followup.access import can_manage_rounds, get_round_for_manage
from followup.models import FollowUpRound
from ledmot.access import Cap, refusal
from ledmot.lib.text import LONG_TEXT_LENGTH
from ledmot.services import ConflictError, LockedError


class JudgementForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Samlad bedömning av god ekonomisk hushållning"),
        required=False,
        max_length=LONG_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


@login_required
@require_http_methods(["GET", "POST"])
def judgement(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round_for_manage(request, pk)
    current = EconomyJudgement.objects.filter(round=rnd).first()
    seen = current.version if current else 0
    locked = rules.judgement_locked_message(rnd)
    form = JudgementForm(initial={"text": current.text if current else "", "version": seen})
    if request.method == "POST":
        form = JudgementForm(request.POST)
        if form.is_valid():
            try:
                judgement_save(
                    rnd=rnd,
                    text=form.cleaned_data["text"],
                    user=request.user,
                    seen_version=form.cleaned_data["version"],
                )
            except LockedError as exc:
                form.add_error(None, exc.messages[0])
            except ConflictError:
                form.add_error(
                    None,
                    _(
                        "Någon annan har ändrat bedömningen sedan du öppnade sidan. "
                        "Ladda om sidan och gör ändringen igen."
                    ),
                )
            else:
                messages.success(request, _("Den samlade bedömningen är sparad."))
                return redirect("economy:judgement", pk=rnd.pk)
    return render(
        request,
        "economy/judgement.html",
        {"round": rnd, "form": form, "locked": locked, "current": current},
    )


@login_required
@require_http_methods(["GET"])
def judgement_list(request: HttpRequest) -> HttpResponse:
    """The rounds, newest first, each with its judgement written or not."""
    if not can_manage_rounds(request.user):
        raise refusal(Cap.MANAGE, at_root=True)
    rounds = list(
        FollowUpRound.objects.select_related("kind", "economy_judgement").order_by(
            "-period_end", "-pk"
        )
    )
    return render(request, "economy/judgement_list.html", {"rounds": rounds})
