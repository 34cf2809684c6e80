"""Reference data that changes: shown at once, kept in history, never rewriting a project's events."""
from __future__ import annotations

from pathlib import Path

from lifecycle.demo.district import credit_code


def demo(lc):
    lc.ok("init", "--demo")
    return lc


def fingerprint(lc) -> object:
    if lc.url.startswith("sqlite:///"):
        db = Path(lc.url[len("sqlite:///"):])
        return {s: p.read_bytes() for s in ("", "-wal", "-journal") if (p := db.with_name(db.name + s)).exists()}
    return [lc.ok(*cmd, "--json").stdout for cmd in (("station", "list"), ("changes",), ("project", "list"))]


def test_a_renamed_station_and_a_new_credit_code_show_in_the_lists_and_old_events_keep_the_old_names(lc):
    demo(lc)
    lc.ok("station", "update", "LX-DMH", "--name", "大明湖街道社会工作服务中心")
    new_code = credit_code("52370102MJD304199")
    lc.ok("contractor", "update", "YG", "--credit-code", new_code, "--name", "济南市历下区阳光社工中心")
    stations = {s["id"]: s["name"] for s in lc.ok("station", "list", "--json").json()}
    assert stations["LX-DMH"] == "大明湖街道社会工作服务中心"
    firms = {c["id"]: c for c in lc.ok("contractor", "list", "--json").json()}
    assert (firms["YG"]["credit_code"], firms["YG"]["name"]) == (new_code, "济南市历下区阳光社工中心")
    history = lc.ok("history", "LX-2025-DMH", "--json").json()
    assert history[0]["data"]["station_name"] == "大明湖街道社会工作服务站"
    award = next(e for e in history if e["event"] == "award")
    assert award["data"]["contractor_name"] == "济南市历下区阳光社会工作服务中心"
    lc.ok("replay", "LX-2025-DMH", "--verify")
    changes = lc.ok("changes", "--json").json()
    assert [(c["kind"], c["ref"], c["action"], c["actor"]) for c in changes] == [
        ("station", "LX-DMH", "update", "tester"), ("contractor", "YG", "update", "tester")]
    assert changes[0]["before"]["name"] == "大明湖街道社会工作服务站"
    assert changes[1]["before"]["credit_code"] != new_code and changes[1]["after"]["credit_code"] == new_code
    assert changes[1]["recorded"].startswith("2026-11-20T09:00:00")
    only = lc.ok("changes", "--kind", "contractor", "--id", "YG", "--json").json()
    assert [c["ref"] for c in only] == ["YG"]


def test_a_removed_contact_leaves_the_list_and_stays_in_history(lc):
    demo(lc)
    contacts = lc.ok("contact", "list", "--json").json()
    gone = next(c for c in contacts if c["role"] == "purchaser" and c["district"] == "历下区")
    lc.ok("contact", "remove", str(gone["id"]))
    assert gone["id"] not in [c["id"] for c in lc.ok("contact", "list", "--json").json()]
    kept = next(c for c in contacts if c["role"] == "city" and c["district"] == "东营区")
    lc.ok("contact", "update", str(kept["id"]), "--email", "shgk2@dymz.example.cn")
    assert {c["id"]: c["email"] for c in lc.ok("contact", "list", "--json").json()}[kept["id"]] == \
        "shgk2@dymz.example.cn"
    changes = lc.ok("changes", "--kind", "contact", "--json").json()
    assert [(c["ref"], c["action"]) for c in changes] == [(str(gone["id"]), "remove"), (str(kept["id"]), "update")]
    assert changes[0]["before"]["email"] == gone["email"] and changes[0]["after"] is None
    r = lc("contact", "remove", str(gone["id"]))
    assert (r.exit_code, r.stdout) == (2, "") and f"unknown contact {gone['id']}" in r.stderr


def test_moving_a_station_out_of_a_district_where_its_contractor_runs_another_is_refused_under_dy_exclusive(lc):
    demo(lc)
    # FZ runs 文汇 (DY-2025-WH); give it 胜利 too, in the same district, as DY-exclusive allows
    # opened while 东民〔2022〕62号 is in force (to 14 Nov 2025, art. 45): later it is refused
    lc.ok("project", "open", "DY-2026-SL", "--station", "DY-SL", "--rulebook", "dongying", "--year", "2026",
          "--on", "2025-11-03")
    lc.ok("advance", "DY-2026-SL", "announce", "--on", "2026-09-10")
    lc.ok("advance", "DY-2026-SL", "award", "contractor=FZ", "--on", "2026-10-20")
    before = fingerprint(lc)
    r = lc("station", "update", "DY-WH", "--district", "垦利区")
    assert (r.exit_code, r.stdout) == (1, ""), r.stderr
    assert "station DY-WH: moving it from 东营区 to 垦利区 refused" in r.stderr
    assert "contractor FZ already runs station DY-SL in 东营区" in r.stderr and "DY-exclusive" in r.stderr
    assert fingerprint(lc) == before
    # a station whose contractor runs nothing else may move
    lc.ok("station", "update", "DY-LH", "--district", "垦利区")
    assert {s["id"]: s["district"] for s in lc.ok("station", "list", "--json").json()}["DY-LH"] == "垦利区"


def test_an_update_with_nothing_to_change_or_a_taken_credit_code_is_bad_input(lc):
    demo(lc)
    r = lc("station", "update", "LX-DMH")
    assert r.exit_code == 2 and "nothing to change" in r.stderr
    taken = next(c for c in lc.ok("contractor", "list", "--json").json() if c["id"] == "ZA")["credit_code"]
    r = lc("contractor", "update", "YG", "--credit-code", taken)
    assert (r.exit_code, r.stdout) == (2, "") and "belongs to another contractor" in r.stderr
    assert lc.ok("changes", "--json").json() == []
