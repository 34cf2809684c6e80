"""Unified social credit codes (GB 32100-2015): 18 characters, a mod-31 check character."""
from __future__ import annotations

import pytest

from lifecycle.core.creditcode import ALPHABET, authority, check_character, problem


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108551385082Q", "52370102MJD1234562"])
def test_published_and_computed_codes_are_valid(code):
    assert problem(code) is None


def test_the_check_character_closes_the_weighted_sum_modulo_31():
    first17 = "52370102MJD30417X"
    last = check_character(first17)
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, weights)) + ALPHABET.index(last)
    assert total % 31 == 0
    assert problem(first17 + last) is None


def test_a_wrong_check_character_is_named_with_the_right_one():
    good = "91350100M000100Y43"
    assert problem(good[:-1] + "4") == "ends in check character '4' where GB 32100-2015 gives '3'"


@pytest.mark.parametrize("code,length", [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("", 0)])
def test_a_code_of_the_wrong_length_is_refused(code, length):
    assert problem(code) == f"has {length} characters, not 18"


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "a", "-"])
def test_characters_the_standard_does_not_use_are_refused(bad):
    code = "91350100M000100Y4" + bad
    assert problem(code) == f"contains {bad!r}, which the standard does not use"


def test_the_first_character_names_the_registering_authority():
    assert authority("52370102MJD1234562") == "5"
    assert authority("91350100M000100Y43") == "9"
