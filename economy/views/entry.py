"""Ekonomi: entering a unit's budget, outcome and forecast, and those of the units
directly below it, for one period and category. All or nothing, as the results page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from economy import rules
from economy.access import entry_home, get_unit_for_entry
from economy.entry import bind, build_rows, mark_changed, mark_locked
from economy.menu import judgement_url
from economy.models import EconomyCategory
from economy.services import FiguresChanged, FiguresLocked, figures_save


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    unit = entry_home(request.user)
    if unit is None:
        raise PermissionDenied(_("Ekonomi matas in av redigerare och controller."))
    return redirect("economy:entry", pk=unit.pk)


def _chosen(request: HttpRequest):
    """The period and category chosen with ``?period=`` and ``?kategori=`` (the same on
    the form that posts): the current year and the net total by default."""
    raw = request.GET.get("period", "")
    period = None
    if raw:
        try:
            period = rules.EconomyPeriod.entered(raw)
        except ValueError as exc:
            messages.error(request, str(exc))
    if period is None:
        period = rules.EconomyPeriod.of_year(timezone.localdate().year)
    categories = list(EconomyCategory.objects.filter(active=True))
    raw = request.GET.get("kategori", "")
    category = next((c for c in categories if c.code == raw), None)
    return period, category, categories


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_entry(request, pk)
    period, category, categories = _chosen(request)
    rows = build_rows(unit, request.user, period, category)
    context = {
        "unit": unit,
        "period": period,
        "periods": rules.periods_of_year(period.year),
        "years": range(period.year - 3, period.year + 2),
        "category": category,
        "categories": categories,
        "rows": rows,
        "parent": rows[0],
        "children": rows[1:],
        "unit_url": reverse("goals:unit_detail", args=[unit.pk]),
        "judgement_url": judgement_url(request.user),
    }
    if request.method == "POST":
        figures = bind(rows, request.POST, period, category)
        errors = sum(1 for r in rows for c in r.cells if c.error)
        if errors:
            messages.error(
                request,
                ngettext(
                    "%(n)s belopp behöver rättas. Inget har sparats.",
                    "%(n)s belopp behöver rättas. Inget har sparats.",
                    errors,
                )
                % {"n": errors},
            )
            return render(request, "economy/entry.html", context)
        try:
            saved = figures_save(figures=figures, user=request.user, reason=_("Inmatat"))
        except FiguresLocked as exc:
            mark_locked(rows, exc)
            messages.error(request, _("Inget har sparats."))
            return render(request, "economy/entry.html", context)
        except FiguresChanged as exc:
            mark_changed(rows, exc)
            messages.error(
                request,
                _(
                    "Någon annan har sparat medan du skrev. Inget har sparats; jämför med de "
                    "sparade beloppen och spara igen."
                ),
            )
            return render(request, "economy/entry.html", context)
        messages.success(
            request,
            ngettext("%(n)s belopp sparat.", "%(n)s belopp sparade.", len(saved))
            % {"n": len(saved)},
        )
        return redirect(request.get_full_path())
    return render(request, "economy/entry.html", context)
