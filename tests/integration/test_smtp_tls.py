"""TLS to a real aiosmtpd server on 127.0.0.1: smtps:// (implicit TLS) and STARTTLS, the certificate checked."""
from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller

from lifecycle.notifications.gongwen import docx_text
from smtp_inbox import Inbox, free_port

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")


@pytest.fixture
def certificate(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return cert, context


def a_letter(lc):
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "阳光社工")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("advance", "P1", "announce", "--on", "2026-04-01")
    lc.ok("advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    lc.ok("advance", "P1", "sign", "--on", "2026-05-08")
    lc.ok("issuer", "set", "--district", "历下区", "--name", "济南市历下区民政局", "--prefix", "历民函",
          "--email", "mzj@lixia.gov.cn")
    lc.ok("contact", "add", "--role", "purchaser", "--district", "历下区", "--name", "社工科", "--email", "sgk@lixia.gov.cn")
    lc.ok("check", "--as-of", "2026-05-08")


def test_smtps_delivers_over_implicit_tls_from_the_issuers_address_with_the_word_file(lc, certificate, monkeypatch):
    cert, context = certificate
    a_letter(lc)
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        monkeypatch.setenv("LIFECYCLE_SMTP_CAFILE", str(cert))
        assert lc.ok("notices", "send", "--via", f"smtps://127.0.0.1:{port}", "--json").json()["sent"] == 1
    finally:
        controller.stop()
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "mzj@lixia.gov.cn"


def test_an_untrusted_certificate_is_a_failure_and_the_letter_stays(lc, certificate, monkeypatch):
    cert, context = certificate
    a_letter(lc)
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        monkeypatch.delenv("LIFECYCLE_SMTP_CAFILE", raising=False)
        r = lc("notices", "send", "--via", f"smtps://127.0.0.1:{port}", "--json")
    finally:
        controller.stop()
    assert r.exit_code == 1 and inbox.envelopes == []
    (row,) = lc.ok("letters", "--json").json()
    assert row["status"] == "failed" and "CERTIFICATE_VERIFY_FAILED" in row["last_error"]


def test_starttls_is_used_when_the_server_offers_it(lc, certificate, monkeypatch, tmp_path):
    cert, context = certificate
    a_letter(lc)
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    try:
        monkeypatch.setenv("LIFECYCLE_SMTP_CAFILE", str(cert))
        assert lc.ok("notices", "send", "--via", f"smtp://127.0.0.1:{port}", "--json").json()["sent"] == 1
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1
    out = tmp_path / "l.docx"
    lc.ok("letters", "show", "1", "--format", "docx", "--out", str(out))
    assert "合同公告" in docx_text(out.read_bytes())
