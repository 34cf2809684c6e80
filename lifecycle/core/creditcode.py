"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from 0-9 and the capitals less I, O, Z, S, V; the last is a
check character computed modulo 31 over the first seventeen with the
standard's weights.
"""
from __future__ import annotations
from lifecycle.core.errors import said

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
AUTHORITIES = {"1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
               "7": "宗教", "8": "工会", "9": "工商", "A": "中央军委改革和编制办公室", "N": "农业", "Y": "其他"}


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` is not a valid credit code, or None when it is."""
    if len(code) != 18:
        return said("has {count} characters, not 18", count=len(code))
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        return said("contains {bad!r}, which the standard does not use", bad=bad[0])
    expected = check_character(code[:17])
    if code[17] != expected:
        return said("ends in check character {code!r} where GB 32100-2015 gives {expected!r}", code=code[17], expected=expected)
    return None


def authority(code: str) -> str:
    """The registering authority's code: the first character."""
    return code[0]
