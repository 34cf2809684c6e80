"""A measure no longer in force does not govern a new project: opening under it is refused,
naming its window and the rulebook that applies instead (东营 art. 45: to 14 Nov 2025)."""
from __future__ import annotations


def _station(lc) -> None:
    lc.ok("init")
    lc.ok("station", "add", "S1", "--name", "西城街道社会工作服务站", "--district", "东营区")


def test_opening_a_project_after_its_rulebooks_window_closed_is_refused_naming_what_applies(lc):
    _station(lc)
    r = lc("project", "open", "P1", "--station", "S1", "--rulebook", "dongying", "--year", "2025",
           "--on", "2025-11-15")
    assert r.exit_code == 1 and r.stdout == ""
    assert "P1" in r.stderr and "2022-11-15 to 2025-11-14" in r.stderr
    assert "national" in r.stderr  # national law still applies
    assert lc("status", "P1").exit_code != 0   # nothing was written


def test_opening_on_the_last_day_of_the_window_is_allowed(lc):
    _station(lc)
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "dongying", "--year", "2025",
          "--on", "2025-11-14")


def test_rules_diff_names_what_changed_between_two_rulebooks(lc):
    d = lc.ok("rules", "diff", "dongying", "jinan", "--json").json()
    assert d["window"]["valid_to"] == {"old": "2025-11-14", "new": None}
    assert "DY-contract" in d["removed"] and "JN-plan" in d["added"] and "NAT-contract" in d["added"]
    assert d["settings"]["evaluation_fail"] == {"old": "record", "new": "terminate"}
    assert any(c["id"] == "NAT-term-end" for c in d["changed"]) is False   # inherited alike


def test_rules_diff_of_a_version_with_itself_shows_nothing_and_an_unknown_version_is_bad_input(lc):
    assert "no differences" in lc.ok("rules", "diff", "national@2015.1", "national").stdout
    r = lc("rules", "diff", "national@1999", "national")
    assert r.exit_code == 2 and r.stdout == "" and "1999" in r.stderr
