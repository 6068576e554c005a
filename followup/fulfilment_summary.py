"""Goal fulfilment in sum: how many of a round's goals were met, partly met, not met and
not assessed, per committee (the whole municipality) or per unit (a committee's report).

One count for everything that prints it: the report PDF's summary
(:mod:`followup.report_document`) and the politician's overview (:mod:`followup.overview`),
whose numbers link to exactly the goals counted (:func:`summary_goals`). The goals
counted are those assessed in the round — the committee goals for the whole
municipality, the committee's and its units' goals for a committee — each under the
organisation whose report assessed it, as the reader sees it
(``followup.rules.counted_assessment``: a goal whose report is still a draft counts as
not assessed). Two queries whatever the size of the municipality.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from followup.models import FollowUpRound, GoalAssessment, Report
from followup.rules import counted_assessment
from goals.fulfilment import Assessment
from goals.models import GoalLevel
from ledmot.models import OrgKind, OrgUnit

#: The assessments in the order every summary shows them.
ORDER = [value for value, _label in Assessment.choices]


@dataclass
class SummaryRow:
    name: str
    counts: list[int]
    total: int
    org: OrgUnit | None = None


@dataclass
class FulfilmentSummary:
    heading: str
    rows: list[SummaryRow] = field(default_factory=list)
    total: SummaryRow | None = None


def summary_groups(rnd: FollowUpRound, org: OrgUnit | None) -> list[OrgUnit]:
    """What the summary has a row for: every committee and company (the whole
    municipality), or each organisation below ``org`` that reports in the round."""
    if org is None:
        return list(
            OrgUnit.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.COMPANY]).order_by(
                "order", "name"
            )
        )
    return list(
        OrgUnit.objects.filter(
            pk__in=Report.objects.filter(round=rnd, org_unit__path__startswith=org.path).values(
                "org_unit"
            )
        ).order_by("path")
    )


def counted_goals(
    rnd: FollowUpRound, org: OrgUnit | None, groups: list[OrgUnit]
) -> Iterator[tuple[OrgUnit, int, str]]:
    """Each goal the summary counts: the group (of ``groups``) it counts under, its id,
    and its assessment as the reader sees it."""
    if org is None:
        qs = GoalAssessment.objects.filter(report__round=rnd, goal__level=GoalLevel.COMMITTEE)
    else:
        qs = GoalAssessment.objects.filter(
            report__round=rnd, report__org_unit__path__startswith=org.path
        ).exclude(goal__level=GoalLevel.COUNCIL)
    paths = sorted(((g.path, g) for g in groups), key=lambda p: -len(p[0]))
    for path, goal_id, chosen, status in qs.values_list(
        "report__org_unit__path", "goal_id", "chosen", "report__status"
    ).order_by():
        for group_path, group in paths:
            if path.startswith(group_path):
                yield group, goal_id, counted_assessment(status, chosen)
                break


def fulfilment_summary(rnd: FollowUpRound, org: OrgUnit | None = None) -> FulfilmentSummary:
    """The summary of ``rnd`` for the whole municipality (``org`` None: per committee,
    its committee goals) or for one committee (per organisation, the committee's and its
    units' goals). A group with no goal assessed in the round has no row; each row's
    ``counts`` follow :data:`ORDER`."""
    if org is None:
        heading = _("Måluppfyllelse per nämnd (nämndmål)")
    else:
        heading = _("Måluppfyllelse per organisation (nämndmål och enhetsmål)")
    groups = summary_groups(rnd, org)
    by_group: dict[int, Counter] = defaultdict(Counter)
    for group, _goal_id, assessment in counted_goals(rnd, org, groups):
        by_group[group.pk][assessment] += 1
    summary = FulfilmentSummary(heading)
    total: Counter = Counter()
    for g in groups:
        counts = by_group.get(g.pk)
        if not counts:
            continue
        total.update(counts)
        summary.rows.append(SummaryRow(g.name, [counts[v] for v in ORDER], counts.total(), g))
    summary.total = SummaryRow(_("Totalt"), [total[v] for v in ORDER], total.total())
    return summary


def summary_goals(
    rnd: FollowUpRound,
    *,
    group: OrgUnit | None = None,
    assessment: str | None = None,
    org: OrgUnit | None = None,
) -> dict[int, str]:
    """The goals behind one number of :func:`fulfilment_summary` (``org``'s), each with
    the assessment it is counted with: those counted under ``group`` (None: every
    group, the total) with ``assessment`` (None: every assessment, the row's total)."""
    return {
        goal_id: counted
        for counted_group, goal_id, counted in counted_goals(rnd, org, summary_groups(rnd, org))
        if (group is None or counted_group.pk == group.pk)
        and (assessment is None or counted == assessment)
    }
