"""The public portal (no sign-in): the vision, adopted goals with their published
assessments, indicators and published report PDFs, and the open data."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from ledmot.lib.csvfile import csv_lines
from ledmot.models import OrgUnit
from portal import pages
from portal.access import check_portal
from portal.caching import public_page
from portal.opendata import DATASETS, FORMATS, catalog, json_chunks
from portal.publication import public_goals, published_reports


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", pages.home_page())


@require_safe
@public_page
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.only("id", "name", "kind"), pk=pk, kind__in=pages.COMMITTEE_KINDS
    )
    if not public_goals().filter(owner=unit).exists():
        raise Http404
    return render(request, "portal/committee.html", pages.committee_page(unit))


@require_safe
@public_page
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    found = pages.get_public_goal(pk)
    if found is None:
        raise Http404
    return render(request, "portal/goal.html", pages.goal_page(found))


@require_safe
@public_page
def reports(request: HttpRequest) -> HttpResponse:
    rows = published_reports().order_by("-round__period_end", "-pk")
    return render(request, "portal/reports.html", {"reports": rows})


@require_safe
@public_page
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(published_reports(), pk=pk)
    response = FileResponse(
        report.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{report.title}.pdf",
    )
    return response


@require_safe
@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/open_data.html",
        {"datasets": DATASETS.values(), "formats": FORMATS},
    )


@require_safe
@public_page
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    """The data set's own address (its identifier in the catalogue): its description."""
    found = DATASETS.get(slug)
    if found is None:
        raise Http404
    return render(request, "portal/dataset.html", {"dataset": found, "formats": FORMATS})


@require_safe
@public_page
def download(request: HttpRequest, slug: str, fmt: str) -> StreamingHttpResponse:
    found = DATASETS.get(slug)
    if found is None or fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(found.header, found.rows()), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            json_chunks(found), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'inline; filename="{found.slug}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@public_page
def catalog_view(request: HttpRequest) -> HttpResponse:
    body = json.dumps(catalog(), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switch as a plain link (the public pages have no forms, so no CSRF
    cookie and nothing that stops a cache): sets the language cookie and goes back."""
    check_portal()
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/oppen/"):
        target = "/oppen/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Cache-Control"] = "no-store"
    return response
