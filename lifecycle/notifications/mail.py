"""Delivery: a letter (or an old notice) row becomes an RFC 5322 message, written to a directory or sent by SMTP.

`--via DIR` writes `letter-000042.eml` and its `letter-000042.docx` beside it
(each written aside and renamed, so a reader never sees half a file);
`--via smtp://HOST:PORT` talks to a real server with STARTTLS when the
server offers it, `smtps://HOST:PORT` with implicit TLS, and a login when
LIFECYCLE_SMTP_USER / LIFECYCLE_SMTP_PASSWORD are set. Every socket
operation has a timeout (LIFECYCLE_SMTP_TIMEOUT, default 20 s). The sender
is the issuer's address; without one, LIFECYCLE_MAIL_FROM.
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

from lifecycle.core.errors import BadInput, said
from lifecycle.notifications.gongwen import stored_html

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


def sender_for(issuer: Any) -> str:
    """From: the issuer's organ and address (济南市历下区民政局 <mzj@lixia.gov.cn>); else LIFECYCLE_MAIL_FROM."""
    if issuer is not None and issuer.email:
        return formataddr((issuer.name, issuer.email))
    return sender()


def build_letter_message(row: Any, now: datetime, docx: bytes | None) -> EmailMessage:
    """A letter: text and HTML alternatives, its Word file attached, the same Message-ID at every try."""
    msg = EmailMessage()
    msg["Subject"] = row.subject
    msg["From"] = row.sender or sender()
    msg["To"] = formataddr((row.recipient_name or row.addressee or "", row.email))
    import json
    cc = [formataddr((c.get("name") or "", c["email"])) for c in json.loads(row.cc or "[]") if c.get("email")]
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = letter_message_id(row)
    msg["X-Lifecycle-Letter"] = f"{row.id} {row.number or '-'}"
    msg.set_content(row.body_text, charset="utf-8")
    msg.add_alternative(stored_html(row), subtype="html", charset="utf-8")   # laid out from the sealed text
    if docx is not None:
        msg.add_attachment(docx, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename=f"letter-{row.id:06d}.docx")
    return msg


def letter_message_id(row: Any) -> str:
    """Stable per letter: a resend carries the same id, so mail systems can drop the duplicate."""
    from_addr = row.sender or sender()
    domain = from_addr.rsplit("@", 1)[-1].strip(" >") or "lifecycle.localhost"
    digest = hashlib.sha256(f"letter|{row.id}|{row.created_at}".encode()).hexdigest()[:16]
    return f"<letter.{row.id}.{digest}@{domain}>"


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
        if message["X-Lifecycle-Letter"]:
            number = int(message["X-Lifecycle-Letter"].split()[0])
            name = f"letter-{number:06d}"
            for part in message.iter_attachments():
                if (part.get_filename() or "").endswith(".docx"):
                    self._write(f"{name}.docx", part.get_content())
        elif message["X-Lifecycle-Checkpoint"]:   # a signed checkpoint (lifecycle.services.witness)
            name = Path(str(message["X-Lifecycle-Checkpoint"])).stem
        else:
            name = f"notice-{int(message['X-Lifecycle-Notice'].split()[0]):06d}"
        self._write(f"{name}.eml", message.as_bytes())

    def _write(self, name: str, data: bytes) -> None:
        partial = self.folder / f".{name}.partial"
        partial.write_bytes(data)
        os.replace(partial, self.folder / name)

    def close(self) -> None:
        pass


class ConnectionFailed(OSError):
    """The server could not be reached or did not answer: counts towards stopping the run."""


class NotSent(OSError):
    """Lost before the message itself began (MAIL, RCPT): certainly not delivered."""


def _tls_context() -> ssl.SSLContext:
    """The system's trust store, or LIFECYCLE_SMTP_CAFILE (a bureau's own CA)."""
    return ssl.create_default_context(cafile=os.environ.get("LIFECYCLE_SMTP_CAFILE") or None)


def smtp_timeout() -> float:
    try:
        return float(os.environ.get("LIFECYCLE_SMTP_TIMEOUT", "20"))
    except ValueError:
        raise BadInput(said("LIFECYCLE_SMTP_TIMEOUT is not a number of seconds")) from None


class SmtpTransport:
    def __init__(self, host: str, port: int, timeout: float | None = None, implicit_tls: bool = False) -> None:
        self.host, self.port = host, port
        self.timeout = timeout if timeout is not None else smtp_timeout()
        self.implicit_tls = implicit_tls
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                if self.implicit_tls:
                    smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                          context=_tls_context())
                else:
                    smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                smtp.ehlo()
            except (OSError, smtplib.SMTPException) as exc:
                raise ConnectionFailed(describe_error(exc)) from exc
            if not self.implicit_tls and smtp.has_extn("starttls"):
                smtp.starttls(context=_tls_context())
                smtp.ehlo()
            user = os.environ.get("LIFECYCLE_SMTP_USER")
            if user:
                smtp.login(user, os.environ.get("LIFECYCLE_SMTP_PASSWORD", ""))
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        """MAIL and RCPT first: a failure there is certain (NotSent); only a failure once DATA began is not."""
        fresh = self._smtp is None
        try:
            smtp = self._connect()
            try:
                self._envelope(smtp, message)
            except smtplib.SMTPServerDisconnected:
                if fresh:
                    raise
                self.close()   # the server dropped an idle connection: once more on a fresh one
                smtp = self._connect()
                self._envelope(smtp, message)
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self.close()
            if isinstance(exc, ConnectionFailed):
                raise
            raise NotSent(describe_error(exc)) from exc
        except smtplib.SMTPException:
            self.close()
            raise
        try:
            code, reply = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        except (OSError, smtplib.SMTPException):
            self.close()   # lost mid-message: the caller cannot know whether it went out
            raise
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    @staticmethod
    def _envelope(smtp: smtplib.SMTP, message: EmailMessage) -> None:
        from email.utils import getaddresses
        sender_addr = getaddresses([str(message["From"])])[0][1]
        recipients = [a for _, a in getaddresses([str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])])
                      if a]
        code, reply = smtp.mail(sender_addr, ["SMTPUTF8"] if not sender_addr.isascii() else [])
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender_addr)
        refused = {}
        for rcpt in recipients:
            code, reply = smtp.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if len(refused) == len(recipients):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


def transport_for(via: str, timeout: float | None = None) -> DirectoryTransport | SmtpTransport:
    """`smtp://HOST:PORT` (STARTTLS when offered), `smtps://HOST:PORT` (implicit TLS), or a directory path."""
    if len(via) > 4096 or "\x00" in via:
        raise BadInput(said("--via is not a directory path or smtp://HOST:PORT (too long, or holds a NUL byte)"))
    if via.startswith(("smtp://", "smtps://")):
        implicit = via.startswith("smtps://")
        try:
            parts = urlsplit(via)
        except ValueError as exc:
            raise BadInput(said("--via {via}: not a valid URL ({exc})", via=via, exc=exc)) from None
        try:
            port = parts.port or (465 if implicit else 25)
        except ValueError:
            raw = parts.netloc.rpartition(":")[2]
            why = said("is not between 1 and 65535") if raw.isdigit() else said("is not a number")
            raise BadInput(said("--via {via}: the port {raw} {why}", via=via, raw=raw, why=why)) from None
        if not parts.hostname:
            raise BadInput(said("--via {via}: give a host, e.g. smtp://127.0.0.1:25", via=via))
        return SmtpTransport(parts.hostname, port, timeout=timeout, implicit_tls=implicit)
    if "://" in via:
        raise BadInput(said("--via {via}: use a directory, smtp://HOST:PORT or smtps://HOST:PORT", via=via))
    folder = Path(via)
    if folder.exists() and not folder.is_dir():
        raise BadInput(said("--via {via} is a file, not a directory", via=via))
    return DirectoryTransport(folder)


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}".splitlines()[0][:500]
