"""Rulebooks: TOML data with citations, extended and overridden, each with a validity window."""
from __future__ import annotations

import re
from datetime import date

import pytest

from lifecycle.core import rulebook
from lifecycle.core.errors import BadInput

ALL = rulebook.available()


def test_the_six_rulebooks_of_rules_md_are_installed():
    assert {"national", "jinan", "dongying", "binhai", "dongguan", "fujian"} <= set(ALL)


def test_dongying_replaces_nat_contract_with_its_stricter_ten_days():
    book = rulebook.load("dongying")
    assert book.rule("NAT-contract") is None
    contract = book.rule("DY-contract")
    assert contract.get("period") == {"days": 10}
    assert contract.basis == "DY-contract: 东营 art. 25"


def test_a_local_rulebook_inherits_the_national_rules_it_does_not_override():
    dongying, jinan = rulebook.load("dongying"), rulebook.load("jinan")
    assert dongying.rule("NAT-filing").basis == "NAT-filing: 政府采购法 art. 47"
    assert dongying.rule("NAT-publication") is not None
    assert jinan.rule("NAT-contract").get("period") == {"days": 30}
    assert jinan.extends == "national" and dongying.extends == "national"


def test_settings_merge_with_the_local_value_winning():
    national, jinan = rulebook.load("national"), rulebook.load("jinan")
    assert national.setting("default_term_months") == 12
    assert jinan.setting("default_term_months") == 36
    assert jinan.setting("evaluation_fail") == "terminate"
    assert jinan.setting("briefing_due_day") == national.setting("briefing_due_day")
    with pytest.raises(KeyError):
        jinan.setting("no_such_setting")


def test_dongying_is_in_force_from_15_november_2022_to_14_november_2025():
    book = rulebook.load("dongying")
    assert (book.valid_from, book.valid_to) == (date(2022, 11, 15), date(2025, 11, 14))
    assert not book.in_force(date(2022, 11, 14))
    assert book.in_force(date(2022, 11, 15))
    assert book.in_force(date(2025, 11, 14))
    assert not book.in_force(date(2025, 11, 15))


def test_an_open_ended_rulebook_stays_in_force():
    assert rulebook.load("jinan").valid_to is None
    assert rulebook.load("jinan").in_force(date(2040, 1, 1))


@pytest.mark.parametrize("name", ALL)
def test_every_rule_has_an_id_a_clause_a_summary_and_a_basis_that_cites_them(name):
    book = rulebook.load(name)
    ids = [r.id for r in book.rules]
    assert len(ids) == len(set(ids)), "rule ids repeat"
    for rule in book.rules:
        assert re.fullmatch(r"[A-Z]{2,3}-[a-z0-9+-]+", rule.id, re.IGNORECASE), rule.id
        assert rule.clause and rule.summary and rule.source
        assert rule.basis == (f"{rule.id}: {rule.source} ({rule.clause})" if rule.is_setting
                              else f"{rule.id}: {rule.source} {rule.clause}")
        assert rule.type in rulebook.RULE_TYPES


def test_describe_lists_every_rule_with_its_period_and_citation():
    data = rulebook.describe(rulebook.load("dongying"))
    assert data["valid_to"] == "2025-11-14"
    archives = next(r for r in data["rules"] if r["id"] == "DY-archives")
    assert archives["period"] == {"working_days": 30} and archives["basis"] == "DY-archives: 东营 art. 13"


def test_an_unknown_rulebook_is_bad_input_naming_the_known_ones():
    with pytest.raises(BadInput, match="unknown rulebook 'shenzhen'; known: .*jinan"):
        rulebook.load("shenzhen")


def test_an_uninstalled_version_is_bad_input():
    with pytest.raises(BadInput, match="rulebook jinan version 1999 is not installed"):
        rulebook.load("jinan", "1999")


CHILD = """
[rulebook]
name = "child"
title = "测试"
short = "测试"
extends = "national"
version = "1"

[[rules]]
id = "NAT-filing"
type = "deadline"
clause = "第9条"
summary = "五个工作日内备案"
obligation = "filing"
after = "sign"
period = { working_days = 5 }
met_by = ["file_contract"]

[[rules]]
id = "CH-publication"
type = "deadline"
clause = "第10条"
summary = "一个工作日内公告"
obligation = "publication"
after = "sign"
period = { working_days = 1 }
met_by = ["publish"]
overrides = ["NAT-publication"]
"""


@pytest.fixture
def child_book(monkeypatch):
    real = rulebook._source_text
    monkeypatch.setattr(rulebook, "_source_text",
                        lambda name, version=None: CHILD if name == "child" else real(name, version))
    rulebook.load.cache_clear()
    yield rulebook.load("child")
    rulebook.load.cache_clear()


def test_a_child_rule_with_a_parents_id_replaces_it_and_overrides_drops_the_named_parent_rule(child_book):
    assert child_book.rule("NAT-filing").get("period") == {"working_days": 5}
    assert child_book.rule("NAT-filing").basis == "NAT-filing: 测试 第9条"
    assert child_book.rule("NAT-publication") is None
    assert child_book.rule("CH-publication") is not None
    assert child_book.rule("NAT-contract") is not None
    assert child_book.digest != rulebook.load("national").digest


def test_a_rule_without_a_clause_is_refused_when_the_rulebook_loads():
    with pytest.raises(ValueError, match="lacks 'clause'"):
        rulebook._parse_rules([{"id": "X-1", "type": "guard", "summary": "s"}], "x", "x")
    with pytest.raises(ValueError, match="unknown type"):
        rulebook._parse_rules([{"id": "X-1", "type": "wish", "clause": "1", "summary": "s"}], "x", "x")
