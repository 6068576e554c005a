"""Inloggningar: the sign-in security events for the municipality's administrators.

Who signed in (or tried to), when, from which address and browser, with a password or
the municipality's account, and whether it succeeded, failed or hit the lockout. The
events are axes' access log (successes) and failure log (failures and lockouts), read
as one list with filters and an Excel export of the same rows (``?export=xlsx``).
"""

from __future__ import annotations

import datetime

from axes.models import AccessFailureLog, AccessLog
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ledmot.access import Cap, access_for, refusal
from ledmot.lib.xlsx import Column, workbook_response

PAGE_SIZE = 50


class Outcome:
    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"
    LABELS = {OK: _("Inloggad"), FAILED: _("Misslyckad"), LOCKED: _("Spärrad")}


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("Användarnamn eller adress"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        required=False,
        choices=[("", _("Alla")), *Outcome.LABELS.items()],
    )
    since = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _filtered(queryset, data: dict):
    if q := data.get("q"):
        queryset = queryset.filter(Q(username__icontains=q) | Q(ip_address__startswith=q))
    if since := data.get("since"):
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        queryset = queryset.filter(attempt_time__gte=start)
    if until := data.get("until"):
        end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.min))
        queryset = queryset.filter(attempt_time__lt=end + datetime.timedelta(days=1))
    return queryset


FIELDS = ("attempt_time", "username", "ip_address", "user_agent", "path_info", "outcome")


def events(data: dict):
    """The events matching the filter ``data``, newest first, as dicts of ``FIELDS``."""
    outcome = data.get("outcome") or ""
    parts = []
    if outcome in ("", Outcome.OK):
        parts.append(
            _filtered(AccessLog.objects.all(), data)
            .annotate(outcome=Value(Outcome.OK, output_field=CharField()))
            .values(*FIELDS)
        )
    if outcome in ("", Outcome.FAILED, Outcome.LOCKED):
        failures = _filtered(AccessFailureLog.objects.all(), data)
        if outcome:
            failures = failures.filter(locked_out=outcome == Outcome.LOCKED)
        parts.append(
            failures.annotate(
                outcome=Case(
                    When(locked_out=True, then=Value(Outcome.LOCKED)),
                    default=Value(Outcome.FAILED),
                    output_field=CharField(),
                )
            ).values(*FIELDS)
        )
    first, *rest = parts
    return (
        first.union(*rest, all=True).order_by("-attempt_time")
        if rest
        else first.order_by("-attempt_time")
    )


def _with_labels(event: dict) -> dict:
    sso = event["path_info"] == reverse("oidc_callback")
    return {
        **event,
        "outcome_label": Outcome.LABELS.get(event["outcome"], event["outcome"]),
        "way": _("Kommunens konto") if sso else _("Lösenord"),
    }


COLUMNS = [
    Column(_("Tid"), 18, "yyyy-mm-dd hh:mm:ss"),
    Column(_("Användarnamn"), 30),
    Column(_("Utfall"), 12),
    Column(_("Sätt"), 16),
    Column(_("Adress"), 18),
    Column(_("Webbläsare"), 60),
]


def _export(rows) -> HttpResponse:
    return workbook_response(
        "inloggningar.xlsx",
        str(_("Inloggningar")),
        COLUMNS,
        (
            (
                timezone.localtime(e["attempt_time"]),
                e["username"],
                e["outcome_label"],
                e["way"],
                e["ip_address"],
                e["user_agent"],
            )
            for e in map(_with_labels, rows.iterator())
        ),
    )


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The sign-in events; for administrators of the whole municipality."""
    if not access_for(request.user).can_at_root(Cap.ADMINISTER):
        raise refusal(Cap.ADMINISTER, at_root=True)
    form = EventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = events(data)
    if request.GET.get("export") == "xlsx":
        return _export(rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
    page.object_list = [_with_labels(e) for e in page.object_list]
    params = [
        (k, v) for k, vs in request.GET.lists() for v in vs if k not in ("sida", "export") and v
    ]
    return render(
        request,
        "signin/event_list.html",
        {"form": form, "page": page, "filter_query": urlencode(params)},
    )
