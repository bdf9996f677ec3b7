"""Sessions in the database, as Django's ``db`` engine keeps them (``SESSION_ENGINE``).

Every request with a session reads its row, so that a sign-out, in any process, ends it at once;
the row is read by a statement built once per connection (``ehalsa.db.get_by_pk``) rather than by a
query built anew for each request.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from .db import get_by_pk


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = get_by_pk(self.model, self.session_key) if self.session_key else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
