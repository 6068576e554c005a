"""The API's operations: read lists (paged, filtered by period, committee and unit) and
the one write, indicator results. Reads ask the same rules as the screens for the
token's system user; the write goes through ``goals.services.measurements_save``."""

from __future__ import annotations

from django.db.models import F, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from api import schemas as S
from api.auth import PUBLIC, public_auth, token_auth
from api.errors import ApiError, bad_input, error_response, validation_errors
from api.writes import results_save
from followup.models import GoalAssessment
from goals.models import Goal, Indicator, Measurement, Target
from goals.periods import ReportingPeriod
from ledmot.access import Cap, access_for
from ledmot.models import OrgUnit
from portal import publication

MAX_LIMIT = 1000

api = NinjaAPI(
    title="LedMot API",
    version="1",
    description=(
        "Mål, indikatorer, målvärden, utfall, bedömningar och organisation som JSON. "
        "Varje system har ett eget API-token (Authorization: Bearer lm_…). Utan token "
        "visas det som den öppna portalen visar (/oppen/), med de fält den visar."
    ),
    auth=[token_auth, public_auth],
    docs_url=None,  # the interactive docs load scripts from a CDN; the description is enough
    urls_namespace="api",
)


def _public(request) -> bool:
    """The caller has no token: it reads what the public portal shows
    (``portal.publication``), with only the fields the portal shows."""
    return request.auth is PUBLIC


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    return error_response(bad_input(validation_errors(exc.errors)))


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    response = error_response(
        ApiError(401, _("Ange ett giltigt API-token: Authorization: Bearer lm_…"))
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


class Filters(Schema):
    period: str | None = None
    committee: int | None = None
    unit: int | None = None
    limit: int = 100
    offset: int = 0


def _period(raw: str | None) -> ReportingPeriod | None:
    if not raw:
        return None
    try:
        return ReportingPeriod.entered(raw)
    except ValueError as e:
        raise bad_input({"period": [str(e)]}) from None


def _unit(raw: int | None, name: str) -> OrgUnit | None:
    if raw is None:
        return None
    unit = OrgUnit.objects.filter(pk=raw).only("pk", "path").first()
    if unit is None:
        raise bad_input({name: [_("Organisationen %(id)s finns inte.") % {"id": raw}]})
    return unit


def _in_org(f: Filters, field: str) -> Q:
    """The committee (its whole subtree) and unit (that unit only) filters on the
    OrgUnit foreign key ``field`` ("" for OrgUnit itself)."""
    q = Q()
    prefix = f"{field}__" if field else ""
    if (committee := _unit(f.committee, "committee")) is not None:
        q &= Q(**{f"{prefix}path__startswith": committee.path})
    if (unit := _unit(f.unit, "unit")) is not None:
        q &= Q(**{f"{field}_id" if field else "pk": unit.pk})
    return q


def _page(request: HttpRequest, f: Filters, qs, names, renamed=None) -> dict:
    errors = {}
    if not 1 <= f.limit <= MAX_LIMIT:
        errors["limit"] = [_("Ange ett tal från 1 till %(n)s.") % {"n": MAX_LIMIT}]
    if f.offset < 0:
        errors["offset"] = [_("Ange minst 0.")]
    if errors:
        raise bad_input(errors)
    count = qs.count()
    rows = (
        list(qs.values(*names, **(renamed or {}))[f.offset : f.offset + f.limit])
        if count > f.offset
        else []
    )

    def link(offset):
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(f.limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "next": link(f.offset + f.limit) if f.offset + f.limit < count else None,
        "previous": link(max(f.offset - f.limit, 0)) if f.offset > 0 else None,
        "results": rows,
    }


@api.get("/organisation", response=S.UnitPage, summary="Organisationen", tags=["läsa"])
def organisation(request, f: Query[Filters]):
    qs = OrgUnit.objects.filter(_in_org(f, "")).order_by("path")
    if _public(request):  # the units whose goals the portal shows
        qs = qs.filter(pk__in=publication.public_goals().values("owner_id"))
    names = ["id", "code", "name", "kind", "parent_id", "active"]
    return _page(request, f, qs, names)


@api.get("/goals", response=S.GoalPage, summary="Mål", tags=["läsa"])
def goals(request, f: Query[Filters]):
    public = _public(request)
    qs = publication.public_goals() if public else Goal.objects.visible_to(request.user)
    qs = qs.filter(_in_org(f, "owner"))
    if (period := _period(f.period)) is not None:
        qs = qs.filter(
            mandate_period__start_year__lte=period.year, mandate_period__end_year__gte=period.year
        )
    names = [
        "id", "title", "description", "level", "owner_id", "parent_id",
        "decision_reference", "decided_on", *([] if public else ["status"]),
    ]  # fmt: skip
    renamed = {
        "perspective_name": F("perspective__name"),
        "mandate_start_year": F("mandate_period__start_year"),
        "mandate_end_year": F("mandate_period__end_year"),
    }
    return _page(request, f, qs.order_by("pk"), names, renamed)


@api.get("/indicators", response=S.IndicatorPage, summary="Indikatorer", tags=["läsa"])
def indicators(request, f: Query[Filters]):
    # Indicators and their values are public to every signed-in user, like adopted goals
    # (goals.views.indicators.get_indicator_for_view).
    public = _public(request)
    qs = publication.public_indicators() if public else Indicator.objects.all()
    qs = qs.filter(_in_org(f, "responsible_unit"))
    if (period := _period(f.period)) is not None:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=period.year))
    names = [
        "id", "name", "description", "unit", "decimals", "direction", "frequency", "kind",
        "kolada_id", "gender_breakdown", "baseline_value", "baseline_year",
        *([] if public else ["source", "responsible_unit_id", "ended_on"]),
    ]  # fmt: skip
    page = _page(request, f, qs.order_by("pk"), names)
    ids = [row["id"] for row in page["results"]]
    goal_ids: dict[int, list[int]] = {pk: [] for pk in ids}
    links = Indicator.goals.through.objects.filter(indicator_id__in=ids).order_by("goal_id")
    if public:
        links = links.filter(goal__in=publication.public_goals().values("pk"))
    for indicator_id, goal_id in links.values_list("indicator_id", "goal_id"):
        goal_ids[indicator_id].append(goal_id)
    for row in page["results"]:
        row["goal_ids"] = goal_ids[row["id"]]
    return page


@api.get("/targets", response=S.TargetPage, summary="Målvärden", tags=["läsa"])
def targets(request, f: Query[Filters]):
    qs = publication.public_targets() if _public(request) else Target.objects.all()
    qs = qs.filter(_in_org(f, "indicator__responsible_unit"))
    if (period := _period(f.period)) is not None:
        qs = qs.filter(year=period.year)
    names = ["indicator_id", "year", "value"]
    return _page(request, f, qs.order_by("indicator_id", "year"), names)


@api.get("/results", response=S.ResultPage, summary="Utfall", tags=["läsa"])
def results(request, f: Query[Filters]):
    public = _public(request)
    qs = publication.public_measurements() if public else Measurement.objects.all()
    qs = qs.filter(_in_org(f, "indicator__responsible_unit"))
    if (period := _period(f.period)) is not None:
        qs = qs.filter(year=period.year) if period.kind == "year" else qs.filter(period=period.key)
    names = ["indicator_id", "period", "year", "gender", "value"]
    if not public:
        names += ["id", "comment", "source", "entered_at"]
    return _page(request, f, qs.order_by("pk"), names)


@api.get("/assessments", response=S.AssessmentPage, summary="Bedömningar", tags=["läsa"])
def assessments(request, f: Query[Filters]):
    # The same rule as the report page (followup.access.can_view_report): a role that
    # gives VIEW on the report's unit.
    public = _public(request)
    if public:
        qs = publication.public_assessments()
    else:
        access = access_for(request.user)
        qs = GoalAssessment.objects.filter(access.units_q(Cap.VIEW, field="report__org_unit"))
    qs = qs.filter(_in_org(f, "report__org_unit"))
    if (period := _period(f.period)) is not None:
        qs = qs.filter(report__round__year=period.year)
    names = ["goal_id", "chosen", "analysis", "measures"]
    renamed = {
        "round_id": F("report__round_id"),
        "round_name": F("report__round__kind__name"),
        "round_year": F("report__round__year"),
    }
    if not public:
        names += ["id", "report_id", "proposed"]
        renamed |= {
            "org_unit_id": F("report__org_unit_id"),
            "round_status": F("report__round__status"),
            "report_status": F("report__status"),
        }
    return _page(request, f, qs.order_by("pk"), names, renamed)


@api.post(
    "/results",
    auth=token_auth,
    response={200: S.ResultsSaved, 400: S.ErrorOut, 403: S.ErrorOut, 409: S.ErrorOut},
    summary="Skriv utfall",
    description=(
        "Sparar indikatorvärden som en helhet: ett fel i något värde och inget sparas. "
        "Kräver ett token med behörigheten att skriva utfall och en roll som får skriva "
        "värden på indikatorns ansvariga enhet."
    ),
    tags=["skriva"],
)
def results_write(request, payload: S.ResultsIn):
    saved = results_save(token=request.auth, rows=payload.values)
    return {"saved": saved, "unchanged": len(payload.values) - saved}
