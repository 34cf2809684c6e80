"""The limits every input is held to, each refused in one sentence (BadInput, exit 2).

docs/CLI.md ("Limits") lists them for users; the values live here only:

- a name (station, contractor, district, person, contact, `--actor`, free text of an event):
  at most `NAME_MAX` characters and no control characters (NUL, newline, tab, ...);
- an id (project, station, contractor): 1 to `ID_MAX` characters of `ID_ALPHABET`;
- an amount or budget in yuan: finite, positive, at most `AMOUNT_MAX`;
- hours of one training or supervision: finite, positive, at most `HOURS_MAX`;
- a score: finite, positive, at most `SCORE_MAX`; a term: 1 to `TERM_MONTHS_MAX` months;
- a date: between `DATE_MIN` and `DATE_MAX` (the years the calendar and the rulebooks cover);
- a roster: at most `ROSTER_MAX_ROWS` staff rows, each field at most `NAME_MAX` characters.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

from lifecycle.core.errors import BadInput, Said, said

NAME_MAX = 200
ACTOR_MAX = 100                  # the width of the log's actor column
ID_MAX = 64
ID_ALPHABET = "ASCII letters and digits, then also '-', '_' and '.'"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
AMOUNT_MAX = 10_000_000_000      # yuan: ten billion, far above any station's contract
HOURS_MAX = 1_000                # hours of one training or supervision event
SCORE_MAX = 100
TERM_MONTHS_MAX = 120
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2100, 12, 31)
ROSTER_MAX_ROWS = 500


def _said_of(where: str, what: str, why: str) -> Said:
    """`where: what why` (where may be empty), each part said in the reader's language."""
    return said("{where}: {what} {why}", where=where, what=what, why=why) if where else \
        said("{what} {why}", what=what, why=why)


def control_character(text: str) -> str | None:
    """The first control character of `text` (as its escape, e.g. '\\x00'), or None."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200d":
            return repr(ch)[1:-1]
    return None


def name_problem(text: str, longest: int = NAME_MAX) -> str | None:
    """Why `text` cannot be a name, or None."""
    if len(text) > longest:
        return said("is {length} characters long; at most {longest} are accepted", length=len(text), longest=longest)
    bad = control_character(text)
    if bad:
        return said("holds the control character {bad}", bad=bad)
    return None


def check_name(text: str, what: str, where: str = "", longest: int = NAME_MAX) -> str:
    why = name_problem(text, longest)
    if why:
        raise BadInput(_said_of(where, what, why))
    return text


def id_problem(text: str) -> str | None:
    if not text:
        return "is empty"
    if len(text) > ID_MAX:
        return said("is {length} characters long; an id has at most {most}", length=len(text), most=ID_MAX)
    if not _ID.fullmatch(text):
        return said("{shown} is not an id: it takes ASCII letters and digits, then also '-', '_' and '.', "
                    "starting with a letter or digit", shown=_shown(text))
    return None


def check_id(text: str, what: str, where: str = "") -> str:
    why = id_problem(text)
    if why:
        raise BadInput(_said_of(where, what, why))
    return text


def shown_id(text: str) -> str:
    """An id as a sentence may show it: as typed when it is an id, quoted and cut short when not."""
    return text if id_problem(text) is None else _shown(text)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def number_problem(x: float, cap: float, unit: str, shown: str | None = None) -> str | None:
    """Why `x` cannot be a positive quantity of at most `cap` `unit`, or None (`shown`: as it was typed)."""
    shown = shown if shown is not None else f"{x:g}"
    if math.isnan(x) or x <= 0:
        return said("{shown} is not a positive number", shown=shown)
    if math.isinf(x):
        return said("{shown} is not a finite number", shown=shown)
    if x > cap:
        return said("{shown} is more than {cap:,} {unit}, the most accepted", shown=shown, cap=cap, unit=unit)
    return None


def check_amount(x: float, what: str, where: str = "") -> float:
    why = number_problem(x, AMOUNT_MAX, "yuan")
    if why:
        raise BadInput(_said_of(where, what, why))
    return x


def date_problem(day: date) -> str | None:
    if not DATE_MIN <= day <= DATE_MAX:
        return said("{day} is outside the supported dates ({first} to {last})", day=day.isoformat(),
                    first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat())
    return None
