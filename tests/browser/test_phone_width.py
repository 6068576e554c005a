"""At a phone's width (390 px) no main page scrolls sideways: wide tables scroll inside
their own container, charts scale to theirs, long words and labels wrap. Checked for each
persona on each main page; and at a desktop's 1280 px, where /indikatorer/'s table was
3 px wider than the page (issue 13 point 7)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from followup.models import FollowUpRound
from goals.models import Indicator
from goals.services import ValueInput, measurements_save, targets_save
from tests.browser.helpers import login
from tests.browser.test_accessibility import assert_no_serious_violations
from tests.factories import IndicatorFactory, OrgUnitFactory
from tests.followup.helpers import open_round
from tests.priorities.helpers import make_item, prio_world

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _overflow(page) -> dict:
    """The document's width, and the elements that reach past the screen's right edge
    outside any scroll container of their own."""
    return page.evaluate(
        """() => {
          const W = document.documentElement.clientWidth;
          const scrolls = (el) => {
            for (let p = el.parentElement; p; p = p.parentElement) {
              if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
            }
            return false;
          };
          const wide = [];
          for (const el of document.querySelectorAll('main *, header *, footer *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > W + 0.5 && !scrolls(el)) {
              wide.push(el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || ''));
            }
          }
          return {width: document.documentElement.scrollWidth, screen: W, wide: wide.slice(0, 5)};
        }"""
    )


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="sv-SE", viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(locale="sv-SE", viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def _too_wide(page, live_server) -> list[str]:
    """Each persona's main pages that are wider than ``page``'s screen."""
    w = prio_world()
    rnd = open_round(w)
    report = rnd.reports.get(org_unit=w.skola1)
    # A submitted assessment: its badge on the chain and on Min enhet.
    for assessment in report.assessments.all():
        assessment.chosen = "partly"
        assessment.save()
    report.status = "submitted"
    report.save()
    make_item(w.bun_sheet, w.bun_staff, title="Fler förskollärare i alla förskolor")
    # A long Swedish compound word in a heading, and an indicator chart beside a table.
    long_name = Indicator.objects.get(pk=w.indicator.pk)
    long_name.name = "Andel deltagare i arbetsmarknadsinsatser som gått vidare till arbete"
    long_name.save()
    # A row of the indicator list with a long word in every column and the widest
    # badge: wider than a 1280 px page unless the table fits or scrolls in its own box.
    wide = IndicatorFactory(
        name="Kommunalekonomiutjämningsberäkningens utfall",
        unit="kronor/invånare",
        frequency="tertial",
        responsible_unit=OrgUnitFactory(
            name="Samhällsbyggnadsförvaltningens miljöövervakningsenhet", parent=w.bun
        ),
        goals=[w.unit_goal],
    )
    targets_save(indicator=wide, values={2025: Decimal("123456.7")}, user=w.controller)
    measurements_save(
        values=[ValueInput(indicator=wide, period="2025-T1", value=Decimal("98765.4"))],
        user=w.controller,
    )
    w.unit_goal.title = "Folkhälsoutvecklingsprogrammets grundskoleverksamhetsmål ska nås"
    w.unit_goal.save()

    main_pages = [
        "/",
        "/min-enhet/",
        "/aktiviteter/",
        "/indikatorer/",
        "/resultat/",
        "/uppfoljning/",
        "/uppfoljning/att-granska/",
        f"/uppfoljning/{rnd.pk}/",
        "/prioriteringar/",
        f"/prioriteringar/{w.round.pk}/",
        "/malstrukturanalys/",
        "/perioder/",
        f"/mal/{w.unit_goal.pk}/",
        f"/mal/{w.committee_goal.pk}/",
        f"/indikatorer/{w.indicator.pk}/",
        f"/enheter/{w.skola1.pk}/",
        "/mal/ny/",
    ]
    own_pages = {
        "editor": [
            f"/uppfoljning/rapporter/{report.pk}/",
            f"/mal/{w.unit_goal.pk}/aktiviteter/ny/",
        ],
        "bunstaff": [f"/prioriteringar/{w.round.pk}/namnd/BUN/"],
        "controller": [f"/uppfoljning/rapporter/{report.pk}/", "/perioder/ny/"],
    }
    assert FollowUpRound.objects.count() == 1
    too_wide = []
    for persona in ("editor", "reader", "controller", "kfapprover", "bunstaff"):
        login(page, live_server, persona)
        for path in main_pages + own_pages.get(persona, []):
            response = page.goto(live_server.url + path)
            if response.status != 200:
                continue  # a page this persona may not use (403) is not a main page for them
            found = _overflow(page)
            if found["width"] > found["screen"]:
                too_wide.append(f"{persona} {path}: {found['width']} px {found['wide']}")
        page.context.clear_cookies()
    return too_wide


def test_no_main_page_scrolls_sideways_at_390_px(phone_page, live_server, transactional_db):
    too_wide = _too_wide(phone_page, live_server)
    assert not too_wide, "Pages wider than a 390 px phone:\n" + "\n".join(too_wide)


def test_no_main_page_scrolls_sideways_at_1280_px(desktop_page, live_server, transactional_db):
    too_wide = _too_wide(desktop_page, live_server)
    assert not too_wide, "Pages wider than a 1280 px screen:\n" + "\n".join(too_wide)


def test_on_a_phone_the_main_menu_folds_behind_a_button_a_keyboard_opens(
    phone_page, desktop_page, live_server, transactional_db
):
    """Fourteen menu entries took eight lines of a phone's first screen before the page
    began; they fold behind "Meny" there, and stay in one line on a desktop."""
    prio_world()
    page = phone_page
    login(page, live_server, "controller")
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    button = menu.get_by_role("button", name="Meny")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Uppföljning")).to_be_hidden()
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 300
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Uppföljning")).to_be_visible()
    assert_no_serious_violations(page)
    menu.get_by_role("link", name="Uppföljning").click()
    expect(page).to_have_url(live_server.url + "/uppfoljning/")

    login(desktop_page, live_server, "controller")
    desktop_page.goto(live_server.url + "/")
    desktop_menu = desktop_page.get_by_role("navigation", name="Huvudmeny")
    expect(desktop_menu.get_by_role("button", name="Meny")).to_be_hidden()
    expect(desktop_menu.get_by_role("link", name="Uppföljning")).to_be_visible()
