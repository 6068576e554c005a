"""``seed_demo``: wipe and rebuild the demo municipality Åsbacka kommun.

:func:`seed_demo` reads the content in ``demo/data/`` as it reads on ``today``
(:mod:`demo.calendar`: the years move so that what is ongoing is ongoing today) and
builds it with the builders per app (``demo/builders/``): the organisation and the
logins, the goal chain with activities and indicators with their values, the
follow-up (last year's annual report and this year's tertial report closed, the interim
report under way), the annual wheel and the priority round for next year's budget.

Deterministic for a given day (a fixed random seed) and idempotent: :func:`wipe` first
removes the follow-up rounds with their reports, the priority rounds, the organisation,
goals, indicators with their targets, values and Kolada values, activities, roles and
demo users, together with their history, and everything is rebuilt in one
transaction. Every write goes through ``save()``/``objects.create()``, the services or
``simple_history.utils.bulk_create_with_history``, so that each row has its history
record.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from control.models import Control, ControlResult, Risk, RiskAnalysis
from demo.builders import SEED
from demo.builders.assignments import build_assignments
from demo.builders.control import build_internal_control
from demo.builders.economy import history_models as economy_history_models
from demo.builders.economy import seed_demo_economy, wipe_economy
from demo.builders.followup import DEMO_EDITOR_PREFIX, seed_demo_followup, seed_demo_wheel
from demo.builders.geh import history_models as geh_history_models
from demo.builders.geh import seed_demo_judgement
from demo.builders.goals import build_goals, ensure_perspectives, seed_demo_results
from demo.builders.issue17 import (
    build_glossary,
    build_service_guarantees,
    build_steering_documents,
)
from demo.builders.org import build_org, create_personas, person_name
from demo.builders.portal import seed_demo_publication
from demo.builders.priorities import seed_demo_priorities
from demo.builders.proposals import seed_demo_proposals
from demo.builders.signins import seed_signins
from demo.calendar import calendar_for
from demo.content import BASE_YEAR, CHIEFS, PERSONA_USERNAMES, content_for
from followup.models import (
    ActivityUpdate,
    AssignmentUpdate,
    FollowUpRound,
    GeneratedReport,
    GoalAssessment,
    Report,
    WheelStep,
)
from goals.models import (
    Activity,
    Assignment,
    BudgetYear,
    CouncilTarget,
    Goal,
    GoalLevel,
    GoalProposal,
    Indicator,
    IndicatorLatest,
    KoladaValue,
    MandatePeriod,
    Measurement,
    ProposalComment,
    ServiceGuarantee,
    Target,
    Vision,
)
from goals.workbook.models import WorkbookImport
from ledmot.models import PATH_SEPARATOR, OrgKind, OrgUnit, RoleAssignment
from portal.models import ReportPublication, RoundPublication
from priorities.models import ItemIndicator, PriorityItem, PriorityRound, Worksheet
from steering.models import SteeringDocument


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # user, pw, role, unit


def count_rows() -> dict[str, int]:
    return {
        "org_units": OrgUnit.objects.count(),
        "committees": OrgUnit.objects.filter(kind=OrgKind.COMMITTEE).count(),
        "units": OrgUnit.objects.filter(kind=OrgKind.UNIT).count(),
        "council_goals": Goal.objects.filter(level=GoalLevel.COUNCIL).count(),
        "committee_goals": Goal.objects.filter(level=GoalLevel.COMMITTEE).count(),
        "unit_goals": Goal.objects.filter(level=GoalLevel.UNIT).count(),
        "goals": Goal.objects.count(),
        "activities": Activity.objects.count(),
        "indicators": Indicator.objects.count(),
        "indicator_links": Indicator.goals.through.objects.count(),
        "targets": Target.objects.count(),
        "measurements": Measurement.objects.count(),
        "kolada_values": KoladaValue.objects.count(),
        "followup_rounds": FollowUpRound.objects.count(),
        "reports": Report.objects.count(),
    }


def login_table(result: SeedResult, url: str | None = None) -> str:
    """The personas and where to sign in: ``url``, else the address the demo serves on
    (``LEDMOT_BASE_URL``, which ``make demo`` sets from ``DEMO_ADDR``)."""
    url = url or settings.LEDMOT_BASE_URL
    rows = [("Användarnamn", "Lösenord", "Roll", "Enhet"), *result.logins]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, "", f"Öppna {url} och logga in."])


def _history_models():
    models = [
        ReportPublication,
        RoundPublication,
        ControlResult,
        Control,
        Risk,
        RiskAnalysis,
        SteeringDocument,
        ServiceGuarantee,
        ProposalComment,
        GoalProposal,
        CouncilTarget,
        ItemIndicator,
        PriorityItem,
        Worksheet,
        PriorityRound,
        WheelStep,
        ActivityUpdate,
        AssignmentUpdate,
        GoalAssessment,
        Report,
        FollowUpRound,
        Measurement,
        Target,
        Activity,
        Assignment,
        Indicator,
        Goal,
        Vision,
        BudgetYear,
        MandatePeriod,
        RoleAssignment,
        OrgUnit,
    ]
    models += economy_history_models()
    models += geh_history_models()
    history = [m.history.model for m in models]
    history.append(Indicator.history.model.goals.model)  # the history of the goal links
    history.append(FollowUpRound.history.model.scope.model)  # the history of round scopes
    history.append(Risk.history.model.goals.model)  # the history of risks' goals
    history.append(Control.history.model.round_kinds.model)  # and of controls' rounds
    history.append(PriorityItem.history.model.goals.model)  # the history of items' goals
    history.append(SteeringDocument.history.model.goals.model)  # documents' goals
    return history


def wipe() -> None:
    """Remove the follow-up rounds with their reports, the organisation, goals, indicators
    with their targets, values and Kolada values, activities, roles and demo users.

    The history of the removed rows goes too: the data set is rebuilt from nothing,
    so its history starts again with one "created" record per row. Perspectives are
    configuration, not demo data, and are kept.
    """
    # No "deleted" records for rows whose whole history is removed below.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        # Report PDFs and imports made in the demo (with their files) point at rounds,
        # units and demo users.
        for job in [*GeneratedReport.objects.all(), *WorkbookImport.objects.all()]:
            if job.file:
                job.file.delete(save=False)
        GeneratedReport.objects.all().delete()
        WorkbookImport.objects.all().delete()
        # Reports point at units, goals and activities: they go first. A closed round's
        # rows refuse ``delete()`` one by one (the lock); the queryset delete cascades
        # through the collector, which never calls it.
        FollowUpRound.objects.all().delete()
        # Priority rounds (with their worksheets, items and indicator links) point at
        # units, goals and indicators. The queryset delete never calls the items' lock.
        PriorityRound.objects.all().delete()
        # Internal control (the results went with the reports): controls point at risks,
        # risks at goals and units. Queryset deletes never call the adopted lock.
        Control.objects.all().delete()
        Risk.objects.all().delete()
        RiskAnalysis.objects.filter(predecessor__isnull=False).delete()
        RiskAnalysis.objects.all().delete()
        WheelStep.objects.all().delete()
        # Goal proposals point at periods, units and goals (their comments go with them).
        GoalProposal.objects.all().delete()
        Activity.objects.all().delete()
        Assignment.objects.all().delete()
        # Steering documents point at units and goals: their decided rows refuse
        # ``delete()`` one by one (the lock); the queryset delete never calls it.
        SteeringDocument.objects.all().delete()
        # Service guarantees hold on to their units and indicators (PROTECT).
        ServiceGuarantee.objects.all().delete()
        KoladaValue.objects.all().delete()
        IndicatorLatest.objects.all().delete()
        Measurement.objects.all().delete()
        Target.objects.all().delete()
        Indicator.goals.through.objects.all().delete()
        Indicator.objects.all().delete()
        # Children first: a goal's parent is SET_NULL, which would rewrite the children.
        for level in (GoalLevel.UNIT, GoalLevel.COMMITTEE, GoalLevel.COUNCIL):
            Goal.objects.filter(level=level).delete()
        Goal.objects.all().delete()
        Vision.objects.all().delete()
        BudgetYear.objects.all().delete()
        MandatePeriod.objects.all().delete()
        RoleAssignment.objects.all().delete()
        wipe_economy()  # the figures point at units
        get_user_model().objects.filter(username__in=PERSONA_USERNAMES).delete()
        get_user_model().objects.filter(username__startswith=DEMO_EDITOR_PREFIX).delete()
        # The parent link is PROTECT: remove the deepest units first.
        by_depth: dict[int, list[int]] = defaultdict(list)
        for pk, path in OrgUnit.objects.values_list("pk", "path"):
            by_depth[path.count(PATH_SEPARATOR)].append(pk)
        for depth in sorted(by_depth, reverse=True):
            OrgUnit.objects.filter(pk__in=by_depth[depth]).delete()
    for model in _history_models():
        model.objects.all().delete()


def seed_demo(today: datetime.date | None = None) -> SeedResult:
    """Wipe and rebuild the demo municipality Åsbacka kommun as it stands on ``today``
    (default: the local date). The same day gives the same data."""
    ctx = content_for(calendar_for(today or timezone.localdate(), BASE_YEAR))
    rng = random.Random(SEED)
    with transaction.atomic():
        wipe()
        perspectives = ensure_perspectives()
        units, tags = build_org()
        chiefs = {code: person_name(rng) for code in units}
        chiefs.update(CHIEFS)
        indicators = build_goals(ctx, rng, units, tags, chiefs, perspectives)
        # Targets, values and Kolada comparisons (an rng of their own: adding results
        # does not change anything generated before them). Before the follow-up: a
        # closed round freezes the values of its periods.
        seed_demo_results(ctx, indicators, random.Random(SEED + 1))
        # Budget, outcome and forecast (an rng of their own), before the follow-up too.
        seed_demo_economy(ctx.cal.year, units, tags, random.Random(SEED + 3))
        # Service guarantees with their values, before the follow-up like the results.
        build_service_guarantees(ctx.tertials, units)
        logins = create_personas(units)
        # Assignments (uppdrag), before the follow-up so that its rounds ask about them.
        build_assignments(ctx.today, units)
        # Internal control: last year's and this year's adopted risk analyses and control
        # plans, before the follow-up so that its rounds ask for the controls' results.
        build_internal_control(ctx.annual_round.period_end.year, units)
        # The follow-up (an rng of its own, like the results).
        seed_demo_followup(ctx, units, tags, chiefs, random.Random(SEED + 2))
        # The public portal: last year's annual report published, with its PDF.
        seed_demo_publication()
        # The controller's judgement of god ekonomisk hushållning in the interim report.
        seed_demo_judgement(
            FollowUpRound.objects.filter(period_end=ctx.delar_round.period_end).first(),
            get_user_model().objects.filter(username="controller").first(),
        )
        seed_demo_wheel(ctx)
        seed_demo_priorities(ctx, units)
        seed_demo_proposals(ctx.current_period, units)
        build_steering_documents(ctx.today, units)
        build_glossary()
        # The sign-in log of the last month (the security events page).
        seed_signins(random.Random(SEED + 4), ctx.today)
    return SeedResult(counts=count_rows(), logins=logins)
