"""The demo built for a given day: its dates make sense on that day, and each unit's
texts speak of its own kind of service.

Two days (spring and autumn) are seeded, once per class.
"""

import datetime

from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db.models import Max, Min
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from demo.content import DEMO_ORG
from demo.seed import seed_demo
from followup.models import (
    ActivityUpdate,
    FollowUpRound,
    GoalAssessment,
    Report,
    RoundStatus,
    WheelStep,
)
from goals.models import Activity, ActivityStatus, MandatePeriod, Measurement
from priorities.models import PriorityItem, PriorityRound, Worksheet

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECOND = datetime.timedelta(seconds=5)

# Words a unit of each kind never writes in its own reports.
FOREIGN_WORDS = {
    "forskola": ("nationella prov", "betyg", "elev", "kunskapskrav", "brukare", "boende"),
    "skola": ("brukare", "förskoleenkät", "barngrupp", "vårdtagare"),
    "boende": ("nationella prov", "betyg", "elev", "förskol", "barngrupp", "undervisning"),
    "hemtjanst": ("nationella prov", "betyg", "elev", "förskol", "barngrupp", "undervisning"),
    "bibliotek": ("nationella prov", "betyg", "kunskapskrav", "brukare"),
    "kulturskola": ("nationella prov", "betyg", "kunskapskrav", "brukare"),
    "fritidsgard": ("nationella prov", "betyg", "kunskapskrav", "brukare"),
}


def unit_tags() -> dict[str, str]:
    tags = {}

    def walk(node):
        tags[node.code] = node.tag
        for child in node.children:
            walk(child)

    walk(DEMO_ORG)
    return tags


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoOnADay(TestCase):
    day: datetime.date
    year: int  # the year whose interim report is under way on that day

    @classmethod
    def setUpTestData(cls):
        started = timezone.now()
        seed_demo(cls.day)
        cls.seeding = (started, timezone.now())  # what a stamp of the real clock would say

    def test_the_ongoing_round_is_ongoing_and_the_closed_ones_lie_in_the_past(self):
        ongoing = FollowUpRound.objects.get(status=RoundStatus.OPEN)
        assert (ongoing.kind.name, ongoing.year) == ("Delårsrapport", self.year)
        assert ongoing.deadline > self.day
        assert ongoing.council_date > ongoing.deadline
        closed = FollowUpRound.objects.filter(status=RoundStatus.CLOSED)
        assert sorted(closed.values_list("kind__name", "year")) == [
            ("Tertialrapport", self.year),
            ("Årsredovisning", self.year - 1),
        ]
        for rnd in closed:
            assert rnd.period_end < self.day, rnd
            assert rnd.closed_at <= end_of(self.day), rnd
            assert rnd.created_at.date() > rnd.period_end - datetime.timedelta(days=30), rnd

    def test_nothing_in_the_story_happens_after_the_day(self):
        last = Report.objects.aggregate(submitted=Max("submitted_at"), approved=Max("approved_at"))
        assert last["submitted"] and last["submitted"] <= end_of(self.day)
        assert last["approved"] and last["approved"] <= end_of(self.day)
        assert FollowUpRound.objects.aggregate(m=Max("created_at"))["m"] <= end_of(self.day)
        assert Report.history.aggregate(m=Max("history_date"))["m"] <= end_of(self.day)
        decided = PriorityItem.objects.exclude(decided_on=None).values_list("decided_on", flat=True)
        assert decided and max(decided) <= self.day
        # The sign-in log is the last month's, before the day.
        signins = AccessLog.objects.aggregate(first=Min("attempt_time"), last=Max("attempt_time"))
        assert signins["last"].date() < self.day
        assert signins["first"].date() > self.day - datetime.timedelta(days=31)
        # Finished activities ended before the day, unstarted ones start after it.
        for activity in Activity.objects.all():
            if activity.status == ActivityStatus.DONE:
                assert activity.end < self.day, activity
            if activity.status == ActivityStatus.NOT_STARTED:
                assert activity.start > self.day, activity

    def test_the_story_stamps_and_history_lie_in_the_story_not_the_real_now(self):
        """The follow-up and the priority round are written on the story's moments
        (ledmot.clock.recorded_at): the services' stamps, the auto-stamped fields and the
        history records all lie before the end of the day, none at the real time of
        seeding, and a report's submission and approval are the dates of their history."""
        started, finished = self.seeding
        stamps = [
            *Report.objects.exclude(submitted_at=None).values_list("submitted_at", flat=True),
            *Report.objects.exclude(approved_at=None).values_list("approved_at", flat=True),
            *FollowUpRound.objects.values_list("created_at", flat=True),
            *FollowUpRound.objects.exclude(closed_at=None).values_list("closed_at", flat=True),
            *PriorityRound.objects.values_list("created_at", flat=True),
            *PriorityItem.objects.values_list("created_at", flat=True),
            *PriorityItem.objects.values_list("updated_at", flat=True),
        ]
        for model in (
            Report, GoalAssessment, ActivityUpdate, FollowUpRound,
            PriorityRound, Worksheet, PriorityItem,
        ):  # fmt: skip
            stamps += model.history.values_list("history_date", flat=True)
        assert len(stamps) > 1000
        assert [s for s in stamps if started <= s <= finished] == []
        assert [s for s in stamps if s > end_of(self.day)] == []
        submitted = Report.objects.exclude(submitted_at=None).first()
        history = {
            str(h.history_change_reason): h.history_date
            for h in submitted.history.exclude(history_change_reason=None)
        }
        assert submitted.submitted_at <= history["Inlämnad"] < submitted.submitted_at + SECOND
        approved = Report.objects.exclude(approved_at=None).first()
        history = {
            str(h.history_change_reason): h.history_date
            for h in approved.history.exclude(history_change_reason=None)
        }
        assert approved.approved_at <= history["Godkänd"] < approved.approved_at + SECOND

    def test_the_years_around_the_day_fit_together(self):
        current = MandatePeriod.objects.get(end_year=self.year)
        assert current.start_year == self.year - 3
        yearly = Measurement.objects.filter(period__regex=r"^\d{4}$")
        assert yearly.aggregate(m=Max("year"))["m"] == self.year - 1  # values up to last year
        assert Measurement.objects.aggregate(m=Max("year"))["m"] <= self.year
        rnd = PriorityRound.objects.get()
        assert rnd.year == self.year + 1 and str(rnd.year) in rnd.title  # next year's budget
        assert rnd.deadline < self.day
        assert set(WheelStep.objects.values_list("year", flat=True)) == {self.year}

    def test_each_unit_writes_about_its_own_kind_of_service(self):
        tags = unit_tags()
        checked = set()
        for a in GoalAssessment.objects.select_related("report__org_unit", "goal"):
            tag = tags.get(a.report.org_unit.code, "")
            if tag not in FOREIGN_WORDS or not (a.analysis or a.measures):
                continue
            text = f"{a.analysis} {a.measures}".lower()
            for word in FOREIGN_WORDS[tag]:
                assert word not in text, (a.report.org_unit.name, a.goal.title, word, text)
            checked.add(tag)
        assert checked == set(FOREIGN_WORDS)

    def test_the_administrator_sees_a_month_of_sign_ins(self):
        """The security events page of the demo has a month's log: most people signed
        in, some mistyped their password first."""
        users = get_user_model().objects.count()
        assert users < AccessLog.objects.count() < 6 * users
        assert AccessFailureLog.objects.filter(locked_out=False).exists()
        self.client.force_login(get_user_model().objects.get(username="admin"))
        page = self.client.get(reverse("signin_events")).content.decode()
        assert page.count("<tr") == 51  # the heading and a full page of 50 events


class TestSpring(DemoOnADay):
    """In April, last year's interim report is still the ongoing round: its deadline
    two weeks ahead."""

    day = datetime.date(2027, 4, 10)
    year = 2026


class TestAutumn(DemoOnADay):
    """Early in September, this year's interim report: the files' deadline (18
    September) still ahead, the story of the round moved back before the day."""

    day = datetime.date(2026, 9, 3)
    year = 2026


del DemoOnADay  # only its subclasses run
