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

import os
from typing import Any, Mapping

from lifecycle.core.speech import N_, gettext_in, say_in

LANGUAGES = ("zh", "en")
RULEBOOK_VALIDITY = N_("rulebook validity")
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


def _(text: str) -> str:
    """The reader's language for one message id (English is the id itself)."""
    return gettext_in(language(), text)


def say(text: Any) -> str:
    """A sentence in the reader's language: a `Said` is translated with its values, others as they are."""
    return say_in(text, language())


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
    if text == RULEBOOK_VALIDITY:   # a finding of the rulebook's window rests on no clause but the window
        return _(text)
    import re
    head, _sep, cite = text.partition(": ")
    cite = re.sub(r"\s*\barts?\.\s*([\d\-–, ]+)", lambda m: f"第{m[1].strip().replace('-', '至')}条", cite)
    return f"{head}：{cite}" if cite else text


def role_name(role: str) -> str:
    """Who a notice goes to (`purchaser`, `street`, `city`, `contractor`) in the reader's language."""
    from lifecycle.core.names import role_name as named
    return named(role, language())


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
