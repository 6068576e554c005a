"""A unit's report: the page, saving a goal's assessment or an activity's status as
you go (htmx fragments), the period's indicator values, submit, return, approve."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from followup.access import (
    ReportLocked,
    get_report_for_approval,
    get_report_for_edit,
    get_report_for_unapproval,
    get_report_for_view,
)
from followup.assignments import asked_in_report
from followup.forms import (
    ActivityUpdateForm,
    AssessmentForm,
    AssignmentUpdateForm,
    ReturnForm,
)
from followup.models import ActivityUpdate, AssignmentUpdate, GoalAssessment, Report
from followup.report_page import report_page, value_periods
from followup.services import (
    LockedError,
    activity_update_save,
    assessment_save,
    assignment_update_save,
    report_approve,
    report_return,
    report_submit,
    report_unapprove,
)
from goals.models import Assignment
from goals.results import (
    bind,
    build_rows,
    changed_message,
    mark_changed,
    mark_locked,
    typed_after_end,
)
from goals.services import ValuesChanged, ValuesLocked, measurements_save
from ledmot.conflicts import conflict_context
from ledmot.lib.forms import posted_version
from ledmot.services import ConflictError


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_view(request, pk)
    page = report_page(report, request.user, page_number=request.GET.get("sida"))
    return render(request, "followup/report_detail.html", page)


def refuse_locked(view):
    """A write to a locked report (closed round, submitted or approved) by someone who
    could otherwise make it: 403 with the report page and the message saying why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ReportLocked as exc:
            messages.error(request, exc.message)
            context = report_page(exc.report, request.user)
            return render(request, "followup/report_detail.html", context, status=403)

    return wrapper


# --------------------------------------------------------------------------- saving a piece


def _after_save(request, report, *, form_partial, form_id, key, context, piece, obj_name):
    """htmx: on success send only the new version and a "saved" note (out of band),
    so nothing being typed is replaced; on an error or a conflict swap in the whole
    form with its messages. Without htmx: back to the piece in the report, or on an
    error or a conflict the whole report page with that form as it was posted and its
    messages."""
    failed = "saved_at" not in context
    if not request.htmx:
        if failed:
            return _page_with_piece(request, report, piece, obj_name)
        # Back to the piece just saved (a committee's report holds ~50 goals).
        _list, anchor, piece_id = _PIECES[obj_name]
        url = reverse("followup:report_detail", args=[report.pk])
        return redirect(f"{url}#{anchor}-{piece_id(piece[obj_name])}")
    if failed:
        response = render(request, "followup/report_detail.html#" + form_partial, context)
        return reswap(retarget(response, f"#{form_id}"), "outerHTML")
    form = piece["form"]
    return render(
        request,
        "followup/report_detail.html#saved",
        {
            "version": form.instance.version,
            "version_id": form["version"].auto_id,
            # The first save of a piece starts the report (a new version of it): the
            # submit form must send that version, or "Lämna in" says someone else
            # changed the report.
            "report_version": Report.objects.values_list("version", flat=True).get(pk=report.pk),
            "key": key,
            "saved_at": context["saved_at"],
        },
    )


#: Per kind of piece: the page's list of them, the anchor of one, and what tells it apart
#: (an assignment's update may not be saved yet: its assignment).
_PIECES = {
    "assessment": ("items", "goal", lambda obj: obj.pk),
    "update": ("updates", "act", lambda obj: obj.pk),
    "assignment_update": ("assignments", "uppdrag", lambda obj: obj.assignment_id),
}


def _page_with_piece(request, report, piece, obj_name):
    """The report page (status 200, as for any invalid form) with one piece's form as it
    was posted, its errors or the conflict with what the other person saved."""
    page = report_page(report, request.user)
    key, _anchor, piece_id = _PIECES[obj_name]
    for entry in page[key]:
        if piece_id(entry[obj_name]) == piece_id(piece[obj_name]):
            entry.update(form=piece["form"], conflict=piece.get("conflict"))
    messages.error(request, _("Ändringen är inte sparad. Se meddelandet vid formuläret nedan."))
    return render(request, "followup/report_detail.html", page)


def _save_piece(request, report, *, form, save, item_key, obj_name, partial, form_id, key):
    """Save one piece of a report (a goal's assessment, an activity's status) with
    the version check, and answer as ``_after_save`` describes."""
    piece = {"form": form, obj_name: form.instance}
    context = {"report": report, item_key: piece}
    if form.is_valid():
        try:
            save(form.instance, form.cleaned_data.get("version"))
        except ConflictError as exc:
            piece["conflict"] = conflict_context(form, exc.current)
        except LockedError as exc:
            raise ReportLocked(report, exc.messages[0]) from exc
        else:
            piece["form"] = type(form)(instance=form.instance)
            context["saved_at"] = timezone.localtime()
            if not request.htmx:
                messages.success(request, _("Sparat."))
    return _after_save(
        request,
        report,
        form_partial=partial,
        form_id=form_id,
        key=key,
        context=context,
        piece=piece,
        obj_name=obj_name,
    )


@login_required
@require_POST
@refuse_locked
def assessment_edit(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """Save one goal's assessment; with htmx this is the draft saving as you go."""
    report = get_report_for_edit(request, pk)
    assessment = get_object_or_404(
        GoalAssessment.objects.select_related("goal"), pk=assessment_pk, report=report
    )
    return _save_piece(
        request,
        report,
        form=AssessmentForm(request.POST, instance=assessment),
        save=lambda obj, version: assessment_save(
            assessment=obj, user=request.user, expected_version=version
        ),
        item_key="item",
        obj_name="assessment",
        partial="assessment-form",
        form_id=f"assessment-{assessment.pk}",
        key=f"a{assessment.pk}",
    )


@login_required
@require_POST
@refuse_locked
def activity_update_edit(request: HttpRequest, pk: int, update_pk: int) -> HttpResponse:
    """Save one activity's status and comment in the report."""
    report = get_report_for_edit(request, pk)
    update = get_object_or_404(
        ActivityUpdate.objects.select_related("activity"), pk=update_pk, report=report
    )
    return _save_piece(
        request,
        report,
        form=ActivityUpdateForm(request.POST, instance=update),
        save=lambda obj, version: activity_update_save(
            update=obj, user=request.user, expected_version=version
        ),
        item_key="u",
        obj_name="update",
        partial="activity-form",
        form_id=f"update-{update.pk}",
        key=f"u{update.pk}",
    )


@login_required
@require_POST
@refuse_locked
def assignment_update_edit(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Save one assignment's (uppdrag's) status and comment in the report; the first
    save of an assignment given while the round is open creates its update."""
    report = get_report_for_edit(request, pk)
    # One the report asks about: already in it, or live for the unit in the round.
    assignment = get_object_or_404(
        Assignment.objects.filter(asked_in_report(report)), pk=assignment_pk
    )
    update = None
    if request.POST.get("version"):
        update = AssignmentUpdate.objects.filter(report=report, assignment=assignment).first()
    if update is None:
        update = AssignmentUpdate(report=report, assignment=assignment, status=assignment.status)
    return _save_piece(
        request,
        report,
        form=AssignmentUpdateForm(request.POST, instance=update),
        save=lambda obj, version: assignment_update_save(
            update=obj, user=request.user, expected_version=version
        ),
        item_key="g",
        obj_name="assignment_update",
        partial="assignment-form",
        form_id=f"uppdrag-form-{assignment.pk}",
        key=f"g{assignment.pk}",
    )


# --------------------------------------------------------------------------- the workflow


def _workflow(request, report: Report, action, *, done: str, refused: str = "") -> None:
    """Run a status change and tell the user how it went."""
    try:
        action()
    except ConflictError:
        messages.error(request, _("Rapporten har ändrats av någon annan. Läs den och försök igen."))
    except ValidationError as exc:
        if refused:
            messages.error(request, refused)
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, done)


@login_required
@require_POST
@refuse_locked
def report_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_edit(request, pk)
    _workflow(
        request,
        report,
        lambda: report_submit(
            report=report, user=request.user, expected_version=posted_version(request.POST)
        ),
        done=_("Rapporten är inlämnad."),
        refused=_("Rapporten kan inte lämnas in ännu. Det här saknas:"),
    )
    return redirect("followup:report_detail", pk=report.pk)


@login_required
@require_POST
@refuse_locked
def report_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_approval(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv vad som ska kompletteras."))
        return redirect("followup:report_detail", pk=report.pk)
    _workflow(
        request,
        report,
        lambda: report_return(
            report=report,
            user=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        ),
        done=_("Rapporten är återsänd för komplettering."),
    )
    return redirect("followup:report_detail", pk=report.pk)


@login_required
@require_POST
@refuse_locked
def report_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_approval(request, pk)
    _workflow(
        request,
        report,
        lambda: report_approve(
            report=report, user=request.user, expected_version=posted_version(request.POST)
        ),
        done=_("Rapporten är godkänd."),
    )
    next_url = request.POST.get("next", "")
    if next_url.isdigit():
        return redirect("followup:report_detail", pk=int(next_url))
    return redirect("followup:report_detail", pk=report.pk)


@login_required
@require_POST
@refuse_locked
def report_unapprove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo an approval (until the round closes): the report waits for approval again."""
    report = get_report_for_unapproval(request, pk)
    _workflow(
        request,
        report,
        lambda: report_unapprove(
            report=report, user=request.user, expected_version=posted_version(request.POST)
        ),
        done=_("Godkännandet är ångrat. Rapporten väntar på granskning igen."),
    )
    return redirect("followup:report_detail", pk=report.pk)


# --------------------------------------------------------------------------- the period's values


@login_required
@require_POST
@refuse_locked
def report_values(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the period's indicator values from the report page: all or nothing."""
    report = get_report_for_edit(request, pk)
    indicators, periods = value_periods(report)
    rows = build_rows(list(indicators.values()), timezone.localdate(), periods=periods)
    values = bind(rows, request.POST)
    if ended := typed_after_end(request.POST, periods, indicators):
        # Ended while the page was open: say so rather than drop what was typed.
        context = report_page(report, request.user, rows)
        context["value_errors"] = ended
        return render(request, "followup/report_detail.html", context)
    if any(r.has_error for r in rows):
        messages.error(request, _("Något värde behöver rättas. Inget har sparats."))
        return render(
            request, "followup/report_detail.html", report_page(report, request.user, rows)
        )
    try:
        saved = measurements_save(values=values, user=request.user, reason=str(report.round))
    except (ValidationError, ValuesChanged) as exc:
        # A closed round has locked the period's values, or someone else saved some of
        # them while this person typed: nothing is saved, the reasons beside the cells.
        if isinstance(exc, ValuesLocked):
            mark_locked(rows, exc)
        if isinstance(exc, ValuesChanged):
            mark_changed(rows, exc)
        context = report_page(report, request.user, rows)
        context["value_errors"] = (
            [changed_message()] if isinstance(exc, ValuesChanged) else exc.messages
        )
        return render(request, "followup/report_detail.html", context)
    messages.success(
        request,
        ngettext("%(n)s värde sparat.", "%(n)s värden sparade.", len(saved)) % {"n": len(saved)},
    )
    return redirect(reverse("followup:report_detail", args=[report.pk]) + "#varden")
