"""The year-after-year cycle in one journey (issue 15): a committee proposes a council
goal for the next mandate, the council's controller adopts it with an end target, the
committee sets its yearly progression toward it, and the controller plans the next
year from this one — mapping the committee's goal to the new council goal, creating
the plan as a background job and adopting it. Checked with axe on each screen."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals.models import Goal, GoalProposal, MandatePeriod, ProposalStatus, Target, YearPlan
from ledmot.models import Role
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.conftest import build_world
from tests.factories import MandatePeriodFactory, UserFactory, grant, perspective

pytestmark = pytest.mark.browser


def test_proposal_adoption_progression_and_next_year_planned(page, live_server, transactional_db):
    w = build_world()
    start = timezone.localdate().year + 1  # the next mandate, still planned
    if not w.period.contains(start - 1):  # the world's period ends this year
        MandatePeriod.objects.filter(pk=w.period.pk).update(
            start_year=start - 4, end_year=start - 1
        )
    MandatePeriodFactory(start_year=start, end_year=start + 3)
    perspective()
    bun = UserFactory(username="bun", first_name="Bengt", last_name="Nämnd")
    grant(bun, w.bun, Role.EDITOR)
    title = "Fler elever ska vara behöriga till gymnasiet"

    # 1. The committee proposes a council goal for the next mandate.
    login(page, live_server, "bun")
    page.goto(f"{live_server.url}/malforslag/")
    page.get_by_role("link", name="Föreslå ett mål").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_perspective").select_option(label="Medborgare")
    page.locator("#id_responsible").fill("Skolchef")
    for name in ("specific", "measurable", "accepted", "realistic", "timebound"):
        page.locator(f"#id_smart_{name}").check()
    page.locator("#id_indicator_name").fill("Andel behöriga till gymnasiet")
    page.locator("#id_indicator_unit").fill("%")
    page.locator("#id_baseline_value").fill("82")
    page.locator("#id_baseline_year").fill(str(start - 1))
    page.locator("#id_end_target").fill("90")
    page.get_by_role("button", name="Lämna förslaget").click()
    expect(page.get_by_text("är lämnat")).to_be_visible()
    expect(page.get_by_role("link", name="Ändra förslaget")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Logga ut").click()

    # 2. The council's controller adopts it with the end target.
    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/malforslag/")
    page.get_by_label(f"Välj ”{title}”").check()
    page.get_by_role("button", name="Anta valda förslag").click()
    expect(page.locator("#id_end_target")).to_have_value("90")
    page.locator("#id_decision_reference").fill("KF 2026/88 § 45")
    page.locator("#id_decided_on").fill(timezone.localdate().isoformat())
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Anta", exact=True).click()
    expect(page.get_by_text("är antaget som kommunfullmäktiges mål")).to_be_visible()
    proposal = GoalProposal.objects.get()
    assert proposal.status == ProposalStatus.ADOPTED
    council_goal = proposal.goal
    page.get_by_role("button", name="Logga ut").click()

    # 3. The committee sets its yearly progression toward the fixed end target.
    login(page, live_server, "bun")
    page.goto(f"{live_server.url}/malforslag/{proposal.pk}/")
    expect(page.locator("#proposal-outcome")).to_contain_text("Antaget")
    expect(page.get_by_role("link", name="Ändra förslaget")).to_have_count(0)
    page.get_by_role("link", name="Andel behöriga till gymnasiet").click()
    page.locator(f"#id_t-{start}").fill("84")
    page.get_by_role("button", name="Spara målvärden").click()
    expect(page.get_by_text("Målvärdena är sparade.")).to_be_visible()
    assert_no_serious_violations(page)
    indicator = council_goal.indicators.get()
    values = dict(Target.objects.filter(indicator=indicator).values_list("year", "value"))
    assert (values[start], values[start + 3]) == (Decimal("84"), Decimal("90"))
    page.get_by_role("button", name="Logga ut").click()

    # 4. The controller plans the next year from this one: the committee's goal goes
    # under the new council goal; the plan is created by the background job.
    login(page, live_server, "controller")
    page.goto(f"{live_server.url}/perioder/")
    page.get_by_role("link", name=f"Planera {start}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Planera {start}")
    page.get_by_role("link", name="Barn- och utbildningsnämnden").click()
    page.get_by_label(f"Fullmäktiges mål för {w.committee_goal.title}").select_option(label=title)
    page.get_by_role("button", name="Spara valen", exact=True).click()
    expect(page.get_by_text("Valen är sparade.")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_role("button", name=f"Skapa planen för {start} som utkast").click()
    job = page.locator("#plan-job")
    expect(job.get_by_role("status")).to_contain_text("Klar.")
    expect(job).to_contain_text(f"Planen för {start} är skapad som utkast")
    assert_no_serious_violations(page)
    page.get_by_label("Diarienummer").fill("KF 2026/120")
    page.get_by_label("Beslutsdatum").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Anta planen").click()
    expect(page.get_by_text(f"Planen för {start} är antagen")).to_be_visible()
    assert_no_serious_violations(page)
    assert YearPlan.objects.get(year=start).decision_reference == "KF 2026/120"
    new_committee_goal = Goal.objects.get(predecessor=w.committee_goal)
    assert new_committee_goal.parent == council_goal
    assert Goal.objects.get(predecessor=w.unit_goal).parent == new_committee_goal
