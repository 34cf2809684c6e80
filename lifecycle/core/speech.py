"""Saying a sentence in a language: the gettext catalog (`lifecycle/locale`, compiled by Babel)
and the values of a `Said` named in that language (states, events, units, the system's reasons).

Below the command line so that a report written in Chinese whatever the reader's locale (the
audit report, the dashboard) says its texts as the command line does; `lifecycle.commands.i18n`
chooses the reader's language and says through here.
"""
from __future__ import annotations

import gettext as _gettext
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from lifecycle.core.errors import Joined, LifecycleError, Names, Reasons, Said
from lifecycle.core.names import DELIVERY, ROLES, delivery_name, event_name, role_name, state_name

DOMAIN = "lifecycle"


def N_(text: str) -> str:
    """Marks a message id for the catalog where it is said elsewhere (click's own words, units)."""
    return text


@lru_cache(maxsize=4)
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    folder = resources.files("lifecycle") / "locale"
    return _gettext.translation(DOMAIN, localedir=str(folder), languages=[lang], fallback=True)


def gettext_in(lang: str, text: str) -> str:
    """One message id in `lang` (English is the id itself)."""
    return _translations(lang).gettext(text)


def say_in(text: Any, lang: str) -> str:
    """A sentence in `lang`: a `Said` is translated with its values, others as they are."""
    if isinstance(text, Joined) and lang != "en":
        return "；".join(say_in(x, lang) for x in text.parts)
    if not isinstance(text, Said) or lang == "en":
        return str(text)
    params = {k: _value(k, v, lang) for k, v in text.params.items()}
    try:
        return gettext_in(lang, text.msgid).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(text)  # a broken translation never hides the message


def recognised(text: Any, templates: tuple[str, ...]) -> Any:
    """A stored English sentence made from one of `templates`, as the `Said` it was made from
    (so it can be said in another language); a text none of them matches, as it is."""
    if isinstance(text, Said) or not isinstance(text, str):
        return text
    for template in templates:
        m = _pattern(template).fullmatch(text)
        if m:
            return Said(template, m.groupdict())
    return text


@lru_cache(maxsize=256)
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(f"(?P<{part}>.+?)" if i % 2 else re.escape(part) for i, part in enumerate(parts)))


def finding_in(text: Any, lang: str) -> str:
    """A check's finding, as its snapshot keeps it (English), in `lang`."""
    from lifecycle.core.finding_texts import TEMPLATES
    return say_in(recognised(text, TEMPLATES), lang)


def _value(key: str, value: Any, lang: str) -> Any:
    if isinstance(value, BaseException) and value.args and isinstance(value.args[0], Said):
        value = value.args[0]   # an exception that said its sentence: said in the reader's language
    if isinstance(value, LifecycleError) and isinstance(value.message, Said):
        value = value.message
    if isinstance(value, Said):
        return say_in(value, lang)
    if isinstance(value, Reasons):
        return "；".join(say_in(x, lang) for x in value)
    if isinstance(value, Names):
        name = {"event": event_name, "state": state_name}.get(value.kind or "")
        return "、".join(name(x) if name else str(x) for x in value) or "无"
    if isinstance(value, str) and value in _SYSTEM_WORDS:   # the operating system's reason (strerror)
        return gettext_in(lang, value)
    if key == "unit" and value in _UNITS:
        return gettext_in(lang, _UNITS[value])
    if key == "state":
        return state_name(value)
    if key == "role" and value in ROLES:   # who a notice goes to
        return role_name(value, lang)
    if key == "status" and value in DELIVERY:   # where a letter or a notice is on its way
        return delivery_name(value)
    if key in _EVENT_KEYS:   # an event's type shown beside its seq: `event 3 (sign)` → `事件 3（签订合同）`
        return event_name(value)
    return value


_EVENT_KEYS = frozenset(("event", "type", "type2"))
_UNITS = {"yuan": N_("yuan"), "hours": N_("hours"), "points": N_("points"), "months": N_("months"),
          "days": N_("days")}
_SYSTEM_WORDS = frozenset((
    N_("No such file or directory"), N_("No space left on device"), N_("Permission denied"), N_("Is a directory"),
    N_("Not a directory"), N_("File exists"), N_("Read-only file system"), N_("no such file"),
    N_("Connection refused"), N_("Name or service not known"), N_("Operation not permitted"),
    N_("Too many open files"), N_("Input/output error"), N_("Disk quota exceeded"), N_("Broken pipe"),
    N_("Device or resource busy"), N_("Connection reset by peer"), N_("Connection timed out"),
    N_("Network is unreachable"), N_("No route to host"), N_("File name too long"),
))
