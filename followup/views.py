"""Follow-up screens: rounds, the controller's dashboard, a unit's report, approval."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from followup.access import (
    can_approve_report,
    can_edit_report,
    can_manage_rounds,
    get_report_for_approval,
    get_report_for_edit,
    get_report_for_view,
    get_round,
    get_round_for_manage,
)
from followup.forms import (
    ActivityUpdateForm,
    AssessmentForm,
    ReportPdfForm,
    ReturnForm,
    RoundForm,
)
from followup.models import (
    ActivityUpdate,
    FollowUpRound,
    GoalAssessment,
    Report,
    ReportStatus,
    RoundStatus,
)
from followup.report_views import generated_reports_for, report_targets
from followup.services import (
    LockedError,
    activity_update_save,
    assessment_save,
    interim_warnings,
    report_approve,
    report_return,
    report_submit,
    round_close,
    round_open,
)
from goals.fulfilment import Assessment
from goals.models import Indicator
from goals.periods import ReportingPeriod
from goals.results import bind, build_rows, mark_locked
from goals.services import ValuesLocked, measurements_save
from ledmot.access import Cap, access_for
from ledmot.conflicts import conflict_context
from ledmot.lib.forms import add_validation_error
from ledmot.lib.xlsx import Column, workbook_response
from ledmot.models import OrgKind, OrgUnit
from ledmot.services import ConflictError

STATUS_SYMBOLS = {
    "not_started": "○",
    "draft": "✎",
    "submitted": "➜",
    "returned": "↩",
    "approved": "✓",
}


# --------------------------------------------------------------------------- rounds


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access = access_for(user)
    # units_q matches nothing for a user without roles.
    mine = (
        Report.objects.filter(access.units_q(Cap.EDIT, field="org_unit"))
        .filter(round__status=RoundStatus.OPEN)
        .select_related("round__kind", "org_unit")
        .order_by("round__deadline", "org_unit__path")
    )
    return render(
        request,
        "followup/round_list.html",
        {
            "rounds": FollowUpRound.objects.select_related("kind"),
            "mine": list(mine),
            "can_manage": can_manage_rounds(user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_rounds(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warnings = interim_warnings(data["kind"], data["period_end"], data["council_date"])
        if not warnings or request.POST.get("confirm"):
            try:
                rnd = round_open(
                    kind=data["kind"],
                    year=data["period_end"].year,
                    period_end=data["period_end"],
                    deadline=data["deadline"],
                    council_date=data["council_date"],
                    scope=list(data["scope"]),
                    user=request.user,
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(round)s är öppnad med %(n)s rapporter.")
                    % {"round": rnd, "n": rnd.reports.count()},
                )
                return redirect("followup:round_dashboard", pk=rnd.pk)
    return render(request, "followup/round_form.html", {"form": form, "warnings": warnings})


def _committee_of(unit: OrgUnit, committees: dict[str, OrgUnit]) -> OrgUnit | None:
    codes = unit.ancestor_codes()
    return committees.get(codes[1]) if len(codes) > 1 else None


def _state(report: Report) -> str:
    if report.status == ReportStatus.DRAFT and not report.started:
        return "not_started"
    return report.status


STATE_LABELS = {
    "not_started": _("Ej påbörjad"),
    "draft": _("Utkast"),
    "submitted": _("Inlämnad"),
    "returned": _("Återsänd"),
    "approved": _("Godkänd"),
}


@login_required
@require_GET
def round_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Per unit and committee: where each report stands, days to the deadline, late ones."""
    rnd = get_round(request, pk)
    access = access_for(request.user)
    committees = {
        c.code: c for c in OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY])
    }
    reports = (
        rnd.reports.filter(access.units_q(Cap.VIEW, field="org_unit"))
        .select_related("org_unit")
        .order_by("org_unit__path")
    )
    committee = committees.get(request.GET.get("namnd", ""))
    if committee:
        reports = reports.filter(org_unit__path__startswith=committee.path)
    today = timezone.localdate()
    days_left = (rnd.deadline - today).days
    wanted = request.GET.get("status", "")
    rows = []
    for report in reports:
        state = _state(report)
        if wanted and state != wanted:
            continue
        late = not rnd.is_closed and days_left < 0 and state in ("not_started", "draft", "returned")
        if request.GET.get("sena") and not late:
            continue
        rows.append(
            {
                "report": report,
                "committee": _committee_of(report.org_unit, committees),
                "state": state,
                "state_label": STATE_LABELS[state],
                "symbol": STATUS_SYMBOLS[state],
                "late": late,
            }
        )
    if request.GET.get("export") == "xlsx":
        return workbook_response(
            f"uppfoljning-{rnd.pk}.xlsx",
            _("Uppföljning"),
            [
                Column(_("Organisation"), 40),
                Column(_("Nämnd"), 36),
                Column(_("Status"), 14),
                Column(_("Sen"), 8),
                Column(_("Sista dag"), 12),
                Column(_("Dagar kvar"), 12, "0"),
                Column(_("Inlämnad"), 18, "yyyy-mm-dd hh:mm"),
            ],
            (
                [
                    r["report"].org_unit.name,
                    r["committee"].name if r["committee"] else "",
                    str(r["state_label"]),
                    r["late"],
                    rnd.deadline,
                    days_left,
                    timezone.localtime(r["report"].submitted_at)
                    if r["report"].submitted_at
                    else None,
                ]
                for r in rows
            ),
        )
    counts = Counter(r["state"] for r in rows)
    committee_list = sorted(committees.values(), key=lambda c: (c.order, c.name))
    pdf_targets = report_targets(request.user, Cap.MANAGE, committee_list)
    return render(
        request,
        "followup/round_dashboard.html",
        {
            "round": rnd,
            "rows": rows,
            "counts": [
                (STATE_LABELS[s], STATUS_SYMBOLS[s], counts.get(s, 0)) for s in STATE_LABELS
            ],
            "late_count": sum(1 for r in rows if r["late"]),
            "days_left": days_left,
            "days_late": -days_left,
            "committees": committee_list,
            "committee": committee,
            "states": list(STATE_LABELS.items()),
            "wanted": wanted,
            "only_late": bool(request.GET.get("sena")),
            "can_manage": can_manage_rounds(request.user),
            "export_query": request.GET.urlencode(),
            "pdf_form": ReportPdfForm(orgs=pdf_targets) if pdf_targets else None,
            "generated_reports": generated_reports_for(request.user, rnd),
        },
    )


@login_required
@require_POST
def round_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round_for_manage(request, pk)
    round_close(rnd=rnd, user=request.user)
    messages.success(request, _("Uppföljningen är stängd. Rapporterna är låsta."))
    return redirect("followup:round_dashboard", pk=rnd.pk)


# --------------------------------------------------------------------------- a report


def _assessment_forms(report: Report, editable: bool):
    items = []
    for a in report.assessments.select_related("goal").order_by(
        "goal__level", "goal__order", "goal__pk"
    ):
        items.append({"assessment": a, "form": AssessmentForm(instance=a) if editable else None})
    return items


def _rollup(report: Report, own_goal_ids: list[int]):
    """For a committee or the council: the reports below and, per own goal, the
    distribution of the chosen assessments of the goals that break it down."""
    below = list(
        report.round.reports.filter(org_unit__path__startswith=report.org_unit.path)
        .exclude(pk=report.pk)
        .select_related("org_unit")
        .only("pk", "round_id", "status", "started", "org_unit__name", "org_unit__path")
        .order_by("org_unit__path")
    )
    distribution: dict[int, Counter] = defaultdict(Counter)
    for parent_id, chosen, n in (
        GoalAssessment.objects.filter(report__round=report.round, goal__parent_id__in=own_goal_ids)
        .order_by()
        .values_list("goal__parent_id", "chosen")
        .annotate(n=Count("pk"))
    ):
        distribution[parent_id][chosen or "missing"] += n
    return below, distribution


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, get_report_for_view(request, pk))


def _report_page(request, report: Report, value_rows=None) -> HttpResponse:
    editable = can_edit_report(request.user, report)
    items = _assessment_forms(report, editable)
    below, distribution = _rollup(report, [i["assessment"].goal_id for i in items])
    for item in items:
        counts = distribution.get(item["assessment"].goal_id, Counter())
        item["distribution"] = [
            (value, label, counts.get(value, 0)) for value, label in Assessment.choices
        ] + [("missing", _("Ej bedömt ännu"), counts.get("missing", 0))]
        item["has_children"] = bool(counts)
    updates = [
        {"update": u, "form": ActivityUpdateForm(instance=u) if editable else None}
        for u in report.activity_updates.select_related("activity__goal").order_by(
            "activity__end", "activity__pk"
        )
    ]
    return render(
        request,
        "followup/report_detail.html",
        {
            "report": report,
            "items": items,
            "updates": updates,
            "editable": editable,
            "can_approve": can_approve_report(request.user, report),
            "below": [
                {
                    "report": r,
                    "state": _state(r),
                    "state_label": STATE_LABELS[_state(r)],
                    "symbol": STATUS_SYMBOLS[_state(r)],
                }
                for r in below
            ],
            "missing": [
                (i["assessment"], problems)
                for i in items
                if editable and (problems := i["assessment"].missing())
            ],
            "return_form": ReturnForm(initial={"version": report.version}),
            "value_rows": value_rows if value_rows is not None else _value_rows(report),
        },
    )


def _after_save(request, report, *, form_partial, form_id, key, context):
    """htmx: on success send only the new version and a "saved" note (out of band),
    so nothing being typed is replaced; on an error or a conflict swap in the whole
    form with its messages. Without htmx: back to the report."""
    if not request.htmx:
        if "conflict" in context or context.get("invalid"):
            return render(request, "followup/report_detail.html#" + form_partial, context)
        return redirect("followup:report_detail", pk=report.pk)
    if "conflict" in context or context.get("invalid"):
        response = render(request, "followup/report_detail.html#" + form_partial, context)
        return reswap(retarget(response, f"#{form_id}"), "outerHTML")
    form = context["item"]["form"] if "item" in context else context["u"]["form"]
    return render(
        request,
        "followup/report_detail.html#saved",
        {
            "version": form.instance.version,
            "version_id": form["version"].auto_id,
            "key": key,
            "saved_at": context["saved_at"],
        },
    )


def _save_piece(request, report, *, form, save, item_key, obj_name, partial, form_id, key):
    """Save one piece of a report (a goal's assessment, an activity's status) with
    the version check, and answer as ``_after_save`` describes."""
    context = {"report": report, item_key: {"form": form, obj_name: form.instance}}
    if form.is_valid():
        try:
            save(form.instance, form.cleaned_data.get("version"))
        except ConflictError as exc:
            context["conflict"] = conflict_context(form, exc.current)
        except LockedError as exc:
            raise PermissionDenied(exc.messages[0]) from exc
        else:
            context[item_key]["form"] = type(form)(instance=form.instance)
            context["saved_at"] = timezone.localtime()
            if not request.htmx:
                messages.success(request, _("Sparat."))
    context["invalid"] = not form.is_valid()
    return _after_save(
        request, report, form_partial=partial, form_id=form_id, key=key, context=context
    )


@login_required
@require_POST
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
def report_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_edit(request, pk)
    try:
        report_submit(
            report=report,
            user=request.user,
            expected_version=int(request.POST.get("version", "0") or 0),
        )
    except ConflictError:
        messages.error(request, _("Rapporten har ändrats av någon annan. Läs den och försök igen."))
    except ValidationError as exc:
        messages.error(request, _("Rapporten kan inte lämnas in ännu. Det här saknas:"))
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Rapporten är inlämnad."))
    return redirect("followup:report_detail", pk=report.pk)


@login_required
@require_POST
def report_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_approval(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv vad som ska kompletteras."))
        return redirect("followup:report_detail", pk=report.pk)
    try:
        report_return(
            report=report,
            user=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except ConflictError:
        messages.error(request, _("Rapporten har ändrats av någon annan. Läs den och försök igen."))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Rapporten är återsänd för komplettering."))
    return redirect("followup:report_detail", pk=report.pk)


@login_required
@require_POST
def report_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_approval(request, pk)
    try:
        report_approve(
            report=report,
            user=request.user,
            expected_version=int(request.POST.get("version", "0") or 0),
        )
    except ConflictError:
        messages.error(request, _("Rapporten har ändrats av någon annan. Läs den och försök igen."))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Rapporten är godkänd."))
    next_url = request.POST.get("next", "")
    if next_url.isdigit():
        return redirect("followup:report_detail", pk=int(next_url))
    return redirect("followup:report_detail", pk=report.pk)


# --------------------------------------------------------------------------- the period's values


def _value_rows(report: Report, data=None):
    """The unit's indicators with the cells of the round's period (same rules as /resultat/)."""
    indicators = list(
        Indicator.objects.filter(responsible_unit=report.org_unit)
        .select_related("latest", "responsible_unit")
        .order_by("name")
    )
    periods = {}
    for ind in indicators:
        period = ReportingPeriod.containing(report.round.period_end, ind.frequency)
        periods[ind.pk] = period if period.end <= report.round.period_end else period.previous()
    return build_rows(indicators, timezone.localdate(), periods=periods)


@login_required
@require_POST
def report_values(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the period's indicator values from the report page: all or nothing."""
    report = get_report_for_edit(request, pk)
    rows = _value_rows(report)
    values = bind(rows, request.POST)
    if any(r.has_error for r in rows):
        messages.error(request, _("Något värde behöver rättas. Inget har sparats."))
        return _report_page(request, report, value_rows=rows)
    try:
        saved = measurements_save(values=values, user=request.user, reason=str(report.round))
    except ValuesLocked as exc:
        mark_locked(rows, exc)
        messages.error(request, _("Något värde behöver rättas. Inget har sparats."))
        return _report_page(request, report, value_rows=rows)
    messages.success(
        request,
        ngettext("%(n)s värde sparat.", "%(n)s värden sparade.", len(saved)) % {"n": len(saved)},
    )
    return redirect(reverse("followup:report_detail", args=[report.pk]) + "#varden")
