"""Service guarantees (servicegarantier, issue 17 point 4): a unit's list with whether
each is kept by the goals' fulfilment rule, writing one, the public list, and who may
do what (the role × URL grid)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from goals.fulfilment import Assessment, classify
from goals.guarantees import public_guarantees, unit_guarantees
from goals.models import IndicatorKind, ServiceGuarantee
from goals.services import ValueInput, guarantee_save, measurements_save, targets_save
from tests.conftest import build_world
from tests.factories import IndicatorFactory


def kept_share(w, name="Andel ärenden besvarade inom två arbetsdagar"):
    return IndicatorFactory(
        name=name, kind=IndicatorKind.KEPT_SHARE, unit="%", responsible_unit=w.skola1
    )


def make_guarantee(w, indicator, **fields):
    values = {
        "unit": w.skola1,
        "title": "Svar inom två arbetsdagar",
        "promise": "Du får svar på ditt mejl till skolan inom två arbetsdagar.",
        "measured_how": "Stickprov i skolans e-post varje tertial.",
        "indicator": indicator,
        **fields,
    }
    return guarantee_save(guarantee=ServiceGuarantee(**values), user=None, expected_version=None)


class GuaranteeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.w = build_world()
        cls.indicator = kept_share(w)
        cls.guarantee = make_guarantee(w, cls.indicator)
        targets_save(indicator=cls.indicator, values={2025: Decimal(95)}, user=None)
        measurements_save(
            values=[
                ValueInput(indicator=cls.indicator, period="2025-T1", value=Decimal(97)),
                ValueInput(indicator=cls.indicator, period="2025-T2", value=Decimal(80)),
            ],
            user=None,
        )

    def test_met_or_not_by_the_same_rule_as_goals(self):
        row = unit_guarantees(self.w.skola1)[0]
        self.assertEqual([p.period for p in row.periods], ["2025-T2", "2025-T1"])
        for p in row.periods:
            self.assertEqual(p.outcome, classify("higher", p.value, Decimal(95)))
        self.assertEqual(row.periods[1].outcome, Assessment.MET)
        self.assertEqual(row.outcome, Assessment.NOT_MET)  # the latest: 80 % of 95 %
        self.assertFalse(row.met)

    def test_the_unit_page_lists_them_with_a_word_and_a_symbol(self):
        self.client.force_login(self.w.reader)
        page = self.client.get(reverse("goals:guarantee_list", args=[self.w.skola1.pk]))
        self.assertContains(page, "Svar inom två arbetsdagar")
        self.assertContains(page, "Ej uppfyllt")
        self.assertContains(page, "Uppfyllt")
        self.assertContains(page, "✗")
        unit_page = self.client.get(reverse("goals:unit_detail", args=[self.w.skola1.pk]))
        self.assertContains(unit_page, reverse("goals:guarantee_list", args=[self.w.skola1.pk]))

    def test_the_public_list_holds_only_published_guarantees(self):
        make_guarantee(self.w, kept_share(self.w, "Intern"), title="Internt löfte", published=False)
        public = public_guarantees(self.w.skola1)
        self.assertEqual([g["title"] for g in public], ["Svar inom två arbetsdagar"])
        self.assertEqual(public[0]["outcome"], Assessment.NOT_MET)
        self.assertEqual(public[0]["period"], "2025-T2")
        self.assertFalse(public[0]["met"])

    def test_it_is_measured_by_a_kept_share_indicator(self):
        with self.assertRaises(ValidationError):
            make_guarantee(self.w, self.w.indicator, title="Fel mått")
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("goals:guarantee_create", args=[self.w.skola1.pk]),
            {"title": "Fel mått", "promise": "x", "indicator": self.w.indicator.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ServiceGuarantee.objects.filter(title="Fel mått").exists())

    def test_it_is_measured_by_an_indicator_of_the_units_chain(self):
        """The form offers the kept-share indicators of the unit and those above it,
        not every one of the municipality; another unit's is refused on every path."""
        w = self.w
        above = IndicatorFactory(
            name="Andel svar inom en vecka",
            kind=IndicatorKind.KEPT_SHARE,
            unit="%",
            responsible_unit=w.buf,
        )
        other = IndicatorFactory(
            name="Andel besök i tid",
            kind=IndicatorKind.KEPT_SHARE,
            unit="%",
            responsible_unit=w.boende1,
        )
        self.client.force_login(w.editor)
        url = reverse("goals:guarantee_create", args=[w.skola1.pk])
        page = self.client.get(url)
        self.assertContains(page, f'<option value="{self.indicator.pk}">')
        self.assertContains(page, f'<option value="{above.pk}">')
        self.assertNotContains(page, other.name)
        response = self.client.post(
            url, {"title": "Besök i tid", "promise": "x", "indicator": other.pk}
        )
        self.assertContains(
            response,
            "Välj en indikator som Ekbackens skola eller en enhet ovanför den ansvarar för: "
            "Andel besök i tid hör till Solgårdens vård- och omsorgsboende.",
        )
        with self.assertRaises(ValidationError):
            make_guarantee(w, other, title="Besök i tid")
        self.assertFalse(ServiceGuarantee.objects.filter(title="Besök i tid").exists())

    def test_the_units_editor_writes_one(self):
        self.client.force_login(self.w.editor)
        response = self.client.post(
            reverse("goals:guarantee_create", args=[self.w.skola1.pk]),
            {
                "title": "Läxhjälp varje vecka",
                "promise": "Läxhjälp två dagar i veckan.",
                "indicator": self.indicator.pk,
                "published": "on",
            },
        )
        self.assertRedirects(response, reverse("goals:guarantee_list", args=[self.w.skola1.pk]))
        created = ServiceGuarantee.objects.get(title="Läxhjälp varje vecka")
        self.assertEqual(created.unit, self.w.skola1)
        self.assertEqual(created.history.get().history_user, self.w.editor)

    def test_the_grid(self):
        w = self.w
        urls = {
            "list": reverse("goals:guarantee_list", args=[w.skola1.pk]),
            "create": reverse("goals:guarantee_create", args=[w.skola1.pk]),
            "edit": reverse("goals:guarantee_edit", args=[self.guarantee.pk]),
        }
        grid = {
            "anonymous": (None, dict.fromkeys(urls, 302)),
            "reader": (w.reader, {"list": 200, "create": 403, "edit": 403}),
            "unit editor": (w.editor, {"list": 200, "create": 200, "edit": 200}),
            "other unit's editor": (w.other_editor, {"list": 200, "create": 403, "edit": 403}),
            "controller": (w.controller, {"list": 200, "create": 200, "edit": 200}),
        }
        for persona, (user, expected) in grid.items():
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name, url in urls.items():
                with self.subTest(persona=persona, url=name):
                    self.assertEqual(self.client.get(url).status_code, expected[name])

    def test_a_refused_edit_changes_nothing(self):
        self.client.force_login(self.w.other_editor)
        response = self.client.post(
            reverse("goals:guarantee_edit", args=[self.guarantee.pk]),
            {"title": "Kapat", "promise": "x", "indicator": self.indicator.pk, "version": 1},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            ServiceGuarantee.objects.get(pk=self.guarantee.pk).title, "Svar inom två arbetsdagar"
        )
        with self.assertRaises(Exception):  # noqa: B017 - the service refuses too
            guarantee_save(
                guarantee=ServiceGuarantee.objects.get(pk=self.guarantee.pk),
                user=self.w.other_editor,
                expected_version=None,
            )
