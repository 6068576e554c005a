"""AGPL: the licence text is in the repository and every page links to the source."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings
from django.urls import reverse

from tests.conftest import build_world

# The MD5 of https://www.gnu.org/licenses/agpl-3.0.txt, the text as the FSF publishes it.
AGPL_3_MD5 = "eb1e647870add0502f8f010b19de32af"


def test_the_licence_is_the_gnu_agpl_v3_verbatim():
    text = (Path(settings.BASE_DIR) / "LICENSE").read_bytes()
    assert text.startswith(b"                    GNU AFFERO GENERAL PUBLIC LICENSE\n")
    assert hashlib.md5(text).hexdigest() == AGPL_3_MD5


class SourceLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_every_page_links_to_the_source(self):
        self.client.force_login(self.w.reader)
        for url in (reverse("goals:chain"), reverse("login"), "/finns-inte/"):
            response = self.client.get(url, follow=True)
            self.assertContains(
                response,
                f'<a href="{settings.LEDMOT_SOURCE_URL}">Källkoden (AGPL-3.0)</a>',
                status_code=response.status_code,
            )

    @override_settings(LEDMOT_SOURCE_URL="https://git.exempel.se/kommunen/ledmot")
    def test_a_fork_links_to_its_own_source(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, 'href="https://git.exempel.se/kommunen/ledmot"')
