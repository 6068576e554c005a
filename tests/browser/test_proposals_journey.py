"""Bottom-up goal proposals (issue 15, point 2): a committee proposes a council goal for
the next mandate, the council's controller adopts it with a decision and an end target,
and the committee sets its yearly progression toward it, the end target fixed. Checked
with axe on each new screen."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals.models import GoalProposal, ProposalStatus, Target
from ledmot.models import Role
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import MandatePeriodFactory, UserFactory, grant, perspective

pytestmark = pytest.mark.browser


def test_committee_proposes_controller_adopts_committee_sets_progression(
    page, live_server, transactional_db
):
    w = build_world()
    start = timezone.localdate().year + 1
    MandatePeriodFactory(start_year=start, end_year=start + 3)
    perspective()
    bun = UserFactory(username="bun", first_name="Bengt", last_name="Nämnd")
    grant(bun, w.bun, Role.EDITOR)

    # The committee proposes.
    login(page, live_server, "bun")
    page.goto(f"{live_server.url}/malforslag/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Föreslå ett mål").click()
    page.locator("#id_title").fill("Fler elever ska vara behöriga till gymnasiet")
    page.locator("#id_perspective").select_option(label="Medborgare")
    page.locator("#id_responsible").fill("Skolchef")
    for name in ("specific", "measurable", "accepted", "realistic", "timebound"):
        page.locator(f"#id_smart_{name}").check()
    page.locator("#id_indicator_name").fill("Andel behöriga till gymnasiet")
    page.locator("#id_indicator_unit").fill("%")
    page.locator("#id_baseline_value").fill("82")
    page.locator("#id_baseline_year").fill(str(start - 1))
    page.locator("#id_end_target").fill("90")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Lämna förslaget").click()
    expect(page.get_by_text("är lämnat")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Logga ut").click()

    # The council's controller adopts it.
    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/malforslag/")
    page.get_by_label("Välj ”Fler elever ska vara behöriga till gymnasiet”").check()
    page.get_by_role("button", name="Anta valda förslag").click()
    expect(page.locator("#id_end_target")).to_have_value("90")
    page.locator("#id_decision_reference").fill("KF 2026/88 § 45")
    page.locator("#id_decided_on").fill(timezone.localdate().isoformat())
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Anta", exact=True).click()
    expect(page.get_by_text("är antaget som kommunfullmäktiges mål")).to_be_visible()
    proposal = GoalProposal.objects.get()
    assert proposal.status == ProposalStatus.ADOPTED
    page.get_by_role("button", name="Logga ut").click()

    # The committee sets its progression; the end target is the council's.
    login(page, live_server, "bun")
    page.goto(f"{live_server.url}/malforslag/{proposal.pk}/")
    expect(page.locator("#proposal-outcome")).to_contain_text("Antaget")
    page.get_by_role("link", name="Andel behöriga till gymnasiet").click()
    expect(page.get_by_text("fastställt av kommunfullmäktige").first).to_be_visible()
    page.locator(f"#id_t-{start}").fill("84")
    page.get_by_role("button", name="Spara målvärden").click()
    expect(page.get_by_text("Målvärdena är sparade.")).to_be_visible()
    indicator = proposal.goal.indicators.get()
    values = dict(Target.objects.filter(indicator=indicator).values_list("year", "value"))
    assert values[start] == Decimal("84")
    assert values[start + 3] == Decimal("90")
