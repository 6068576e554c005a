"""The generated municipality (``seed_scale``) is honest data: the shape a municipality
has after a few years of use, and every main page opens on it.

The small size of the same generator as the large one (``demo.scale.SMALL``)."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.test import TestCase
from django.urls import reverse

from control.models import RiskAnalysis
from demo import scale
from demo.scale_life import OPEN_STATES, SCALE_ROUNDS, unit_theme
from followup.models import (
    ActivityUpdate,
    AssignmentUpdate,
    FollowUpRound,
    GoalAssessment,
    Report,
    ReportStatus,
    RoundStatus,
)
from followup.rules import report_missing
from goals.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    Frequency,
    Gender,
    Goal,
    GoalLevel,
    Indicator,
    IndicatorKind,
    IndicatorSource,
    KoladaValue,
    Measurement,
    ServiceGuarantee,
)
from goals.periods import ReportingPeriod
from goals.rules import period_fits_frequency
from ledmot.models import GlossaryTerm, OrgKind, OrgUnit, Role, RoleAssignment
from priorities.models import PriorityRound
from steering.models import DocumentStatus, SteeringDocument


class ScaleDataTests(TestCase):
    spec = scale.SMALL

    @classmethod
    def setUpTestData(cls):
        cls.result = scale.seed_scale(cls.spec)

    def test_every_value_is_of_a_period_its_indicator_may_have(self):
        rows = Measurement.objects.values_list("period", "indicator__frequency")
        bad = [(p, f) for p, f in rows if not period_fits_frequency(p, f)]
        assert bad == []
        kinds = Counter(Indicator.objects.values_list("frequency", flat=True))
        assert set(kinds) == set(Frequency.values), kinds
        # Monthly and tertial indicators have their own periods, not only years.
        for frequency, sample in (("month", "2024-03"), ("tertial", "2024-T2")):
            assert Measurement.objects.filter(
                indicator__frequency=frequency, period=sample
            ).exists()
        assert Measurement.objects.filter(gender=Gender.WOMEN).exists()
        assert self.result.counts["measurements"] == Measurement.objects.count()

    def test_kolada_indicators_have_their_values_and_the_comparisons(self):
        kolada = Indicator.objects.filter(source=IndicatorSource.KOLADA).exclude(kolada_id="")
        assert kolada.exists()
        for ind in kolada:
            assert ind.frequency == Frequency.YEAR
            municipalities = set(
                KoladaValue.objects.filter(kpi=ind.kolada_id).values_list("municipality", flat=True)
            )
            assert len(municipalities) >= 4, (ind, municipalities)

    def test_users_with_roles_spread_over_the_tree(self):
        users = get_user_model().objects
        assert users.count() >= self.spec.users
        roles = RoleAssignment.objects
        assert {r for r in Role.values if r != Role.ADMIN} <= set(
            roles.values_list("role", flat=True)
        )
        kinds = set(roles.values_list("org_unit__kind", flat=True))
        assert {OrgKind.COUNCIL, OrgKind.COMMITTEE, OrgKind.ADMINISTRATION, OrgKind.UNIT} <= kinds
        # Every unit has someone who writes for it.
        units = OrgUnit.objects.filter(kind=OrgKind.UNIT)
        with_editor = units.filter(role_assignments__role=Role.EDITOR).distinct()
        assert with_editor.count() == units.count()

    def test_closed_rounds_are_approved_throughout_and_the_open_one_in_every_state(self):
        rounds = FollowUpRound.objects.order_by("period_end")
        assert [r.status for r in rounds] == [RoundStatus.CLOSED, RoundStatus.CLOSED, "open"]
        assert [r.kind.name for r in rounds] == [s.kind for s in SCALE_ROUNDS]
        for rnd in rounds[:2]:
            reports = Report.objects.filter(round=rnd)
            assert reports.exists()
            assert not reports.exclude(status=ReportStatus.APPROVED).exists()
            assert not reports.filter(approved_by=None).exists()
            assessments = GoalAssessment.objects.filter(report__round=rnd)
            assert report_missing(assessments) == []
            assert not ActivityUpdate.objects.filter(report__round=rnd, comment="").exists()
        open_round = rounds[2]
        states = {
            ReportStatus.APPROVED,
            ReportStatus.SUBMITTED,
            ReportStatus.RETURNED,
            ReportStatus.DRAFT,
        }
        reports = Report.objects.filter(round=open_round)
        assert set(reports.values_list("status", flat=True)) == states
        assert reports.filter(status=ReportStatus.DRAFT, started=False).exists()  # not started
        assert reports.filter(status=ReportStatus.DRAFT, started=True).exists()
        assert len(OPEN_STATES) == len(states) + 1

    def test_the_open_round_is_written_with_the_values_of_its_period(self):
        """The interim report ends with August: its reports, handed in from September,
        show every monthly indicator's August and every tertial one's second tertial,
        entered before the first report was handed in."""
        from django.db.models import Min

        open_round = FollowUpRound.objects.get(status=RoundStatus.OPEN)
        year = open_round.period_end.year
        first_handed_in = Report.objects.filter(round=open_round).aggregate(at=Min("submitted_at"))[
            "at"
        ]
        for frequency, previous, due in (
            (Frequency.MONTH, f"{year}-07", f"{year}-08"),
            (Frequency.TERTIAL, f"{year}-T1", f"{year}-T2"),
        ):
            values = Measurement.objects.filter(indicator__frequency=frequency, gender=Gender.TOTAL)
            measured = set(values.filter(period=due).values_list("indicator", flat=True))
            assert measured
            assert measured == set(
                values.filter(period=previous).values_list("indicator", flat=True)
            )
            entered = values.filter(period=due).aggregate(last=Max("entered_at"))["last"]
            assert entered < first_handed_in

    def test_history_of_realistic_edits_by_several_people(self):
        edited = (
            Goal.history.values("id")
            .annotate(n=Count("history_id"), people=Count("history_user", distinct=True))
            .filter(n__gte=3, people__gte=2)
        )
        assert edited.count() >= Goal.objects.count() // 10
        activities = Activity.history.values("id").annotate(n=Count("history_id"))
        assert activities.filter(n__gte=3).exists()
        assert Measurement.history.filter(history_type="~").exists()
        # Values were entered after their period ended, and their history says so.
        for period, entered in Measurement.objects.values_list("period", "entered_at"):
            assert ReportingPeriod.parse(period).end < entered.date() <= scale.VALUES_DUE
        first = Measurement.history.filter(history_type="+").values_list("period", "history_date")
        assert all(ReportingPeriod.parse(p).end < d.date() for p, d in first)
        dates = Goal.history.values_list("history_date__year", flat=True).distinct()
        assert len(set(dates)) >= 3  # not all stamped on the day of seeding
        writers = Report.history.filter(history_change_reason="Inlämnad").values("history_user")
        assert writers.distinct().count() >= 10

    def test_the_main_pages_open_for_a_controller(self):
        controller = get_user_model().objects.get(username="controller")
        self.client.force_login(controller)
        committee = OrgUnit.objects.filter(kind=OrgKind.COMMITTEE).first()
        committee_goal = Goal.objects.filter(level=GoalLevel.COMMITTEE).first()
        open_round = FollowUpRound.objects.get(status="open")
        closed_round = FollowUpRound.objects.filter(status=RoundStatus.CLOSED).first()
        unit_report = Report.objects.filter(
            round=open_round, org_unit__kind=OrgKind.UNIT, status=ReportStatus.SUBMITTED
        ).first()
        committee_report = Report.objects.get(round=open_round, org_unit=committee)
        council_report = Report.objects.get(round=closed_round, org_unit__kind=OrgKind.COUNCIL)
        monthly = Indicator.objects.filter(frequency=Frequency.MONTH).first()
        urls = [
            reverse("goals:chain"),
            reverse("goals:unit_detail", args=[committee.pk]),
            reverse("goals:unit_detail", args=[unit_report.org_unit_id]),
            reverse("goals:goal_detail", args=[committee_goal.pk]),
            reverse("goals:goal_detail", args=[monthly.goals.first().pk]),
            reverse("goals:structure"),
            reverse("followup:round_dashboard", args=[open_round.pk]),
            reverse("followup:round_dashboard", args=[closed_round.pk]),
            reverse("followup:report_detail", args=[unit_report.pk]),
            reverse("followup:report_detail", args=[committee_report.pk]),
            reverse("followup:report_detail", args=[council_report.pk]),
            reverse("priorities:overview", args=[PriorityRound.objects.get().pk]),
            reverse("goals:results"),
            reverse("goals:indicator_detail", args=[monthly.pk]),
            reverse("steering:register"),
            reverse("steering:detail", args=[SteeringDocument.objects.first().pk]),
            reverse("goals:guarantee_list", args=[ServiceGuarantee.objects.first().unit_id]),
            reverse("glossary"),
            reverse("control:risk_list"),
            reverse("control:analysis_detail", args=[RiskAnalysis.objects.first().pk]),
        ]
        for url in urls:
            response = self.client.get(url)
            assert response.status_code == 200, url

    def test_steering_documents_guarantees_and_the_glossary_as_a_municipality_keeps_them(self):
        documents = SteeringDocument.objects.all()
        assert documents.count() == self.spec.steering_documents
        committees = OrgUnit.objects.filter(kind=OrgKind.COMMITTEE)
        assert set(documents.values_list("owner", flat=True)) == set(
            committees.values_list("pk", flat=True)
        )
        decided = documents.filter(status=DocumentStatus.DECIDED)
        assert 0 < decided.count() < documents.count()  # some drafts being written
        assert all(d.goals.exists() for d in documents)
        # reviews spread: some are overdue, as in every municipality
        assert decided.filter(review_on__lt=scale.REFERENCE_DATE).exists()
        assert decided.filter(review_on__gt=scale.REFERENCE_DATE).exists()
        guarantees = ServiceGuarantee.objects.select_related("indicator", "unit")
        assert guarantees.count() == self.spec.service_guarantees
        for guarantee in guarantees:
            assert guarantee.unit.kind == OrgKind.UNIT
            assert guarantee.indicator.kind == IndicatorKind.KEPT_SHARE
            assert guarantee.indicator.responsible_unit_id == guarantee.unit_id
            assert Measurement.objects.filter(indicator=guarantee.indicator).count() == 4
        # Each value was entered after its tertial ended and before a round closed on it.
        closed = FollowUpRound.objects.exclude(closed_at=None)
        entered = Measurement.history.filter(
            history_type="+", indicator_id__in=guarantees.values("indicator_id")
        )
        assert entered.count() == 4 * self.spec.service_guarantees
        for m in entered:
            end = ReportingPeriod.parse(m.period).end
            assert m.history_date.date() > end, m.period
            locking = closed.filter(period_end__gte=end, closed_at__lte=m.history_date)
            assert not locking.exists(), (m.period, m.history_date, locking.first())
        assert GlossaryTerm.objects.count() >= 10

    def test_assignments_given_and_reported_on_round_after_round(self):
        """The council gives every committee assignments and the committees give some of
        their units theirs; each report of a round tells how they stand, and what a
        submitted report said is the assignment's current status."""
        assignments = Assignment.objects.select_related("giver", "owner")
        committees = OrgUnit.objects.filter(kind=OrgKind.COMMITTEE)
        from_council = assignments.filter(giver__kind=OrgKind.COUNCIL)
        assert set(from_council.values_list("owner", flat=True)) == set(
            committees.values_list("pk", flat=True)
        )
        to_units = assignments.filter(owner__kind=OrgKind.UNIT)
        assert to_units.exists()
        assert all(a.owner.is_within(a.giver) for a in to_units)
        rounds = FollowUpRound.objects.order_by("period_end")
        for rnd in rounds[:2]:  # closed: every assignment asked about was reported on
            updates = AssignmentUpdate.objects.filter(report__round=rnd)
            assert updates.exists()
            assert not updates.filter(comment="").exists()
        statuses = set(AssignmentUpdate.objects.values_list("status", flat=True))
        assert {AssignmentStatus.ONGOING, AssignmentStatus.DONE} <= statuses
        # The open round's submitted reports gave the current statuses.
        submitted = AssignmentUpdate.objects.filter(
            report__round=rounds[2],
            report__status__in=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
        ).select_related("assignment")
        assert submitted.exists()
        assert all(u.assignment.status == u.status for u in submitted)
        # A status a round changed is in the history, with the round as its reason: the
        # tertial report's (every report approved), and each the open round's changed.
        assert Assignment.history.filter(history_change_reason=str(rounds[1])).exists()
        before = dict(
            AssignmentUpdate.objects.filter(report__round=rounds[1]).values_list(
                "assignment_id", "status"
            )
        )
        for u in submitted:
            if before.get(u.assignment_id, u.status) != u.status:
                assert Assignment.history.filter(
                    id=u.assignment_id, history_change_reason=str(rounds[2])
                ).exists(), u

    def test_each_unit_writes_about_its_own_kind_of_service(self):
        """A preschool's analyses speak of preschool, not of national tests; a care
        home's not of pupils (the demo's words, by the kind a unit's name tells)."""
        from tests.demo.test_day import FOREIGN_WORDS

        tag_of = {"forskola": "forskola", "skola": "skola", "omsorg": "boende"}
        tag_of["kultur"] = "bibliotek"
        checked = set()
        written = GoalAssessment.objects.filter(report__org_unit__kind=OrgKind.UNIT).exclude(
            analysis=""
        )
        for a in written.select_related("report__org_unit"):
            tag = tag_of.get(unit_theme(a.report.org_unit.name))
            if tag is None:
                continue
            text = f"{a.analysis} {a.measures}".lower()
            for word in FOREIGN_WORDS[tag]:
                assert word not in text, (a.report.org_unit.name, word, text)
            checked.add(tag)
        assert {"forskola", "skola", "boende"} <= checked  # (no culture unit writes here)

    def test_a_month_of_sign_ins_fills_the_security_events_page(self):
        """The sign-in log of the last month: most people sign in, some mistype their
        password first; an administrator's security events page has a full first page."""
        import datetime

        from axes.models import AccessFailureLog, AccessLog

        users = get_user_model().objects.count()
        log = AccessLog.objects.all()
        assert users < log.count() < 6 * users
        assert log.values("username").distinct().count() > users // 2
        assert AccessFailureLog.objects.filter(locked_out=True).exists()
        # Written in the order of time, as axes writes them: the page reads them by id.
        for model in (AccessLog, AccessFailureLog):
            times = list(model.objects.order_by("pk").values_list("attempt_time", flat=True))
            assert times == sorted(times)
        first = scale.REFERENCE_DATE - datetime.timedelta(days=31)
        assert all(first < at.date() <= scale.REFERENCE_DATE for at in log.values_list(
            "attempt_time", flat=True))  # fmt: skip
        self.client.force_login(get_user_model().objects.get(username="admin"))
        page = self.client.get(reverse("signin_events"))
        assert page.status_code == 200
        assert page.content.decode().count("<tr") == 51  # the heading and 50 events

    def test_documents_support_only_goals_in_force(self):
        """The large municipality has ended committee goals: a document is never linked
        to one (the steering rule refuses it, and the large seed stopped on it)."""
        import random

        from demo.builders.scale_documents import seed_scale_documents
        from goals.models import GoalStatus

        ended = Goal.objects.filter(level=GoalLevel.COMMITTEE, status=GoalStatus.ENDED).first()
        before = SteeringDocument.objects.count()
        seed_scale_documents(
            random.Random(1), 2, [ended.owner], ["tillsyn"], {0: [ended]}, scale.REFERENCE_DATE
        )
        made = SteeringDocument.objects.order_by("-pk")[:2]
        assert SteeringDocument.objects.count() == before + 2
        assert not any(d.goals.filter(pk=ended.pk).exists() for d in made)

    def test_every_unit_has_its_economy_and_the_committee_page_shows_the_sum(self):
        from economy.figures import figures_for
        from economy.models import EconomyFigure

        units = OrgUnit.objects.filter(kind=OrgKind.UNIT)
        with_budget = units.filter(economy_figures__kind="budget").distinct()
        assert with_budget.count() == units.count()
        committee = OrgUnit.objects.filter(kind=OrgKind.COMMITTEE).first()
        year = scale.REFERENCE_DATE.year
        budget = figures_for([committee], year)[committee.pk].budget
        below = EconomyFigure.objects.filter(
            org_unit__path__startswith=committee.path, period=str(year), kind="budget"
        )
        assert budget.summed and budget.amount == sum(f.amount for f in below)
        self.client.force_login(get_user_model().objects.get(username="controller"))
        page = self.client.get(reverse("goals:unit_detail", args=[committee.pk]))
        self.assertContains(page, "summerat från enheterna")
