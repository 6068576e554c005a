"""Säkerhetshändelser: the security events for the municipality's administrators.

Who signed in (or tried to), when, from which address and browser, with a password or
the municipality's account, and whether it succeeded, failed or hit the lockout; and who
gave or took a role, deactivated or reactivated a person or a unit, when and from which
address. The sign-ins are axes' access log (successes) and failure log (failures and
lockouts), the changes ``SecurityEvent`` (written by ``ledmot.services``), read as one
list with filters and an Excel export of the same rows (``?export=xlsx``).
"""

from __future__ import annotations

import datetime
import heapq
import itertools

from axes.models import AccessFailureLog, AccessLog
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Case, CharField, F, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ledmot.access import Cap, access_for, refusal
from ledmot.lib.paging import capped_paginator, page_number
from ledmot.lib.xlsx import Column, workbook_response
from ledmot.models import SecurityEvent, SecurityEventKind

PAGE_SIZE = 50
COUNT_CAP = 1000


class Outcome:
    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"
    SIGNIN_LABELS = {OK: _("Inloggad"), FAILED: _("Misslyckad"), LOCKED: _("Spärrad")}
    LABELS = {**SIGNIN_LABELS, **dict(SecurityEventKind.choices)}


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("Användarnamn eller adress"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=_("Händelse"),
        required=False,
        choices=[("", _("Alla")), *Outcome.LABELS.items()],
    )
    since = forms.DateField(
        label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _filtered(queryset, data: dict, *, time: str, names=("username",)):
    if q := data.get("q"):
        match = Q(ip_address__startswith=q)
        for name in names:
            match |= Q(**{f"{name}__icontains": q})
        queryset = queryset.filter(match)
    if since := data.get("since"):
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        queryset = queryset.filter(**{f"{time}__gte": start})
    if until := data.get("until"):
        end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.min))
        queryset = queryset.filter(**{f"{time}__lt": end + datetime.timedelta(days=1)})
    return queryset


# The columns of the one list, in this order in every part of the union (all of them
# annotations, so each part selects them in the same order).
FIELDS = ("at", "who", "outcome", "what", "by", "address", "agent", "path")


def _text(value: str):
    return Value(value, output_field=CharField())


def _signin_columns(queryset, outcome):
    return queryset.annotate(
        at=F("attempt_time"),
        who=F("username"),
        outcome=outcome,
        what=_text(""),
        by=F("username"),
        address=F("ip_address"),
        agent=F("user_agent"),
        path=F("path_info"),
    ).values(*FIELDS)


def _parts(data: dict) -> list:
    """The sources of the events matching the filter ``data``, each a values queryset of
    ``FIELDS``: sign-ins (axes' access and failure logs) and changes of who may do what
    (``SecurityEvent``)."""
    outcome = data.get("outcome") or ""
    parts = []
    if outcome in ("", Outcome.OK):
        parts.append(
            _signin_columns(
                _filtered(AccessLog.objects.all(), data, time="attempt_time"), _text(Outcome.OK)
            )
        )
    if outcome in ("", Outcome.FAILED, Outcome.LOCKED):
        failures = _filtered(AccessFailureLog.objects.all(), data, time="attempt_time")
        if outcome:
            failures = failures.filter(locked_out=outcome == Outcome.LOCKED)
        parts.append(
            _signin_columns(
                failures,
                Case(
                    When(locked_out=True, then=Value(Outcome.LOCKED)),
                    default=Value(Outcome.FAILED),
                    output_field=CharField(),
                ),
            )
        )
    if outcome == "" or outcome in SecurityEventKind.values:
        changes = _filtered(
            SecurityEvent.objects.order_by(), data, time="at", names=("username", "actor_username")
        )
        if outcome:
            changes = changes.filter(kind=outcome)
        parts.append(
            changes.annotate(
                who=F("username"),
                outcome=F("kind"),
                what=F("subject"),
                by=F("actor_username"),
                address=F("ip_address"),
                agent=_text(""),
                path=_text(""),
            ).values("at", *FIELDS[1:])
        )
    return parts


def events(data: dict):
    """The events matching the filter ``data``, newest first, as dicts of ``FIELDS``
    (one query: the export reads them all)."""
    first, *rest = _parts(data)
    return first.union(*rest, all=True).order_by("-at") if rest else first.order_by("-at")


def _newest_first(part):
    """A part ordered newest first by an index. axes' logs have no index on their time,
    so ordering by it sorts the whole log (a month of a large municipality's sign-ins is
    50,000 rows, a year ten times that); their time is set when the row is written
    (``auto_now_add``), so the id, their primary key, orders them the same way."""
    if part.model in (AccessLog, AccessFailureLog):
        return part.order_by("-pk")
    return part.order_by("-at")  # SecurityEvent.at has an index


class _Newest:
    """The events of the parts, newest first, read a page at a time: each part's newest
    rows up to the page's end, merged. A page near the start reads a few rows of each
    source by an index, not the whole log sorted."""

    def __init__(self, parts: list):
        self.parts = parts

    def __getitem__(self, page: slice) -> list[dict]:
        newest = [list(_newest_first(part)[: page.stop]) for part in self.parts]
        merged = heapq.merge(*newest, key=lambda e: e["at"], reverse=True)
        return list(itertools.islice(merged, page.start, page.stop))


def _with_labels(event: dict) -> dict:
    if event["outcome"] in Outcome.SIGNIN_LABELS:
        sso = event["path"] == reverse("oidc_callback")
        what = _("Kommunens konto") if sso else _("Lösenord")
        by = event["by"]
    else:
        what = event["what"]
        by = event["by"] or _("Systemet")
    return {
        **event,
        "outcome_label": Outcome.LABELS.get(event["outcome"], event["outcome"]),
        "signin": event["outcome"] in Outcome.SIGNIN_LABELS,
        "what": what,
        "by": by,
    }


COLUMNS = [
    Column(_("Tid"), 18, "yyyy-mm-dd hh:mm:ss"),
    Column(_("Användarnamn"), 30),
    Column(_("Händelse"), 22),
    Column(_("Vad"), 40),
    Column(_("Utförd av"), 30),
    Column(_("Adress"), 18),
    Column(_("Webbläsare"), 60),
]


def _export(rows) -> HttpResponse:
    return workbook_response(
        "sakerhetshandelser.xlsx",
        str(_("Säkerhetshändelser")),
        COLUMNS,
        (
            (
                timezone.localtime(e["at"]),
                e["who"],
                e["outcome_label"],
                e["what"],
                e["by"],
                e["address"],
                e["agent"],
            )
            for e in map(_with_labels, rows.iterator())
        ),
    )


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The security events; for administrators of the whole municipality."""
    if not access_for(request.user).can_at_root(Cap.ADMINISTER):
        raise refusal(Cap.ADMINISTER, at_root=True)
    form = EventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    if request.GET.get("export") == "xlsx":
        return _export(events(data))
    number = page_number(request.GET.get("sida"))
    counted = events(data)  # counted up to COUNT_CAP past the page: the log grows
    paginator = capped_paginator(_Newest(_parts(data)), number, PAGE_SIZE, COUNT_CAP, counted)
    page = paginator.get_page(number)
    page.object_list = [_with_labels(e) for e in page.object_list]
    params = [
        (k, v) for k, vs in request.GET.lists() for v in vs if k not in ("sida", "export") and v
    ]
    return render(
        request,
        "signin/event_list.html",
        {"form": form, "page": page, "filter_query": urlencode(params)},
    )
