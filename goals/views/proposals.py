"""Bottom-up goal proposals: the proposals of a mandate period side by side, a
committee's proposal and comments, and the council's adoption (pick or merge)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goals import rules
from goals.access import can_edit_unit, can_manage_periods, editable_units, require_period_manager
from goals.forms import GoalProposalForm, ProposalAdoptForm, ProposalCommentForm
from goals.models import (
    OWNER_KINDS,
    GoalLevel,
    GoalProposal,
    MandatePeriod,
    ProposalStatus,
)
from goals.proposals import (
    proposal_adopt,
    proposal_comment_add,
    proposal_create,
    proposal_decline,
    proposal_save,
    proposal_withdraw,
)
from goals.results import show
from goals.rules import SMART_CRITERIA, smart_missing
from ledmot.conflicts import NOT_SAVED, save_form
from ledmot.lib.forms import add_validation_error, posted_version
from ledmot.services import ConflictError


def _periods():
    """Periods with proposals or open for them, newest first."""
    today = timezone.localdate()
    return [
        p
        for p in MandatePeriod.objects.annotate(n=Count("goal_proposals")).order_by("-start_year")
        if p.n or rules.proposals_open(p, today)
    ]


def _pick(periods, raw):
    by_pk = {str(p.pk): p for p in periods}
    if raw in by_pk:
        return by_pk[raw]
    today = timezone.localdate()
    open_ = [p for p in periods if rules.proposals_open(p, today)]
    return (open_[-1] if open_ else None) or (periods[0] if periods else None)


def _committees(user):
    return editable_units(user, kinds=OWNER_KINDS[GoalLevel.COMMITTEE])


def smart_rows(proposal) -> list[tuple[str, bool]]:
    """The SMART checklist of a proposal, by the goals' rule (:func:`smart_missing`;
    also sets the numbers as shown, ``end_text`` and ``baseline_text``;
    "Mätbart" needs a suggested indicator)."""
    proposal.end_text = show(proposal.end_target)
    proposal.baseline_text = show(proposal.baseline_value)
    missing = smart_missing(proposal, measured=bool(proposal.indicator_name))
    labels = {f: GoalProposal._meta.get_field(f).verbose_name for f in SMART_CRITERIA}
    labels["responsible"] = _("Namngiven ansvarig")
    return [(labels[c], c not in missing) for c in SMART_CRITERIA]


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    periods = _periods()
    period = _pick(periods, request.GET.get("period"))
    proposals = []
    if period is not None:
        proposals = list(
            GoalProposal.objects.filter(mandate_period=period)
            .select_related("proposer", "perspective", "goal", "created_by")
            .annotate(comment_count=Count("comments"))
        )
        for p in proposals:
            p.smart = smart_rows(p)
    is_open = period is not None and rules.proposals_open(period, timezone.localdate())
    return render(
        request,
        "goals/proposal_list.html",
        {
            "periods": periods,
            "period": period,
            "proposals": proposals,
            "is_open": is_open,
            "can_propose": is_open and _committees(request.user).exists(),
            "can_decide": is_open and can_manage_periods(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create_view(request: HttpRequest) -> HttpResponse:
    period = get_object_or_404(MandatePeriod, pk=request.GET.get("period") or 0)
    if not _committees(request.user).exists():
        raise PermissionDenied(_("Målförslag lämnas av en nämnds redaktörer."))
    if not rules.proposals_open(period, timezone.localdate()):
        messages.error(request, rules.proposals_closed_message(period))
        return redirect(f"{_list_url()}?period={period.pk}")
    form = GoalProposalForm(request.POST or None, user=request.user, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_create(proposal=form.instance, user=request.user)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("Förslaget ”%(title)s” är lämnat.") % {"title": proposal.title}
            )
            return redirect("goals:proposal_detail", pk=proposal.pk)
    return render(request, "goals/proposal_form.html", {"form": form, "period": period})


def _list_url():
    from django.urls import reverse

    return reverse("goals:proposal_list")


def _detail_page(request, proposal, *, comment_form=None, status=200):
    proposal.smart = smart_rows(proposal)
    is_open = proposal.is_open and rules.proposals_open(
        proposal.mandate_period, timezone.localdate()
    )
    can_comment = is_open and _committees(request.user).exists()
    if can_comment and comment_form is None:
        comment_form = ProposalCommentForm(user=request.user)
    history = proposal.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "goals/proposal_detail.html",
        {
            "proposal": proposal,
            "comments": proposal.comments.select_related("unit", "author"),
            "comment_form": comment_form if can_comment else None,
            "can_decide": is_open and can_manage_periods(request.user),
            "can_change": is_open and can_edit_unit(request.user, proposal.proposer),
            "history": history,
            "indicators": list(proposal.goal.indicators.all()) if proposal.goal else [],
        },
        status=status,
    )


def _get_proposal(pk) -> GoalProposal:
    return get_object_or_404(
        GoalProposal.objects.select_related(
            "mandate_period", "proposer", "perspective", "goal", "created_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _get_proposal(pk))


@login_required
@require_POST
def proposal_comment(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal(pk)
    if not _committees(request.user).exists():
        raise PermissionDenied(_("Målförslag kommenteras av en nämnds redaktörer."))
    form = ProposalCommentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            proposal_comment_add(
                proposal=proposal,
                unit=form.cleaned_data["unit"],
                text=form.cleaned_data["text"],
                user=request.user,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Kommentaren är sparad."))
            return redirect("goals:proposal_detail", pk=proposal.pk)
    return _detail_page(request, proposal, comment_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_adopt_view(request: HttpRequest) -> HttpResponse:
    """Adopt the chosen proposals (``?p=1&p=2``) as one council goal."""
    require_period_manager(request)
    raw = request.POST.getlist("p") if request.method == "POST" else request.GET.getlist("p")
    pks = [int(x) for x in raw if x.isdigit()]
    proposals = list(
        GoalProposal.objects.filter(pk__in=pks, status=ProposalStatus.PROPOSED)
        .select_related("mandate_period", "proposer", "perspective")
        .order_by("pk")
    )
    if not proposals:
        messages.error(request, _("Välj ett eller flera förslag att anta."))
        return redirect("goals:proposal_list")
    period = proposals[0].mandate_period
    first = proposals[0]
    initial = {
        "title": first.title,
        "description": "\n\n".join(p.description for p in proposals if p.description),
        "perspective": first.perspective_id,
        "indicator_name": first.indicator_name,
        "indicator_unit": first.indicator_unit,
        "direction": first.direction,
        "baseline_value": show(first.baseline_value),
        "baseline_year": first.baseline_year,
        "end_target": show(first.end_target),
        "responsible_unit": first.proposer_id,
    }
    form = ProposalAdoptForm(request.POST or None, initial=initial, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            goal = proposal_adopt(proposals=proposals, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Målet ”%(title)s” är antaget som kommunfullmäktiges mål.")
                % {"title": goal.title},
            )
            return redirect("goals:goal_detail", pk=goal.pk)
    for p in proposals:
        p.smart = smart_rows(p)
    return render(
        request,
        "goals/proposal_adopt.html",
        {"form": form, "proposals": proposals, "period": period},
    )


@login_required
@require_POST
def proposal_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_period_manager(request)
    proposal = _get_proposal(pk)
    try:
        proposal_decline(
            proposal=proposal,
            user=request.user,
            decision_reference=request.POST.get("decision_reference", "")[:100],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Förslaget är markerat som inte antaget."))
    return redirect("goals:proposal_detail", pk=proposal.pk)


def _get_proposal_for_change(request: HttpRequest, pk: int) -> GoalProposal:
    """A proposal its committee's editor may change: 404 if there is none, 403 for
    anyone else (the service checks again, with the row locked)."""
    proposal = _get_proposal(pk)
    if not can_edit_unit(request.user, proposal.proposer):
        raise PermissionDenied(
            _("Bara %(unit)s ändrar eller återtar sitt förslag.") % {"unit": proposal.proposer.name}
        )
    return proposal


def _refused(request: HttpRequest, proposal: GoalProposal) -> HttpResponse | None:
    """Back to the proposal with the reason when it can no longer be changed."""
    message = rules.proposal_locked_message(proposal)
    if message is None and not rules.proposals_open(proposal.mandate_period, timezone.localdate()):
        message = rules.proposals_closed_message(proposal.mandate_period)
    if message is None:
        return None
    messages.error(request, message)
    return redirect("goals:proposal_detail", pk=proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal_for_change(request, pk)
    if refused := _refused(request, proposal):
        return refused
    form = GoalProposalForm(
        request.POST or None, instance=proposal, user=request.user, period=proposal.mandate_period
    )
    outcome = NOT_SAVED
    if request.method == "POST" and form.is_valid():
        outcome = save_form(
            form,
            lambda: proposal_save(
                proposal=form.instance,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if outcome.ok:
            messages.success(request, _("Förslaget är ändrat."))
            return redirect("goals:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "goals/proposal_form.html",
        {
            "form": form,
            "period": proposal.mandate_period,
            "proposal": proposal,
            "conflict": outcome.conflict,
        },
        status=outcome.status,
    )


@login_required
@require_POST
def proposal_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal_for_change(request, pk)
    try:
        proposal_withdraw(
            proposal=proposal, user=request.user, expected_version=posted_version(request.POST)
        )
    except ConflictError:
        messages.error(
            request,
            _("Någon annan har ändrat förslaget medan du läste. Se över det och försök igen."),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Förslaget är återtaget."))
    return redirect("goals:proposal_detail", pk=proposal.pk)
