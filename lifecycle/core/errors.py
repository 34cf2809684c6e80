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
