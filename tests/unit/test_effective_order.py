"""The fold's order (issue 10): effective date first, then seq; voids skipped; the district's duties merged."""
from __future__ import annotations

from datetime import date

from lifecycle.core.district import fold_district
from lifecycle.core.events import GENESIS, Event, effective_history, entered_late


def log(*rows: tuple[str, str, dict]) -> list[Event]:
    out, prev = [], GENESIS
    for seq, (type_, day, data) in enumerate(rows, start=1):
        e = Event.new("P", seq, type_, date.fromisoformat(day), f"2026-11-{seq:02d}T02:00:00.000000+00:00", "t",
                      data, prev)
        out.append(e)
        prev = e.hash
    return out


def test_a_late_event_is_folded_in_its_effective_place_ties_kept_in_seq_order():
    events = log(("open", "2026-03-20", {}), ("training", "2026-06-10", {}), ("report", "2026-06-10", {}),
                 ("supervision", "2026-06-01", {}))
    assert [e.seq for e in effective_history(events)] == [1, 4, 2, 3]
    assert [(late.seq, later.seq) for late, later in entered_late(events)] == [(4, 3)]


def test_a_voided_event_is_left_out_and_a_correction_may_move_an_event_earlier():
    events = log(("open", "2026-03-20", {}), ("training", "2026-06-10", {}), ("report", "2026-06-20", {}),
                 ("correct", "2026-11-04", {"seq": 2, "reason": "dup", "void": True}),
                 ("correct", "2026-11-05", {"seq": 3, "reason": "date", "data": {}, "effective": "2026-04-01"}))
    assert [(e.seq, e.effective.isoformat()) for e in effective_history(events)] == [(1, "2026-03-20"),
                                                                                    (3, "2026-04-01")]


def duty(oid: str, status: str = "open", met_on: str | None = None, seq: int | None = None) -> dict:
    return {"id": oid, "kind": oid.split(":")[0], "rule": "JN-annual-report", "basis": "JN-annual-report: 济南 四(五)",
            "due": "2026-11-30", "provisional": False, "status": status, "met_on": met_on, "met_seq": seq}


def test_the_district_owes_one_duty_for_many_projects_met_by_its_own_report():
    report = Event.new("历下区", 1, "district_report", date(2026, 12, 2), "2026-12-02T02:00:00.000000+00:00", "t",
                       {"kind": "annual", "period": "2026"}, GENESIS)
    snap = fold_district("历下区", [(p, "jinan", "2021-9", [duty("district_report:2026")]) for p in ("P2", "P1", "P3")],
                         [report])
    (only,) = snap["obligations"]
    assert only["projects"] == ["P1", "P2", "P3"]
    assert (only["status"], only["met_on"], only["met_seq"], only["met_by"]) == ("met", "2026-12-02", 1, "district event 1")


def test_a_district_duty_is_waived_only_when_every_project_waived_it():
    some = fold_district("D", [("P1", "jinan", "v", [duty("plan:2027", "waived")]), ("P2", "jinan", "v", [duty("plan:2027")])], [])
    assert some["obligations"][0]["status"] == "open"
    every = fold_district("D", [("P1", "jinan", "v", [duty("plan:2027", "waived")])], [])
    assert every["obligations"][0]["status"] == "waived"
