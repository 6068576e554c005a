"""The session engine (``SESSION_ENGINE``): Django's database sessions, the session read
with raw SQL.

Every signed-in request loads its session first; building that lookup as a queryset
(``Session.objects.get(session_key=…, expire_date__gt=now)``) cost three times
running it. :meth:`SessionStore.load` is the one method a session engine implements
to read a session; the rest (saving, expiry, clearing) is Django's.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        """The session's data, ``{}`` (and no key) when it is missing or expired: the
        same rows as Django's ``_get_session_from_db``."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        q = connection.ops.quote_name
        # Only the table's name is formatted in; the key and the moment are parameters.
        sql = (
            f"SELECT session_data FROM {q(model._meta.db_table)} "  # noqa: S608
            "WHERE session_key = %s AND expire_date > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
