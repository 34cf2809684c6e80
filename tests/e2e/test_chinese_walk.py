"""In Chinese throughout a district's walk (issue 13): the contacts, stations and issuers with their
roles, kinds and levels named, `rules show`, the district's duties, the outbox, a refused late
entry (naming the project, what was refused, the rule and its clause), a refusing mail server and a
locked database; with LANG=C.UTF-8 the same walk speaks English, and its `--json` is the same."""
from __future__ import annotations

import re

import pytest
from aiosmtpd.controller import Controller
from test_bad_input import foreign_words

from conftest import Lifecycle
from jinan_walk import at
from lifecycle.store import database
from sqlite_lock import sqlite_write_lock
from smtp_inbox import free_port

JN_ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,是\n王芳,worker,39,本科,是\n"
OLD_ROSTER = "name,role,age,education,qualified\n张伟,lead,52,本科,是\n李娜,worker,28,大专,是\n王芳,worker,39,本科,是\n"


class Refusing:
    """An SMTP server that refuses every recipient, as a bureau's server does an address that is gone."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"


@pytest.fixture
def refusing_server():
    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}"
    controller.stop()


def _language(monkeypatch, lang: str) -> None:
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LIFECYCLE_LANG", raising=False)


def walk(lc: Lifecycle, monkeypatch, lang: str, via: str) -> tuple[dict[str, str], dict[str, object]]:
    """Set up 历下区 (stations of every kind, contacts of every role, both issuers), one project in
    service, refused late entries, a sweep and a delivery the server refuses: (texts, json)."""
    _language(monkeypatch, lang)
    when = "2026-03-01 02:00:00"
    for sid, name, kind in [("LX-JFL", "解放路街道社会工作服务站", "street"), ("LX-ZZ", "历下区社会工作服务总站", "general"),
                            ("LX-GX", "港沟镇社会工作服务站", "town")]:
        at(lc, when, "station", "add", sid, "--name", name, "--district", "历下区", "--kind", kind)
    at(lc, when, "contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心", "--credit-code", "52370102MJD1234562")
    for role, extra, name, email in [
            ("purchaser", ["--district", "历下区"], "历下区民政局社会工作科", "sgk@lixia.example.cn"),
            ("street", ["--district", "历下区"], "历下区街道办事处联络员", "jd@lixia.example.cn"),
            ("city", [], "济南市民政局社会工作处", "shgc@jnmz.example.cn"),
            ("contractor", ["--contractor", "YG"], "阳光社工办公室", "yg@example.org")]:
        at(lc, when, "contact", "add", "--role", role, *extra, "--name", name, "--email", email)
    at(lc, when, "issuer", "set", "--district", "历下区", "--name", "济南市历下区民政局", "--prefix", "历民函")
    at(lc, when, "issuer", "set", "--city", "--name", "济南市民政局", "--prefix", "济民函")
    at(lc, "2026-03-20 02:00:00", "project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-03-20")
    at(lc, "2026-04-01 02:00:00", "advance", "P1", "announce", "--on", "2026-04-01")
    at(lc, "2026-04-28 02:00:00", "advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    at(lc, "2026-05-08 02:00:00", "advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    at(lc, "2026-06-01 02:00:00", "advance", "P1", "staff", f"roster={lc.write('roster.csv', JN_ROSTER)}",
       "--on", "2026-06-01")
    at(lc, "2026-07-08 02:00:00", "advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-08")
    lc.now = "2026-11-20 09:00:00"
    texts: dict[str, str] = {}
    data: dict[str, object] = {}
    for name, args in [("station list", ["station", "list"]), ("contact list", ["contact", "list"]),
                       ("issuer list", ["issuer", "list"]), ("rules show", ["rules", "show", "jinan"]),
                       ("district status", ["district", "status", "历下区"]), ("status", ["status", "P1"])]:
        texts[name] = lc.ok(*args).stdout
        data[name] = lc.ok(*args, "--json").json()
    refusals = {"late suspend": ["advance", "P1", "suspend", "reason=站点改造", "--on", "2026-07-01"],
                "late staff": ["advance", "P1", "staff", f"roster={lc.write('old.csv', OLD_ROSTER)}",
                               "--on", "2026-05-20"],
                "late void": ["correct", "P1", "3", "--void", "--reason", "误录"]}
    for name, args in refusals.items():
        r = lc(*args)
        assert r.exit_code == 1 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1, r.stderr
        texts[name] = r.stderr
    lc.ok("check", "--as-of", "2026-11-20")
    texts["letters"] = lc.ok("letters").stdout
    data["letters"] = lc.ok("letters", "--json").json()
    sent = lc("notices", "send", "--via", via)   # every letter refused: a failure, said on stderr
    assert sent.exit_code != 0, sent.stdout
    texts["notices send"] = sent.stdout + sent.stderr
    texts["letters failed"] = lc.ok("letters", "--status", "failed").stdout
    texts["notices failed"] = lc.ok("notices", "--status", "failed").stdout
    data["letters failed"] = lc.ok("letters", "--status", "failed", "--json").json()
    first = data["letters failed"][0]["id"]
    texts["letters show"] = lc.ok("letters", "show", str(first)).stdout.split("\n\n")[0]   # its head
    return texts, data


def typed(data: dict) -> list[str]:
    """What stays Latin: the ids a reader types (stations, contractors, projects, rulebooks, duties), e-mails."""
    ids = ["LX-JFL", "LX-ZZ", "LX-GX", "YG", "P1", "jinan", "kind", "period", "monthly"]
    ids += [o["id"] for o in data["status"]["obligations"]]
    ids += [o["id"] for o in data["district status"]["obligations"]]
    return ids


def chinese_only(text: str, ids: list[str]) -> list[str]:
    """Foreign words outside what the server said (quoted after the Chinese sentence, not translated)."""
    return foreign_words(re.sub(r"“[^”]*”", " ", text), ids)


@pytest.fixture
def chinese(lc, monkeypatch, refusing_server):
    return walk(lc, monkeypatch, "zh_CN.UTF-8", refusing_server)


def test_the_walk_in_chinese_has_no_english_beyond_ids_rule_ids_and_the_servers_quoted_words(chinese):
    texts, data = chinese
    for name, text in texts.items():
        assert text.strip(), name
        assert chinese_only(text, typed(data)) == [], f"{name}: {chinese_only(text, typed(data))}\n{text}"
    assert "购买主体" in texts["contact list"] and "市民政局" in texts["contact list"]
    assert "总站" in texts["station list"] and "镇" in texts["station list"]
    assert "区县" in texts["issuer list"]
    assert "NAT-filing：政府采购法第47条" in texts["rules show"] and "法定期限" in texts["rules show"]
    assert "7个工作日" in texts["rules show"] and "中标、成交通知书发出之日起三十日内签订政府采购合同" in texts["rules show"]
    assert "已履行" in texts["district status"] and "（项目 P1 事件 1）" in texts["district status"]
    suspend = texts["late suspend"]
    assert suspend.startswith("项目 P1：暂停被拒绝：按其生效日期 2026-07-01 补录后，事件 6（报送报告，生效日期 2026-07-08）")
    assert "“已暂停”" in suspend
    staff = texts["late staff"]
    assert staff.startswith("项目 P1：人员到岗被拒绝：") and "JN-roster" in staff and "济南" in staff
    assert "邮件服务器拒绝收件：“" in texts["letters failed"], texts["letters failed"]
    assert "邮件服务器拒绝收件：“" in texts["notices send"]
    assert "发送失败" in texts["letters show"] and "上次错误：邮件未发出：邮件服务器拒绝收件：“" in texts["letters show"], \
        texts["letters show"]


def test_the_same_walk_in_english_speaks_english_and_its_json_is_the_same(chinese, monkeypatch, tmp_path,
                                                                         english_url, refusing_server):
    texts, data = chinese
    (tmp_path / "en").mkdir()
    english = Lifecycle(english_url, tmp_path / "en")
    english.ok("init")
    en_texts, en_data = walk(english, monkeypatch, "C.UTF-8", refusing_server)
    assert en_data == data
    for name in texts:
        assert chinese_only(en_texts[name], typed(en_data)), name
    assert en_texts["late suspend"].startswith("project P1: suspend refused: entered late in its place on "
                                               "2026-07-01, it would make event 6 (report, effective 2026-07-08)")
    assert "purchaser" in en_texts["contact list"] and "general" in en_texts["station list"]
    assert "NAT-filing: 政府采购法 art. 47" in en_texts["rules show"] and "7 working days" in en_texts["rules show"]
    assert "contract signed within 30 days of the award notice" in en_texts["rules show"]
    assert "SMTPRecipientsRefused: " in en_texts["letters failed"]
    assert "(project P1 event 1)" in en_texts["district status"]


def test_a_stored_delivery_error_reads_as_itself_in_english_and_says_what_happened_in_chinese():
    from lifecycle.core.speech import say_in
    from lifecycle.notifications.delivery_errors import told
    stored = ("ConnectionFailed: ConnectionRefusedError: [Errno 111] Connection refused; delivery interrupted after "
              "it began: it may have gone out; settle it with `lifecycle letters resolve 4 --sent` or `--resend`")
    assert str(told(stored)) == stored
    assert say_in(told(stored), "zh") == ("无法连接邮件服务器：连接被拒绝：“[Errno 111] Connection refused”；"
                                          "投递开始后中断，可能已经发出；请用 `lifecycle letters resolve 4 --sent` 或 "
                                          "`--resend` 处理")
    untried = "not tried: the run stopped (asked to stop); last error: SMTPDataError: (554, b'5.7.1 spam')"
    assert str(told(untried)) == untried
    assert say_in(told(untried), "zh") == "未尝试投递：本次运行已停止（收到停止指令）；上次错误：邮件服务器拒收邮件：“(554, b'5.7.1 spam')”"
    assert say_in(told("a text of another release"), "zh") == "a text of another release"


@pytest.mark.sqlite_only
def test_a_locked_database_is_said_in_chinese(lc, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 1)
    _language(monkeypatch, "zh_CN.UTF-8")
    with sqlite_write_lock(lc.url):
        r = lc("station", "add", "LX-LD", "--name", "龙洞街道社会工作服务站", "--district", "历下区")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.strip() == "数据库被另一进程锁定：已等待 1 秒；未写入任何内容"
