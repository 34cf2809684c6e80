"""`lifecycle explain ID [OBLIGATION]`: the receipt of each due date, agreeing with `status`."""
from __future__ import annotations

import pytest

from conftest import Lifecycle
from lifecycle.demo.district import PROJECTS


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Lifecycle:
    tmp = tmp_path_factory.mktemp("demo-explain")
    lc = Lifecycle(f"sqlite:///{tmp / 'demo.db'}", tmp, now="2026-11-22 01:30:00")
    lc.ok("init", "--demo")
    return lc


def test_explain_arrives_at_the_due_date_status_shows_for_every_obligation_of_every_demo_project(demo):
    checked = 0
    for pid in PROJECTS:
        shown = {o["id"]: o for o in demo.ok("status", pid, "--json").json()["obligations"]}
        explained = {r["obligation"]: r for r in demo.ok("explain", pid, "--json").json()}
        assert set(explained) == set(shown), pid
        for oid, o in shown.items():
            r = explained[oid]
            assert (r["due"], r["provisional"]) == (o["due"], o["provisional"]), f"{pid} {oid}"
            assert r["basis"] == o["basis"] and r["steps"][-1]["date"] == r["due"]
            assert r["period"]["unit"] in ("days", "months", "working_days", "fixed")
            checked += 1
    assert checked > 300


def test_explain_of_one_duty_prints_its_trigger_rule_steps_and_sentence(demo):
    r = demo.ok("explain", "LX-2026-BTQ", "contract")
    out = r.stdout
    assert "NAT-contract" in out and "event 3 (award), effective 2026-10-12" in out
    assert "art. 201" in out and "art. 203" in out and "2026-11-11" in out
    assert "30 days" in out
    data = demo.ok("explain", "LX-2026-BTQ", "contract", "--json").json()
    assert set(data) >= {"project", "obligation", "basis", "citation", "trigger", "period", "steps", "due", "provisional"}
    assert data["trigger"] == {"seq": 3, "event": "award", "date": "2026-10-12"}
    assert data["period"]["count"] == 30 and data["period"]["unit"] == "days"
    assert data["sentence"] == "10月12日发出中标通知书，次日起算30日，第30日为11月11日"


def test_explain_of_an_unknown_duty_or_project_is_bad_input_naming_it(demo):
    r = demo("explain", "LX-2026-BTQ", "nothing")
    assert r.exit_code == 2 and r.stdout == "" and "'nothing'" in r.stderr and "contract" in r.stderr
    r = demo("explain", "NOPE", "contract")
    assert r.exit_code == 2 and r.stdout == "" and "unknown project NOPE" in r.stderr


def test_explain_counts_the_dongying_award_of_26_september_2025_past_national_day(lc):
    lc.now = "2025-10-20 02:00:00"
    lc.ok("station", "add", "DY-WH", "--name", "文汇街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "FZ", "--name", "东营市福泽社会工作服务中心", "--credit-code", "52370500MJF226087" + _check("52370500MJF226087"))
    lc.ok("project", "open", "DY-1", "--station", "DY-WH", "--rulebook", "dongying", "--year", "2025", "--on", "2025-03-01")
    lc.ok("advance", "DY-1", "announce", "--on", "2025-04-01")
    lc.ok("advance", "DY-1", "award", "contractor=FZ", "--on", "2025-09-26")
    out = lc.ok("explain", "DY-1", "contract").stdout
    assert "National Day" in out and "art. 203" in out and "2025-10-09" in out
    data = lc.ok("explain", "DY-1", "contract", "--json").json()
    assert data["due"] == "2025-10-09" and any("national_day" in s["holidays"] for s in data["steps"])
    assert "国庆节" in data["sentence"] and data["sentence"].endswith("顺延至10月9日")


def _check(first17: str) -> str:
    from lifecycle.core.creditcode import check_character
    return check_character(first17)


def test_the_audit_report_shows_each_duty_with_the_sentence_of_its_receipt(demo, tmp_path):
    out = tmp_path / "btq.html"
    demo.ok("audit", "LX-2026-BTQ", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    row = html[html.index('id="duty-contract"'):]
    row = row[:row.index("</tr>")]
    assert "10月12日发出中标通知书，次日起算30日，第30日为11月11日" in row
    sentences = {r["obligation"]: r["sentence"] for r in demo.ok("explain", "LX-2026-BTQ", "--json").json()}
    assert all(s in html for s in sentences.values())


def test_each_letter_of_a_real_sweep_carries_its_duties_sentence_in_the_readers_language(lc):
    """The Dongying award of 26 September 2025: the contract duty's letter says why 9 October."""
    lc.now = "2025-10-20 02:00:00"
    lc.ok("station", "add", "DY-WH", "--name", "文汇街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "FZ", "--name", "东营市福泽社会工作服务中心", "--credit-code", "52370500MJF226087" + _check("52370500MJF226087"))
    lc.ok("project", "open", "DY-1", "--station", "DY-WH", "--rulebook", "dongying", "--year", "2025", "--on", "2025-03-01")
    lc.ok("advance", "DY-1", "announce", "--on", "2025-04-01")
    lc.ok("advance", "DY-1", "award", "contractor=FZ", "--on", "2025-09-26")
    expected = lc.ok("explain", "DY-1", "contract", "--json").json()
    result = lc.ok("check", "--as-of", "2025-10-20", "--json").json()
    contract = [n for n in result["notices"] if n["obligation"] == "contract"]
    assert contract, result["notices"]
    letter = next(x for x in result["letters"] if contract[0]["id"] in x["notices"])
    text = lc.ok("letters", "show", str(letter["id"])).stdout
    assert "9月26日发出中标通知书，次日起算10日，第10日10月6日为国庆节、中秋节假期，顺延至10月9日。" in text
    assert expected["sentence"] in text
    html = lc.ok("letters", "show", str(letter["id"]), "--format", "html").stdout
    assert expected["sentence"] in html
    notice = lc.ok("notices", "show", str(contract[0]["id"])).stdout
    assert expected["sentence"] in notice
    # every duty of every letter of the sweep: its own sentence
    for x in result["letters"]:
        shown = lc.ok("letters", "show", str(x["id"])).stdout
        for n in (n for n in result["notices"] if n["id"] in x["notices"]):
            assert lc.ok("explain", n["project"], n["obligation"], "--json").json()["sentence"] in shown, n
    lc.ok("letters", "--json")
    english = lc.ok("check", "--as-of", "2025-10-20", "--dry-run", "--lang", "en", "--json")
    assert english.exit_code == 0


def test_an_english_sweep_writes_the_sentence_in_english(lc):
    lc.now = "2025-10-20 02:00:00"
    lc.ok("station", "add", "DY-WH", "--name", "文汇街道社会工作服务站", "--district", "东营区")
    lc.ok("contractor", "add", "FZ", "--name", "东营市福泽社会工作服务中心", "--credit-code", "52370500MJF226087" + _check("52370500MJF226087"))
    lc.ok("project", "open", "DY-1", "--station", "DY-WH", "--rulebook", "dongying", "--year", "2025", "--on", "2025-03-01")
    lc.ok("advance", "DY-1", "announce", "--on", "2025-04-01")
    lc.ok("advance", "DY-1", "award", "contractor=FZ", "--on", "2025-09-26")
    sentence_en = lc.ok("explain", "DY-1", "contract", "--json").json()["sentence_en"]
    result = lc.ok("check", "--as-of", "2025-10-20", "--lang", "en", "--json").json()
    n = next(n for n in result["notices"] if n["obligation"] == "contract")
    assert sentence_en in lc.ok("notices", "show", str(n["id"])).stdout
