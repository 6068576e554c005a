"""Säkerhetshändelser: sign-in events and changes of who may do what, for the
municipality's administrators, with filters and an Excel export of the same rows."""

import io
import re

from axes.models import AccessFailureLog, AccessLog
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ledmot.models import Role
from tests.conftest import build_world
from tests.factories import UserFactory, grant

URL = reverse("signin_events")
LOGIN = reverse("login")


class SigninEventTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.admin = UserFactory(username="admin")
        grant(cls.admin, cls.w.kf, Role.ADMIN)
        cls.committee_admin = UserFactory(username="bunadmin")
        grant(cls.committee_admin, cls.w.bun, Role.ADMIN)

    def sign_in(self, username, password="losenord-123"):
        return self.client.post(
            LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3"
        )

    def test_only_administrators_of_the_municipality_see_it(self):
        w = self.w
        for user, status in [
            (self.admin, 200),
            (self.committee_admin, 403),
            (w.controller, 403),
            (w.reader, 403),
            (w.editor, 403),
        ]:
            with self.subTest(user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL).status_code, status)
        self.client.logout()
        response = self.client.get(URL)
        self.assertRedirects(response, f"{LOGIN}?next={URL}")

    def test_the_pages_address_says_what_it_lists_and_the_old_one_leads_there(self):
        self.assertEqual(URL, "/administration/sakerhetshandelser/")
        self.client.force_login(self.admin)
        response = self.client.get("/administration/inloggningar/?utfall=misslyckad")
        self.assertRedirects(response, f"{URL}?utfall=misslyckad", status_code=301)

    def test_reached_from_the_administration_tabs_by_those_who_may_see_it(self):
        people = reverse("orgadmin:person_list")
        self.client.force_login(self.admin)
        self.assertContains(
            self.client.get(people), f'<a href="{URL}">Säkerhetshändelser</a>', html=True
        )
        page = self.client.get(URL)
        self.assertContains(
            page, f'<a href="{URL}" aria-current="page">Säkerhetshändelser</a>', html=True
        )
        self.client.force_login(self.committee_admin)
        self.assertNotContains(self.client.get(people), URL)

    def as_admin(self):
        """Signed in as the administrator, without the sign-in of the test itself."""
        self.client.force_login(self.admin)
        AccessLog.objects.filter(username="admin").delete()

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_successes_failures_and_lockouts_with_who_when_and_where(self):
        self.sign_in("editor")
        self.client.logout()
        self.sign_in("other", "fel")
        self.sign_in("other", "fel")
        self.as_admin()

        page = self.client.get(URL).content.decode()

        self.assertIn("3 händelser", page)
        rows = page.split("<tbody>")[1]
        self.assertRegex(
            rows, r"editor</th>\s*<td>.*Inloggad</td>\s*<td>Lösenord</td>\s*<td>editor</td>"
        )
        self.assertIn("Misslyckad", rows)
        self.assertIn("Spärrad", rows)
        self.assertIn("10.1.2.3", rows)

    def test_filters_by_outcome_name_and_date(self):
        now = timezone.now()
        AccessLog.objects.create(username="editor", ip_address="10.0.0.1", attempt_time=now)
        AccessFailureLog.objects.create(
            username="other", ip_address="10.0.0.2", attempt_time=now, locked_out=False
        )
        AccessFailureLog.objects.create(username="reader", ip_address="10.0.0.3", locked_out=True)
        # attempt_time is set on creation.
        AccessFailureLog.objects.filter(username="reader").update(
            attempt_time=now - timezone.timedelta(days=40)
        )
        self.as_admin()

        def names(**params):
            page = self.client.get(URL, params).content.decode().split("<tbody>")
            return sorted(
                n for n in ("editor", "other", "reader") if len(page) > 1 and n in page[1]
            )

        self.assertEqual(names(), ["editor", "other", "reader"])
        self.assertEqual(names(outcome="ok"), ["editor"])
        self.assertEqual(names(outcome="failed"), ["other"])
        self.assertEqual(names(outcome="locked"), ["reader"])
        self.assertEqual(names(q="oth"), ["other"])
        self.assertEqual(names(q="10.0.0.3"), ["reader"])
        since = (now - timezone.timedelta(days=1)).date().isoformat()
        self.assertEqual(names(since=since), ["editor", "other"])

    def test_the_excel_export_has_the_filtered_rows(self):
        AccessLog.objects.create(
            username="=cmd|' /C calc'!A0", ip_address="10.0.0.1", attempt_time=timezone.now()
        )
        AccessFailureLog.objects.create(
            username="other", ip_address="10.0.0.2", attempt_time=timezone.now()
        )
        self.as_admin()

        response = self.client.get(URL, {"outcome": "ok", "export": "xlsx"})

        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0],
            ("Tid", "Användarnamn", "Händelse", "Vad", "Utförd av", "Adress", "Webbläsare"),
        )
        self.assertEqual(len(rows), 2)
        # A user name is text, never a formula.
        self.assertEqual(rows[1][1:4], ("=cmd|' /C calc'!A0", "Inloggad", "Lösenord"))
        self.assertEqual(rows[1][5], "10.0.0.1")
        self.assertEqual(sheet.cell(2, 2).data_type, "s")

    def test_the_page_costs_the_same_queries_at_any_size(self):
        self.as_admin()
        self.client.get(URL)

        def queries():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(URL).status_code, 200)
            return len(ctx.captured_queries)

        AccessLog.objects.create(username="a", ip_address="10.0.0.1", attempt_time=timezone.now())
        small = queries()
        for i in range(120):
            AccessLog.objects.create(
                username=f"u{i}", ip_address="10.0.0.1", attempt_time=timezone.now()
            )
            AccessFailureLog.objects.create(
                username=f"f{i}", ip_address="10.0.0.1", attempt_time=timezone.now()
            )
        self.assertEqual(queries(), small)

    def test_pages_interleave_the_sources_newest_first_and_the_count_stops_at_the_cap(self):
        """Each page reads the newest events of every source and merges them: the rows
        of pages 1 and 2 are the union's, newest first; past COUNT_CAP the page says
        "fler än" instead of counting the whole log."""
        import datetime
        from unittest import mock

        from ledmot import signin_events

        self.as_admin()
        start = timezone.now() - datetime.timedelta(days=1)
        for i in range(70):  # every third a failure, so the two logs take turns
            model = AccessFailureLog if i % 3 == 0 else AccessLog
            at = start + datetime.timedelta(minutes=i)
            with mock.patch("django.utils.timezone.now", return_value=at):
                model.objects.create(username=f"person{i:02}", ip_address="10.0.0.1")
        found = []
        for number in (1, 2):  # each name shows twice in its row (who, by whom)
            found += re.findall(
                r"person\d\d", self.client.get(URL, {"sida": number}).content.decode()
            )
        names = list(dict.fromkeys(found))
        self.assertEqual(names, [f"person{i:02}" for i in reversed(range(70))])
        with mock.patch.object(signin_events, "COUNT_CAP", 60):
            page = self.client.get(URL).content.decode()
        self.assertIn("Fler än 60 händelser", page)
        self.assertIn("Sida 1 av fler än 2", page)
        self.assertIn('rel="next"', page)

    def test_the_newest_sign_ins_are_read_by_an_index_not_by_sorting_the_whole_log(self):
        """A large municipality's sign-in log is tens of thousands of rows a month: the
        first page reads its newest rows by an index, on either engine, and never sorts
        the whole log (axes' logs have no index on their time)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for model in (AccessLog, AccessFailureLog):  # each row's time is set as it is written
            model.objects.bulk_create(
                model(username=f"person{i}", ip_address="10.0.0.1") for i in range(3000)
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.as_admin()

        with CaptureQueriesContext(connection) as ctx:
            page = self.client.get(URL).content.decode()

        self.assertIn("person2999", page)
        read = [q["sql"] for q in ctx.captured_queries if "axes_access" in q["sql"]]
        self.assertTrue(read)
        sorted_whole_log = "Sort Key" if connection.vendor == "postgresql" else "TEMP B-TREE"
        for sql in read:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"EXPLAIN {sql}"
                    if connection.vendor == "postgresql"
                    else (f"EXPLAIN QUERY PLAN {sql}")
                )
                plan = "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())
            self.assertNotIn(sorted_whole_log, plan, sql)
