"""Organisation och behörigheter, the tree: who may open and change what (the role × URL
grid), adding, renaming, re-coding, moving, deactivating and deleting units, with the
history, and a committee admin kept inside his part of the tree."""

from django.test import TestCase
from django.urls import reverse

from goals.models import Activity, Goal, Indicator
from ledmot.access import Cap, access_for
from ledmot.models import OrgKind, OrgUnit, Role, RoleAssignment
from tests.conftest import build_world
from tests.factories import OrgUnitFactory, UserFactory, grant

TREE = reverse("orgadmin:unit_tree")
NEW = reverse("orgadmin:unit_create")


def admin_world():
    w = build_world()
    w.admin = UserFactory(username="orgadmin", first_name="Ada", last_name="Admin")
    grant(w.admin, w.kf, Role.ADMIN)
    w.bun_admin = UserFactory(username="bunadmin", first_name="Bea", last_name="Nämndadmin")
    grant(w.bun_admin, w.bun, Role.ADMIN)
    return w


def snapshot():
    """Everything the organisation screens may write, to prove a refused write wrote
    nothing."""
    return (
        list(
            OrgUnit.objects.order_by("pk").values_list(
                "pk", "name", "code", "parent_id", "path", "active"
            )
        ),
        list(
            RoleAssignment.objects.order_by("pk").values_list(
                "pk", "user_id", "org_unit_id", "role"
            )
        ),
        OrgUnit.history.count(),
    )


class UnitGridTests(TestCase):
    """Every screen of the tree, GET and POST, for admin, committee admin, controller,
    reader and anonymous: refused means 403 (or the sign-in page) and nothing written."""

    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()
        cls.spare = OrgUnitFactory(name="Tom enhet", code="TOM", parent=cls.w.buf)

    def requests(self, unit):
        w = self.w
        return [
            ("get", TREE, {}),
            ("get", NEW, {}),
            ("get", reverse("orgadmin:unit_page", args=[unit.pk]), {}),
            (
                "post",
                NEW,
                {"name": "Ny", "code": "NY1", "kind": OrgKind.UNIT, "parent": unit.pk, "order": 0},
            ),
            (
                "post",
                reverse("orgadmin:unit_page", args=[unit.pk]),
                {"name": "Nytt namn", "code": unit.code, "order": 0},
            ),
            ("post", reverse("orgadmin:unit_move", args=[unit.pk]), {"parent": w.buf.pk}),
            ("post", reverse("orgadmin:unit_set_active", args=[unit.pk]), {"active": "0"}),
            ("post", reverse("orgadmin:unit_delete", args=[unit.pk]), {}),
        ]

    def assert_refused(self, user, unit, *, statuses=(403,)):
        for method, url, data in self.requests(unit):
            before = snapshot()
            if user is not None:
                self.client.force_login(user)
            response = getattr(self.client, method)(url, data)
            with self.subTest(user=str(user), method=method, url=url):
                if user is None:
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("login"), response["Location"])
                else:
                    self.assertIn(response.status_code, statuses)
                self.assertEqual(snapshot(), before)

    def test_anonymous_is_sent_to_sign_in(self):
        self.assert_refused(None, self.spare)

    def test_controller_and_reader_are_refused(self):
        for user in (self.w.controller, self.w.reader, self.w.editor):
            self.assert_refused(user, self.spare)

    def test_committee_admin_is_refused_outside_his_committee(self):
        self.client.force_login(self.w.bun_admin)
        outside = OrgUnitFactory(name="Annan tom", code="TOM2", parent=self.w.vof)
        for method, url, data in self.requests(outside)[2:]:
            before = snapshot()
            response = getattr(self.client, method)(url, data)
            with self.subTest(method=method, url=url):
                self.assertIn(response.status_code, (403, 200))
                if response.status_code == 200:  # a form refusing the posted unit
                    self.assertContains(response, "Välj ett giltigt alternativ")
                self.assertEqual(snapshot(), before)

    def test_admin_and_committee_admin_open_every_screen(self):
        for user in (self.w.admin, self.w.bun_admin):
            self.client.force_login(user)
            for url in (TREE, NEW, reverse("orgadmin:unit_page", args=[self.spare.pk])):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_committee_admin_sees_only_his_part_of_the_tree(self):
        self.client.force_login(self.w.bun_admin)
        response = self.client.get(TREE)
        self.assertContains(response, "Ekbackens skola")
        self.assertNotContains(response, "Solgårdens")
        self.assertNotContains(response, "Kommunfullmäktige</a>")

    def test_menu_links_the_screens_for_admins_only(self):
        self.client.force_login(self.w.bun_admin)
        self.assertContains(self.client.get(reverse("goals:chain")), f'href="{TREE}"')
        self.client.force_login(self.w.controller)
        self.assertNotContains(self.client.get(reverse("goals:chain")), f'href="{TREE}"')


class UnitWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()

    def test_admin_adds_a_unit_with_history(self):
        self.client.force_login(self.w.admin)
        response = self.client.post(
            NEW,
            {
                "name": "Björkens förskola",
                "code": "FSK1",
                "kind": OrgKind.UNIT,
                "parent": self.w.buf.pk,
                "order": 3,
            },
        )
        unit = OrgUnit.objects.get(code="FSK1")
        self.assertRedirects(response, reverse("orgadmin:unit_page", args=[unit.pk]))
        self.assertEqual(unit.path, "KF/BUN/BUF/FSK1/")
        record = unit.history.get()
        self.assertEqual((record.history_user, record.history_type), (self.w.admin, "+"))

    def test_a_kind_that_cannot_lie_there_is_refused_with_the_rule(self):
        self.client.force_login(self.w.admin)
        before = snapshot()
        response = self.client.post(
            NEW,
            {
                "name": "Fel",
                "code": "FEL",
                "kind": OrgKind.ADMINISTRATION,
                "parent": self.w.buf.pk,
                "order": 0,
            },
        )
        self.assertContains(response, "kan inte ligga under en")
        self.assertEqual(snapshot(), before)

    def test_recoding_rewrites_the_subtree_paths_with_history(self):
        self.client.force_login(self.w.admin)
        url = reverse("orgadmin:unit_page", args=[self.w.buf.pk])
        response = self.client.post(url, {"name": "BUF", "code": "BUF2", "order": 0})
        self.assertRedirects(response, url)
        skola1 = OrgUnit.objects.get(pk=self.w.skola1.pk)
        self.assertEqual(skola1.path, "KF/BUN/BUF2/SKOLA1/")
        latest = skola1.history.latest()
        self.assertEqual((latest.history_user, latest.path), (self.w.admin, "KF/BUN/BUF2/SKOLA1/"))
        self.assertContains(self.client.get(url), "Ny kod: BUF → BUF2")

    def test_a_taken_code_is_refused(self):
        self.client.force_login(self.w.admin)
        before = snapshot()
        url = reverse("orgadmin:unit_page", args=[self.w.skola2.pk])
        response = self.client.post(url, {"name": "Lindens skola", "code": "SKOLA1", "order": 0})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "field-error")
        self.assertEqual(snapshot(), before)

    def test_moving_a_unit_carries_its_subtree_goals_and_roles(self):
        """Before the move the BUN editor covers SKOLA1 and VON's editor does not;
        after it, the other way round; the unit's goal and roles stay on it."""
        w = self.w
        bun_staff = UserFactory(username="bunstaff")
        grant(bun_staff, w.bun, Role.EDITOR)
        von_staff = UserFactory(username="vonstaff")
        grant(von_staff, w.von, Role.EDITOR)
        below = OrgUnitFactory(
            name="Fritids", code="FRITIDS", kind=OrgKind.DEPARTMENT, parent=w.buf
        )
        w.skola1.parent = below
        w.skola1.save()

        def covers(user, unit):
            user = type(user).objects.get(pk=user.pk)
            return access_for(user).can(Cap.EDIT, OrgUnit.objects.get(pk=unit.pk))

        self.assertTrue(covers(bun_staff, w.skola1))
        self.assertFalse(covers(von_staff, w.skola1))
        self.client.force_login(w.admin)
        response = self.client.post(
            reverse("orgadmin:unit_move", args=[below.pk]), {"parent": w.vof.pk}
        )
        self.assertRedirects(response, reverse("orgadmin:unit_page", args=[below.pk]))
        self.assertEqual(OrgUnit.objects.get(pk=w.skola1.pk).path, "KF/VON/VOF/FRITIDS/SKOLA1/")
        self.assertFalse(covers(bun_staff, w.skola1))
        self.assertTrue(covers(von_staff, w.skola1))
        self.assertTrue(covers(w.editor, w.skola1))  # the role on the unit itself follows
        self.assertEqual(Goal.objects.get(pk=w.unit_goal.pk).owner_id, w.skola1.pk)
        record = below.history.latest()
        self.assertEqual(record.history_user, w.admin)
        self.assertIn("Flyttad från", record.history_change_reason)

    def test_a_unit_cannot_move_below_itself(self):
        self.client.force_login(self.w.admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:unit_move", args=[self.w.bun.pk]), {"parent": self.w.skola1.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(snapshot(), before)

    def test_committee_admin_cannot_move_a_unit_out_of_his_committee_by_editing_the_id(self):
        self.client.force_login(self.w.bun_admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:unit_move", args=[self.w.skola1.pk]), {"parent": self.w.vof.pk}
        )
        self.assertContains(response, "Välj ett giltigt alternativ")
        self.assertEqual(snapshot(), before)
        response = self.client.post(
            NEW,
            {
                "name": "Smuggel",
                "code": "SMUGGEL",
                "kind": OrgKind.UNIT,
                "parent": self.w.vof.pk,
                "order": 0,
            },
        )
        self.assertContains(response, "Välj ett giltigt alternativ")
        self.assertEqual(snapshot(), before)

    def test_committee_admin_cannot_move_his_own_committee(self):
        self.client.force_login(self.w.bun_admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:unit_move", args=[self.w.bun.pk]), {"parent": self.w.kf.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(snapshot(), before)

    def test_a_unit_with_open_work_is_not_deactivated_and_says_what_is_open(self):
        self.client.force_login(self.w.admin)
        before = snapshot()
        url = reverse("orgadmin:unit_page", args=[self.w.skola1.pk])
        self.assertContains(self.client.get(url), "Enhet som tar över det pågående arbetet")
        response = self.client.post(
            reverse("orgadmin:unit_set_active", args=[self.w.skola1.pk]),
            {"active": "0"},
            follow=True,
        )
        self.assertContains(response, "har arbete som pågår")
        self.assertContains(response, "mål som gäller (2)")
        self.assertEqual(snapshot(), before)

    def test_deactivating_hands_the_open_work_over_to_the_chosen_unit(self):
        w = self.w
        self.client.force_login(w.admin)
        response = self.client.post(
            reverse("orgadmin:unit_set_active", args=[w.skola1.pk]),
            {"active": "0", "successor": w.skola2.pk},
            follow=True,
        )
        self.assertContains(response, "Ekbackens skola är avvecklad")
        self.assertFalse(OrgUnit.objects.get(pk=w.skola1.pk).active)
        goal = Goal.objects.get(pk=w.unit_goal.pk)
        self.assertEqual(goal.owner, w.skola2)
        self.assertEqual(goal.history.latest().history_user, w.admin)
        self.assertEqual(goal.history.latest().history_change_reason, "Övertaget av Lindens skola")
        self.assertEqual(Activity.objects.get(pk=w.activity.pk).owner, w.skola2)
        self.assertEqual(Indicator.objects.get(pk=w.indicator.pk).responsible_unit, w.skola2)
        self.assertIn(
            "Lindens skola",
            OrgUnit.objects.get(pk=w.skola1.pk).history.latest().history_change_reason,
        )

    def test_work_that_does_not_fit_the_chosen_unit_moves_nothing(self):
        w = self.w
        self.client.force_login(w.admin)
        before = snapshot()
        goals_before = list(Goal.objects.order_by("pk").values_list("pk", "owner_id", "version"))
        response = self.client.post(
            reverse("orgadmin:unit_set_active", args=[w.skola1.pk]),
            {"active": "0", "successor": w.bun.pk},  # unit goals cannot be a committee's
            follow=True,
        )
        self.assertContains(response, "Fel nivå")
        self.assertEqual(snapshot(), before)
        self.assertEqual(
            list(Goal.objects.order_by("pk").values_list("pk", "owner_id", "version")), goals_before
        )

    def test_an_open_report_keeps_the_unit_and_moves_nothing(self):
        from tests.followup.helpers import open_round

        w = self.w
        open_round(w, scope=[w.skola1])
        self.client.force_login(w.admin)
        goals_before = list(Goal.objects.order_by("pk").values_list("pk", "owner_id", "version"))
        response = self.client.post(
            reverse("orgadmin:unit_set_active", args=[w.skola1.pk]),
            {"active": "0", "successor": w.skola2.pk},
            follow=True,
        )
        self.assertContains(response, "rapporter i en öppen uppföljning (1)")
        self.assertTrue(OrgUnit.objects.get(pk=w.skola1.pk).active)
        self.assertEqual(
            list(Goal.objects.order_by("pk").values_list("pk", "owner_id", "version")), goals_before
        )

    def test_a_committee_admin_cannot_hand_work_to_a_unit_outside_his_part(self):
        w = self.w
        self.client.force_login(w.bun_admin)
        before = snapshot()
        goals_before = list(Goal.objects.order_by("pk").values_list("pk", "owner_id", "version"))
        response = self.client.post(
            reverse("orgadmin:unit_set_active", args=[w.skola1.pk]),
            {"active": "0", "successor": w.boende1.pk},
            follow=True,
        )
        self.assertContains(response, "Välj ett giltigt alternativ")
        self.assertEqual(snapshot(), before)
        self.assertEqual(
            list(Goal.objects.order_by("pk").values_list("pk", "owner_id", "version")), goals_before
        )

    def test_a_unit_with_active_units_below_is_not_deactivated(self):
        self.client.force_login(self.w.admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:unit_set_active", args=[self.w.buf.pk]), {"active": "0"}, follow=True
        )
        self.assertContains(response, "aktiva enheter under sig")
        self.assertEqual(snapshot(), before)

    def test_an_idle_unit_is_deactivated_and_reactivated_with_history(self):
        unit = OrgUnitFactory(name="Nedlagd skola", code="NEDLAGD", parent=self.w.buf)
        self.client.force_login(self.w.admin)
        url = reverse("orgadmin:unit_set_active", args=[unit.pk])
        self.client.post(url, {"active": "0"})
        unit.refresh_from_db()
        self.assertFalse(unit.active)
        self.assertEqual(unit.history.latest().history_change_reason, "Avvecklad")
        self.assertEqual(unit.history.latest().history_user, self.w.admin)
        self.client.post(url, {"active": "1"})
        unit.refresh_from_db()
        self.assertTrue(unit.active)

    def test_a_unit_that_owns_goals_cannot_be_deleted(self):
        self.client.force_login(self.w.admin)
        before = snapshot()
        response = self.client.post(
            reverse("orgadmin:unit_delete", args=[self.w.skola1.pk]), follow=True
        )
        self.assertContains(response, "kan inte tas bort")
        self.assertEqual(snapshot(), before)

    def test_an_unused_unit_is_deleted_with_its_roles(self):
        unit = OrgUnitFactory(name="Felinlagd", code="FELINLAGD", parent=self.w.buf)
        grant(self.w.editor, unit, Role.READER)
        self.client.force_login(self.w.admin)
        response = self.client.post(reverse("orgadmin:unit_delete", args=[unit.pk]))
        self.assertRedirects(response, TREE)
        self.assertFalse(OrgUnit.objects.filter(pk=unit.pk).exists())
        self.assertFalse(RoleAssignment.objects.filter(org_unit_id=unit.pk).exists())
        self.assertEqual(OrgUnit.history.filter(id=unit.pk).latest().history_user, self.w.admin)


class DjangoAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = admin_world()

    def test_staff_without_superuser_is_kept_out_of_the_django_admin(self):
        staff = UserFactory(username="staff", is_staff=True)
        self.client.force_login(staff)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])
        boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
        self.client.force_login(boss)
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)
        self.assertNotContains(self.client.get(reverse("goals:chain")), reverse("admin:index"))
