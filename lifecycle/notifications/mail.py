"""Delivery: a notice row becomes an RFC 5322 message, written to a directory or handed to SMTP.

`--via DIR` writes `notice-000042.eml` files (written aside and renamed, so
a reader never sees half a message); `--via smtp://HOST:PORT` talks to a
real server, with STARTTLS when the server offers it and a login when
LIFECYCLE_SMTP_USER / LIFECYCLE_SMTP_PASSWORD are set. The sender is
LIFECYCLE_MAIL_FROM.
"""
from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from lifecycle.core.errors import BadInput

DEFAULT_SENDER = "社工站项目管理平台 <noreply@lifecycle.localhost>"


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand the message over; returning means it was accepted. Raises OSError/SMTPException if not."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class Copy:
    role: str
    name: str | None
    email: str | None


def sender() -> str:
    return os.environ.get("LIFECYCLE_MAIL_FROM") or DEFAULT_SENDER


def build_message(row: Any, copies: list[Copy], now: datetime, from_addr: str) -> EmailMessage:
    """Multipart/alternative (text, HTML), UTF-8, with RFC 2047 headers for Chinese names and subjects."""
    msg = EmailMessage()
    msg["Subject"] = row.subject
    msg["From"] = from_addr
    msg["To"] = formataddr((row.recipient_name or "", row.email))
    cc = [formataddr((c.name or "", c.email)) for c in copies if c.email]
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(row, from_addr)
    msg["X-Lifecycle-Notice"] = f"{row.id} {row.project_id} {row.obligation_id} {row.stage}"
    msg.set_content(row.body_text, charset="utf-8")
    msg.add_alternative(row.body_html, subtype="html", charset="utf-8")
    return msg


def message_id(row: Any, from_addr: str) -> str:
    """Stable per notice: a resend after a crash carries the same id, so mail systems can drop the duplicate."""
    domain = from_addr.rsplit("@", 1)[-1].strip(" >") or "lifecycle.localhost"
    digest = hashlib.sha256(f"{row.project_id}|{row.obligation_id}|{row.stage}".encode()).hexdigest()[:16]
    return f"<notice.{row.id}.{digest}@{domain}>"


class DirectoryTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: EmailMessage) -> None:
        number = int(message["X-Lifecycle-Notice"].split()[0])
        final = self.folder / f"notice-{number:06d}.eml"
        partial = self.folder / f".notice-{number:06d}.eml.partial"
        partial.write_bytes(message.as_bytes())
        os.replace(partial, final)

    def close(self) -> None:
        pass


class SmtpTransport:
    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            user = os.environ.get("LIFECYCLE_SMTP_USER")
            if user:
                smtp.login(user, os.environ.get("LIFECYCLE_SMTP_PASSWORD", ""))
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        try:
            self._connect().send_message(message)
        except (OSError, smtplib.SMTPException):
            self.close()   # the next notice starts a fresh connection
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


def transport_for(via: str) -> DirectoryTransport | SmtpTransport:
    """`smtp://HOST:PORT` or a directory path."""
    if len(via) > 4096 or "\x00" in via:
        raise BadInput("--via is not a directory path or smtp://HOST:PORT (too long, or holds a NUL byte)")
    if via.startswith("smtp://"):
        try:
            parts = urlsplit(via)
        except ValueError as exc:
            raise BadInput(f"--via {via}: not a valid URL ({exc})") from None
        try:
            port = parts.port or 25
        except ValueError:
            raw = parts.netloc.rpartition(":")[2]
            why = "is not between 1 and 65535" if raw.isdigit() else "is not a number"
            raise BadInput(f"--via {via}: the port {raw} {why}") from None
        if not parts.hostname:
            raise BadInput(f"--via {via}: give a host, e.g. smtp://127.0.0.1:25")
        return SmtpTransport(parts.hostname, port)
    if "://" in via:
        raise BadInput(f"--via {via}: use a directory or smtp://HOST:PORT")
    folder = Path(via)
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"--via {via} is a file, not a directory")
    return DirectoryTransport(folder)


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}".splitlines()[0][:500]
