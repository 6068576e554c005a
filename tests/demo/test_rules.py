"""The demo's texts follow the apps' rules: the roll-up sentence a committee writes
counts only the unit reports that count (followup.rules.counted_q: submitted or
approved), as the committee report's roll-up and Röda tråden do."""

import pytest

from demo.builders.followup import _rollup_sentence
from followup.models import GoalAssessment, Report
from followup.services import report_submit
from goals.fulfilment import Assessment
from tests.followup.helpers import open_round


@pytest.mark.django_db
def test_the_rollup_sentence_leaves_out_draft_reports(world):
    rnd = open_round(world)
    unit_report = Report.objects.get(round=rnd, org_unit=world.skola1)
    for a in unit_report.assessments.all():
        a.chosen, a.analysis, a.justification = Assessment.MET, "Analys", "Klart över målet."
        a.save()
    committee = GoalAssessment.objects.get(report__round=rnd, goal=world.committee_goal)
    # The unit's draft assessment of its goal does not count yet.
    assert _rollup_sentence(committee) == ""
    report_submit(report=unit_report, user=world.editor, expected_version=unit_report.version)
    assert _rollup_sentence(committee) == (
        "Av 1 enhetsmål som bryter ned målet bedöms 1 som uppfyllt."
    )
