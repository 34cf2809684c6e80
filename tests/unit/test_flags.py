"""lifecycle.audit.flags: what auditors look for, from a snapshot, the log and the outbox (pure)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from lifecycle.core import rulebook
from lifecycle.audit.flags import flags, recorded_day
from lifecycle.core.calendar import WorkCalendar
from lifecycle.core.events import GENESIS, Event
from lifecycle.core.project import fold

CAL = WorkCalendar()


def log(book_name: str, steps: list[tuple[str, str, str, dict]]) -> list[Event]:
    """Events from (type, effective, recorded as Shanghai 'YYYY-MM-DD', data) tuples, chained."""
    book = rulebook.load(book_name)
    out, prev = [], GENESIS
    for seq, (type_, effective, recorded, data) in enumerate(steps, start=1):
        if type_ == "open":
            data = {"station": "S1", "station_name": "测试街道社工站", "district": "测试区", "station_kind": "street",
                    "villages": 0, "rulebook": book.name, "rulebook_version": book.version, "year": 2026,
                    "budget": None, **data}
        moment = datetime.fromisoformat(recorded + "T10:00:00+08:00").astimezone(timezone.utc)
        e = Event.new("P1", seq, type_, date.fromisoformat(effective), moment.isoformat(timespec="microseconds"),
                      "tester", data, prev)
        out.append(e)
        prev = e.hash
    return out


def snapshot(events: list[Event], book_name: str, as_of: date) -> dict:
    return fold(events, rulebook.load(book_name), CAL, "P1").snapshot(as_of)


JINAN = [
    ("open", "2026-03-20", "2026-03-20", {}),
    ("announce", "2026-04-01", "2026-04-05", {}),
    ("award", "2026-04-28", "2026-04-28", {"contractor": "YG", "contractor_name": "阳光社工"}),
    ("sign", "2026-05-08", "2026-05-20", {"term_months": 36, "amount": 600000}),
    ("publish", "2026-05-15", "2026-05-20", {}),
]


def kinds(found) -> list[str]:
    return [f.kind for f in found]


def test_an_event_recorded_more_than_a_week_after_it_happened_is_flagged_as_backdated():
    events = log("jinan", JINAN)
    found = [f for f in flags(snapshot(events, "jinan", date(2026, 6, 1)), events, [], date(2026, 6, 1))
             if f.kind == "backdated"]
    assert [f.seq for f in found] == [4]           # 12 days; the announce was 4 days late, publish 5
    assert "12 days later" in found[0].text


def test_the_backdating_threshold_is_configurable():
    events = log("jinan", JINAN)
    snap = snapshot(events, "jinan", date(2026, 6, 1))
    assert "backdated" not in kinds(flags(snap, events, [], date(2026, 6, 1), backdating_days=30))
    assert [f.seq for f in flags(snap, events, [], date(2026, 6, 1), backdating_days=3) if f.kind == "backdated"] == [2, 4, 5]


def test_the_recorded_day_is_the_business_day_in_shanghai():
    assert recorded_day("2026-05-07T17:30:00.000000+00:00") == date(2026, 5, 8)


def test_a_duty_met_after_its_due_date_is_flagged_late_with_its_rule():
    events = log("jinan", JINAN)
    late = [f for f in flags(snapshot(events, "jinan", date(2026, 6, 1)), events, [], date(2026, 6, 1))
            if f.kind == "met_late"]
    assert [(f.seq, f.basis) for f in late] == [(5, "NAT-publication: 政府采购法实施条例 art. 50")]
    assert "met on 2026-05-15" in late[0].text


def test_a_duty_open_past_its_due_date_is_flagged_never_met_and_one_not_yet_due_is_not():
    events = log("jinan", JINAN)
    early = flags(snapshot(events, "jinan", date(2026, 5, 12)), events, [], date(2026, 5, 12))
    late = flags(snapshot(events, "jinan", date(2026, 6, 1)), events, [], date(2026, 6, 1))
    assert not [f for f in early if f.kind == "never_met" and "filing" in f.text]
    assert [f for f in late if f.kind == "never_met" and f.text.startswith("filing was due")]


def notice_row(obligation: str, stage: str, status: str, **extra) -> dict:
    return {"id": 1, "obligation_id": obligation, "stage": stage, "status": status, "attempts": 3,
            "last_error": "connection refused", **extra}


def test_a_notice_still_pending_for_an_overdue_duty_is_flagged_unsent():
    events = log("jinan", JINAN)
    snap = snapshot(events, "jinan", date(2026, 6, 1))
    found = [f for f in flags(snap, events, [notice_row("filing", "overdue", "failed")], date(2026, 6, 1))
             if f.kind == "notice_unsent"]
    assert len(found) == 1 and "still failed after 3 attempts: connection refused" in found[0].text
    sent = flags(snap, events, [notice_row("filing", "overdue", "sent")], date(2026, 6, 1))
    assert "notice_unsent" not in kinds(sent)


def test_an_overdue_duty_without_any_overdue_notice_after_a_sweep_ran_is_flagged_missing():
    events = log("jinan", JINAN)
    snap = snapshot(events, "jinan", date(2026, 6, 1))
    swept = flags(snap, events, [notice_row("filing", "reminder", "sent")], date(2026, 6, 1), sweeps=[date(2026, 5, 25)])
    missing = [f for f in swept if f.kind == "notice_missing"]
    assert any(f.text.startswith("filing was overdue") and "2026-05-25" in f.text for f in missing)
    # without sweeps nobody can say a notice was due; a sweep before the due date sees nothing
    assert "notice_missing" not in kinds(flags(snap, events, [], date(2026, 6, 1)))
    assert not [f for f in flags(snap, events, [], date(2026, 6, 1), sweeps=[date(2026, 5, 12)])
                if f.kind == "notice_missing" and "filing" in f.text]
    noticed = flags(snap, events, [notice_row("filing", "overdue", "sent")], date(2026, 6, 1), sweeps=[date(2026, 5, 25)])
    assert not [f for f in noticed if f.kind == "notice_missing" and "filing" in f.text]


DONGYING = [
    ("open", "2025-10-20", "2025-10-20", {}),
    ("announce", "2025-11-01", "2025-11-01", {}),
    ("award", "2025-11-10", "2025-11-10", {"contractor": "HX", "contractor_name": "和谐社工"}),
    ("sign", "2025-11-18", "2025-11-18", {"term_months": 36, "amount": 100000}),
]


def test_findings_of_checks_are_flagged_with_their_rule():
    events = log("dongying", DONGYING)
    found = [f for f in flags(snapshot(events, "dongying", date(2025, 12, 1)), events, [], date(2025, 12, 1))
             if f.kind == "finding"]
    assert [(f.basis, f.seq) for f in found] == [("DY-funding: 东营 art. 15", 4)]
    assert "below 50,000 yuan" in found[0].text


def test_events_outside_the_rulebooks_validity_window_are_flagged_once():
    events = log("dongying", DONGYING)
    found = [f for f in flags(snapshot(events, "dongying", date(2025, 12, 1)), events, [], date(2025, 12, 1))
             if f.kind == "rulebook_window"]
    assert len(found) == 1 and found[0].seq == 4
    assert "1 of 4 events" in found[0].text and "2025-11-14" in found[0].text


@pytest.mark.parametrize("as_of", [date(2026, 3, 25), date(2026, 6, 1)])
def test_events_effective_after_the_audit_date_are_not_judged(as_of):
    events = log("jinan", JINAN)
    snap = snapshot([e for e in events if e.effective <= as_of], "jinan", as_of)
    found = flags(snap, events, [], as_of)
    assert all(f.seq is None or events[f.seq - 1].effective <= as_of for f in found)
