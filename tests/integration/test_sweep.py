"""`lifecycle check`: one sweep over the obligations table, each (obligation, stage) noticed once."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from lifecycle.services.sweep import render_notice, sweep
from lifecycle.notifications.letterbox import render_letter
from lifecycle.store.tables import letters, notices, sweeps
from lifecycle.store import Store


def signed_before_national_day(lc, project="P1", station="LX-JFL"):
    """A Jinan project signed on Monday 28 September 2026: publication due 30 Sep, filing 13 Oct."""
    lc.ok("station", "add", station, "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心")
    lc.ok("project", "open", project, "--station", station, "--rulebook", "jinan", "--year", "2026",
          "--on", "2026-03-20")
    lc.ok("advance", project, "announce", "--on", "2026-04-01")
    lc.ok("advance", project, "award", "contractor=YG", "--on", "2026-09-01")
    lc.ok("advance", project, "sign", "amount=600000", "--on", "2026-09-28")


def check(lc, day: str) -> dict:
    return lc.ok("check", "--as-of", day, "--json").json()


def made(result: dict) -> set[tuple[str, str]]:
    return {(n["obligation"], n["stage"]) for n in result["notices"]}


def test_check_json_is_exactly_as_of_created_the_notices_and_the_letters(lc):
    signed_before_national_day(lc)
    result = check(lc, "2026-09-28")
    assert set(result) == {"as_of", "created", "notices", "letters"}
    (letter,) = result["letters"]
    assert set(letter) == {"id", "issuer", "recipient", "role", "email", "number", "subject", "notices"}
    assert letter["notices"] == [result["notices"][0]["id"]]
    assert result["as_of"] == "2026-09-28" and result["created"] == 1
    (notice,) = result["notices"]
    assert set(notice) == {"id", "project", "obligation", "stage", "recipient", "subject"}
    assert (notice["project"], notice["obligation"], notice["stage"]) == ("P1", "publication", "reminder")
    assert notice["recipient"] == "purchaser"
    ids = {o["id"] for o in lc.ok("status", "P1", "--json").json()["obligations"]}
    assert notice["obligation"] in ids


def test_a_second_check_on_the_same_day_creates_nothing(lc):
    signed_before_national_day(lc)
    assert check(lc, "2026-10-21")["created"] > 0
    again = check(lc, "2026-10-21")
    assert again == {"as_of": "2026-10-21", "created": 0, "notices": [], "letters": []}


def test_the_ladder_climbs_on_working_days_across_national_day(lc):
    signed_before_national_day(lc)
    assert made(check(lc, "2026-09-28")) == {("publication", "reminder")}
    assert made(check(lc, "2026-09-30")) == set()                      # due today: the reminder stands
    assert made(check(lc, "2026-10-01")) == {("publication", "overdue")}
    assert made(check(lc, "2026-10-08")) == set()                      # filing (13 Oct) still 4 working days off
    assert made(check(lc, "2026-10-09")) == {("filing", "reminder")}   # 10 (调休 Saturday), 12, 13 October
    assert made(check(lc, "2026-10-14")) == {("filing", "overdue")}
    assert made(check(lc, "2026-10-20")) == set()                      # the 10th working day overdue
    assert made(check(lc, "2026-10-21")) == {("publication", "escalation")}
    assert lc.ok("verify", "--all", "--json").json()["failed"] == []   # every notice warranted by the log


def test_a_late_first_sweep_tells_the_holder_as_well_as_the_city_and_skips_the_reminder(lc):
    signed_before_national_day(lc)
    first = check(lc, "2026-11-20")
    assert {("publication", "escalation"), ("publication", "overdue")} <= made(first)
    assert ("publication", "reminder") not in made(first)
    to = {n["stage"]: n["recipient"] for n in first["notices"] if n["obligation"] == "publication"}
    assert to == {"overdue": "purchaser", "escalation": "city"}
    assert lc.ok("verify", "--all", "--json").json()["failed"] == []   # an overdue notice made late is warranted


def test_a_met_duty_stops_climbing(lc):
    signed_before_national_day(lc)
    check(lc, "2026-10-01")
    lc.ok("advance", "P1", "publish", "--on", "2026-10-09")
    assert ("publication", "escalation") not in made(check(lc, "2026-10-21"))


def test_a_closed_project_is_not_swept(lc):
    signed_before_national_day(lc)
    lc.ok("advance", "P1", "terminate", "reason=政策调整", "--on", "2026-10-09")
    lc.ok("advance", "P1", "hand_over", "--on", "2026-10-10")
    assert check(lc, "2026-10-21")["created"] == 0


def test_each_sweep_is_recorded_with_its_date_and_count(lc, db_url):
    signed_before_national_day(lc)
    check(lc, "2026-09-28")
    check(lc, "2026-09-28")
    with Store(db_url).reading() as conn:
        rows = conn.execute(select(sweeps).order_by(sweeps.c.id)).all()
    assert [(r.as_of, r.created, r.trigger) for r in rows] == [(date(2026, 9, 28), 1, "manual"),
                                                             (date(2026, 9, 28), 0, "manual")]


def test_the_chinese_escalation_is_the_districts_report_to_the_city_naming_duty_clause_and_issuer(lc):
    signed_before_national_day(lc)
    lc.ok("issuer", "set", "--district", "历下区", "--name", "济南市历下区民政局", "--prefix", "历民函",
          "--contact", "王敏", "--phone", "0531-86081234")
    notice = check(lc, "2026-10-21")["notices"]
    publication = next(n for n in notice if n["obligation"] == "publication" and n["stage"] == "escalation")
    text = lc.ok("notices", "show", str(publication["id"])).stdout
    assert "letter    " in text and "历民函〔2026〕1号" in text
    assert "关于社会工作服务站项目事项逾期未办结情况的报告" in text
    assert "济南市民政局：" in text                                     # 主送: up to the city
    assert "应于2026年9月30日前完成" in text
    assert "已逾期21天（11个工作日）" in text
    assert "《中华人民共和国政府采购法实施条例》第五十条" in text and "政府采购合同自签订之日起2个工作日内在指定媒体上公告" in text
    assert "济南市历下区民政局\n2026年10月21日" in text                 # 署名 and 成文日期
    assert "（联系人：王敏，联系电话：0531-86081234）" in text
    assert "济南市历下区阳光社会工作服务中心" in text


def test_english_letters_are_made_on_request(lc):
    signed_before_national_day(lc)
    result = lc.ok("check", "--as-of", "2026-09-28", "--lang", "en", "--json").json()
    assert result["notices"][0]["subject"] == "[Reminder] P1: publishing the contract due by 2026-09-30"
    text = lc.ok("notices", "show", str(result["notices"][0]["id"])).stdout
    assert "To: the responsible office" in text and "(NAT-publication)" in text   # the English letter keeps the ids


def test_a_provisional_due_date_is_marked_in_the_letter(lc, db_url):
    # signed 2026-12-20: the briefing and staffing duties reach into 2027, a year without holiday data yet
    lc.now = "2027-01-25 09:00:00"
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "阳光社工")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("advance", "P1", "announce", "--on", "2026-04-01")
    lc.ok("advance", "P1", "award", "contractor=YG", "--on", "2026-12-01")
    lc.ok("advance", "P1", "sign", "--on", "2026-12-20")
    staffing = next(o for o in lc.ok("status", "P1", "--json").json()["obligations"] if o["id"] == "staffing")
    assert staffing["provisional"] is True
    result = sweep(Store(db_url), date.fromisoformat(staffing["due"]), datetime(2027, 1, 25, 1, tzinfo=timezone.utc))
    notice = next(n for n in result["notices"] if n["obligation"] == "staffing")
    assert "（暂定）" in notice["subject"]
    assert "（暂定）" in render_notice(Store(db_url), notice["id"])


def test_a_notice_without_an_address_is_kept_and_says_why(lc, db_url):
    signed_before_national_day(lc)
    check(lc, "2026-09-28")
    (row,) = lc.ok("notices", "--json").json()
    assert row["email"] is None and row["status"] == "pending"
    assert row["last_error"] == "no address for purchaser in 历下区"
    with Store(db_url).reading() as conn:   # the letter carries the text, stored once; the notice keeps none
        body, letter_id = conn.execute(select(notices.c.body_html, notices.c.letter_id)).one()
        assert body == ""
        text, html = conn.execute(select(letters.c.body_text, letters.c.body_html)
                                  .where(letters.c.id == letter_id)).one()
        assert text.startswith("内部工作提示\n") and html == ""   # the letter too: its text, its page laid out from it
    page = render_letter(Store(db_url), letter_id, "html")
    assert page.startswith("<!DOCTYPE html>") and "<h1" in page and "内部工作提示</p>" in page


def test_a_sweep_that_keeps_no_notice_rows_counts_them_and_its_letters_list_their_ids(lc):
    """`check` without --json (and the daemon) keep no row per notice: a first national sweep makes hundreds
    of thousands. The count, the letters and what is stored are those of a sweep that lists them."""
    signed_before_national_day(lc)
    store = Store(lc.url)
    result = sweep(store, date(2026, 10, 21), datetime(2026, 10, 21, 1, tzinfo=timezone.utc), keep_notices=False)
    assert result["notices"] == [] and result["created"] == 3   # the notices due by 21 October
    with store.reading() as conn:
        stored = sorted(r.id for r in conn.execute(select(notices.c.id)))
        swept = conn.execute(select(sweeps.c.created)).scalar_one()
    assert sorted(i for letter in result["letters"] for i in letter["notices"]) == stored and swept == 3
    text = lc.ok("check", "--as-of", "2026-10-21").stdout
    assert "0" in text.splitlines()[0] and len(text.splitlines()) == 1   # nothing new: the head line alone
