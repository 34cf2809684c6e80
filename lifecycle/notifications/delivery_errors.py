"""A delivery's stored error (`last_error`), said in the reader's language.

The outbox keeps what went wrong as English text: the exception's class and its words
(`describe_error`: `SMTPRecipientsRefused: {'x@y.cn': (550, b'5.1.1 no such user')}`),
or one of our own sentences (no address; interrupted; not tried). `told` finds the `Said`
it reads as: its English is the stored text itself, byte for byte (so `--json` and the
English output are unchanged); in Chinese it says what happened, and keeps the server's or
the system's own words after it as a quotation: they are quoted, not translated.
"""
from __future__ import annotations

import re
from typing import Any

from lifecycle.core.errors import Joined, Said
from lifecycle.core.speech import N_, recognised
from lifecycle.notifications.contacts import ADDRESS_MISSING

# `describe_error` of the exceptions a delivery meets, by class (`lifecycle.notifications.mail`)
RAISED = (
    N_("SMTPRecipientsRefused: {reply}"), N_("SMTPSenderRefused: {reply}"), N_("SMTPDataError: {reply}"),
    N_("SMTPAuthenticationError: {reply}"), N_("SMTPServerDisconnected: {reply}"), N_("SMTPResponseException: {reply}"),
    N_("SMTPNotSupportedError: {reply}"), N_("SMTPException: {reply}"), N_("ConnectionFailed: {reply}"),
    N_("NotSent: {reply}"), N_("ConnectionRefusedError: {reply}"), N_("ConnectionResetError: {reply}"),
    N_("TimeoutError: {reply}"), N_("gaierror: {reply}"), N_("SSLCertVerificationError: {reply}"),
    N_("SSLError: {reply}"), N_("OSError: {reply}"), N_("PermissionError: {reply}"),
)
# the sender's own wrappers of a cause (`lifecycle.notifications.mail.ConnectionFailed`, `NotSent`)
_WRAPPERS = {"ConnectionFailed": N_("ConnectionFailed: {cause}"), "NotSent": N_("NotSent: {cause}")}
INTERRUPTED = N_("delivery interrupted after it began: it may have gone out; settle it with "
                 "`lifecycle letters resolve {id} --sent` or `--resend`")
NOT_TRIED = N_("not tried: the run stopped ({stopped})")
NOT_TRIED_AFTER = N_("not tried: the run stopped ({stopped}); last error: {last}")
# why a run stopped (`lifecycle.notifications.post.deliver_letters`)
STOPS = (N_("asked to stop"), N_("the run's deadline passed"),
         N_("{count} connection failures in a row: the server is down"))
_CLASS = re.compile(r"(\w+): (.+)", re.S)


def told(text: Any) -> Any:
    """The stored error `text` as the `Said` it reads as (its str is `text`); other text as it is."""
    if not isinstance(text, str) or isinstance(text, Said) or not text:
        return text
    found = recognised(text, (NOT_TRIED_AFTER,))
    if isinstance(found, Said):
        return Said(NOT_TRIED_AFTER, {"stopped": recognised(found.params["stopped"], STOPS),
                                      "last": told(found.params["last"])})
    found = recognised(text, (NOT_TRIED, INTERRUPTED, *ADDRESS_MISSING))
    if isinstance(found, Said):
        if found.msgid == NOT_TRIED:
            return Said(NOT_TRIED, {"stopped": recognised(found.params["stopped"], STOPS)})
        return found
    head, sep, tail = text.partition("; delivery interrupted after it began")
    if sep:   # lost mid-message: the error, then what to do
        said_tail = recognised(sep[2:] + tail, (INTERRUPTED,))
        if isinstance(said_tail, Said):
            return Joined([told(head), said_tail])
    m = _CLASS.fullmatch(text)
    if m and m[1] in _WRAPPERS:   # `NotSent: SMTPRecipientsRefused: …`: the cause, said as what it is
        cause = told(m[2])
        if isinstance(cause, Said) and cause.msgid in RAISED:
            return Said(_WRAPPERS[m[1]], {"cause": cause})
    if m and f"{m[1]}: {{reply}}" in RAISED:
        return Said(f"{m[1]}: {{reply}}", {"reply": m[2]})
    return text
