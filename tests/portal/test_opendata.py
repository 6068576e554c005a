"""Open data (issue 18 point 2): every public list as CSV for Swedish Excel and as
JSON, and a DCAT-AP-SE catalogue with stable addresses."""

import csv
import io
import json

from django.urls import reverse

from goals.models import Goal
from ledmot.lib.csvfile import csv_lines, csv_number, csv_text
from portal.opendata import DATASETS
from tests.portal.test_portal import PortalTestCase, _text
from tests.portal.world import SECRET


class CsvTests(PortalTestCase):
    def read_csv(self, slug):
        response = self.client.get(reverse("portal:download", args=[slug, "csv"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        body = b"".join(response.streaming_content)
        self.assertTrue(body.startswith("\ufeff".encode()), "UTF-8 with BOM for Excel")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    def test_goals_read_back_with_swedish_characters_intact(self):
        header, rows = self.read_csv("mal")
        self.assertEqual(header, DATASETS["mal"].header)
        titles = {row["mal"] for row in rows}
        self.assertEqual(titles, {self.w.council_goal.title, self.w.committee_goal.title})
        committee = next(r for r in rows if r["id"] == str(self.w.committee_goal.pk))
        self.assertEqual(committee["agare"], "Barn- och utbildningsnämnden")
        self.assertEqual(committee["ansvarig"], "Förvaltningschef")
        self.assertEqual(committee["overordnat_mal_id"], str(self.w.council_goal.pk))
        self.assertEqual(committee["mandatperiod"], "2023–2026")

    def test_values_have_a_decimal_comma_and_stop_at_the_published_period(self):
        _header, rows = self.read_csv("utfall")
        self.assertEqual(
            [(r["period"], r["varde"]) for r in rows], [("2024", "71,5"), ("2025", "74,25")]
        )
        _header, targets = self.read_csv("malvarden")
        self.assertEqual([(t["ar"], t["varde"]) for t in targets], [("2025", "80")])

    def test_assessments_are_only_the_approved_and_published(self):
        _header, rows = self.read_csv("bedomningar")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["bedomning"], "Delvis uppfyllt")
        self.assertEqual(rows[0]["analys"], "Analysen: fler elever når målen i år än förra året.")
        self.assertEqual(rows[0]["uppfoljning"], "Årsredovisning 2025")

    def test_a_title_that_looks_like_a_formula_stays_text(self):
        goal = self.w.committee_goal
        Goal.objects.filter(pk=goal.pk).update(title='=HYPERLINK("http://x.example","Klicka")')
        _header, rows = self.read_csv("mal")
        row = next(r for r in rows if r["id"] == str(goal.pk))
        self.assertEqual(row["mal"], '\'=HYPERLINK("http://x.example","Klicka")')

    def test_the_csv_helpers(self):
        self.assertEqual(csv_text("+46 70"), "'+46 70")
        self.assertEqual(csv_text("@SUM(A1)"), "'@SUM(A1)")
        self.assertEqual(csv_text("-1+1"), "'-1+1")
        self.assertEqual(csv_text("Hej\x00 då"), "Hej då")
        self.assertEqual(csv_number(-3), "-3")
        self.assertEqual(csv_number("1200.5000"), "1200,5")
        lines = list(csv_lines(["a", "b"], [("Å;ä", 1.5)]))
        self.assertEqual(lines, ["\ufeffa;b\r\n", '"Å;ä";1,5\r\n'])


class JsonTests(PortalTestCase):
    def test_every_data_set_as_json_has_the_same_rows_as_its_csv(self):
        for slug, dataset in DATASETS.items():
            with self.subTest(slug=slug):
                data = json.loads(
                    _text(self.client.get(reverse("portal:download", args=[slug, "json"])))
                )
                self.assertEqual(data["dataset"], slug)
                self.assertEqual(
                    data["identifier"], "https://mal.asbacka.se" + f"/oppen/data/{slug}/"
                )
                csv_body = _text(self.client.get(reverse("portal:download", args=[slug, "csv"])))
                csv_rows = list(csv.reader(io.StringIO(csv_body), delimiter=";"))[1:]
                self.assertEqual(len(data["items"]), len(csv_rows))
                for item in data["items"]:
                    self.assertEqual(list(item), dataset.header)
                self.assertNotIn(SECRET, json.dumps(data, ensure_ascii=False))

    def test_values_are_numbers(self):
        data = json.loads(
            _text(self.client.get(reverse("portal:download", args=["utfall", "json"])))
        )
        self.assertEqual([i["varde"] for i in data["items"]], [71.5, 74.25])


class CatalogTests(PortalTestCase):
    def test_the_dcat_catalogue_describes_every_data_set_with_stable_addresses(self):
        response = self.client.get(reverse("portal:catalog"))
        self.assertEqual(response["Content-Type"], "application/ld+json; charset=utf-8")
        doc = json.loads(response.content)
        self.assertEqual(doc["@type"], "dcat:Catalog")
        self.assertEqual(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#")
        self.assertEqual(doc["dct:publisher"]["foaf:name"], "Åsbacka kommun")
        datasets = {d["dct:identifier"]: d for d in doc["dcat:dataset"]}
        base = "https://mal.asbacka.se/oppen/data/"
        self.assertEqual(set(datasets), {f"{base}{slug}/" for slug in DATASETS})
        for identifier, d in datasets.items():
            with self.subTest(dataset=identifier):
                # DCAT-AP-SE's mandatory properties for a data set and its distributions.
                self.assertEqual(d["@id"], identifier)
                self.assertTrue(d["dct:title"]["@value"])
                self.assertEqual(d["dct:title"]["@language"], "sv")
                self.assertTrue(d["dct:description"]["@value"])
                self.assertEqual(d["dct:publisher"]["@id"], doc["dct:publisher"]["@id"])
                self.assertTrue(
                    d["dcat:contactPoint"]["vcard:hasEmail"]["@id"].startswith("mailto:")
                )
                formats = {x["dct:format"]["@id"].rsplit("/", 1)[1] for x in d["dcat:distribution"]}
                self.assertEqual(formats, {"CSV", "JSON"})
                for dist in d["dcat:distribution"]:
                    path = dist["dcat:accessURL"]["@id"].removeprefix("https://mal.asbacka.se")
                    self.assertEqual(self.client.get(path).status_code, 200, path)
                # The identifier is an address that answers (the data set's page).
                self.assertEqual(
                    self.client.get(identifier.removeprefix("https://mal.asbacka.se")).status_code,
                    200,
                )

    def test_the_addresses_do_not_depend_on_the_host_asked(self):
        with self.settings(ALLOWED_HOSTS=["other.example"]):
            doc = json.loads(
                self.client.get(reverse("portal:catalog"), HTTP_HOST="other.example").content
            )
        self.assertTrue(doc["@id"].startswith("https://mal.asbacka.se/"))
