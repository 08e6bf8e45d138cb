"""Email backends the tests plug in with override_settings(EMAIL_BACKEND=...)."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    """A transport that is down: every send raises, as SMTP does when the server refuses."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("SMTP server refused the connection")
