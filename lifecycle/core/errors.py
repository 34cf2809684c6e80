"""The errors a command can end with, each mapped to the CLI's exit status.

`Refused` (exit 1) is a rule saying no; `BadInput` (exit 2) is malformed or
unknown input; `Conflict` (exit 1) is another writer having changed the
project first. Every message is one plain sentence that names the project,
what was refused, and the rule with its clause where a rule refused it.
"""
from __future__ import annotations


class LifecycleError(Exception):
    exit_code = 1

    def __init__(self, message: str, *, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = reasons or []


class Refused(LifecycleError):
    """A rule refused the command: illegal transition, failed guard, verification failure."""

    exit_code = 1


class Conflict(LifecycleError):
    """The project changed under the command (another writer took the sequence number)."""

    exit_code = 1


class BadInput(LifecycleError):
    """Malformed or unknown input: bad date, unknown id, bad file."""

    exit_code = 2


class Corrupt(LifecycleError):
    """A stored row cannot be read as what it should be (not JSON, an impossible date, a missing field):
    a verification failure, named with the project, the seq and the field."""

    exit_code = 1


class Said(str):
    """A sentence for people, in English, that remembers the template and the values it was made
    from, so the command line can say it in the reader's language: the template is the gettext
    message id (`lifecycle.commands.i18n`). It is a `str`, so code that joins or compares reasons
    is unchanged."""

    msgid: str
    params: dict[str, object]

    def __new__(cls, template: str, params: dict[str, object]) -> Said:
        text = str.__new__(cls, template.format(**params))
        text.msgid, text.params = template, params
        return text

    def __reduce__(self) -> tuple[object, tuple[str, dict[str, object]]]:
        """Pickled (a worker's verification problems) and copied with its template and values."""
        return (Said, (self.msgid, self.params))


def said(template: str, **params: object) -> Said:
    """`said("unknown project {project}", project=pid)`: the marker the message catalog is extracted by."""
    return Said(template, params)


class Names(list):
    """A list a sentence names (`allowed: announce, award`): joined with commas in English; the
    command line joins it with 、 in Chinese and, with `kind` "event" or "state", names each one."""

    def __init__(self, items: object = (), kind: str | None = None) -> None:
        super().__init__(items)  # type: ignore[call-overload]
        self.kind = kind

    def __format__(self, spec: str) -> str:
        return ", ".join(str(x) for x in self) or "none"


class Reasons(list):
    """The reasons a refusal gives, joined with semicolons (each may be a `Said`)."""

    def __format__(self, spec: str) -> str:
        return "; ".join(str(x) for x in self)


class Joined(str):
    """Sentences said as one line (a summary and its riders), joined with semicolons: `str` in
    English, each part said in the reader's language and joined with ； in Chinese."""

    parts: tuple[object, ...]

    def __new__(cls, parts: list[object]) -> Joined:
        text = str.__new__(cls, "; ".join(str(x) for x in parts))
        text.parts = tuple(parts)
        return text

    def __reduce__(self) -> tuple[object, tuple[list[object]]]:
        return (Joined, (list(self.parts),))
