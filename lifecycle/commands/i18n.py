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

from lifecycle.core.errors import LifecycleError, Names, Reasons, Said
from lifecycle.core.names import event_name, state_name

LANGUAGES = ("zh", "en")
DOMAIN = "lifecycle"
_current = ["en"]


def N_(text: str) -> str:
    """Marks a message id for the catalog where it is said elsewhere (click's own words, units)."""
    return text


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
    if isinstance(value, BaseException) and value.args and isinstance(value.args[0], Said):
        value = value.args[0]   # an exception that said its sentence: said in the reader's language
    if isinstance(value, LifecycleError) and isinstance(value.message, Said):
        value = value.message
    if isinstance(value, Said):
        return say(value)
    if isinstance(value, Reasons):
        return "；".join(say(x) for x in value)
    if isinstance(value, Names):
        name = {"event": event_name, "state": state_name}.get(value.kind or "")
        return "、".join(name(x) if name else str(x) for x in value) or "无"
    if isinstance(value, str) and value in _SYSTEM_WORDS:   # the operating system's reason (strerror)
        return _(value)
    if key == "unit" and value in _UNITS:
        return _(_UNITS[value])
    if key == "state":
        return state_name(value)
    if key == "event":
        return event_name(value)
    return value


_UNITS = {"yuan": N_("yuan"), "hours": N_("hours"), "points": N_("points"), "months": N_("months"),
          "days": N_("days")}


_SYSTEM_WORDS = frozenset((
    N_("No such file or directory"), N_("No space left on device"), N_("Permission denied"), N_("Is a directory"),
    N_("Not a directory"), N_("File exists"), N_("Read-only file system"), N_("no such file"),
    N_("Connection refused"), N_("Name or service not known"), N_("Operation not permitted"),
))


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


# click's own words (its usage errors and its --help layout), said through this catalog: click
# calls gettext at run time through each module's `_`/`ngettext`, which `localise_click` points here
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("Aborted!"), N_("Missing command."), N_("Error: {message}"),
    N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."), N_("No such option: {name}"), N_("No such command {name!r}."),
    N_("Did you mean {possibility}?"), N_("(Did you mean one of: {possibilities}?)"),
    N_("Got unexpected extra argument ({args})"), N_("Got unexpected extra arguments ({args})"),
    N_("Option {name!r} requires an argument."), N_("Option {name!r} requires {nargs} arguments."),
    N_("Option {name!r} does not take a value."), N_("Argument {name!r} takes {nargs} values."),
    N_("{value!r} is not {choice}."), N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} does not match the format {format}."), N_("{value!r} does not match the formats {formats}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("file"), N_("directory"), N_("path"),
    N_("Could not open file {filename!r}: {message}"), N_("default: {default}"), N_("env var: {var}"),
    N_("Choose from:\n\t{choices}"), N_("Do you want to continue?"),
)


def _click_gettext(text: str) -> str:
    return _(text)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


def localise_click() -> None:
    """click's own messages (`Usage:`, `Missing option`, `Invalid value for …`) in the reader's
    language: its modules' gettext functions are pointed at this catalog (English stays English)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = _click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext
