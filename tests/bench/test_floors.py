"""The chain's floor (bench/floors.py) is honest: it shows the same goals, in the same
order, with the same counts, badges, flags and links as Röda tråden's page."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from bench.floors import chain_floor
from goals.models import GoalLevel, GoalStatus, Measurement, Target
from goals.services import indicator_refresh_latest
from ledmot.access import Cap, access_for
from tests.factories import ActivityFactory, GoalFactory, IndicatorFactory

ROW = re.compile(r'<li class="goal-row goal-row--(\w+)" id="mal-(\d+)">')


def rows(html: str) -> list[tuple]:
    """Each chain row: level, id, title link, badges, counts, flags, branch link."""
    found = []
    starts = [m.start() for m in ROW.finditer(html)] + [len(html)]
    for start, end in zip(starts, starts[1:], strict=False):
        part = html[start:end]
        level, pk = ROW.match(part).groups()
        meta = re.search(r'<div class="goal-row__meta">(.*?)</div>', part).group(1)
        found.append(
            (
                level,
                int(pk),
                re.search(r'class="goal-row__title" href="([^"]+)">([^<]*)</a>', part).groups(),
                tuple(re.findall(r'class="(?:badge|assessment) ([^"]+)"', part)),
                tuple(re.findall(r"<span>([^<]*)</span>", meta)),
                tuple(re.findall(r'class="(flag[^"]*)"', part)),
                tuple(re.findall(r'hx-get="([^"]+)"', part)),
                '<details class="branch" open>' in part.split("</div>")[-1] or None,
            )
        )
    return found


@pytest.mark.django_db
def test_chain_floor_shows_what_the_page_shows(world, client):
    w = world
    other = GoalFactory(owner=w.kf, mandate_period=w.period, title="Tryggt att åldras <i>hemma</i>")
    GoalFactory(  # another committee's goal: not shown with BUN chosen
        level=GoalLevel.COMMITTEE, parent=other, owner=w.von, mandate_period=w.period
    )
    GoalFactory(  # BUN's goal without a council goal
        level=GoalLevel.COMMITTEE,
        parent=None,
        owner=w.bun,
        mandate_period=w.period,
        title="Nämndens eget mål",
    )
    GoalFactory(
        level=GoalLevel.COMMITTEE,
        parent=w.council_goal,
        owner=w.bun,
        mandate_period=w.period,
        status=GoalStatus.PROPOSED,
        title="Förslag från nämnden",
        shared=True,
    )
    ActivityFactory(goal=w.committee_goal)
    for direction, value, target in [("higher", 73, 80), ("lower", 5, 6)]:
        ind = IndicatorFactory(responsible_unit=w.kf, direction=direction, goals=[w.council_goal])
        Measurement.objects.create(indicator=ind, period="2025", value=Decimal(value))
        Target.objects.create(indicator=ind, year=2025, value=Decimal(target))
        indicator_refresh_latest({ind.pk})

    import datetime

    from goals.models import Assignment

    for owner, title, due, goal in (  # open assignments to the committee and a unit
        (w.bun, "Utred <lokaler> & behov", datetime.date(2099, 12, 31), w.council_goal),
        (w.skola1, "Skolans kartläggning", datetime.date(2020, 1, 31), None),  # overdue
    ):
        Assignment.objects.create(giver=w.kf, owner=owner, title=title, due=due, goal=goal)
    Assignment.objects.create(  # done: not shown
        giver=w.kf, owner=w.bun, title="Klart", due=datetime.date(2099, 1, 1), status="done"
    )
    client.force_login(w.reader)
    page = client.get(reverse("goals:chain"), {"namnd": "BUN"}).content.decode()
    with connection.cursor() as cursor:
        floor = chain_floor(
            cursor,
            period_id=w.period.pk,
            committee={"code": "BUN", "name": w.bun.name, "path": w.bun.path},
            view_paths=access_for(w.reader).paths(Cap.VIEW),
        )

    page_rows = rows(page)
    assert len(page_rows) == 5
    assert rows(floor) == page_rows
    assert "Förslag från indikatorerna: Delvis uppfyllt" in floor
    assert "&lt;i&gt;hemma&lt;/i&gt;" in floor
    section = re.compile(r'<section class="perspective" aria-labelledby="chain-assignments">.*?'
                         r"</section>", re.S)  # fmt: skip

    def squeezed(html: str) -> str:
        return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html))

    assert squeezed(section.search(floor).group(0)) == squeezed(section.search(page).group(0))
    assert "Försenat" in floor and "Klart" not in section.search(floor).group(0)
    filters = re.search(r'<form method="get" class="filters".*?</form>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>[^<]*</option>", filters)
    assert len(options) > 3
    for option in options:
        assert option in floor


# --------------------------------------------------------------------------- the report page


def main_content(html: str) -> str:
    """What the report page shows inside <main>, whitespace, CSRF tokens, icons and the
    htmx attributes (behaviour, not content) set aside."""
    start = html.find('<p><a href="/uppfoljning/')
    end = html.find("</main>")
    html = html[start : end if end > 0 else len(html)]
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "CSRF", html)
    html = re.sub(r"<svg.*?</svg>", "ICON", html, flags=re.S)
    html = re.sub(r'\s+hx-[\w-]+="[^"]*"', "", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*([<>])\s*", r"\1", html)


def report_world(w, monkeypatch):
    """A committee report over units whose reports are in every state, with values of
    the period (one with a gender breakdown), an activity, and a page size of two."""
    from followup.models import Report, ReportStatus
    from tests.followup.helpers import open_round

    monkeypatch.setattr("followup.report_page.PER_PAGE", 2)
    monkeypatch.setattr("bench.floors.PER_PAGE", 2)
    for n, unit in enumerate((w.skola2, w.buf)):
        GoalFactory(
            level=GoalLevel.UNIT,
            parent=w.committee_goal,
            owner=unit,
            mandate_period=w.period,
            title=f"Enhetsmål {n} <b>",
        )
    ActivityFactory(goal=w.committee_goal, title="Nämndens aktivitet")
    for name, breakdown, value in (("Nöjdhet", True, "81.5"), ("Kö & väntan", False, None)):
        ind = IndicatorFactory(
            name=name, responsible_unit=w.bun, gender_breakdown=breakdown, frequency="tertial"
        )
        if value:
            Measurement.objects.create(
                indicator=ind, period="2025-T1", value=Decimal(value), comment="Bra\nmen"
            )
    # The council's assignments to the committee: one tied to a goal, one standing alone.
    import datetime

    from goals.models import Assignment

    for title, goal, due in (
        ("Utred <lokaler> & behov", w.committee_goal, datetime.date(2026, 12, 31)),
        ("Se över taxorna", None, datetime.date(2026, 6, 30)),
    ):
        Assignment.objects.create(
            giver=w.kf, owner=w.bun, goal=goal, title=title, decision_reference="KF 2025/87 § 41",
            decided_on=datetime.date(2025, 1, 20), due=due,
        )  # fmt: skip
    rnd = open_round(w)
    Assignment.objects.create(  # given while the round is open: no update saved yet
        giver=w.kf, owner=w.bun, title="Nytt uppdrag", due=datetime.date(2025, 11, 30)
    )
    for unit, chosen, status in (
        (w.skola1, "met", ReportStatus.SUBMITTED),
        (w.skola2, "partly", ReportStatus.APPROVED),
        (w.buf, "not_met", ReportStatus.DRAFT),
    ):
        report = Report.objects.get(round=rnd, org_unit=unit)
        for a in report.assessments.all():
            a.chosen, a.analysis = chosen, f"Analys <{chosen}>"
            a.save()
        report.status, report.started = status, True
        report.save()
    report = Report.objects.get(round=rnd, org_unit=w.bun)
    a = report.assessments.get()
    a.chosen, a.analysis, a.measures = "not_met", "Rad ett\nrad två", "Åtgärd & mer"
    a.save()
    # The committee's own controls of its adopted plan: one reported, one not.
    from control.models import ControlResult
    from control.services import control_result_save
    from tests.control.helpers import adopt, make_control, make_risk

    risk = make_risk(w, unit=w.bun, title="Fel i <attester>")
    adopt(w, risk.analysis)
    reported = make_control(w, risk, owner=w.bun, title="Stickprov & attest")
    make_control(w, risk, owner=w.bun, title="Behörigheter", method="Genomgång <alla>")
    result = ControlResult(
        report=report, control=reported, outcome="remarks", comment="Två <fel>",
        measures="Utbildning",
    )  # fmt: skip
    control_result_save(result=result, user=w.controller, expected_version=None)
    return Report.objects.get(pk=report.pk)


def floor_of(report, user) -> str:
    from django.utils import timezone

    from bench.floors import report_floor
    from followup.access import can_approve_report, can_edit_report, can_unapprove_report

    with connection.cursor() as cursor:
        return report_floor(
            cursor,
            report_id=report.pk,
            editable=can_edit_report(user, report),
            can_approve=can_approve_report(user, report),
            can_unapprove=can_unapprove_report(user, report),
            today=timezone.localdate(),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["controller", "reader"])
def test_report_floor_shows_what_the_page_shows(world, client, monkeypatch, who):
    """The committee's report as the controller (the forms: assessment, activity, values,
    submission) and as a politician reading it: the floor joins the same elements."""
    w = world
    report = report_world(w, monkeypatch)
    user = getattr(w, who)
    client.force_login(user)
    page = client.get(reverse("followup:report_detail", args=[report.pk])).content.decode()
    floor = floor_of(report, user)

    assert main_content(floor) == main_content(page)
    assert "Underliggande bedömningar: Uppfyllt 1, Delvis uppfyllt 1, Ej bedömt ännu 1" in floor
    assert "3 underliggande rapporter" in floor
    assert 'rel="next"' in floor
    assert floor.count('<tr><th scope="row"><a href="/uppfoljning/rapporter/') == 2
    assert floor.count('aria-labelledby="kontroll-') == 2  # the internal control section
    # the assignments: one given while the round is open only where it can be reported
    assert floor.count('aria-labelledby="uppdrag-') == (3 if who == "controller" else 2)
    if who == "controller":
        assert 'id="assessment-' in floor and 'id="update-' in floor
        assert 'name="v-' in floor and 'value="81,5"' in floor
        assert 'value="remarks" id="id_kontroll-' in floor and " checked>" in floor
    else:
        assert "<form" not in floor
        assert "Nöjdhet</a> 2025 T1: Totalt 81,5, Kvinnor –, Män –" in floor
        assert "Anmärkningar</span> – Två &lt;fel&gt; · Åtgärder: Utbildning" in floor
        assert "Inte rapporterad" in floor


@pytest.mark.django_db
def test_report_floor_shows_the_approval_and_the_return_comment(world, client, monkeypatch):
    """A returned unit report with its comment, and a submitted one the controller may
    approve (the approval panel)."""
    from followup.models import Report, ReportStatus

    w = world
    report_world(w, monkeypatch)
    submitted = Report.objects.get(org_unit=w.skola1)
    returned = Report.objects.get(org_unit=w.skola2)
    returned.status, returned.return_comment = ReportStatus.RETURNED, "Komplettera <analys>\nnu"
    returned.save()
    client.force_login(w.controller)
    for report in (submitted, returned):
        page = client.get(reverse("followup:report_detail", args=[report.pk])).content.decode()
        assert main_content(floor_of(report, w.controller)) == main_content(page)
    assert "Granska rapporten" in floor_of(submitted, w.controller)
    assert "Komplettera &lt;analys&gt;<br>nu" in floor_of(returned, w.controller)


@pytest.mark.django_db
def test_report_floor_shows_the_submitted_values_and_the_undo(world, client, monkeypatch):
    """A submitted committee report whose value changed since (the values as submitted,
    the change marked), then approved (the panel to undo it)."""
    from followup.models import Report
    from followup.services import report_approve, report_submit
    from goals.models import Indicator
    from goals.services import ValueInput, measurements_save

    w = world
    report = report_world(w, monkeypatch)
    a = report.assessments.get()
    a.justification = "Motivering"
    a.save()
    report = report_submit(report=report, user=w.controller, expected_version=report.version)
    nojdhet = Indicator.objects.get(name="Nöjdhet")
    measurements_save(
        values=[ValueInput(nojdhet, "2025-T1", Decimal("80"), gender="K")], user=w.controller
    )
    client.force_login(w.controller)
    url = reverse("followup:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Ändrat efter inlämning: inget värde → 80" in page
    assert main_content(floor_of(report, w.controller)) == main_content(page)
    report = report_approve(report=report, user=w.controller, expected_version=report.version)
    report = Report.objects.get(pk=report.pk)
    page = client.get(url).content.decode()
    assert "Ångra godkännandet" in page
    assert main_content(floor_of(report, w.controller)) == main_content(page)
