"""The reader's language at the command-line boundary: gettext catalogs, compiled by Babel.

`--lang zh|en` on the group, else `LIFECYCLE_LANG`, else the locale (`LC_ALL`, then
`LANG`: starting with `zh` → zh), else English. The catalogs live in
`lifecycle/locale/zh/LC_MESSAGES/lifecycle.po` (and the compiled `.mo`, shipped
in the wheel); `scripts/catalog.py` extracts and compiles them.

The core and the services say things in English and, where they use
`lifecycle.core.errors.said`, keep the template and the values: `say` looks the
template up as the message id and fills it with the values named in the
reader's language (states, events and duties from `lifecycle.core.names`).
A plain English string is shown as it is. `--json` never passes through here.
"""
from __future__ import annotations

import gettext as _gettext
import os
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from lifecycle.core.errors import Names, Reasons, Said
from lifecycle.core.names import event_name, state_name

LANGUAGES = ("zh", "en")
DOMAIN = "lifecycle"
_current = ["en"]


def language_from(environ: Mapping[str, str]) -> str:
    """LIFECYCLE_LANG, else the locale (LC_ALL, then LANG) starting with zh, else en."""
    named = environ.get("LIFECYCLE_LANG", "").strip().lower()
    if named:
        return "zh" if named.startswith("zh") else "en"
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    _current[0] = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _current[0]


def start_from_environment() -> None:
    set_language(language_from(os.environ))


@lru_cache(maxsize=4)
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    folder = resources.files("lifecycle") / "locale"
    return _gettext.translation(DOMAIN, localedir=str(folder), languages=[lang], fallback=True)


def _(text: str) -> str:
    """The reader's language for one message id (English is the id itself)."""
    return _translations(language()).gettext(text)


def say(text: Any) -> str:
    """A sentence in the reader's language: a `Said` is translated with its values, others as they are."""
    if not isinstance(text, Said) or language() == "en":
        return str(text)
    params = {k: _value(k, v) for k, v in text.params.items()}
    try:
        return _(text.msgid).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(text)  # a broken translation never hides the message


def _value(key: str, value: Any) -> Any:
    if isinstance(value, Said):
        return say(value)
    if isinstance(value, Reasons):
        return "；".join(say(x) for x in value)
    if isinstance(value, Names):
        name = {"event": event_name, "state": state_name}.get(value.kind or "")
        return "、".join(name(x) if name else str(x) for x in value) or "无"
    if key == "state":
        return state_name(value)
    if key == "event":
        return event_name(value)
    return value


def localise_help(command: Any) -> None:
    """Every command's and option's help text in the reader's language, through the whole tree
    (the English text, kept aside, is the message id)."""
    import click
    for item in [command, *command.params]:
        if not hasattr(item, "_help_en"):
            item._help_en = getattr(item, "help", None)
        if item._help_en:
            item.help = _(item._help_en)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localise_help(sub)


def basis(text: str) -> str:
    """A rule's basis as the reader cites it: `NAT-filing: 政府采购法 art. 47` reads
    `NAT-filing：政府采购法第47条` in Chinese (the rule id stays: it is an identifier)."""
    if language() != "zh" or not text:
        return text
    import re
    head, _sep, cite = text.partition(": ")
    cite = re.sub(r"\s*\barts?\.\s*([\d\-–, ]+)", lambda m: f"第{m[1].strip().replace('-', '至')}条", cite)
    return f"{head}：{cite}" if cite else text


def role_name(role: str) -> str:
    """Who a notice goes to (`purchaser`, `street`, `city`, `contractor`) in the reader's language."""
    names = {"purchaser": _("purchaser"), "street": _("street"), "city": _("city"), "contractor": _("contractor")}
    return names.get(role, role)
