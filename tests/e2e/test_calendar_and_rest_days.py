"""The calendar feed (`lifecycle calendar`, `scheduler run --ics`) and a daemon that rests on rest days."""
from __future__ import annotations

from datetime import date, datetime, timezone

from icalendar import Calendar
from sqlalchemy import func, select

from lifecycle.core.clock import Clock
from lifecycle.scheduler import Daemon
from lifecycle.store import Store, letters, sweeps


def signed(lc, project="P1"):
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心")
    lc.ok("project", "open", project, "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026",
          "--on", "2026-03-20")
    lc.ok("advance", project, "announce", "--on", "2026-04-01")
    lc.ok("advance", project, "award", "contractor=YG", "--on", "2026-04-28")
    lc.ok("advance", project, "sign", "amount=600000", "--on", "2026-05-08")


def events(path) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_the_feed_has_one_event_per_open_duty_and_a_moved_due_date_raises_its_sequence(lc, tmp_path):
    signed(lc)
    out = tmp_path / "lixia.ics"
    lc.ok("calendar", "--district", "历下区", "--out", str(out))
    first = events(out)
    open_duties = [o for o in lc.ok("status", "P1", "--json").json()["obligations"] if o["status"] != "met"]
    assert sorted(first) == sorted(f"P1/{o['id']}@lifecycle" for o in open_duties)
    publication = first["P1/publication@lifecycle"]
    assert publication.decoded("DTSTART") == date(2026, 5, 11)
    assert str(publication["SUMMARY"]) == "解放路街道社会工作服务站：合同公告到期"
    assert "依据《中华人民共和国政府采购法实施条例》第五十条" in str(publication["DESCRIPTION"])
    assert int(publication["SEQUENCE"]) == 0
    assert any("（暂定）" in str(e["SUMMARY"]) for e in first.values())   # the years without holiday data yet

    lc.ok("calendar", "--district", "历下区", "--out", str(out))           # nothing moved: nothing rises
    assert int(events(out)["P1/publication@lifecycle"]["SEQUENCE"]) == 0
    lc.ok("correct", "P1", "4", "--reason", "合同实际于5月15日签订", "--on", "2026-05-15")
    lc.ok("calendar", "--district", "历下区", "--out", str(out))
    moved = events(out)["P1/publication@lifecycle"]
    assert moved.decoded("DTSTART") != date(2026, 5, 11)
    assert int(moved["SEQUENCE"]) == 1                                       # same UID: the phone updates it
    assert lc.ok("calendar", "--project", "NOPE", "--out", str(tmp_path / "none.ics")).stdout.startswith("0 duties")


def daemon_on(store: Store, day: date, folder) -> tuple[Daemon, list[str]]:
    said: list[str] = []
    moment = datetime(day.year, day.month, day.day, 1, 0, tzinfo=timezone.utc)
    return Daemon(store, lambda: Clock(today=day, now=moment), str(folder), said.append, ics=str(folder / "ics")), said


def test_the_daemon_sends_nothing_on_a_sunday_and_works_on_a_tiaoxiu_saturday(lc, db_url, tmp_path):
    signed(lc)
    lc.ok("contact", "add", "--role", "purchaser", "--district", "历下区", "--name", "社工科", "--email", "s@lixia.gov.cn")
    store = Store(db_url)
    outbox = tmp_path / "outbox"
    sunday, daemon_said = date(2026, 11, 22), None
    daemon, daemon_said = daemon_on(store, sunday, outbox)
    daemon.catch_up()
    daemon.daily()
    daemon.deliver()
    with store.reading() as conn:
        assert conn.execute(select(func.count()).select_from(sweeps)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(letters)).scalar() == 0
    assert not outbox.exists() or not list(outbox.glob("*.eml"))
    assert "rest day" in daemon_said[0]

    saturday = date(2026, 10, 10)   # 调休: the Saturday after National Day is a working day
    daemon, said = daemon_on(store, saturday, outbox)
    daemon.daily()
    assert said[0].startswith("sweep as of 2026-10-10 (daemon)")
    assert list(outbox.glob("letter-*.eml")) and list(outbox.glob("letter-*.docx"))
    assert (tmp_path / "outbox" / "ics" / "历下区.ics").is_file() and (tmp_path / "outbox" / "ics" / "all.ics").is_file()
