"""Dates, amounts and counts as people type them in a Chinese office, parsed one way everywhere.

Everything is NFKC-normalised first, so fullwidth digits (`２０２６-１１-２５`) and
fullwidth punctuation read like their ASCII forms. A date may be ISO
(`2026-11-25`), slashed (`2026/11/25`, as Excel shows a date) or Chinese
(`2026年11月25日`); what comes out is always a `date` (printed ISO). Failures
are ValueError: the caller names the file, row and column.
"""
from __future__ import annotations

from lifecycle.core.errors import said

import re
import unicodedata
from datetime import date, datetime

_DAY = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?")
_NUMBER = re.compile(r"[+-]?(\d+(,\d{3})*|\d*)(\.\d+)?")


def normal(text: object) -> str:
    """`text` NFKC-normalised and stripped: fullwidth digits and punctuation become ASCII."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def parse_day(value: object) -> date:
    """A date from ISO, `2026/11/25`, `2026年11月25日` (fullwidth digits alike), or a date/datetime."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normal(value)
    match = _DAY.fullmatch(text)
    if not match:
        raise ValueError(said("{value!r} is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYY年MM月DD日)", value=value))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(said("{value!r} is not a date on the calendar", value=value)) from None


def parse_number(value: object) -> float:
    """A number as Excel shows it: fullwidth digits, thousands separators (`580,000`) allowed."""
    if isinstance(value, bool):
        raise ValueError(said("{value!r} is not a number", value=value))
    if isinstance(value, (int, float)):
        return float(value)
    text = normal(value)
    if not text or not _NUMBER.fullmatch(text) or not any(c.isdigit() for c in text):
        raise ValueError(said("{value!r} is not a number", value=value))
    return float(text.replace(",", ""))


def parse_whole(value: object) -> int:
    """A whole number (a count, an age, months): `12`, `１２` and Excel's `12.0` alike."""
    try:
        number = parse_number(value)
    except ValueError:
        raise ValueError(said("{value!r} is not a whole number", value=value)) from None
    if not number.is_integer():
        raise ValueError(said("{value!r} is not a whole number", value=value))
    return int(number)
