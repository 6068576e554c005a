"""Random text and numbers in the targets form and the linear fill: never a 500, and
what is stored is exactly what was accepted (issue 11, point 4)."""

from decimal import Decimal

from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from goals.models import Target
from goals.results import show
from goals.services import targets_save
from ledmot.lib.numbers import parse_number
from ledmot.lib.text import clean_text
from tests.conftest import build_world

YEARS = range(2023, 2027)


def swedish(number: Decimal) -> str:
    return format(number, "f").replace(".", ",")


# What a person (or a hostile client) might type into a number input.
typed = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 ,.-−%\u00a0", max_size=40),
    st.integers(min_value=-(10**32), max_value=10**32).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(swedish),
    st.decimals(min_value=0, max_value=100, places=4).map(swedish),
    st.decimals().map(str),  # NaN, Infinity, exponents
    st.just(""),
)


def stored(indicator) -> dict[int, Decimal]:
    return dict(Target.objects.filter(indicator=indicator).values_list("year", "value"))


def accepted(text: str) -> Decimal | None:
    """What the form makes of ``text``: control characters removed (as from every posted
    text, ledmot.lib.text.clean_text), then the number in it."""
    return parse_number(clean_text(text).strip())


class TargetsPropertyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        ind = cls.w.indicator  # a share, in %
        ind.baseline_value, ind.baseline_year = Decimal("60"), 2022
        ind.save()
        targets_save(
            indicator=ind, values={2024: Decimal("72"), 2025: Decimal("74.5")}, user=cls.w.editor
        )

    def post(self, data):
        # Hypothesis sets up the test client for each example.
        self.client.force_login(self.w.editor)
        return self.client.post(
            reverse("goals:indicator_targets", args=[self.w.indicator.pk]), data
        )

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.fixed_dictionaries(dict.fromkeys(YEARS, typed)))
    @example(dict.fromkeys(YEARS, "\x1b"))  # a control character only: an emptied field
    def test_targets_form(self, texts):
        before = stored(self.w.indicator)
        # The form as the page shows it (each input's value also posted as loaded), typed into.
        data = {f"o-{year}": show(before.get(year)) for year in YEARS}
        data.update({f"t-{year}": text for year, text in texts.items()})

        response = self.post(data)

        assert response.status_code in (200, 302), response.status_code
        after = stored(self.w.indicator)
        if response.status_code == 200:
            assert after == before
            return
        for year, text in texts.items():
            if clean_text(text).strip() == data[f"o-{year}"]:
                continue  # untouched
            value = accepted(text)
            if value is None:
                assert year not in after
            else:
                assert after[year] == value
                assert after[year].as_tuple().exponent >= -4

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(typed)
    def test_linear_fill(self, text):
        before = stored(self.w.indicator)

        response = self.post({"fill": "1", "end_value": text})

        assert response.status_code in (200, 302), response.status_code
        after = stored(self.w.indicator)
        if response.status_code == 200:
            assert after == before
            return
        assert after[2026] == accepted(text)
        assert sorted(after) == list(YEARS)
