"""axe-core on the main screens: no serious or critical WCAG problems.

Runs the full default axe rule set (WCAG 2.x A/AA plus best practices) against the page
as the browser renders it, with the stylesheet applied, so colour contrast is checked too.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.conftest import build_world

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")

_axe = Axe()


def _format(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
            lines.append(f"       html: {node['html'][:200]}")
    return "\n".join(lines)


def assert_no_serious_violations(page):
    results = _axe.run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    if violations:
        pytest.fail(
            f"axe found {len(violations)} serious/critical violation(s) on {page.url}:\n"
            + _format(violations),
            pytrace=False,
        )


def test_login_page(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/logga-in/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violations(page)


def test_axe_really_runs_and_reports(page, live_server, transactional_db):
    """Guard against a silently empty check (e.g. axe blocked by the CSP): plant a fault."""
    page.goto(f"{live_server.url}/logga-in/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML("
        "'beforeend', '<img src=\"/static/img/ledmot.svg\">')"
    )
    violations = _axe.run(page).response["violations"]
    assert "image-alt" in {v["id"] for v in violations}


def test_login_page_with_error(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("ingen")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_serious_violations(page)


def test_chain_with_an_open_branch(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "reader")
    page.locator(f"#mal-{w.council_goal.pk} > details > summary").click()
    committee_row = page.locator(f"#mal-{w.committee_goal.pk}")
    expect(committee_row).to_be_visible()
    # Wait until htmx has wired up the swapped-in row before opening it.
    expect(committee_row).not_to_have_class(re.compile(r"htmx-(added|settling)"))
    committee_row.locator(":scope > details > summary").click()
    expect(page.get_by_role("link", name=w.unit_goal.title, exact=True)).to_be_visible()
    expect(page.locator(f"#mal-{w.unit_goal.pk}")).not_to_have_class(
        re.compile(r"htmx-(added|settling)")
    )
    page.locator(f"#mal-{w.unit_goal.pk} > details > summary").click()
    expect(page.get_by_text(w.activity.title)).to_be_visible()
    assert_no_serious_violations(page)


def test_goal_page(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "editor")  # The editor also sees the edit and status forms.
    page.goto(f"{live_server.url}/mal/{w.unit_goal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(w.unit_goal.title)
    assert_no_serious_violations(page)


def test_goal_page_with_a_long_series_links_the_whole_series(page, live_server, transactional_db):
    """Two years of monthly values: the chart shows the latest 13 with a link, named by
    the indicator, to the whole series in the indicator page's table."""
    from decimal import Decimal

    from goals.models import Measurement

    w = build_world()
    w.indicator.frequency = "month"
    w.indicator.save()
    for i in range(24):
        Measurement.objects.create(
            indicator=w.indicator,
            period=f"{2023 + i // 12}-{i % 12 + 1:02d}",
            value=Decimal(60 + i),
        )
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/mal/{w.unit_goal.pk}/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name=f"Hela serien för {w.indicator.name}").click()
    expect(page.get_by_role("row", name=re.compile(r"^2023-01\b"))).to_be_visible()
    assert_no_serious_violations(page)


def test_goal_page_of_a_committee_goal_for_a_reader(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/mal/{w.committee_goal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(w.committee_goal.title)
    assert_no_serious_violations(page)


def test_goal_history_tab(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/mal/{w.unit_goal.pk}/historik/")
    expect(page.get_by_role("list", name="Ändringshistorik")).to_contain_text("Skapad")
    assert_no_serious_violations(page)


@pytest.mark.parametrize(
    "path",
    [
        "/min-enhet/",
        "/malstrukturanalys/",
        "/perioder/",
        "/mal/ny/?overordnat={committee}",
        "/resultat/",
        "/indikatorer/{indicator}/",
        "/aktiviteter/?sena=1",
        "/indikatorer/?org=SKOLA1",
    ],
)
def test_other_screens(page, live_server, transactional_db, path):
    w = build_world()
    login(page, live_server, "editor")
    page.goto(
        live_server.url + path.format(committee=w.committee_goal.pk, indicator=w.indicator.pk)
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violations(page)


def test_structure_analysis_figure_opens_its_list(page, live_server, transactional_db):
    """Målstrukturanalys: a figure is a link to the goals behind it (no JavaScript
    needed), and both the summary and the list pass axe."""
    build_world()
    login(page, live_server, "reader")
    page.goto(f"{live_server.url}/malstrukturanalys/")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Utan aktivitet, Barn- och utbildningsnämnden").click()
    expect(page.locator("#lista-h")).to_contain_text("Barn- och utbildningsnämnden")
    proposal = page.get_by_role("link", name="Läsfrämjande arbete i alla klasser (förslag)")
    expect(proposal).to_be_visible()
    assert_no_serious_violations(page)


def test_goal_form_with_errors_and_inline_activity_form(page, live_server, transactional_db):
    w = build_world()
    login(page, live_server, "editor")
    page.goto(f"{live_server.url}/mal/ny/?overordnat={w.committee_goal.pk}")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("Inget har sparats")
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/mal/{w.unit_goal.pk}/")
    page.get_by_role("link", name="Lägg till aktivitet").click()
    expect(page.get_by_label("Aktivitet")).to_be_visible()
    page.get_by_label("Aktivitet").fill("Läsombud i varje klass")
    page.get_by_label("Framdrift (%)").fill("150")
    page.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.locator("#id_progress_error")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Framdrift (%)").fill("20")
    page.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.get_by_role("cell", name="Läsombud i varje klass", exact=True)).to_be_visible()
    # The inline form is replaced by the updated list, not left behind.
    expect(page.get_by_role("button", name="Spara aktiviteten")).to_have_count(0)
