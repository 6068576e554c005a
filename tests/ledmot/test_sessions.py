"""The session engine (ledmot.sessions): Django's database sessions read with raw SQL.
A live session signs the person in; an expired, deleted or made-up one does not."""

import datetime

from django.contrib.sessions.models import Session
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

LOGIN = reverse("login")
START = reverse("goals:chain")


class SessionTests(TestCase):
    def setUp(self):
        self.user = UserFactory(username="eva")
        self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})

    def session(self) -> Session:
        return Session.objects.get(session_key=self.client.cookies["sessionid"].value)

    def test_a_live_session_signs_the_person_in(self):
        self.assertEqual(self.client.get(START).status_code, 200)
        self.assertEqual(self.session().get_decoded()["_auth_user_id"], str(self.user.pk))

    def test_an_expired_session_signs_nobody_in(self):
        session = self.session()
        session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
        session.save()
        self.assertRedirects(self.client.get(START), f"{LOGIN}?next=/")

    def test_a_deleted_or_made_up_session_signs_nobody_in(self):
        self.session().delete()
        self.assertRedirects(self.client.get(START), f"{LOGIN}?next=/")
        self.client.cookies["sessionid"] = "x" * 32
        self.assertRedirects(self.client.get(START), f"{LOGIN}?next=/")
        # A new sign-in makes a new session that works.
        self.client.post(LOGIN, {"username": "eva", "password": "losenord-123"})
        self.assertEqual(self.client.get(START).status_code, 200)
