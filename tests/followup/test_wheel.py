"""The annual wheel (årshjul): read by everyone logged in, kept by controllers at the council."""

import datetime
import re
import xml.etree.ElementTree as ET

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.safestring import SafeString

from followup.models import FollowUpRound, RoundKind, WheelKind, WheelStep
from followup.services import wheel_copy_year
from followup.wheel_models import shift_years
from ledmot.lib.wheel_svg import format_span, wheel_svg
from ledmot.services import versioned_save
from tests.conftest import build_world

NS = "{http://www.w3.org/2000/svg}"
WHEEL = reverse("followup:wheel")
NEW_STEP = reverse("followup:wheel_step_create")
COPY = reverse("followup:wheel_copy")
D = datetime.date


def wheel_url(year):
    return f"{WHEEL}?ar={year}"


def svg_of(response) -> ET.Element:
    html = response.content.decode()
    found = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(found) == 1
    root = ET.fromstring(found[0])
    assert root.tag == f"{NS}svg"
    return root


def texts(root):
    return ["".join(el.itertext()) for el in root.iter(f"{NS}text")]


def step_data(**overrides):
    data = {
        "title": "Budgetdialog med nämnderna",
        "kind": WheelKind.BUDGET_DIALOGUE,
        "start": "2026-02-12",
        "end": "2026-02-16",
        "description": "",
        "order": "",
        "version": "",
    }
    data.update(overrides)
    return data


class WheelPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.dialogue = WheelStep.objects.create(
            year=2026,
            title="Budgetdialog med nämnderna",
            kind=WheelKind.BUDGET_DIALOGUE,
            start=D(2026, 2, 12),
            end=D(2026, 2, 16),
        )
        cls.mrp = WheelStep.objects.create(
            year=2026,
            title="KF beslutar mål- och resursplan",
            kind=WheelKind.MRP,
            start=D(2026, 6, 15),
            description="Fullmäktige fastställer budget och plan.",
        )
        cls.other_year = WheelStep.objects.create(
            year=2025, title="Bokslut 2024", kind=WheelKind.CLOSING, start=D(2025, 2, 20)
        )
        cls.round = FollowUpRound.objects.create(
            kind=RoundKind.objects.get(name="Tertialrapport"),
            year=2026,
            period_end=D(2026, 4, 30),
            deadline=D(2026, 5, 15),
        )

    def test_everyone_logged_in_reads_the_list_and_the_wheel(self):
        for user in (self.w.reader, self.w.editor, self.w.other_editor, self.w.controller):
            self.client.force_login(user)
            response = self.client.get(wheel_url(2026))
            self.assertContains(response, "Budgetdialog med nämnderna")
            self.assertContains(response, "12 feb")
            self.assertContains(response, "16 feb")
            self.assertContains(response, "KF beslutar mål- och resursplan")
            self.assertContains(response, "Fullmäktige fastställer budget och plan.")
            self.assertNotContains(response, "Bokslut 2024")
            self.assertEqual(response.context["year"], 2026)
            svg_of(response)

    def test_only_managers_see_the_write_actions(self):
        for user in (self.w.reader, self.w.editor, self.w.other_editor):
            self.client.force_login(user)
            response = self.client.get(wheel_url(2026))
            self.assertNotContains(response, NEW_STEP)
            self.assertNotContains(response, reverse("followup:wheel_step_edit", args=[1]))
        self.client.force_login(self.w.controller)
        response = self.client.get(wheel_url(2026))
        self.assertContains(response, NEW_STEP)
        self.assertContains(response, reverse("followup:wheel_step_edit", args=[self.dialogue.pk]))
        self.assertContains(response, "Kopiera årshjulet från föregående år", count=0)
        response = self.client.get(wheel_url(2027))
        self.assertContains(response, "Kopiera årshjulet från föregående år")

    def test_year_defaults_to_the_current_year(self):
        self.client.force_login(self.w.reader)
        this_year = datetime.date.today().year
        for url in (WHEEL, f"{WHEEL}?ar=abc", f"{WHEEL}?ar=99999"):
            self.assertEqual(self.client.get(url).context["year"], this_year)

    def test_round_deadlines_are_merged_into_the_list_in_date_order(self):
        self.client.force_login(self.w.reader)
        response = self.client.get(wheel_url(2026))
        entries = response.context["entries"]
        self.assertEqual(
            [e.title for e in entries],
            [
                "Budgetdialog med nämnderna",
                "Sista dag: Tertialrapport",
                "KF beslutar mål- och resursplan",
            ],
        )
        self.assertEqual([e.number for e in entries], [1, 2, 3])
        self.assertIsNotNone(entries[1].round)
        self.assertContains(response, "Sista dag: Tertialrapport")
        self.assertContains(response, "15 maj")
        self.assertContains(response, "30 apr 2026")  # the period end
        self.assertContains(response, "Uppföljning")
        # A round whose deadline falls in another year is not on this wheel.
        self.assertNotContains(self.client.get(wheel_url(2025)), "Sista dag: Tertialrapport")

    def test_svg_is_well_formed_accessible_and_numbers_match_the_list(self):
        self.client.force_login(self.w.reader)
        root = svg_of(self.client.get(wheel_url(2026)))
        self.assertEqual(root.get("role"), "img")
        title_id, desc_id = root.get("aria-labelledby").split()
        self.assertEqual(root.find(f"{NS}title").get("id"), title_id)
        desc = root.find(f"{NS}desc")
        self.assertEqual(desc.get("id"), desc_id)
        self.assertIn("Årshjul för 2026", desc.text)
        self.assertIn("listan", desc.text)
        labels = texts(root)
        for month in ("jan", "feb", "mar", "apr", "maj", "jun", "okt", "dec"):
            self.assertIn(month, labels)
        self.assertIn("Budgetdialog", labels)  # legend
        self.assertIn("Sista dag för uppföljning", labels)
        markers = [g for g in root.iter(f"{NS}g") if re.search(r"-i\d+$", g.get("id", ""))]
        tips = ["".join(g.find(f"{NS}title").itertext()) for g in markers]
        self.assertEqual(
            tips,
            [
                "1. 12–16 feb: Budgetdialog med nämnderna (Budgetdialog)",
                "2. 15 maj: Sista dag: Tertialrapport (Sista dag för uppföljning)",
                "3. 15 jun: KF beslutar mål- och resursplan (Mål- och resursplan)",
            ],
        )
        html = ET.tostring(root, encoding="unicode")
        self.assertNotIn("style=", html)
        self.assertNotIn("<script", html)

    def test_user_text_is_escaped_in_the_svg_and_the_page(self):
        WheelStep.objects.create(
            year=2026,
            title='<script>alert("x")</script> & <b>fet</b>',
            kind=WheelKind.OTHER,
            start=D(2026, 9, 1),
            description="<img src=x onerror=alert(1)>",
        )
        self.client.force_login(self.w.reader)
        response = self.client.get(wheel_url(2026))
        html = response.content.decode()
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<b>fet</b>", html)
        self.assertNotIn("<img src=x", html)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;", html)
        root = svg_of(response)  # still well-formed
        tips = ["".join(t.itertext()) for t in root.iter(f"{NS}title")]
        self.assertIn('4. 1 sep: <script>alert("x")</script> & <b>fet</b> (Annat)', tips)

    def test_page_queries_do_not_grow_with_the_number_of_steps(self):
        self.client.force_login(self.w.reader)
        self.client.get(wheel_url(2026))
        with CaptureQueriesContext(connection) as small:
            self.client.get(wheel_url(2026))
        for day in range(1, 21):
            WheelStep.objects.create(
                year=2026, title=f"Steg {day}", kind=WheelKind.TERTIAL, start=D(2026, 3, day)
            )
            FollowUpRound.objects.create(
                kind=RoundKind.objects.get(name="Delårsrapport"),
                year=2026,
                period_end=D(2026, 8, day),
                deadline=D(2026, 9, day),
            )
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(wheel_url(2026))
        self.assertEqual(len(response.context["entries"]), 43)
        self.assertEqual(len(small), len(large))

    def test_anonymous_is_sent_to_login(self):
        urls = [
            wheel_url(2026),
            NEW_STEP,
            reverse("followup:wheel_step_edit", args=[self.dialogue.pk]),
            reverse("followup:wheel_step_delete", args=[self.dialogue.pk]),
        ]
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("login"), response["Location"])
        response = self.client.post(COPY, {"ar": 2027})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.assertFalse(WheelStep.objects.filter(year=2027).exists())


class WheelWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.step = WheelStep.objects.create(
            year=2026,
            title="Tertialrapport 1",
            kind=WheelKind.TERTIAL,
            start=D(2026, 5, 20),
        )

    def edit_url(self, step=None):
        return reverse("followup:wheel_step_edit", args=[(step or self.step).pk])

    def delete_url(self, step=None):
        return reverse("followup:wheel_step_delete", args=[(step or self.step).pk])

    def test_controller_adds_a_step_with_history(self):
        self.client.force_login(self.w.controller)
        self.assertEqual(self.client.get(f"{NEW_STEP}?ar=2026").status_code, 200)
        response = self.client.post(f"{NEW_STEP}?ar=2026", step_data())
        self.assertRedirects(response, wheel_url(2026))
        step = WheelStep.objects.get(title="Budgetdialog med nämnderna")
        self.assertEqual((step.year, step.start, step.end), (2026, D(2026, 2, 12), D(2026, 2, 16)))
        self.assertEqual(step.history.get().history_user, self.w.controller)

    def test_a_one_day_span_is_stored_as_a_single_day(self):
        self.client.force_login(self.w.controller)
        self.client.post(f"{NEW_STEP}?ar=2026", step_data(end="2026-02-12"))
        self.assertIsNone(WheelStep.objects.get(title="Budgetdialog med nämnderna").end)

    def test_step_outside_the_year_is_refused_beside_the_field(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(f"{NEW_STEP}?ar=2026", step_data(start="2027-01-10", end=""))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_start_error"')
        self.assertContains(response, "Datumet ska ligga inom 2026.")
        self.assertContains(response, "Inget har sparats")
        self.assertFalse(WheelStep.objects.filter(title="Budgetdialog med nämnderna").exists())

    def test_end_before_start_and_end_outside_the_year_are_refused(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(f"{NEW_STEP}?ar=2026", step_data(end="2026-02-01"))
        self.assertContains(response, 'id="id_end_error"')
        self.assertContains(response, "Slutdatumet kan inte vara före startdatumet.", count=2)
        self.assertNotContains(response, "wheelstep_end_not_before_start")
        response = self.client.post(f"{NEW_STEP}?ar=2026", step_data(end="2027-01-05"))
        self.assertContains(response, "Slutdatumet ska ligga inom 2026.")
        response = self.client.post(f"{NEW_STEP}?ar=2026", step_data(title="", start="12/2"))
        self.assertContains(response, "Skriv en rubrik för steget.")
        self.assertContains(response, "Skriv datumet som ÅÅÅÅ-MM-DD.")
        self.assertEqual(WheelStep.objects.count(), 1)

    def test_one_edit_writes_one_history_row_with_the_user(self):
        self.client.force_login(self.w.controller)
        before = self.step.history.count()
        response = self.client.post(
            self.edit_url(),
            step_data(
                title="Tertialrapport 1 till KS",
                kind="tertial",
                start="2026-05-21",
                end="",
                version=self.step.version,
            ),
        )
        self.assertRedirects(response, wheel_url(2026))
        self.step.refresh_from_db()
        self.assertEqual(self.step.title, "Tertialrapport 1 till KS")
        self.assertEqual(self.step.history.count(), before + 1)
        self.assertEqual(self.step.history.first().history_user, self.w.controller)

    def test_a_stale_edit_is_refused_and_nothing_is_lost(self):
        self.client.force_login(self.w.controller)
        version = self.step.version
        self.client.post(
            self.edit_url(), step_data(title="Först", start="2026-05-20", end="", version=version)
        )
        response = self.client.post(
            self.edit_url(),
            step_data(title="Sen", start="2026-05-20", end="", version=version),
        )
        # Refused as every stale save is: 409, the other person's version shown.
        self.assertContains(response, "Någon annan har sparat en ny version", status_code=409)
        self.step.refresh_from_db()
        self.assertEqual(self.step.title, "Först")

    def test_controller_deletes_a_step_with_history(self):
        self.client.force_login(self.w.controller)
        self.assertContains(self.client.get(self.delete_url()), "Tertialrapport 1")
        response = self.client.post(self.delete_url(), {"version": self.step.version})
        self.assertRedirects(response, wheel_url(2026))
        self.assertFalse(WheelStep.objects.exists())
        last = WheelStep.history.order_by("-history_id").first()
        self.assertEqual((last.history_type, last.history_user), ("-", self.w.controller))

    def test_a_step_changed_after_the_delete_page_was_opened_is_not_deleted(self):
        self.client.force_login(self.w.controller)
        page = self.client.get(self.delete_url())
        loaded = re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)
        step = WheelStep.objects.get(pk=self.step.pk)
        step.title = "Tertialrapport 1 (flyttad)"
        versioned_save(step, user=self.w.editor, expected_version=step.version)

        response = self.client.post(self.delete_url(), {"version": loaded})

        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "har ändrats av någon annan", status_code=409)
        self.assertContains(response, "Tertialrapport 1 (flyttad)", status_code=409)
        self.assertTrue(WheelStep.objects.filter(pk=self.step.pk).exists())
        again = re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)
        self.assertRedirects(
            self.client.post(self.delete_url(), {"version": again}), wheel_url(2026)
        )
        self.assertFalse(WheelStep.objects.filter(pk=self.step.pk).exists())

    def test_copy_year_shifts_dates_by_whole_years(self):
        WheelStep.objects.create(
            year=2024, title="Skottdag", kind=WheelKind.OTHER, start=D(2024, 2, 29)
        )
        WheelStep.objects.create(
            year=2024,
            title="Budgetdialog",
            kind=WheelKind.BUDGET_DIALOGUE,
            start=D(2024, 2, 26),
            end=D(2024, 2, 29),
            description="Med alla nämnder",
            order=2,
        )
        self.client.force_login(self.w.controller)
        response = self.client.post(COPY, {"ar": 2025})
        self.assertRedirects(response, wheel_url(2025), fetch_redirect_response=False)
        copies = {s.title: s for s in WheelStep.objects.filter(year=2025)}
        self.assertEqual(copies["Skottdag"].start, D(2025, 2, 28))
        dialogue = copies["Budgetdialog"]
        self.assertEqual((dialogue.start, dialogue.end), (D(2025, 2, 26), D(2025, 2, 28)))
        self.assertEqual((dialogue.description, dialogue.order), ("Med alla nämnder", 2))
        self.assertEqual(dialogue.history.get().history_user, self.w.controller)
        self.assertEqual(WheelStep.objects.filter(year=2024).count(), 2)  # source untouched
        # Copying again changes nothing and says why.
        response = self.client.post(COPY, {"ar": 2025}, follow=True)
        self.assertContains(response, "Årshjulet för 2025 har redan steg")
        self.assertEqual(WheelStep.objects.filter(year=2025).count(), 2)

    def test_copy_from_an_empty_year_says_so(self):
        self.client.force_login(self.w.controller)
        response = self.client.post(COPY, {"ar": 2031}, follow=True)
        self.assertContains(response, "Det finns inga steg för 2030 att kopiera.")
        self.assertFalse(WheelStep.objects.filter(year=2031).exists())

    def test_copy_service_and_shift(self):
        self.assertEqual(shift_years(D(2024, 2, 29), 1), D(2025, 2, 28))
        self.assertEqual(shift_years(D(2024, 2, 29), 4), D(2028, 2, 29))
        self.assertEqual(shift_years(D(2025, 12, 31), 1), D(2026, 12, 31))
        copies = wheel_copy_year(from_year=2026, to_year=2027, user=self.w.controller)
        self.assertEqual([(c.year, c.start) for c in copies], [(2027, D(2027, 5, 20))])

    def test_editor_reader_and_other_editor_are_refused_and_nothing_changes(self):
        WheelStep.objects.create(year=2025, title="Förra året", start=D(2025, 3, 1))
        history = WheelStep.history.count()
        for user in (self.w.editor, self.w.reader, self.w.other_editor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(f"{NEW_STEP}?ar=2026").status_code, 403)
            self.assertEqual(self.client.post(f"{NEW_STEP}?ar=2026", step_data()).status_code, 403)
            self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
            response = self.client.post(
                self.edit_url(), step_data(title="Kapad", version=self.step.version)
            )
            self.assertEqual(response.status_code, 403)
            self.assertEqual(self.client.get(self.delete_url()).status_code, 403)
            self.assertEqual(self.client.post(self.delete_url()).status_code, 403)
            self.assertEqual(self.client.post(COPY, {"ar": 2026}).status_code, 403)
        self.step.refresh_from_db()
        self.assertEqual(self.step.title, "Tertialrapport 1")
        self.assertEqual(WheelStep.history.count(), history)
        self.assertEqual(WheelStep.objects.count(), 2)
        self.assertFalse(WheelStep.objects.filter(year=2026).exclude(pk=self.step.pk).exists())

    def test_missing_step_is_404_for_a_manager(self):
        self.client.force_login(self.w.controller)
        self.assertEqual(
            self.client.get(reverse("followup:wheel_step_edit", args=[9999])).status_code, 404
        )


class WheelSvgTests(TestCase):
    items = [
        (D(2026, 2, 12), D(2026, 2, 16), "Budgetdialog", "budgetdialog"),
        (D(2026, 4, 30), None, "Tertial 1", "tertial"),
        (D(2026, 5, 15), None, "Sista dag: Tertialrapport", "deadline"),
        (D(2026, 6, 15), None, "KF: MRP", "mrp"),
        (D(2026, 6, 15), None, "Samma dag", "okänd"),
    ]

    def test_it_is_deterministic_safe_and_well_formed(self):
        svg = wheel_svg(2026, self.items, today=D(2026, 3, 1))
        self.assertIsInstance(svg, SafeString)
        self.assertEqual(svg, wheel_svg(2026, list(self.items), today=D(2026, 3, 1)))
        root = ET.fromstring(str(svg))
        self.assertEqual(root.get("role"), "img")
        self.assertIn("Visaren pekar på dagens datum, 1 mars.", root.find(f"{NS}desc").text)
        self.assertTrue(any(el.get("id", "").endswith("-today") for el in root.iter()))
        legend = texts(root)
        for name in ("Budgetdialog", "Tertial", "Sista dag för uppföljning", "Annat"):
            self.assertIn(name, legend)
        self.assertIn("Visare: i dag", legend)
        self.assertIn("Båge: pågår flera dagar", legend)

    def test_every_marker_has_a_tooltip_and_a_distinct_shape(self):
        root = ET.fromstring(str(wheel_svg(2026, self.items)))
        markers = [g for g in root.iter(f"{NS}g") if re.search(r"-i\d+$", g.get("id", ""))]
        self.assertEqual(len(markers), 5)
        for g in markers:
            self.assertIsNotNone(g.find(f"{NS}title"))
        self.assertIn("5. 15 jun: Samma dag (Annat)", "".join(markers[4].itertext()))
        shapes = {(m[1].tag, m[1].get("fill"), m[1].get("stroke")) for m in markers}
        self.assertEqual(len(shapes), 5)  # five kinds, five different markers

    def test_no_hand_outside_the_current_year_and_an_empty_year(self):
        svg = str(wheel_svg(2025, [], today=D(2026, 3, 1)))
        root = ET.fromstring(svg)
        self.assertFalse(any(el.get("id", "").endswith("-today") for el in root.iter()))
        self.assertIn("Inga händelser ännu.", root.find(f"{NS}desc").text)
        self.assertEqual(sum(t in ("jan", "dec") for t in texts(root)), 2)

    def test_items_outside_the_year_are_left_out_but_numbers_still_count(self):
        items = [(D(2025, 12, 20), None, "Förra året", "annat"), *self.items]
        root = ET.fromstring(str(wheel_svg(2026, items)))
        markers = [g for g in root.iter(f"{NS}g") if re.search(r"-i\d+$", g.get("id", ""))]
        self.assertEqual(markers[0].find(f"{NS}title").text.split(".")[0], "2")

    def test_a_step_over_the_whole_year_is_drawn_as_a_full_arc(self):
        svg = wheel_svg(2026, [(D(2026, 1, 1), D(2026, 12, 31), "Hela året", "annat")])
        arcs = [p for p in ET.fromstring(str(svg)).iter(f"{NS}path") if p.get("fill") == "none"]
        d = arcs[0].get("d")
        self.assertEqual(d.count("A"), 2)  # two halves: a single 360° arc would not draw

    def test_swedish_date_spans(self):
        self.assertEqual(format_span(D(2026, 2, 12)), "12 feb")
        self.assertEqual(format_span(D(2026, 2, 12), D(2026, 2, 16)), "12–16 feb")
        self.assertEqual(format_span(D(2026, 2, 28), D(2026, 3, 3)), "28 feb–3 mar")
        self.assertEqual(format_span(D(2026, 5, 1), D(2026, 5, 1)), "1 maj")
