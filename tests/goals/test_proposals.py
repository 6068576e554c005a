"""Bottom-up goal proposals (issue 15, point 2): committees propose council goals for a
planned mandate period and comment on each other's; the council's controller adopts
(picks or merges) with a decision and an end target that only the council may change,
by any path (the targets screen, the import, the admin); what became of each proposal
stays visible."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import (
    CouncilTarget,
    Goal,
    GoalLevel,
    GoalProposal,
    GoalStatus,
    Indicator,
    ProposalComment,
    ProposalStatus,
    Target,
)
from goals.workbook.importer import apply_plan, read_plan
from ledmot.models import Role
from tests.factories import MandatePeriodFactory, UserFactory, grant, perspective

from .workbook.helpers import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def planning(world):
    """The next mandate period (not begun) and an editor of each committee."""
    w = world
    start = timezone.localdate().year + 1
    w.next = MandatePeriodFactory(start_year=start, end_year=start + 3)
    w.bun_editor = UserFactory(username="bun", first_name="Bengt", last_name="Nämnd")
    grant(w.bun_editor, w.bun, Role.EDITOR)
    w.von_editor = UserFactory(username="von", first_name="Vera", last_name="Omsorg")
    grant(w.von_editor, w.von, Role.EDITOR)
    w.perspective = perspective()
    return w


def propose(client, w, *, user=None, title="Fler elever ska klara gymnasiet", **extra):
    client.force_login(user or w.bun_editor)
    data = {
        "proposer": w.bun.pk,
        "title": title,
        "description": "Andelen som tar examen inom fyra år ska öka.",
        "perspective": w.perspective.pk,
        "responsible": "Skolchef",
        "smart_specific": "on",
        "smart_measurable": "on",
        "smart_accepted": "on",
        "smart_realistic": "on",
        "smart_timebound": "on",
        "indicator_name": "Andel med examen inom fyra år",
        "indicator_unit": "%",
        "direction": "higher",
        "baseline_value": "70",
        "baseline_year": str(w.next.start_year - 1),
        "end_target": "82",
        **extra,
    }
    url = reverse("goals:proposal_create") + f"?period={w.next.pk}"
    return client.post(url, data)


def adopt(client, w, proposals, **extra):
    client.force_login(w.controller)
    data = {
        "p": [p.pk for p in proposals],
        "title": proposals[0].title,
        "description": "",
        "perspective": w.perspective.pk,
        "indicator_name": proposals[0].indicator_name,
        "indicator_unit": "%",
        "direction": "higher",
        "baseline_value": "70",
        "baseline_year": str(w.next.start_year - 1),
        "end_target": "82",
        "responsible_unit": w.bun.pk,
        "decision_reference": "KF 2026/88 § 45",
        "decided_on": timezone.localdate().isoformat(),
        **extra,
    }
    return client.post(reverse("goals:proposal_adopt"), data)


@pytest.fixture
def adopted(planning, client):
    """BUN's proposal adopted by the council with the end target 82 %."""
    w = planning
    propose(client, w)
    w.proposal = GoalProposal.objects.get()
    response = adopt(client, w, [w.proposal])
    assert response.status_code == 302
    w.goal = Goal.objects.get(proposals=w.proposal)
    w.ind = Indicator.objects.get(goals=w.goal)
    client.logout()
    return w


def targets(indicator) -> dict[int, Decimal]:
    return dict(Target.objects.filter(indicator=indicator).values_list("year", "value"))


# --------------------------------------------------------------------------- proposing


def test_a_committee_editor_proposes_and_it_shows_side_by_side_with_history(planning, client):
    w = planning
    response = propose(client, w)
    proposal = GoalProposal.objects.get()
    assert response.status_code == 302
    assert (proposal.proposer, proposal.mandate_period, proposal.status) == (
        w.bun,
        w.next,
        ProposalStatus.PROPOSED,
    )
    assert proposal.end_target == Decimal("82")
    assert [h.history_user for h in proposal.history.all()] == [w.bun_editor]
    page = client.get(reverse("goals:proposal_list")).content.decode()
    assert "Fler elever ska klara gymnasiet" in page
    assert "Föreslaget av Barn- och utbildningsnämnden" in page


def test_the_smart_checklist_uses_the_goal_rule(planning, client):
    w = planning
    propose(client, w, title="Utan indikator", indicator_name="", end_target="", responsible="")
    page = client.get(
        reverse("goals:proposal_detail", args=[GoalProposal.objects.get().pk])
    ).content.decode()
    # Mätbart needs an indicator and a named responsible is missing, as for goals.
    assert 'class="no">Mätbart' in page
    assert 'class="no">Namngiven ansvarig' in page
    assert 'class="yes">Specifikt' in page


QUERIES = 5


def test_the_list_takes_the_same_queries_for_one_proposal_or_many(
    planning, client, django_assert_num_queries
):
    w = planning
    propose(client, w)
    client.force_login(w.reader)
    url = reverse("goals:proposal_list")
    # A fixed number, whatever the number of proposals (pinned).
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    for n in range(4):
        propose(client, w, title=f"Förslag {n}")
    client.force_login(w.reader)
    with django_assert_num_queries(QUERIES):
        page = client.get(url).content.decode()
    assert "Förslag 3" in page


def test_a_proposal_written_by_no_one_shows_like_the_demos(planning, client):
    w = planning
    proposal = GoalProposal.objects.create(
        mandate_period=w.next, proposer=w.bun, title="Från demodata", perspective=w.perspective
    )
    ProposalComment.objects.create(proposal=proposal, unit=w.von, text="Utan författare")
    client.force_login(w.reader)
    response = client.get(reverse("goals:proposal_detail", args=[proposal.pk]))
    assert response.status_code == 200
    assert "Utan författare" in response.content.decode()


def test_a_unit_editor_cannot_propose(planning, client):
    w = planning
    client.force_login(w.editor)
    assert client.get(reverse("goals:proposal_create") + f"?period={w.next.pk}").status_code == 403
    response = propose(client, w, user=w.editor)
    assert response.status_code == 403
    assert not GoalProposal.objects.exists()


def test_a_committee_cannot_propose_for_another_committee(planning, client):
    w = planning
    response = propose(client, w, user=w.von_editor)
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not GoalProposal.objects.exists()


def test_no_proposals_for_a_period_that_has_begun(planning, client):
    w = planning
    client.force_login(w.bun_editor)
    url = reverse("goals:proposal_create") + f"?period={w.period.pk}"
    response = client.post(url, {"proposer": w.bun.pk, "title": "x"}, follow=True)
    assert "har börjat" in response.content.decode()
    assert not GoalProposal.objects.exists()


def test_another_committee_comments_and_the_comment_shows(planning, client):
    w = planning
    propose(client, w)
    proposal = GoalProposal.objects.get()
    client.force_login(w.von_editor)
    url = reverse("goals:proposal_comment", args=[proposal.pk])
    response = client.post(url, {"unit": w.von.pk, "text": "Vi vill bidra med fritidsgårdar."})
    assert response.status_code == 302
    comment = ProposalComment.objects.get()
    assert (comment.unit, comment.author, comment.history.get().history_user) == (
        w.von,
        w.von_editor,
        w.von_editor,
    )
    page = client.get(reverse("goals:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Vi vill bidra med fritidsgårdar." in page
    assert "Vård- och omsorgsnämnden" in page


def test_a_reader_cannot_comment(planning, client):
    w = planning
    propose(client, w)
    proposal = GoalProposal.objects.get()
    client.force_login(w.reader)
    url = reverse("goals:proposal_comment", args=[proposal.pk])
    assert client.post(url, {"unit": w.bun.pk, "text": "Hej"}).status_code == 403
    assert not ProposalComment.objects.exists()


# --------------------------------------------------------------------------- adopting


def test_the_controller_adopts_a_proposal_as_a_council_goal_with_a_fixed_end_target(adopted):
    w = adopted
    goal, ind = w.goal, w.ind
    assert (goal.level, goal.owner, goal.mandate_period, goal.status) == (
        GoalLevel.COUNCIL,
        w.kf,
        w.next,
        GoalStatus.ADOPTED,
    )
    assert goal.decision_reference == "KF 2026/88 § 45"
    assert ind.responsible_unit == w.bun
    # The linear fill is the default progression; the end year is the end target.
    start = w.next.start_year
    assert targets(ind) == {
        start: Decimal("73"),
        start + 1: Decimal("76"),
        start + 2: Decimal("79"),
        start + 3: Decimal("82"),
    }
    fixed = CouncilTarget.objects.get()
    assert (fixed.goal, fixed.indicator, fixed.year) == (goal, ind, w.next.end_year)
    w.proposal.refresh_from_db()
    assert (w.proposal.status, w.proposal.goal) == (ProposalStatus.ADOPTED, goal)
    assert goal.history.get().history_user == w.controller


def test_what_became_of_a_proposal_stays_visible(adopted, client):
    w = adopted
    client.force_login(w.reader)
    page = client.get(reverse("goals:proposal_detail", args=[w.proposal.pk])).content.decode()
    assert "Antaget" in page and f"”{w.goal.title}”" in page
    assert "KF 2026/88 § 45" in page
    listing = client.get(reverse("goals:proposal_list") + f"?period={w.next.pk}")
    assert f"”{w.goal.title}”" in listing.content.decode()


def test_two_proposals_merged_into_one_goal_and_one_not_adopted(planning, client):
    w = planning
    propose(client, w, title="Fler ska klara gymnasiet")
    propose(client, w, title="Färre avhopp från gymnasiet")
    propose(client, w, title="Ett förslag som inte antas")
    first, second, third = GoalProposal.objects.order_by("pk")
    assert adopt(client, w, [first, second], title="Alla ska klara gymnasiet").status_code == 302
    response = client.post(reverse("goals:proposal_decline", args=[third.pk]), follow=True)
    assert "inte antaget" in response.content.decode()
    goal = Goal.objects.get(title="Alla ska klara gymnasiet")
    for p in (first, second, third):
        p.refresh_from_db()
    assert (first.status, second.status) == (ProposalStatus.MERGED, ProposalStatus.MERGED)
    assert first.goal == second.goal == goal
    assert (third.status, third.goal) == (ProposalStatus.NOT_ADOPTED, None)
    page = client.get(reverse("goals:proposal_list") + f"?period={w.next.pk}").content.decode()
    assert page.count("Sammanslaget") == 2 and "Inte antaget" in page


def test_a_proposal_is_adopted_once(adopted, client):
    w = adopted
    response = adopt(client, w, [w.proposal])
    assert response.status_code == 302  # nothing left to adopt: back to the list
    assert Goal.objects.filter(proposals__isnull=False).count() == 1


def test_a_committee_editor_cannot_adopt(planning, client):
    w = planning
    propose(client, w)
    proposal = GoalProposal.objects.get()
    client.force_login(w.bun_editor)
    data = {"p": [proposal.pk], "title": "x", "decision_reference": "x", "decided_on": "2026-01-01"}
    assert client.post(reverse("goals:proposal_adopt"), data).status_code == 403
    assert client.post(reverse("goals:proposal_decline", args=[proposal.pk])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not Goal.objects.filter(mandate_period=w.next).exists()


def test_adoption_needs_a_decision(planning, client):
    w = planning
    propose(client, w)
    response = adopt(client, w, list(GoalProposal.objects.all()), decision_reference="")
    assert response.status_code == 200
    assert not Goal.objects.filter(mandate_period=w.next).exists()


# --------------------------------------------------------------------------- the end target


def _targets_post(w, values: dict[int, str]):
    """The targets form as the page posts it: every year with the value it had."""
    saved = targets(w.ind)
    data = {}
    for year in range(w.next.start_year, w.next.end_year + 1):
        shown = f"{saved[year]:f}".rstrip("0").rstrip(".") if year in saved else ""
        data[f"o-{year}"] = shown
        data[f"t-{year}"] = values.get(year, shown)
    return data


def test_the_committee_sets_its_progression_but_not_the_end_target_on_the_screen(adopted, client):
    w = adopted
    client.force_login(w.bun_editor)
    url = reverse("goals:indicator_targets", args=[w.ind.pk])
    end, first = w.next.end_year, w.next.start_year
    before = targets(w.ind)
    page = client.get(reverse("goals:indicator_detail", args=[w.ind.pk])).content.decode()
    assert "fastställt av kommunfullmäktige" in page
    response = client.post(url, _targets_post(w, {end: "90"}))
    assert "kan bara ändras av kommunfullmäktige" in response.content.decode()
    assert targets(w.ind) == before
    # The linear fill to another end target is refused the same way.
    response = client.post(url, {"fill": "1", "end_value": "95"})
    assert "kan bara ändras av kommunfullmäktige" in response.content.decode()
    assert targets(w.ind) == before
    # The yearly progression is the committee's.
    response = client.post(url, _targets_post(w, {first: "75"}))
    assert response.status_code == 302
    assert targets(w.ind)[first] == Decimal("75")
    assert targets(w.ind)[end] == Decimal("82")


def test_the_council_changes_its_end_target(adopted, client):
    w = adopted
    client.force_login(w.controller)
    url = reverse("goals:indicator_targets", args=[w.ind.pk])
    response = client.post(url, _targets_post(w, {w.next.end_year: "85"}))
    assert response.status_code == 302
    assert targets(w.ind)[w.next.end_year] == Decimal("85")


def test_the_import_refuses_a_committees_change_of_the_end_target(adopted):
    w = adopted
    # The committee's controller, who may import for the committee.
    bun_controller = UserFactory(username="bunc")
    grant(bun_controller, w.bun, Role.CONTROLLER)
    before = targets(w.ind)
    data = xlsx({"Målvärden": [[w.ind.pk, w.next.end_year, "90"]]})
    plan = read_plan(io.BytesIO(data), user=bun_controller)
    assert not plan.ok
    assert any("kan bara ändras av kommunfullmäktige" in p.message for p in plan.problems)
    assert targets(w.ind) == before
    # Its progression years go through.
    data = xlsx({"Målvärden": [[w.ind.pk, w.next.start_year, "74"]]})
    plan = read_plan(io.BytesIO(data), user=bun_controller)
    assert plan.ok, plan.problems
    apply_plan(plan, user=bun_controller)
    assert targets(w.ind)[w.next.start_year] == Decimal("74")


def test_the_admin_offers_no_way_round_the_rule(adopted, client):
    w = adopted
    w.bun_editor.is_staff = True
    w.bun_editor.save()
    client.force_login(w.bun_editor)
    for url in (
        reverse("admin:goals_indicator_change", args=[w.ind.pk]),
        reverse("admin:goals_counciltarget_change", args=[CouncilTarget.objects.get().pk]),
    ):
        assert client.get(url).status_code == 302  # the admin is for superusers only
    # Even a superuser cannot edit the fixed mark: it is read only.
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    fixed = CouncilTarget.objects.get()
    url = reverse("admin:goals_counciltarget_change", args=[fixed.pk])
    client.post(url, {"year": w.next.end_year - 1, "indicator": w.ind.pk, "goal": w.goal.pk})
    fixed.refresh_from_db()
    assert fixed.year == w.next.end_year


def test_the_indicator_with_the_end_target_is_not_deleted_with_it(adopted, client):
    w = adopted
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:goals_indicator_delete", args=[w.ind.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert "kan inte tas bort" in response.content.decode()
    assert Indicator.objects.filter(pk=w.ind.pk).exists()
    assert CouncilTarget.objects.filter(indicator=w.ind).exists()


def test_the_service_refuses_the_committee_whatever_calls_it(adopted):
    from goals.services import TargetsLocked, targets_save

    w = adopted
    before = targets(w.ind)
    with pytest.raises(TargetsLocked):
        targets_save(indicator=w.ind, values={w.next.end_year: Decimal("1")}, user=w.bun_editor)
    with pytest.raises(TargetsLocked):
        targets_save(indicator=w.ind, values={w.next.end_year: None}, user=w.bun_editor)
    assert targets(w.ind) == before


# --------------------------------------------------------------------------- roles × URLs


PERSONAS = ("anonymous", "reader", "editor", "bun_editor", "von_editor", "controller")
# What each persona gets, in PERSONAS' order: 200 page, 403 refused, 302 redirect (to
# sign in, or done). The council's controller holds the committees' rights too; BUN
# proposed, so another committee's editor (VON) may comment but not edit or withdraw.
GRID = {
    "list": (302, 200, 200, 200, 200, 200),
    "create": (302, 403, 403, 200, 200, 200),
    "detail": (302, 200, 200, 200, 200, 200),
    "adopt": (302, 403, 403, 403, 403, 200),
    "comment": (302, 403, 403, 200, 200, 200),
    "decline": (302, 403, 403, 403, 403, 302),
    "edit": (302, 403, 403, 200, 403, 200),
    "withdraw": (302, 403, 403, 302, 403, 302),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(GRID))
def test_roles_by_url(planning, client, persona, page):
    w = planning
    propose(client, w)
    proposal = GoalProposal.objects.get()
    client.logout()
    if persona != "anonymous":
        client.force_login(getattr(w, persona))
    urls = {
        "list": ("get", reverse("goals:proposal_list")),
        "create": ("get", reverse("goals:proposal_create") + f"?period={w.next.pk}"),
        "detail": ("get", reverse("goals:proposal_detail", args=[proposal.pk])),
        "adopt": ("get", reverse("goals:proposal_adopt") + f"?p={proposal.pk}"),
        # An empty comment: re-shown with its error for those who may comment.
        "comment": ("post", reverse("goals:proposal_comment", args=[proposal.pk])),
        "decline": ("post", reverse("goals:proposal_decline", args=[proposal.pk])),
        "edit": ("get", reverse("goals:proposal_edit", args=[proposal.pk])),
        "withdraw": ("post", reverse("goals:proposal_withdraw", args=[proposal.pk])),
    }
    data = {
        "comment": {"unit": w.bun.pk},
        "withdraw": {"version": proposal.version},
    }.get(page, {})
    method, url = urls[page]
    response = getattr(client, method)(url, data)
    assert response.status_code == GRID[page][PERSONAS.index(persona)]
    proposal.refresh_from_db()
    expected = ProposalStatus.PROPOSED
    if page == "decline" and persona == "controller":
        expected = ProposalStatus.NOT_ADOPTED
    if page == "withdraw" and persona in ("bun_editor", "controller"):
        expected = ProposalStatus.WITHDRAWN
    assert proposal.status == expected
    assert proposal.title == "Fler elever ska klara gymnasiet"


# --------------------------------------------------------------------------- edit, withdraw


def edit_data(w, proposal, **extra):
    data = {
        "proposer": w.bun.pk,
        "title": proposal.title,
        "description": proposal.description,
        "perspective": w.perspective.pk,
        "responsible": proposal.responsible,
        "smart_specific": "on",
        "indicator_name": proposal.indicator_name,
        "indicator_unit": "%",
        "direction": "higher",
        "end_target": "85",
        "version": proposal.version,
        **extra,
    }
    return data


def test_the_committee_edits_its_proposal_with_history(planning, client):
    w = planning
    propose(client, w)
    proposal = GoalProposal.objects.get()
    url = reverse("goals:proposal_edit", args=[proposal.pk])
    detail = client.get(reverse("goals:proposal_detail", args=[proposal.pk])).content.decode()
    assert f'href="{url}"' in detail
    page = client.get(url).content.decode()
    assert "Ändra förslaget" in page
    response = client.post(
        url,
        edit_data(w, proposal, title="Fler ska ta examen inom fyra år", proposer=w.von.pk),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Fler ska ta examen inom fyra år"
    assert proposal.end_target == Decimal("85")
    assert proposal.proposer == w.bun  # the proposer stays
    last = proposal.history.first()
    assert (last.history_user, last.history_change_reason) == (w.bun_editor, "Ändrat")
    detail = client.get(reverse("goals:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Fler ska ta examen inom fyra år" in detail


def test_a_stale_edit_is_a_conflict_and_saves_nothing(planning, client):
    w = planning
    propose(client, w)
    proposal = GoalProposal.objects.get()
    url = reverse("goals:proposal_edit", args=[proposal.pk])
    client.post(url, edit_data(w, proposal, title="Första ändringen"))
    response = client.post(url, edit_data(w, proposal, title="Andra ändringen"))
    assert response.status_code == 409
    assert "Någon annan har sparat en ny version medan du skrev." in response.content.decode()
    assert GoalProposal.objects.get().title == "Första ändringen"


def test_the_committee_withdraws_and_it_stays_visible(planning, client):
    w = planning
    propose(client, w)
    proposal = GoalProposal.objects.get()
    response = client.post(
        reverse("goals:proposal_withdraw", args=[proposal.pk]), {"version": proposal.version}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.history.first().history_change_reason == "Återtaget"
    listing = client.get(reverse("goals:proposal_list") + f"?period={w.next.pk}")
    assert "Återtaget" in listing.content.decode()
    assert proposal.title in listing.content.decode()
    detail = client.get(reverse("goals:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Återtaget" in detail
    assert reverse("goals:proposal_edit", args=[proposal.pk]) not in detail
    # Once withdrawn: no edit, no comment, and the council cannot adopt it.
    response = client.get(reverse("goals:proposal_edit", args=[proposal.pk]), follow=True)
    assert "Förslaget är återtaget och kan inte ändras." in response.content.decode()
    response = adopt(client, w, [proposal])
    assert response.status_code == 302
    assert not Goal.objects.filter(proposals=proposal).exists()


def test_a_proposal_the_council_acted_on_can_no_longer_be_edited_or_withdrawn(adopted, client):
    w = adopted
    client.force_login(w.bun_editor)
    before = GoalProposal.objects.values_list("title", "status", "version").get()
    response = client.post(
        reverse("goals:proposal_edit", args=[w.proposal.pk]),
        edit_data(w, w.proposal, title="Ändrat i efterhand", version=before[2]),
        follow=True,
    )
    text = "Kommunfullmäktige har redan behandlat förslaget; det kan inte ändras."
    assert text in response.content.decode()
    response = client.post(
        reverse("goals:proposal_withdraw", args=[w.proposal.pk]),
        {"version": before[2]},
        follow=True,
    )
    assert text in response.content.decode()
    assert GoalProposal.objects.values_list("title", "status", "version").get() == before
