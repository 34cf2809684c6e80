"""Human-readable text for the outbox: `notices`, `notices send`, `letters` and `project list`
(headings, states and delivery statuses in the reader's language; `--json` never comes here)."""
from __future__ import annotations

from typing import Any

from lifecycle.commands.i18n import _, language, role_name, say
from lifecycle.core.names import delivery_name, stage_name, state_name
from lifecycle.core.text_table import render


def _zh() -> bool:
    return language() == "zh"


def _delivery(code: str) -> str:
    return delivery_name(code) if _zh() else code


def _error(text: str | None) -> str | None:
    """A stored delivery error (English) in the reader's language: ours translated, the server's
    and the system's words quoted after what happened (`lifecycle.notifications.delivery_errors`)."""
    from lifecycle.notifications.delivery_errors import told
    return say(told(text)) if text else text


def notices_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return _("no notices")
    return render([_("id"), _("project"), _("obligation"), _("stage"), _("to"), _("email"), _("status"), _("tries"),
                   _("subject / error")], [
        [r["id"], r["project"], r["obligation"], stage_name(r["stage"]) if _zh() else r["stage"],
         role_name(r["recipient"]) if _zh() else r["recipient"], r["email"] or _("(undeliverable)"),
         _delivery(r["status"]), r["attempts"], _error(r["last_error"]) or r["subject"]] for r in rows])


def letters_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return _("no letters")
    return render([_("id"), _("number"), _("from"), _("to"), _("email"), _("notices"), _("status"), _("subject / error")],
                  [[r["id"], r["number"] or "-", r["issuer"] or _("(none)"), r["recipient"],
                    r["email"] or _("(undeliverable)"), len(r["notices"]), _delivery(r["status"]),
                    _error(r["last_error"]) or r["subject"]] for r in rows])


def projects_text(rows: list[dict[str, Any]]) -> str:
    return render([_("project"), _("station"), _("district"), _("rulebook"), _("state"), _("contractor"), _("term end")],
                  [[r["project"], r["station"], r["district"], r["rulebook"],
                    state_name(r["state"]) if _zh() else r["state"], r["contractor"], r["term_end"]] for r in rows])


def send_text(result: dict[str, Any]) -> str:
    """`notices send`'s summary line."""
    from lifecycle.services.delivery import summary
    return say(summary(result))
