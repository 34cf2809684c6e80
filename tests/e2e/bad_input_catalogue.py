"""The bad-input catalogue (issue #14): inputs beyond the limits, malformed files, unusable
paths and URLs, each with the status it must end with and fragments of its one sentence.

A case is (id, builder, status, fragments). The builder takes the `world` runner and
returns the command's arguments, or a dict {"args", and optionally "actor", "db", "env"}
for a case about the group's options or the environment. test_bad_input.py runs them.
"""
from __future__ import annotations

from pathlib import Path

JN_HEAD = "name,role,age,education,qualified\n"
LONG = "长" * 10_000
A201 = "站" * 201


def roster(lc, name: str, text: str) -> str:
    return "roster=" + lc.write(name, text)


def roster_bytes(lc, name: str, data: bytes) -> str:
    path = Path(lc.workdir) / name
    path.write_bytes(data)
    return f"roster={path}"


def staff(lc, name: str, text: str, project: str = "P5") -> list[str]:
    return ["advance", project, "staff", roster(lc, name, text), "--on", "2026-06-01"]


def rows(n: int) -> str:
    return JN_HEAD + "张伟,lead,32,本科,是\n" + "".join(f"员工{i},worker,30,本科,是\n" for i in range(n - 1))


def station(sid: str = "LX-NEW", name: str = "新站", district: str = "历下区", *more: str) -> list[str]:
    return ["station", "add", sid, "--name", name, "--district", district, *more]


def contractor(cid: str = "NEW", name: str = "新机构", *more: str) -> list[str]:
    return ["contractor", "add", cid, "--name", name, *more]


def open_p9(pid: str = "P9", *more: str, on: str = "2026-03-20") -> list[str]:
    return ["project", "open", pid, "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", on, *more]


def train(hours: str) -> list[str]:
    return ["advance", "P1", "training", f"hours={hours}", "--on", "2026-07-01"]


def pay(amount: str) -> list[str]:
    return ["advance", "D1", "pay", "kind=advance", f"amount={amount}", "--on", "2025-05-01"]


def sign(*pairs: str) -> list[str]:
    return ["advance", "P4", "sign", *pairs, "--on", "2026-05-08"]


def stations_file(lc, name: str, text: str) -> list[str]:
    return ["station", "import", lc.write(name, text)]


def contact(name: str = "历下区民政局", email: str = "mzj@lixia.gov.cn") -> list[str]:
    return ["contact", "add", "--role", "city", "--name", name, "--email", email]


def holidays(lc, text: str | None) -> dict:
    path = "/nonexistent/holidays.toml" if text is None else lc.write("holidays-bad.toml", text)
    return {"args": ["advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-01"],
            "env": {"LIFECYCLE_HOLIDAYS": path}}


def a_key(lc) -> str:
    """A real key beside the database (made once), for the cases about everything else."""
    key = Path(lc.workdir) / "witness.key"
    if not key.exists():
        lc.ok("keygen", "--out", str(key))
    return str(key)


def a_checkpoint(lc) -> str:
    cp = Path(lc.workdir) / "witness-cp.json"
    if not cp.exists():
        lc.ok("checkpoint", "--key", a_key(lc), "--out", str(cp))
    return str(cp)


CATALOGUE: list[tuple[str, object, int, list[str]]] = [
    # -- names: at most 200 characters, no control characters ------------------------------
    ("station-name-nul", lambda lc: station("LX-N1", "解放\x00路"), 2, ["station LX-N1", "control character \\x00"]),
    ("station-name-newline", lambda lc: station("LX-N2", "解放\n路"), 2, ["station LX-N2", "control character \\n"]),
    ("station-name-tab", lambda lc: station("LX-N3", "解放\t路"), 2, ["control character \\t"]),
    ("station-name-escape", lambda lc: station("LX-N4", "\x1b[31m解放路"), 2, ["control character \\x1b"]),
    ("station-name-bidi-override", lambda lc: station("LX-N5", "解放\u202e路"), 2, ["control character"]),
    ("station-name-10000", lambda lc: station("LX-N6", LONG), 2, ["station LX-N6", "10000 characters", "at most 200"]),
    ("station-name-201", lambda lc: station("LX-N7", A201), 2, ["201 characters"]),
    ("station-district-101", lambda lc: station("LX-N8", "新站", "区" * 101), 2, ["column district", "at most 100"]),
    ("station-district-nul", lambda lc: station("LX-N9", "新站", "历下\x00区"), 2, ["column district", "\\x00"]),
    ("station-id-10000", lambda lc: station("L" * 10_000), 2, ["column id", "10000 characters", "at most 64"]),
    ("station-id-65", lambda lc: station("L" * 65), 2, ["65 characters"]),
    ("station-id-space", lambda lc: station("LX JFL2"), 2, ["'LX JFL2' is not an id"]),
    ("station-id-chinese", lambda lc: station("解放路站"), 2, ["is not an id"]),
    ("station-id-slash", lambda lc: station("LX/2"), 2, ["'LX/2' is not an id"]),
    ("station-id-leading-dash", lambda lc: station("-LX"), 2, ["lifecycle station add", "-L"]),
    ("station-id-leading-dot", lambda lc: station(".LX"), 2, ["is not an id"]),
    ("station-id-nul", lambda lc: station("LX\x00A"), 2, ["is not an id"]),
    ("station-villages-million", lambda lc: station("LX-V1", "新站", "历下区", "--villages", "1000000"),
     2, ["column villages", "not between 0 and 100000"]),
    ("station-villages-negative", lambda lc: station("LX-V2", "新站", "历下区", "--villages", "-1"),
     2, ["lifecycle station add", "--villages"]),
    ("contractor-name-nul", lambda lc: contractor("NEW1", "阳光\x00社工"), 2, ["contractor NEW1", "--name", "\\x00"]),
    ("contractor-name-newline", lambda lc: contractor("NEW2", "阳光\r\n社工"), 2, ["contractor NEW2", "\\r"]),
    ("contractor-name-10000", lambda lc: contractor("NEW3", LONG), 2, ["contractor NEW3", "10000 characters"]),
    ("contractor-district-newline", lambda lc: contractor("NEW4", "阳光", "--district", "历下\n区"),
     2, ["contractor NEW4", "--district", "\\n"]),
    ("contractor-id-10000", lambda lc: contractor("C" * 10_000), 2, ["the id is 10000 characters"]),
    ("contractor-id-bad-char", lambda lc: contractor("阳光"), 2, ["'阳光' is not an id"]),
    ("contractor-id-quote", lambda lc: contractor("YG'--"), 2, ["is not an id"]),
    ("actor-nul", lambda lc: {"args": ["advance", "P2", "fail_tender", "reason=流标", "--on", "2026-05-01"],
                              "actor": "王\x00科长"}, 2, ["--actor", "\\x00"]),
    ("actor-newline", lambda lc: {"args": station("LX-A1", "新站"), "actor": "王科长\nforged line"}, 2, ["--actor", "\\n"]),
    ("actor-10000", lambda lc: {"args": station("LX-A2", "新站"), "actor": LONG}, 2, ["--actor", "at most 100"]),
    ("actor-101", lambda lc: {"args": station("LX-A3", "新站"), "actor": "王" * 101}, 2, ["--actor", "101 characters"]),
    ("actor-blank", lambda lc: {"args": station("LX-A4", "新站"), "actor": "   "}, 2, ["--actor is empty"]),
    ("project-id-10000", lambda lc: open_p9("P" * 10_000), 2, ["the project id is 10000 characters", "at most 64"]),
    ("project-id-65", lambda lc: open_p9("P" * 65), 2, ["65 characters"]),
    ("project-id-space", lambda lc: open_p9("P 9"), 2, ["project 'P 9'", "'P 9' is not an id"]),
    ("project-id-chinese", lambda lc: open_p9("历下一号"), 2, ["is not an id"]),
    ("project-id-nul", lambda lc: open_p9("P\x009"), 2, ["is not an id"]),
    ("project-id-newline", lambda lc: open_p9("P9\n"), 2, ["is not an id"]),
    ("project-id-percent", lambda lc: open_p9("P%"), 2, ["is not an id"]),
    # -- amounts, budgets, hours, scores, terms: finite, positive, capped -------------------
    ("budget-nan", lambda lc: open_p9("P9", "--budget", "nan"), 2, ["project P9", "--budget", "not a positive number"]),
    ("budget-inf", lambda lc: open_p9("P9", "--budget", "inf"), 2, ["--budget", "not a finite number"]),
    ("budget-negative", lambda lc: open_p9("P9", "--budget", "-5"), 2, ["--budget", "not a positive number"]),
    ("budget-zero", lambda lc: open_p9("P9", "--budget", "0"), 2, ["--budget", "not a positive number"]),
    ("budget-1e300", lambda lc: open_p9("P9", "--budget", "1e300"), 2, ["--budget", "the most accepted"]),
    ("budget-not-number", lambda lc: open_p9("P9", "--budget", "很多"), 2, ["lifecycle project open", "--budget"]),
    ("amount-1e300", lambda lc: sign("amount=1e300"), 2, ["project P4", "amount=", "the most accepted"]),
    ("amount-11-billion", lambda lc: sign("amount=11000000000"), 2, ["amount=", "10,000,000,000 yuan"]),
    ("amount-inf", lambda lc: pay("inf"), 2, ["project D1", "amount=", "not a finite number"]),
    ("amount-minus-inf", lambda lc: pay("-inf"), 2, ["amount=", "not a positive number"]),
    ("amount-nan", lambda lc: pay("nan"), 2, ["amount=", "not a positive number"]),
    ("amount-negative", lambda lc: pay("-100"), 2, ["amount=", "not a positive number"]),
    ("amount-zero", lambda lc: pay("0"), 2, ["amount=", "not a positive number"]),
    ("amount-hex", lambda lc: pay("0x10"), 2, ["amount=", "is not a number"]),
    ("amount-chinese", lambda lc: pay("六十万"), 2, ["amount=", "is not a number"]),
    ("hours-1e9", lambda lc: train("1e9"), 2, ["project P1", "hours=", "1,000 hours"]),
    ("hours-1001", lambda lc: train("1001"), 2, ["hours=", "the most accepted"]),
    ("hours-negative", lambda lc: train("-4"), 2, ["hours=", "not a positive number"]),
    ("hours-zero", lambda lc: train("0"), 2, ["hours=", "not a positive number"]),
    ("hours-nan", lambda lc: train("NaN"), 2, ["hours=", "not a positive number"]),
    ("hours-inf", lambda lc: train("Infinity"), 2, ["hours=", "not a finite number"]),
    ("supervision-hours-1e9", lambda lc: ["advance", "P1", "supervision", "hours=1e9", "--on", "2026-07-01"],
     2, ["hours=", "the most accepted"]),
    ("score-1000", lambda lc: ["advance", "D1", "evaluate", "result=pass", "score=1000", "--on", "2025-05-01"],
     2, ["project D1", "score=", "100 points"]),
    ("term-months-1000", lambda lc: sign("term_months=1000"), 2, ["project P4", "1000 months is more than 120"]),
    ("term-months-121", lambda lc: sign("term_months=121"), 2, ["121 months"]),
    ("term-months-zero", lambda lc: sign("term_months=0"), 2, ["term_months=", "at least 1 month"]),
    ("term-months-negative", lambda lc: sign("term_months=-3"), 2, ["'-3' is not a whole number of months"]),
    ("term-months-huge", lambda lc: sign("term_months=" + "9" * 5000), 2, ["is more than 120"]),
    ("plan-year-1999", lambda lc: ["advance", "P2", "file_plan", "year=1999", "--on", "2026-05-01"],
     2, ["year=", "1999 is not a year between 2000 and 2100"]),
    ("plan-year-five-digits", lambda lc: ["advance", "P2", "file_plan", "year=20261", "--on", "2026-05-01"],
     2, ["year=", "is not a year (YYYY)"]),
    ("plan-budget-nan", lambda lc: ["advance", "P2", "file_plan", "year=2027", "budget=nan", "--on", "2026-05-01"],
     2, ["budget=", "not a positive number"]),
    # -- free text of an event ------------------------------------------------------------
    ("reason-nul", lambda lc: ["advance", "P2", "fail_tender", "reason=流\x00标", "--on", "2026-05-01"],
     2, ["project P2", "reason=", "\\x00"]),
    ("reason-10000", lambda lc: ["advance", "P2", "fail_tender", "reason=" + LONG, "--on", "2026-05-01"],
     2, ["reason=", "10000 characters"]),
    ("note-newline", lambda lc: ["advance", "P2", "fail_tender", "reason=流标", "note=a\nb", "--on", "2026-05-01"],
     2, ["project P2"]),
    ("ref-escape", lambda lc: sign("ref=\x1b[2J合同"), 2, ["ref=", "\\x1b"]),
    ("person-10000", lambda lc: ["advance", "P1", "training", "hours=4", "person=" + LONG, "--on", "2026-07-01"],
     2, ["person=", "10000 characters"]),
    ("title-blank", lambda lc: ["advance", "P1", "report", "kind=monthly", "period=2026-06", "title=  ",
                                "--on", "2026-07-01"], 2, ["title=", "is empty"]),
    ("key-given-twice", lambda lc: ["advance", "P1", "training", "hours=4", "hours=5", "--on", "2026-07-01"],
     2, ["hours is given twice"]),
    ("key-10000", lambda lc: ["advance", "P1", "report", "k" * 10_000 + "=1", "--on", "2026-07-01"],
     2, ["does not take"]),
    ("period-month-13", lambda lc: ["advance", "P1", "report", "kind=monthly", "period=2026-13", "--on", "2026-07-01"],
     2, ["period='2026-13' is malformed"]),
    # -- dates: 2000-01-01 to 2100-12-31 ---------------------------------------------------
    ("check-as-of-9999", lambda lc: ["check", "--as-of", "9999-12-31"], 2, ["--as-of 9999-12-31 is outside"]),
    ("check-as-of-1999", lambda lc: ["check", "--as-of", "1999-12-31"], 2, ["outside the supported dates"]),
    ("deadlines-as-of-year-1", lambda lc: ["deadlines", "--as-of", "0001-01-01"], 2, ["0001-01-01 is outside"]),
    ("advance-on-2101", lambda lc: ["advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2101-01-01"],
     2, ["project P1", "2101-01-01 is outside"]),
    ("advance-on-1900", lambda lc: ["advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "1900-01-01"],
     2, ["project P1", "1900-01-01 is outside"]),
    ("open-on-9999", lambda lc: open_p9("P9", on="9999-12-31"), 2, ["project P9", "9999-12-31 is outside"]),
    ("open-on-garbage-10000", lambda lc: open_p9("P9", on="x" * 10_000), 2, ["project P9", "is not a date"]),
    ("replay-as-of-9999", lambda lc: ["replay", "P1", "--as-of", "9999-12-31"], 2, ["project P1", "is outside"]),
    ("known-at-year-1-east", lambda lc: ["replay", "P1", "--known-at", "0001-01-01T00:00:00+01:00"],
     2, ["project P1", "--known-at", "not a timestamp"]),
    ("known-at-year-9999-west", lambda lc: ["replay", "P1", "--known-at", "9999-12-31T23:59:59-01:00"],
     2, ["project P1", "--known-at"]),
    ("known-at-2200", lambda lc: ["replay", "P1", "--known-at", "2200-01-01"], 2, ["--known-at 2200-01-01 is outside"]),
    ("correct-on-9999", lambda lc: ["correct", "P1", "2", "--reason", "录入错误", "--on", "9999-12-31"],
     2, ["project P1", "is outside"]),
    # -- rosters: at most 500 rows, fields within the limits, readable CSV -----------------
    ("roster-17mb-field", lambda lc: staff(lc, "huge.csv", JN_HEAD + "张伟,lead,32,本科," + "是" * 17_000_000 + "\n"),
     2, ["project P5", "not readable CSV"]),
    ("roster-17mb-header", lambda lc: staff(lc, "huge-head.csv", "n" * 17_000_000 + "\n"), 2, ["row 1", "not readable CSV"]),
    ("roster-501-rows", lambda lc: staff(lc, "r501.csv", rows(501)), 2, ["project P5", "more than 500 staff rows"]),
    ("roster-40000-rows", lambda lc: staff(lc, "r40k.csv", rows(40_000)), 2, ["more than 500 staff rows"]),
    ("roster-name-nul", lambda lc: staff(lc, "nul.csv", JN_HEAD + "张\x00伟,lead,32,本科,是\n"),
     2, ["row 2, column name", "\\x00"]),
    ("roster-name-newline", lambda lc: staff(lc, "nl.csv", JN_HEAD + '"张\n伟",lead,32,本科,是\n'),
     2, ["row 2, column name", "\\n"]),
    ("roster-name-10000", lambda lc: staff(lc, "long.csv", JN_HEAD + LONG + ",lead,32,本科,是\n"),
     2, ["column name", "10000 characters"]),
    ("roster-extra-column-long", lambda lc: staff(lc, "note.csv", "name,role,age,education,qualified,note\n"
                                                  "张伟,lead,32,本科,是," + LONG + "\n"), 2, ["column note"]),
    ("roster-duplicate-name", lambda lc: staff(lc, "dup.csv", JN_HEAD + "张伟,lead,32,本科,是\n张伟,worker,30,本科,是\n"),
     2, ["names 张伟 more than once", "rows 2 and 3"]),
    # GBK is what Chinese Excel writes, and is read (issue 11); bytes no encoding decodes are refused
    ("roster-undecodable", lambda lc: ["advance", "P5", "staff", roster_bytes(lc, "bad.csv", JN_HEAD.encode() + b"\x80\xff\x80,lead,32\n"),
                                       "--on", "2026-06-01"],
     2, ["project P5", "it is neither UTF-8 nor GB18030"]),
    ("roster-is-a-folder", lambda lc: ["advance", "P5", "staff", f"roster={lc.workdir}", "--on", "2026-06-01"],
     2, ["project P5", "cannot read roster file"]),
    ("roster-empty-name", lambda lc: staff(lc, "noname.csv", JN_HEAD + ",lead,32,本科,是\n"), 2, ["the name is empty"]),
    ("roster-bad-role", lambda lc: staff(lc, "role.csv", JN_HEAD + "张伟,boss,32,本科,是\n"), 2, ["'boss' is not lead"]),
    ("roster-age-200", lambda lc: staff(lc, "age200.csv", JN_HEAD + "张伟,lead,200,本科,是\n"), 2, ["not a plausible age"]),
    ("roster-qualified-maybe", lambda lc: staff(lc, "maybe.csv", JN_HEAD + "张伟,lead,32,本科,也许\n"),
     2, ["column qualified"]),
    # -- files read: imports -------------------------------------------------------------
    ("import-17mb-field", lambda lc: stations_file(lc, "huge-st.csv", "id,name,district\nLX-H," + "名" * 17_000_000
                                                   + ",历下区\n"), 2, ["huge-st.csv", "not readable CSV"]),
    ("import-name-nul", lambda lc: stations_file(lc, "st-nul.csv", "id,name,district\nLX-H,解放\x00路,历下区\n"),
     2, ["st-nul.csv row 2, column name", "\\x00"]),
    ("import-id-too-long", lambda lc: stations_file(lc, "st-long.csv", f"id,name,district\n{'L' * 65},解放路,历下区\n"),
     2, ["st-long.csv row 2, column id", "65 characters"]),
    ("import-id-bad", lambda lc: stations_file(lc, "st-bad.csv", "id,name,district\nLX H,解放路,历下区\n"),
     2, ["row 2, column id", "is not an id"]),
    ("import-villages-huge", lambda lc: stations_file(lc, "st-v.csv", "id,name,district,villages\nLX-H,解放路,历下区,1e9\n"),
     2, ["row 2, column villages"]),
    ("import-villages-nan", lambda lc: stations_file(lc, "st-nan.csv", "id,name,district,villages\nLX-H,解放路,历下区,nan\n"),
     2, ["row 2, column villages"]),
    ("import-folder", lambda lc: ["station", "import", str(lc.workdir)], 2, ["station import", "is a folder"]),
    ("import-path-nul", lambda lc: ["station", "import", "st\x00.csv"], 2, ["station import", "not a usable file name"]),
    ("import-undecodable", lambda lc: ["station", "import", roster_bytes(lc, "st-bad.csv", b"id,name,district\nLX-H,\x80\xff,x\n")
                                       [len("roster="):]],
     2, ["st-bad.csv", "it is neither UTF-8 nor GB18030"]),
    ("import-duplicate-id", lambda lc: stations_file(lc, "st-dup.csv", "id,name,district\nLX-A,甲,历下区\nLX-A,乙,历下区\n"),
     2, ["row 3, column id: LX-A repeats row 2"]),
    ("import-header-only", lambda lc: stations_file(lc, "st-head.csv", "id,name,district\n"), 2, ["no stations"]),
    ("import-bad-xlsx", lambda lc: ["station", "import", lc.write("st.xlsx", "not a workbook")],
     2, ["st.xlsx", "not a readable XLSX workbook"]),
    # -- files written: --out -------------------------------------------------------------
    ("audit-out-missing-folder", lambda lc: ["audit", "P1", "--out", "/nonexistent/dir/a.html"],
     2, ["--out /nonexistent/dir/a.html", "the folder /nonexistent/dir does not exist"]),
    ("audit-out-dev-full", lambda lc: ["audit", "P1", "--out", "/dev/full"], 2, ["--out /dev/full", "No space left"]),
    ("audit-out-folder", lambda lc: ["audit", "P1", "--out", str(lc.workdir)], 2, ["--out", "is a folder"]),
    ("audit-out-in-proc", lambda lc: ["audit", "P1", "--out", "/proc/lifecycle-report.html"], 2, ["--out /proc/"]),
    ("export-out-dev-full", lambda lc: ["export", "--all", "--format", "json", "--out", "/dev/full"],
     2, ["--out /dev/full", "No space left on device"]),
    ("export-csv-out-dev-full", lambda lc: ["export", "P1", "--format", "csv", "--out", "/dev/full"], 2, ["/dev/full"]),
    ("export-xlsx-out-dev-full", lambda lc: ["export", "--all", "--format", "xlsx", "--out", "/dev/full"],
     2, ["/dev/full"]),
    ("export-out-missing-folder", lambda lc: ["export", "--all", "--format", "ocds", "--out", "/nonexistent/o.json"],
     2, ["the folder /nonexistent does not exist"]),
    ("export-out-nul", lambda lc: ["export", "--all", "--format", "json", "--out", "a\x00b.json"],
     2, ["--out", "not a usable file name"]),
    # -- the environment: holidays file -------------------------------------------------------
    ("holidays-missing", lambda lc: holidays(lc, None), 2, ["holidays file /nonexistent/holidays.toml"]),
    ("holidays-not-toml", lambda lc: holidays(lc, "[2027\nholidays = ["), 2, ["holidays file", "not valid TOML"]),
    ("holidays-bad-year", lambda lc: holidays(lc, "[twenty27]\nholidays = []\n"), 2, ["holidays file"]),
    # -- --db URLs --------------------------------------------------------------------------
    ("db-mysql", lambda lc: {"args": ["status", "P1"], "db": "mysql://root@127.0.0.1/lifecycle"},
     2, ["the SQL dialect 'mysql' is not supported"]),
    ("db-oracle", lambda lc: {"args": ["project", "list"], "db": "oracle://scott@db/orcl"}, 2, ["'oracle' is not supported"]),
    ("db-bare-file-name", lambda lc: {"args": ["status", "P1"], "db": "lifecycle.db"},
     2, ["--db 'lifecycle.db' is not a database URL", "sqlite:///lifecycle.db"]),
    ("db-asyncpg-driver", lambda lc: {"args": ["status", "P1"], "db": "postgresql+asyncpg://u@127.0.0.1/db"},
     2, ["driver 'asyncpg' is not supported"]),
    ("db-missing-folder", lambda lc: {"args": ["status", "P1"], "db": "sqlite:////nonexistent/dir/x.db"},
     2, ["no lifecycle database", "run `lifecycle init` first"]),
    ("db-garbage", lambda lc: {"args": ["status", "P1"], "db": "::::"}, 2, ["is not a database URL"]),
    # -- --via and contacts -------------------------------------------------------------------
    ("via-unclosed-ipv6", lambda lc: ["notices", "send", "--via", "smtp://[::1"], 2, ["--via smtp://[::1", "not a valid URL"]),
    ("via-port-99999", lambda lc: ["notices", "send", "--via", "smtp://127.0.0.1:99999"],
     2, ["the port 99999 is not between 1 and 65535"]),
    ("via-port-letters", lambda lc: ["notices", "send", "--via", "smtp://127.0.0.1:abc"], 2, ["the port abc is not a number"]),
    ("via-no-host", lambda lc: ["notices", "send", "--via", "smtp://:25"], 2, ["give a host"]),
    ("via-ftp", lambda lc: ["notices", "send", "--via", "ftp://127.0.0.1/"], 2, ["use a directory, smtp://HOST:PORT or smtps://HOST:PORT"]),
    ("via-a-file", lambda lc: ["notices", "send", "--via", lc.write("not-a-dir.txt", "x")], 2, ["is a file"]),
    ("scheduler-via-unclosed-ipv6", lambda lc: ["scheduler", "run", "--once", "--via", "smtp://[::1"],
     2, ["not a valid URL"]),
    ("contact-name-nul", lambda lc: contact("民政\x00局"), 2, ["contact", "--name", "\\x00"]),
    ("contact-name-10000", lambda lc: contact(LONG), 2, ["contact", "10000 characters"]),
    ("contact-email-newline", lambda lc: contact(email="a@b.cn\nBcc: x@y.cn"), 2, ["contact", "--email"]),
    ("contact-email-300", lambda lc: contact(email="a" * 300 + "@lixia.gov.cn"), 2, ["contact", "--email"]),
    # -- usage ------------------------------------------------------------------------------
    ("verify-without-all", lambda lc: ["verify"], 2, ["lifecycle verify", "--all"]),
    ("verify-jobs-zero", lambda lc: ["verify", "--all", "--jobs", "0"], 2, ["--jobs"]),
    ("export-id-and-all", lambda lc: ["export", "P1", "--all", "--format", "json"], 2, ["one project id or --all"]),
    ("correct-unknown-seq", lambda lc: ["correct", "P1", "99", "amount=5", "--reason", "x"], 2, ["project P1"]),
    ("correct-reason-nul", lambda lc: ["correct", "P1", "4", "amount=5", "--reason", "录入\x00错误"],
     2, ["project P1", "\\x00"]),
    ("correct-reason-10000", lambda lc: ["correct", "P1", "4", "amount=5", "--reason", LONG],
     2, ["project P1", "10000 characters"]),
    ("correct-amount-nan", lambda lc: ["correct", "P1", "4", "amount=nan", "--reason", "录入错误"],
     2, ["project P1", "not a positive number"]),
    ("backdating-negative", lambda lc: ["audit", "P1", "--out", "a.html", "--backdating-days", "-1"],
     2, ["--backdating-days"]),
    ("check-lang-fr", lambda lc: ["check", "--lang", "fr"], 2, ["--lang"]),
    ("diagram-png", lambda lc: ["diagram", "--format", "png"], 2, ["--format"]),
    ("notices-show-unknown", lambda lc: ["notices", "show", "999999"], 2, ["unknown notice 999999"]),
    # -- keys and checkpoints ------------------------------------------------------------------
    ("scheduler-checkpoint-key-alone", lambda lc: ["scheduler", "run", "--once", "--checkpoint-key", a_key(lc)],
     2, ["--checkpoint-key KEY and --checkpoint-dir DIR together"]),
    ("scheduler-checkpoint-to-alone", lambda lc: ["scheduler", "run", "--once", "--checkpoint-to", "jc@jnmz.gov.cn"],
     2, ["--checkpoint-to needs --checkpoint-key KEY and --checkpoint-dir DIR"]),
    ("scheduler-checkpoint-key-missing", lambda lc: ["scheduler", "run", "--once", "--checkpoint-key",
                                                     "/nonexistent/k.key", "--checkpoint-dir", "cps"],
     2, ["--checkpoint-key", "no such file"]),
    ("scheduler-checkpoint-public-key", lambda lc: ["scheduler", "run", "--once", "--checkpoint-key",
                                                    a_key(lc) + ".pub", "--checkpoint-dir", "cps"],
     2, ["is not a PEM private key"]),
    ("scheduler-checkpoint-dir-unmakeable", lambda lc: ["scheduler", "run", "--once", "--checkpoint-key", a_key(lc),
                                                        "--checkpoint-dir", "/proc/nope/dir"],
     2, ["--checkpoint-dir /proc/nope/dir: cannot make it"]),
    ("scheduler-checkpoint-to-not-an-address", lambda lc: ["scheduler", "run", "--once", "--checkpoint-key", a_key(lc),
                                                           "--checkpoint-dir", "cps", "--checkpoint-to", "市民政局"],
     2, ["--checkpoint-to '市民政局' is not an e-mail address"]),
    ("keygen-missing-folder", lambda lc: ["keygen", "--out", "/nonexistent/dir/k.key"], 2, ["does not exist"]),
    ("keygen-existing-key", lambda lc: ["keygen", "--out", a_key(lc)], 2, ["already exists", "never overwritten"]),
    ("checkpoint-no-key-file", lambda lc: ["checkpoint", "--key", "/nonexistent/k.key", "--out", "cp.json"],
     2, ["checkpoint --key", "no such file"]),
    ("checkpoint-key-not-pem", lambda lc: ["checkpoint", "--key", lc.write("junk.key", "not a key"), "--out",
                                           str(Path(lc.workdir) / "cp1.json")], 2, ["is not a PEM private key"]),
    ("checkpoint-public-key-given", lambda lc: ["checkpoint", "--key", a_key(lc) + ".pub", "--out",
                                                str(Path(lc.workdir) / "cp2.json")], 2, ["is not a PEM private key"]),
    ("checkpoint-out-dev-full", lambda lc: ["checkpoint", "--key", a_key(lc), "--out", "/dev/full"],
     2, ["--out /dev/full", "No space left"]),
    ("checkpoint-out-missing-folder", lambda lc: ["checkpoint", "--key", a_key(lc), "--out", "/nonexistent/cp.json"],
     2, ["does not exist"]),
    ("verify-checkpoint-without-pubkey", lambda lc: ["verify", "--all", "--checkpoint", a_checkpoint(lc)],
     2, ["--checkpoint and --pubkey go together"]),
    ("verify-checkpoint-not-json", lambda lc: ["verify", "--all", "--checkpoint", lc.write("cp-junk.json", "{"),
                                               "--pubkey", a_key(lc) + ".pub"], 2, ["is not a lifecycle checkpoint"]),
    ("verify-checkpoint-missing", lambda lc: ["verify", "--all", "--checkpoint", "/nonexistent/cp.json",
                                              "--pubkey", a_key(lc) + ".pub"], 2, ["no such file"]),
    ("verify-pubkey-is-private", lambda lc: ["verify", "--all", "--checkpoint", a_checkpoint(lc), "--pubkey", a_key(lc)],
     2, ["is not a PEM public key"]),
    ("verify-checkpoint-forged", lambda lc: ["verify", "--all", "--checkpoint", lc.write(
        "cp-forged.json", Path(a_checkpoint(lc)).read_text().replace('"seq": 4', '"seq": 3', 1)),
        "--pubkey", a_key(lc) + ".pub"], 1, ["the list of heads was altered"]),
    ("rules-show-unknown", lambda lc: ["rules", "show", "shenzhen"], 2, ["unknown rulebook 'shenzhen'"]),
]
