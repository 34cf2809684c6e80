"""`project rebase`: a project moves to another rulebook from a date on, as an event in its log.

Dongying's measures are in force 15 Nov 2022 - 14 Nov 2025 (东营 art. 45); national law after.
DY-contract: the contract within 10 days of the award notice (东营 art. 25); NAT-contract: within
30 days (政府采购法 art. 46). A duty triggered before the rebase day stays under the old rulebook;
one triggered from that day on follows the new one.
"""
from __future__ import annotations

from conftest import Lifecycle


def _dongying(lc: Lifecycle) -> None:
    lc.ok("station", "add", "S1", "--name", "西城街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "C1", "--name", "黄河社工")
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "dongying", "--year", "2025",
          "--on", "2025-09-01")
    lc.ok("advance", "P1", "announce", "--on", "2025-10-08")


def _contract(lc: Lifecycle) -> dict:
    return next(o for o in lc.ok("status", "P1", "--json").json()["obligations"] if o["id"] == "contract")


def _rebase(lc: Lifecycle, *args: str):
    return lc("project", "rebase", "P1", *args)


def test_a_duty_triggered_from_the_rebase_day_on_follows_the_new_rulebook(lc):
    _dongying(lc)
    out = lc.ok("project", "rebase", "P1", "--rulebook", "national", "--on", "2025-11-15",
                "--reason", "东民〔2022〕62号有效期届满", "--json").json()
    assert (out["rulebook"], out["rulebook_version"]) == ("national", "2015.1")
    assert [(p["rulebook"], p["from"]) for p in out["rulebooks"]] == [("dongying", "2025-09-01"),
                                                                       ("national", "2025-11-15")]
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", "2025-11-20")
    ob = _contract(lc)
    assert ob["basis"].startswith("NAT-contract") and ob["due"] == "2025-12-22"   # day 30 = Sat 20 Dec -> Mon 22
    history = lc.ok("history", "P1", "--json").json()
    assert history[-2]["event"] == "rebase" and history[-2]["data"]["reason"] == "东民〔2022〕62号有效期届满"
    assert history[-2]["data"]["previous"] == "dongying@" + out["rulebooks"][0]["rulebook_version"]
    text = lc.ok("status", "P1").stdout
    assert "2025-11-15" in text and "national" in text and "有效期届满" in text


def test_a_duty_triggered_before_the_rebase_day_stays_under_the_old_rulebook(lc):
    _dongying(lc)
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", "2025-11-10")
    lc.ok("project", "rebase", "P1", "--rulebook", "national", "--on", "2025-11-15", "--reason", "有效期届满")
    ob = _contract(lc)
    assert ob["basis"].startswith("DY-contract") and ob["due"] == "2025-11-20"   # 10 days, as triggered


def test_a_late_rebase_refolds_the_duties_of_the_events_after_it(lc):
    _dongying(lc)
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", "2025-11-20")
    assert _contract(lc)["basis"].startswith("NAT-contract") is False   # under Dongying, awarded after its window
    lc.ok("project", "rebase", "P1", "--rulebook", "national", "--on", "2025-11-15", "--reason", "有效期届满")
    assert _contract(lc)["basis"].startswith("NAT-contract")
    assert lc.ok("replay", "P1", "--verify").exit_code == 0
    assert lc.ok("verify", "--all", "--json").json()["failed"] == []


def test_replay_and_verify_hold_after_a_rebase_and_the_audit_report_shows_it(lc, tmp_path):
    _dongying(lc)
    lc.ok("project", "rebase", "P1", "--rulebook", "national", "--on", "2025-11-15", "--reason", "有效期届满")
    lc.ok("advance", "P1", "award", "contractor=C1", "--on", "2025-11-20")
    assert lc.ok("replay", "P1", "--verify").exit_code == 0
    assert lc.ok("verify", "--all", "--json").json()["failed"] == []
    assert lc.ok("recompute", "--dry-run", "--json").json()["moved"] == []
    report = tmp_path / "r.html"
    lc.ok("audit", "P1", "--out", str(report))
    assert "自 2025-11-15 起适用 national" in report.read_text(encoding="utf-8")


def test_a_rebase_to_a_rulebook_whose_window_does_not_cover_the_day_is_refused_writing_nothing(lc):
    _dongying(lc)
    before = lc.ok("history", "P1", "--json").json()
    r = _rebase(lc, "--rulebook", "dongying", "--on", "2025-11-15", "--reason", "x")
    # already under dongying, but first: dongying's window ends 14 Nov 2025
    assert r.exit_code != 0 and r.stdout == "" and "2022-11-15 to 2025-11-14" in r.stderr and "P1" in r.stderr
    assert lc.ok("history", "P1", "--json").json() == before
    # the last day of the window is covered: only the same rulebook then refuses it
    r = _rebase(lc, "--rulebook", "dongying", "--on", "2025-11-14", "--reason", "x")
    assert r.exit_code != 0 and "already under" in r.stderr


def test_unknown_rulebooks_versions_and_days_out_of_range_are_refused(lc):
    _dongying(lc)
    before = lc.ok("history", "P1", "--json").json()
    r = _rebase(lc, "--rulebook", "nowhere", "--on", "2025-11-15", "--reason", "x")
    assert r.exit_code == 2 and "nowhere" in r.stderr and "P1" in r.stderr
    r = _rebase(lc, "--rulebook", "national@1999", "--on", "2025-11-15", "--reason", "x")
    assert r.exit_code == 2 and "1999" in r.stderr
    r = _rebase(lc, "--rulebook", "national", "--on", "2025-08-31", "--reason", "x")   # before it opened
    assert r.exit_code != 0 and "2025-09-01" in r.stderr
    r = _rebase(lc, "--rulebook", "national", "--on", "2026-11-21", "--reason", "x")   # tomorrow
    assert r.exit_code != 0 and "future" in r.stderr
    r = _rebase(lc, "--rulebook", "national", "--on", "2025-11-15", "--reason", " ")
    assert r.exit_code == 2 and "--reason" in r.stderr
    assert lc.ok("history", "P1", "--json").json() == before
    # and the day it opened and today are both within reach
    lc.ok("project", "rebase", "P1", "--rulebook", "national", "--on", "2026-11-20", "--reason", "x")


def test_the_target_window_both_sides_of_its_last_day(lc):
    """Dongying's window ends 14 Nov 2025: a rebase to it from that day is taken, from the next refused."""
    lc.ok("station", "add", "S1", "--name", "西城街道社会工作服务站", "--district", "东营区")
    lc.ok("project", "open", "P1", "--station", "S1", "--rulebook", "national", "--year", "2025", "--on", "2025-09-01")
    lc.ok("project", "open", "P2", "--station", "S1", "--rulebook", "national", "--year", "2025", "--on", "2025-09-01")
    r = lc("project", "rebase", "P2", "--rulebook", "dongying", "--on", "2025-11-15", "--reason", "x")
    assert r.exit_code == 1 and "does not cover 2025-11-15" in r.stderr
    out = lc.ok("project", "rebase", "P1", "--rulebook", "dongying", "--on", "2025-11-14", "--reason", "x",
                "--json").json()
    assert out["rulebook"] == "dongying" and out["rulebooks"][-1]["from"] == "2025-11-14"
