"""The head `notices show` and `letters show` print above a stored letter: who, what, and where
it is on its way, in the reader's language (the letter below is as it was written)."""
from __future__ import annotations

import json
from typing import Any

from lifecycle.core.names import delivery_name, role_name, stage_name
from lifecycle.core.speech import N_, gettext_in, say_in
from lifecycle.core.text_table import pad
from lifecycle.notifications.delivery_errors import told

_LABELS = {"notice": N_("notice"), "project": N_("project"), "to": N_("to"), "cc": N_("cc"),
           "subject": N_("subject"), "attempts": N_("attempts"), "letter": N_("letter"), "from": N_("from")}
NO_ADDRESS = N_("no address")
UNNUMBERED, NO_ISSUER = N_("(unnumbered)"), N_("(no issuer configured)")
OBLIGATION, DUE = N_("obligation"), N_("due")
LAST_ERROR = N_("last error: {error}")


def _line(label: str, text: str, lang: str) -> str:
    return f"{pad(gettext_in(lang, _LABELS[label]), 9)} {text}"


def _attempts(row: Any, lang: str) -> str:
    tried = str(row.attempts)
    if row.last_error:
        tried += "  " + gettext_in(lang, LAST_ERROR).format(error=say_in(told(row.last_error), lang))
    return tried


def notice_head(row: Any, letter: Any, lang: str) -> list[str]:
    words = lambda text: gettext_in(lang, text)  # noqa: E731
    copies = ", ".join(f"{role_name(c['role'], lang)} {c.get('email') or '(' + words(NO_ADDRESS) + ')'}"
                       for c in json.loads(row.cc or "[]"))
    stage = stage_name(row.stage, lang) if lang == "zh" else row.stage
    status = delivery_name(row.status, lang) if lang == "zh" else row.status
    if row.letter_id:
        made = f"{row.letter_id}" + (f"  {letter.number or words(UNNUMBERED)}: {letter.subject}"
                                     if letter else "")
    else:
        made = "- " + words(N_("(made before letters: sent on its own)"))
    return [
        _line("notice", f"{row.id}  [{status}]  {stage}", lang),
        _line("project", f"{row.project_id}  {words(OBLIGATION)} {row.obligation_id}  "
                         f"{words(DUE)} {row.due.isoformat()}", lang),
        _line("to", f"{role_name(row.recipient, lang) if lang == 'zh' else row.recipient}"
                    + (f" {row.recipient_name}" if row.recipient_name else "")
                    + f" <{row.email or words(NO_ADDRESS)}>", lang),
        _line("cc", copies or "-", lang),
        _line("subject", row.subject, lang),
        _line("attempts", _attempts(row, lang), lang),
        _line("letter", made, lang),
        "",
    ]


def letter_head(row: Any, lang: str) -> list[str]:
    words = lambda text: gettext_in(lang, text)  # noqa: E731
    copies = ", ".join(f"{c.get('name') or role_name(c['role'], lang)} <{c.get('email') or words(NO_ADDRESS)}>"
                       for c in json.loads(row.cc or "[]"))
    status = delivery_name(row.status, lang) if lang == "zh" else row.status
    return [
        _line("letter", f"{row.id}  [{status}]  {row.number or words(UNNUMBERED)}", lang),
        _line("from", f"{row.issuer_name or words(NO_ISSUER)}  <{row.sender or '-'}>", lang),
        _line("to", f"{row.addressee}" + (f" / {row.recipient_name}" if row.recipient_name else "")
                    + f" <{row.email or words(NO_ADDRESS)}>", lang),
        _line("cc", copies or "-", lang),
        _line("subject", row.subject, lang),
        _line("attempts", _attempts(row, lang), lang),
        "",
    ]
