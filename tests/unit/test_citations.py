"""Citations that hold: each rule's `text` is its clause's own words, found verbatim in the
document it cites (shipped in lifecycle/rulebooks/sources/ so that a fresh clone can check it)."""
from __future__ import annotations

from importlib import resources

import pytest

from lifecycle.core import rulebook

BOOKS = rulebook.available()


def _source(path: str) -> str:
    return (resources.files("lifecycle.rulebooks") / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", BOOKS)
def test_every_quoted_clause_appears_verbatim_in_its_source_document(name):
    checked = 0
    for rule in rulebook.load(name).rules:
        if rule.text and rule.get("source_file"):
            assert rule.text in _source(rule.get("source_file")), f"{rule.id}: the quoted text is not in the source"
            checked += 1
    if rulebook.load(name).source_file:
        assert checked, f"{name} quotes nothing"


@pytest.mark.parametrize("name", [n for n in BOOKS if rulebook.load(n).source_file])
def test_every_rule_of_a_shipped_document_quotes_its_clause(name):
    book = rulebook.load(name)
    own = [r for r in book.rules if not r.id.startswith("NAT-")]
    assert own and all(r.text for r in own), [r.id for r in own if not r.text]


def test_a_quote_that_is_not_in_the_document_is_caught():
    jinan = _source(rulebook.load("jinan").source_file)
    assert "驻站人员在社区(村)服务时间每周不少于24小时。" in jinan
    assert "驻站人员在社区(村)服务时间每周不少于20小时。" not in jinan


def test_the_term_decision_is_a_setting_and_says_so():
    # 政府购买服务管理办法 art. 24 limits a contract's term; it says nothing of a decision before expiry
    rule = rulebook.load("national").rule("NAT-term-end")
    assert rule.is_setting and "art. 24" not in rule.basis and "设定" in rule.basis
    assert rulebook.describe(rulebook.load("national"))["rules"][-1]["setting"] is True


def test_a_setting_rule_marks_the_duty_it_makes_as_a_setting():
    from test_obligations import History
    p = History("national", year=2026, opened="2026-01-05").through_sign("2026-03-02", "2026-03-04", 12).fold()
    assert p.obligations["term_decision:T1"].setting is True
    assert p.obligations["contract"].setting is False
