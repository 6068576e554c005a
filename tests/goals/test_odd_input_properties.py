"""Property tests (Hypothesis) of odd input on the goals screens and the workbook
import: random text and numbers through HTTP and through a built workbook; never a
500, and what is stored is exactly what was accepted (see tests/odd_input.py)."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from goals.models import Activity, Goal, Indicator, Measurement
from goals.results import due_period
from goals.workbook.columns import all_sheets
from goals.workbook.importer import apply_plan, read_plan
from ledmot.lib.limits import MAX_ABS, date_ok, year_ok
from ledmot.lib.numbers import parse_number
from tests.conftest import build_world
from tests.goals.test_activities import activity_data
from tests.goals.test_goal_forms import goal_data
from tests.goals.test_indicator_forms import data as indicator_data
from tests.goals.test_results import _hidden_fields
from tests.odd_input import (
    DATES,
    NUMBERS,
    PROPERTY,
    SHORT_TEXT,
    assert_stored_as_accepted,
    expected,
    text_for,
)


def _iso(day: datetime.date | None) -> str:
    """A stored date as posted, held to the range every date has."""
    if day is None:
        return ""
    assert date_ok(day), day
    return day.isoformat()


class GoalScreensTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    @PROPERTY
    @given(
        title=text_for(Goal, "title"),
        description=text_for(Goal, "description"),
        responsible=text_for(Goal, "responsible"),
        decision_reference=text_for(Goal, "decision_reference"),
        decision_paragraph=text_for(Goal, "decision_paragraph"),
    )
    def test_goal_form_text(self, **posted):
        before = Goal.objects.get(pk=self.w.unit_goal.pk)
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("goals:goal_edit", args=[before.pk]), goal_data(before, **posted)
        )
        after = Goal.objects.get(pk=before.pk)
        assert_stored_as_accepted(response, Goal, before, after, posted, required={"title"})

    @PROPERTY
    @given(
        title=text_for(Activity, "title"),
        description=text_for(Activity, "description"),
        responsible=text_for(Activity, "responsible"),
    )
    def test_activity_form_text(self, **posted):
        before = Activity.objects.get(pk=self.w.activity.pk)
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("goals:activity_edit", args=[before.pk]), activity_data(before, **posted)
        )
        after = Activity.objects.get(pk=before.pk)
        assert_stored_as_accepted(response, Activity, before, after, posted, required={"title"})

    @PROPERTY
    @given(start=DATES, end=DATES, progress=NUMBERS, decided_on=DATES, order=NUMBERS)
    def test_activity_and_goal_dates_and_numbers(self, start, end, progress, decided_on, order):
        a = Activity.objects.get(pk=self.w.activity.pk)
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("goals:activity_edit", args=[a.pk]),
            activity_data(a, start=start, end=end, progress=progress),
        )
        assert response.status_code in (200, 302)
        after = Activity.objects.get(pk=a.pk)
        if response.status_code == 302:
            assert (_iso(after.start), _iso(after.end)) == (expected(start), expected(end))
            assert 0 <= after.progress <= 100 and after.progress == Decimal(expected(progress))
        else:
            assert (after.start, after.end, after.progress) == (a.start, a.end, a.progress)
        goal = Goal.objects.get(pk=self.w.unit_goal.pk)
        response = self.client.post(
            reverse("goals:goal_edit", args=[goal.pk]),
            goal_data(goal, decided_on=decided_on, order=order),
        )
        assert response.status_code in (200, 302)
        stored = Goal.objects.get(pk=goal.pk).decided_on
        if response.status_code == 302:
            assert _iso(stored) == expected(decided_on)
            assert 0 <= Goal.objects.get(pk=goal.pk).order < 2**31
        else:
            assert stored == goal.decided_on

    @PROPERTY
    @given(
        name=text_for(Indicator, "name"),
        description=text_for(Indicator, "description"),
        unit=text_for(Indicator, "unit"),
        baseline_value=NUMBERS,
        baseline_year=NUMBERS,
    )
    def test_indicator_form(self, name, description, unit, baseline_value, baseline_year):
        before = Indicator.objects.get(pk=self.w.indicator.pk)
        self.client.force_login(self.w.editor)
        posted = {"name": name, "description": description, "unit": unit}
        response = self.client.post(
            reverse("goals:indicator_edit", args=[before.pk]),
            indicator_data(
                self.w,
                **posted,
                baseline_value=baseline_value,
                baseline_year=baseline_year,
                version=before.version,
            ),
        )
        after = Indicator.objects.get(pk=before.pk)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert {n: getattr(after, n) for n in posted} == {
                n: expected(v) for n, v in posted.items()
            }
            assert after.baseline_value is None or abs(after.baseline_value) < MAX_ABS
            assert after.baseline_year is None or year_ok(after.baseline_year)
        else:
            assert response.context["form"].errors
            assert (after.name, after.baseline_value) == (before.name, before.baseline_value)

    @PROPERTY
    @given(value=NUMBERS, comment=st.one_of(SHORT_TEXT, text_for(Measurement, "comment")))
    def test_results_grid(self, value, comment):
        ind = self.w.indicator
        self.client.force_login(self.w.editor)
        form = _hidden_fields(self.client.get(reverse("goals:results")))
        form.update({f"v-{ind.pk}-T": value, f"c-{ind.pk}": comment})
        response = self.client.post(reverse("goals:results"), form)
        assert response.status_code in (200, 302)
        period = due_period(ind.frequency, timezone.localdate()).key
        stored = Measurement.objects.filter(indicator=ind, period=period).first()
        if response.status_code == 200:
            assert stored is None
            return
        number = parse_number(expected(value))
        if number is None and not expected(comment):
            assert stored is None
        else:
            assert (stored.value, stored.comment) == (number, expected(comment))


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook as Excel would write it: text as text (never a formula), and only
    characters a workbook can hold (openpyxl refuses the others, as Excel escapes them)."""
    headings = {s.name: s.headings for s in all_sheets()}
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(headings[name])
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):
                    value = _written(value)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _written(value: str) -> str:
    """What a workbook can hold of ``value``: no characters XML forbids, and at most
    Excel's 32,767 characters a cell (openpyxl cuts the rest)."""
    return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))[:32767]


_NOT_XML = re.compile("[\ufffe\uffff]")

CELL_NUMBERS = st.one_of(
    NUMBERS,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=6),
)
CELL_DATES = st.one_of(DATES, st.dates(min_value=datetime.date(1900, 3, 1)))
PERIODS = st.one_of(
    st.integers(0, 10_000).map(str),
    st.sampled_from(["1850", "9999", "2024-T4", "2024-13", "2024-T1", "2024-03", "2024"]),
    SHORT_TEXT,
)


class WorkbookImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def workbook(self, *, title, description, responsible, start, period, value, comment):
        w, goal, activity = self.w, self.w.unit_goal, self.w.activity
        return _workbook(
            {
                "Mål": [
                    [goal.pk, "Enhet", goal.parent_id, "SKOLA1", title, description,
                     goal.perspective.name, "2023-2026", "Antaget"],
                ],
                "Aktiviteter": [
                    [activity.pk, goal.pk, "SKOLA1", activity.title, responsible, start,
                     None, "Pågår"],
                ],
                "Utfall": [[w.indicator.pk, period, "T", value, comment]],
            }
        )  # fmt: skip

    @PROPERTY
    @given(
        title=text_for(Goal, "title"),
        description=text_for(Goal, "description"),
        responsible=text_for(Activity, "responsible"),
        comment=text_for(Measurement, "comment"),
    )
    def test_import_text(self, title, description, responsible, comment):
        w = self.w
        data = self.workbook(
            title=title,
            description=description,
            responsible=responsible,
            start=None,
            period="2024",
            value=5,
            comment=comment,
        )
        plan = read_plan(io.BytesIO(data), user=w.controller)
        bad = {(p.sheet, p.column) for p in plan.problems}
        for sheet, column, text, model, field in [
            ("Mål", "Titel", title, Goal, "title"),
            ("Mål", "Beskrivning", description, Goal, "description"),
            ("Aktiviteter", "Ansvarig", responsible, Activity, "responsible"),
            ("Utfall", "Kommentar", comment, Measurement, "comment"),
        ]:
            wanted = expected(_written(text))
            too_long = len(wanted) > model._meta.get_field(field).max_length
            missing = field == "title" and not wanted
            assert ((sheet, column) in bad) == (too_long or missing), (sheet, column, plan.problems)
        if not plan.ok:
            return
        apply_plan(plan, user=w.controller)
        g = Goal.objects.get(pk=w.unit_goal.pk)
        assert g.title == expected(_written(title))
        assert g.description == expected(_written(description))
        a = Activity.objects.get(pk=w.activity.pk)
        assert a.responsible == expected(_written(responsible))
        m = Measurement.objects.get(indicator=w.indicator, period="2024")
        assert m.comment == expected(_written(comment))

    @PROPERTY
    @given(start=CELL_DATES, period=PERIODS, value=CELL_NUMBERS)
    def test_import_numbers_and_dates(self, start, period, value):
        w = self.w
        data = self.workbook(
            title=w.unit_goal.title,
            description="",
            responsible="",
            start=start,
            period=period,
            value=value,
            comment="",
        )
        plan = read_plan(io.BytesIO(data), user=w.controller)
        if not plan.ok:
            assert {p.column for p in plan.problems} <= {"Start", "Period", "Värde"}
            return
        apply_plan(plan, user=w.controller)
        a = Activity.objects.get(pk=w.activity.pk)
        assert a.start is None or date_ok(a.start)
        for m in Measurement.objects.filter(indicator=w.indicator):
            assert year_ok(m.year)
            assert m.value is None or abs(m.value) < MAX_ABS
