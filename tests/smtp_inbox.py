"""An aiosmtpd handler that keeps every message it accepts, for the tests that mail to a real SMTP
server on 127.0.0.1 (with `free_port`, the one of postgres_server.py)."""
from __future__ import annotations

from email import message_from_bytes, policy

from postgres_server import free_port  # noqa: F401 - shared with the mailing tests


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list:
        return [message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]
