"""Planera <år>: the next year's (or mandate period's) plan built from this one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from goals.access import require_period_manager
from goals.models import PlanChoice, PlanStatus, YearPlanJob
from goals.planning import ASSIGNMENT_CHOICES, build_plan
from goals.planning_jobs import job_summary, year_plan_job_start
from goals.services import year_plan_adopt, year_plan_save_choices
from ledmot.lib.limits import FIRST_PLAN_YEAR
from ledmot.models import JobStatus, OrgUnit
from ledmot.services import LockedError

PAGE_SIZE = 100
COUNCIL_GROUP = "kf"


def _groups(plan) -> list[dict]:
    """The rows per committee (the council's own goals first), with their counts."""
    counts: dict = {}
    for r in plan.rows:
        key = r.committee_id or COUNCIL_GROUP
        c = counts.setdefault(key, {"key": str(key), "n": 0, "broken": 0, "changed": 0})
        c["n"] += 1
        c["broken"] += r.breaks
        c["changed"] += r.choice != r.default
    names = dict(
        OrgUnit.objects.filter(pk__in=[k for k in counts if k != COUNCIL_GROUP]).values_list(
            "pk", "name"
        )
    )
    groups = []
    for key, c in counts.items():
        c["name"] = _("Kommunfullmäktige") if key == COUNCIL_GROUP else names.get(key, "")
        groups.append(c)
    groups.sort(key=lambda g: (g["key"] != COUNCIL_GROUP, g["name"]))
    return groups


def _ids(request: HttpRequest, prefix: str, value) -> dict:
    """The posted fields ``<prefix><id>`` as {id: value(posted)}."""
    return {
        int(k.removeprefix(prefix)): value(v)
        for k, v in request.POST.items()
        if k.startswith(prefix) and k.removeprefix(prefix).isdigit()
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_year(request: HttpRequest, year: int) -> HttpResponse:
    require_period_manager(request)
    if year <= FIRST_PLAN_YEAR or year > 2200:
        raise Http404
    action = request.POST.get("action")
    here = reverse("goals:plan_year", args=[year])
    if request.method == "POST":
        try:
            if action == "save":
                choices = _ids(request, "val-", str)
                year_plan_save_choices(
                    year=year,
                    choices=choices,
                    user=request.user,
                    parents=_ids(request, "parent-", lambda v: int(v) if v.isdigit() else None),
                    assignments=_ids(request, "uppdrag-", str),
                )
                messages.success(request, _("Valen är sparade."))
                keep = {k: request.POST[k] for k in ("grupp", "sida") if request.POST.get(k)}
                return redirect(f"{here}?{urlencode(keep)}" if keep else here)
            if action == "create":
                year_plan_job_start(year=year, user=request.user)
                return redirect(f"{here}#plan-job")
            if action == "adopt":
                n = year_plan_adopt(
                    year=year,
                    user=request.user,
                    decision_reference=request.POST.get("decision_reference", "").strip(),
                    decision_paragraph=request.POST.get("decision_paragraph", "").strip(),
                    decided_on=parse_date(request.POST.get("decided_on", "") or ""),
                )
                messages.success(
                    request,
                    _("Planen för %(year)s är antagen: %(n)s mål.") % {"year": year, "n": n},
                )
                return redirect(here)
        except (ValidationError, LockedError, ValueError) as exc:
            text = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            for m in text:
                messages.error(request, m)
            return redirect(here)
    return _page(request, year)


def _page(request: HttpRequest, year: int) -> HttpResponse:
    plan = build_plan(year)
    groups = _groups(plan)
    group = request.GET.get("grupp") or (groups[0]["key"] if groups else "")
    rows = [r for r in plan.rows if str(r.committee_id or COUNCIL_GROUP) == group]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
    for r in page:
        r.maps_parent = plan.maps_parent(r)
    status = plan.plan.status if plan.plan else PlanStatus.DRAFT
    context = {
        "year": year,
        "plan": plan,
        "status": status,
        "editable": status == PlanStatus.DRAFT,
        "groups": groups,
        "group": group,
        "page": page,
        "filter_query": urlencode({"grupp": group}),
        "counts": plan.counts(),
        "broken": plan.broken_rows()[:50],
        "choices": PlanChoice.choices,
        "assignment_choices": [(c.value, c.label) for c in ASSIGNMENT_CHOICES],
        "assignment_counts": plan.assignment_counts(),
        "PlanStatus": PlanStatus,
    }
    job = YearPlanJob.objects.filter(year=year).first()
    if job is not None and not (status == PlanStatus.ADOPTED and job.status == JobStatus.DONE):
        context.update(_job_context(year, job))
    return render(request, "goals/plan_year.html", context)


def _job_context(year: int, job: YearPlanJob) -> dict:
    return {
        "job": job,
        "poll_url": reverse("goals:plan_year_job", args=[year, job.pk]),
        "result_url": reverse("goals:plan_year", args=[year]),
        "result_label": job_summary(job) + " " + _("Visa planen"),
    }


@login_required
@require_GET
def plan_year_job(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The job creating the plan: its progress as a fragment (polled by the page)."""
    require_period_manager(request)
    job = get_object_or_404(YearPlanJob, year=year, pk=pk)
    if not request.htmx:
        return redirect(reverse("goals:plan_year", args=[year]) + "#plan-job")
    return render(request, "partials/job_progress.html", _job_context(year, job))
