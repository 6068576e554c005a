"""A mail server that is away, for tests of what happens when a mail cannot be sent:
``override_settings(EMAIL_BACKEND=AWAY)``."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

AWAY = "tests.mailserver.RefusingBackend"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
