"""The goal page and its history tab, for every persona."""

import re

from django.test import TestCase
from django.urls import reverse

from goals.models import GoalStatus
from ledmot.services import versioned_save
from tests.conftest import build_world


class GoalPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self, goal):
        return reverse("goals:goal_detail", args=[goal.pk])

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(self.url(self.w.unit_goal))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_reader_sees_text_chain_smart_decision_activities_indicators(self):
        w = self.w
        self.client.force_login(w.reader)
        response = self.client.get(self.url(w.unit_goal))
        self.assertContains(response, w.unit_goal.title)
        # The chain up to the vision.
        self.assertContains(response, w.vision.text)
        self.assertContains(response, w.council_goal.title)
        self.assertContains(response, w.committee_goal.title)
        self.assertContains(response, "Specifikt")
        self.assertContains(response, "Namngiven ansvarig")
        self.assertContains(response, w.activity.title)
        self.assertContains(response, w.indicator.name)
        # Readers get no edit controls.
        self.assertNotContains(response, reverse("goals:goal_edit", args=[w.unit_goal.pk]))

    def test_editor_of_the_unit_gets_edit_controls(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(self.url(self.w.unit_goal))
        self.assertContains(response, reverse("goals:goal_edit", args=[self.w.unit_goal.pk]))
        self.assertContains(response, "Lägg till aktivitet")

    def test_editor_of_other_unit_reads_but_cannot_edit(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.get(self.url(self.w.unit_goal))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Lägg till aktivitet")

    def test_proposal_is_404_outside_the_owners_scope(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.get(self.url(self.w.proposed_goal))
        self.assertEqual(response.status_code, 404)

    def test_proposal_is_visible_to_its_editor(self):
        self.client.force_login(self.w.editor)
        response = self.client.get(self.url(self.w.proposed_goal))
        self.assertContains(response, self.w.proposed_goal.title)
        self.assertContains(response, "Förslag")

    def test_broken_chain_is_explained(self):
        w = self.w
        w.committee_goal.status = GoalStatus.ENDED
        w.committee_goal.save()
        self.client.force_login(w.reader)
        response = self.client.get(self.url(w.unit_goal))
        self.assertContains(response, "är avslutat")

    def test_goal_without_indicator_says_it_cannot_be_followed_up(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url(self.w.council_goal))
        self.assertContains(response, "Ingen indikator mäter målet")

    def test_goal_page_query_count_is_constant(self):
        from decimal import Decimal

        from goals.models import Measurement, Target
        from tests.factories import IndicatorFactory

        self.client.force_login(self.w.reader)
        url = self.url(self.w.unit_goal)
        self.client.get(url)
        # 12: one of them the goals that continue it in a later year (goals.planning), one
        # the steering documents behind the goal (steering, GOAL_PAGE_SECTIONS) and one the
        # glossary's terms for the marked help text (ledmot.glossary), issue 17.
        with self.assertNumQueries(12):
            self.client.get(url)
        # 20 indicators with 10 years of values and targets: the same number of queries.
        for n in range(20):
            ind = IndicatorFactory(responsible_unit=self.w.skola1, goals=[self.w.unit_goal])
            for year in range(2016, 2026):
                Measurement.objects.create(
                    indicator=ind, period=str(year), value=Decimal(n + year % 7)
                )
                Target.objects.create(indicator=ind, year=year, value=Decimal(n + 3))
        with self.assertNumQueries(12):
            response = self.client.get(url)
        self.assertEqual(len(response.context["indicators"]), 21)

    def test_committee_goal_lists_the_unit_goals_the_user_may_read_in_constant_queries(self):
        """The unit goals under a committee goal, each with its counts, as the chain's
        expanded branch shows them (goals.chain.child_rows); a proposed goal only to those
        who may read its unit; the same number of queries for 2 or 32 unit goals."""
        from tests.factories import ActivityFactory, GoalFactory

        w = self.w
        url = self.url(w.committee_goal)
        branch = reverse("goals:goal_branch", args=[w.committee_goal.pk])
        self.client.force_login(w.other_editor)  # reads VON's units only
        response = self.client.get(url)
        self.assertContains(response, w.unit_goal.title)
        self.assertNotContains(response, w.proposed_goal.title)
        self.assertContains(response, f'id="mal-{w.unit_goal.pk}"')
        fragment = self.client.get(branch, headers={"HX-Request": "true"})
        self.assertContains(fragment, w.unit_goal.title)
        self.assertNotContains(fragment, w.proposed_goal.title)
        self.client.force_login(w.reader)
        response = self.client.get(url)
        self.assertContains(response, w.proposed_goal.title)
        # 13: with the steering documents and the glossary's terms (issue 17).
        with self.assertNumQueries(13):
            self.client.get(url)
        for n in range(30):
            goal = GoalFactory(
                level="enhet",
                parent=w.committee_goal,
                owner=w.skola2,
                mandate_period=w.period,
                title=f"Enhetsmål nummer {n}",
            )
            ActivityFactory(goal=goal, title=f"Aktivitet {n}")
        with self.assertNumQueries(13):
            response = self.client.get(url)
        self.assertContains(response, "Enhetsmål nummer 29")
        # Each row says how many activities it has, counted for the row.
        self.assertContains(response, "1 aktivitet", count=31)

    def test_value_of_a_month_on_a_yearly_indicator_is_shown_not_a_crash(self):
        """A yearly indicator holding a month's value (put there before the frequency rule,
        or by an earlier import) opened as ``int('2024-03')`` and the page crashed (500).
        The chart and the table go by each period's own kind: the month is a row of
        its own in the table, the chart keeps to the years with their target."""
        from decimal import Decimal

        from goals.models import KoladaValue, Measurement, Target

        w = self.w
        ind = w.indicator
        ind.kolada_id = "N15428"
        ind.save()
        Target.objects.create(indicator=ind, year=2024, value=Decimal("80"))
        Measurement.objects.create(indicator=ind, period="2024", value=Decimal("71"))
        Measurement.objects.create(indicator=ind, period="2025-03", value=Decimal("64"))
        KoladaValue.objects.create(
            kpi="N15428", municipality="0580", year=2024, value=Decimal("70"),
            fetched_at="2025-02-01T10:00:00Z",
        )  # fmt: skip
        self.client.force_login(w.reader)
        for url in (self.url(w.unit_goal), reverse("goals:indicator_detail", args=[ind.pk])):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            # The month is a row of the table, not a point beside the years on the
            # chart's axis (issue 13 point 9: one frequency per axis).
            self.assertNotContains(response, "Totalt 2025-03: 64\xa0%")
            self.assertContains(response, "2025-03")
            self.assertContains(response, "64\xa0%")
            self.assertContains(response, "Totalt 2024: 71\xa0%")
            self.assertContains(response, "Målvärde 2024: 80\xa0%")

    def test_values_left_off_the_chart_are_named_under_it(self):
        """The chart keeps to one frequency on its axis; the values of another it leaves
        out were dropped with no word (issue 13 point 9): a note under the chart names
        them and says where they are."""
        from decimal import Decimal

        from goals.models import Measurement

        ind = self.w.indicator  # yearly
        for period, value in (("2024", 71), ("2025-T1", 64), ("2025-T2", 66), ("2025-T3", None)):
            Measurement.objects.create(
                indicator=ind, period=period, value=None if value is None else Decimal(value)
            )
        note = "Diagrammet visar årsvärden. Värdena för 2025 T1 och 2025 T2 står inte i diagrammet."
        self.client.force_login(self.w.reader)
        page = reverse("goals:indicator_detail", args=[ind.pk])
        response = self.client.get(self.url(self.w.unit_goal))
        self.assertContains(response, note)  # not the tertial without a value
        self.assertContains(
            response,
            f'<a href="{page}#values-h">De står i tabellen Utfall och målvärden på '
            "indikatorns sida.</a>",
            html=True,
        )
        response = self.client.get(page)
        self.assertContains(response, note + " De står i tabellen Utfall och målvärden nedan.")
        self.assertContains(response, "2025 T1")  # in the table
        # Values all of the chart's own frequency: no note.
        Measurement.objects.filter(indicator=ind).exclude(period="2024").delete()
        self.assertNotContains(self.client.get(self.url(self.w.unit_goal)), "Diagrammet visar år")
        self.assertNotContains(self.client.get(page), "står inte i diagrammet")

    def _monthly_indicator(self, months: int):
        """A monthly indicator of the unit goal with ``months`` values from January 2022."""
        from decimal import Decimal

        from goals.models import Measurement
        from tests.factories import IndicatorFactory

        ind = IndicatorFactory(
            name="Närvaro", frequency="month", responsible_unit=self.w.skola1,
            goals=[self.w.unit_goal],
        )  # fmt: skip
        for i in range(months):
            Measurement.objects.create(
                indicator=ind,
                period=f"{2022 + i // 12}-{i % 12 + 1:02d}",
                value=Decimal(50 + i),
            )
        return ind

    def test_the_chart_shows_the_latest_13_periods_and_links_the_whole_series(self):
        """93 monthly points per indicator made the goal page slow to draw and to read:
        it charts the latest 13 periods and links the indicator page's whole series."""
        ind = self._monthly_indicator(30)  # 2022-01 … 2024-06
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url(self.w.unit_goal))
        self.assertContains(response, "Totalt 2024-06: 79\xa0%")  # the latest
        self.assertContains(response, "Totalt 2023-06: 67\xa0%")  # 13 periods back
        self.assertNotContains(response, "Totalt 2023-05")
        self.assertNotContains(response, "Totalt 2022-01")
        self.assertContains(response, "Diagrammet visar de senaste 13 perioderna.")
        full = reverse("goals:indicator_detail", args=[ind.pk])
        self.assertContains(response, f'href="{full}#values-h"')
        self.assertContains(response, "Hela serien för Närvaro")
        # The whole series is on the indicator page, which the same login guards.
        response = self.client.get(full)
        self.assertContains(response, "Totalt 2022-01: 50\xa0%")
        self.assertContains(response, '<th scope="row">2022-01</th>', html=True)
        self.client.logout()
        response = self.client.get(full)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_a_short_series_is_charted_whole_without_the_link(self):
        self._monthly_indicator(13)
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url(self.w.unit_goal))
        self.assertContains(response, "Totalt 2022-01: 50\xa0%")
        self.assertNotContains(response, "Diagrammet visar de senaste")

    def test_the_latest_value_counts_even_when_older_than_the_charted_periods(self):
        """Fifteen empty months after the last value: the table still shows that value,
        although the chart shows only the empty months."""
        from goals.models import Measurement

        ind = self._monthly_indicator(16)
        Measurement.objects.filter(indicator=ind).exclude(period="2022-01").update(value=None)
        self.client.force_login(self.w.reader)
        response = self.client.get(self.url(self.w.unit_goal))
        self.assertContains(response, '50\xa0% <span class="muted">(2022-01)</span>')
        self.assertNotContains(response, "Totalt 2022-01")


class GoalHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def url(self, goal):
        return reverse("goals:goal_history", args=[goal.pk])

    def test_history_shows_who_changed_which_field_from_what_to_what(self):
        w = self.w
        goal = w.unit_goal
        goal.title = "Fler elever ska klara matematik i åk 9"
        versioned_save(goal, user=w.editor, expected_version=goal.version)
        self.client.force_login(w.reader)
        response = self.client.get(self.url(goal))
        self.assertContains(response, "Ändrad")
        self.assertContains(response, "Anna Rektor")
        self.assertContains(response, "Mål")  # the field's label
        self.assertContains(response, "Fler elever i årskurs 9 ska nå minst godkänt i matematik")
        self.assertContains(response, "Fler elever ska klara matematik i åk 9")
        self.assertContains(response, "Skapad")

    def test_history_includes_the_goals_activities(self):
        w = self.w
        activity = w.activity
        activity.status = "in_progress"
        activity.progress = 40
        versioned_save(activity, user=w.editor, expected_version=activity.version)
        self.client.force_login(w.reader)
        response = self.client.get(self.url(w.unit_goal))
        self.assertContains(response, f"Aktivitet ”{activity.title}”")
        self.assertContains(response, "Pågår")
        self.assertContains(response, "Ej påbörjad")

    def test_one_edit_writes_exactly_one_history_row_with_the_user(self):
        goal = self.w.unit_goal
        before = goal.history.count()
        goal.responsible = "Rektor Anna Berg"
        versioned_save(goal, user=self.w.editor, expected_version=goal.version)
        self.assertEqual(goal.history.count(), before + 1)
        self.assertEqual(goal.history.first().history_user, self.w.editor)

    def test_history_of_hidden_proposal_is_404(self):
        self.client.force_login(self.w.other_editor)
        self.assertEqual(self.client.get(self.url(self.w.proposed_goal)).status_code, 404)

    def test_anonymous_is_sent_to_login(self):
        self.assertEqual(self.client.get(self.url(self.w.unit_goal)).status_code, 302)

    def test_history_choices_and_foreign_keys_are_shown_as_words(self):
        w = self.w
        goal = w.unit_goal
        goal.owner = w.skola2
        goal.status = GoalStatus.REVISED
        versioned_save(goal, user=w.editor, expected_version=goal.version)
        self.client.force_login(w.reader)
        response = self.client.get(self.url(goal))
        self.assertContains(response, "Ekbackens skola")
        self.assertContains(response, "Lindens skola")
        self.assertContains(response, "Reviderat")


class SmartMeasurableTests(TestCase):
    """Issue 13 point 9: "Mätbart ✓" beside "Ingen indikator mäter målet". A goal is
    measurable only when an indicator measures it: the checklist and the structure
    analysis follow one rule (goals.rules.smart_measurable)."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        goal = cls.w.council_goal
        goal.smart_measurable = True
        goal.save()

    def checklist_item(self, goal, label) -> str:
        self.client.force_login(self.w.reader)
        html = self.client.get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
        return re.search(rf'<li class="(\w+)">{label} ', html).group(1)

    def test_ticked_but_unmeasured_goal_is_not_measurable(self):
        goal = self.w.council_goal
        self.assertFalse(goal.indicators.exists())
        self.assertEqual(self.checklist_item(goal, "Mätbart"), "no")
        # The unit goal has an indicator: ticked and measured is measurable.
        unit_goal = self.w.unit_goal
        unit_goal.smart_measurable = True
        unit_goal.save()
        self.assertEqual(self.checklist_item(unit_goal, "Mätbart"), "yes")
