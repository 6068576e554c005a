"""Labels follow the user's language on every request: nothing is translated once
at import time (switching the way the footer's language form does)."""

import datetime

from django.test import TestCase
from django.urls import reverse

from followup.models import WheelKind, WheelStep
from tests.conftest import build_world
from tests.followup.helpers import open_round


class LanguageSwitchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.rnd = open_round(cls.w)  # every report is "not started"
        WheelStep.objects.create(
            year=2025,
            title="Budgetdialogen",
            kind=WheelKind.BUDGET_DIALOGUE,
            start=datetime.date(2025, 3, 10),
        )

    def switch(self, language):
        self.client.post(reverse("set_language"), {"language": language, "next": "/"})

    def check_each_language(self, url, swedish, english):
        self.client.force_login(self.w.controller)
        for language, expected, other in (
            ("sv", swedish, english),
            ("en", english, swedish),
            ("sv", swedish, english),
        ):
            self.switch(language)
            response = self.client.get(url)
            for text in expected:
                self.assertContains(response, text, msg_prefix=language)
            for text in other:
                self.assertNotContains(response, text, msg_prefix=language)

    def test_dashboard_status_labels_follow_the_language(self):
        self.check_each_language(
            reverse("followup:round_dashboard", args=[self.rnd.pk]),
            swedish=["Ej påbörjad", "Inlämnad"],
            english=["Not started", "Submitted"],
        )

    def test_wheel_labels_and_months_follow_the_language(self):
        self.check_each_language(
            reverse("followup:wheel") + "?ar=2025",
            swedish=[
                "Sista dag: Tertialrapport",
                "<td>mars</td>",
                "<td>maj</td>",
                "<td>Budgetdialog</td>",
            ],
            english=[
                "Deadline: Tertialrapport",
                "<td>March</td>",
                "<td>May</td>",
                "<td>Budget dialogue</td>",
            ],
        )
