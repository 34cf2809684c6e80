"""In Chinese too: the outbox (`notices`, `notices send`, `letters`), `project list`, the findings a
snapshot keeps, and the daemon's log lines; their `--json` is the same in both languages."""
from __future__ import annotations


import pytest
from test_bad_input import foreign_words

from conftest import Lifecycle

DEMO_AT = "2026-11-20 09:00:00"   # a Friday, a working day: the daemon sweeps and sends


def _language(monkeypatch, lang: str) -> None:
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LIFECYCLE_LANG", raising=False)


def run_outbox(lc: Lifecycle, monkeypatch, lang: str) -> tuple[dict[str, str], dict[str, object]]:
    """The demo, then notices → letters → scheduler run --once (sweep, delivery, checkpoint) → notices send
    → the daemon on a rest day: (texts, json)."""
    _language(monkeypatch, lang)
    lc.now = DEMO_AT
    lc.ok("init", "--demo")
    outbox, daemon_out = lc.workdir / "outbox", lc.workdir / "daemon"
    texts: dict[str, str] = {}
    data: dict[str, object] = {"projects": lc.ok("project", "list", "--json").json()}
    texts["project list"] = lc.ok("project", "list").stdout
    texts["status"] = lc.ok("status", "DY-2025-HHL").stdout
    data["status"] = lc.ok("status", "DY-2025-HHL", "--json").json()
    texts["notices"] = lc.ok("notices").stdout
    texts["notices sent"] = lc.ok("notices", "--status", "sent").stdout   # none yet: the empty line
    data["notices"] = lc.ok("notices", "--json").json()
    texts["letters"] = lc.ok("letters").stdout
    data["letters"] = lc.ok("letters", "--json").json()
    lc.ok("keygen", "--out", str(lc.workdir / "witness.key"))
    lc.now = "2026-11-23 09:00:00"   # the next working day: the daemon's catch-up sweep, delivery and checkpoint
    daemon = lc("scheduler", "run", "--once", "--via", str(daemon_out), "--checkpoint-key",
                str(lc.workdir / "witness.key"), "--checkpoint-dir", str(lc.workdir / "cp"),
                "--ics", str(lc.workdir / "ics"), "--dashboard", str(lc.workdir / "dashboard"))
    assert daemon.exit_code == 0, daemon.stderr
    texts["scheduler run"] = daemon.stdout
    sent = lc.ok("notices", "send", "--via", str(outbox))
    texts["notices send"] = sent.stdout
    data["notices send"] = lc.ok("notices", "send", "--via", str(outbox), "--json").json()   # nothing left
    texts["letters sent"] = lc.ok("letters", "--status", "sent").stdout
    refused = lc("letters", "resolve", "1", "--sent")
    assert refused.exit_code == 1 and refused.stdout == ""
    texts["letters resolve refused"] = refused.stderr
    texts["letters show --out"] = lc.ok("letters", "show", "1", "--format", "docx", "--out",
                                        str(lc.workdir / "letter-1.docx")).stdout
    texts["calendar"] = lc.ok("calendar", "--out", str(lc.workdir / "all.ics")).stdout
    texts["issuer runner"] = lc.ok("issuer", "runner", "district").stdout
    lc.now = "2026-11-28 09:00:00"   # a Saturday
    texts["scheduler run on a rest day"] = lc.ok("scheduler", "run", "--once").stdout
    return texts, data


def identifiers(data: dict) -> list[str]:
    """The ids a reader types (projects, stations, rulebooks, contractors, obligations): values, never keys."""
    ids = [str(r[k]) for r in data["projects"] for k in ("project", "station", "rulebook", "contractor")]
    ids += [r["obligation"] for r in data["notices"]]
    ids += [o["id"] for o in data["status"]["obligations"]]
    return ids


@pytest.fixture
def chinese(lc, monkeypatch):
    return run_outbox(lc, monkeypatch, "zh_CN.UTF-8")


def test_the_outbox_project_list_findings_and_daemon_speak_chinese(chinese):
    texts, data = chinese
    # what stays Latin: ids (projects, stations, rulebooks, contractors, obligations) and paths
    typed = identifiers(data) + ["letters resolve"]   # a refusal starts with the command the user typed
    for name, text in texts.items():
        assert text.strip(), name
        assert foreign_words(text, typed) == [], f"{name}: {foreign_words(text, typed)[:10]}\n{text}"
    assert "已结项" in texts["project list"] and "合同期满日" in texts["project list"]
    assert "绩效评估不合格：不予续签，不支付尾款" in texts["status"]
    assert "服务开始时设子项目 0 个" in texts["status"]
    assert "待发送" in texts["notices"] and "升级督办" in texts["notices"] and "市民政局" in texts["notices"]
    assert "待发送" in texts["letters"] and "发文字号" in texts["letters"]
    assert texts["notices sent"].strip() == "无通知"
    assert texts["notices send"].startswith("发送通知：已发送 ")
    assert "已发送" in texts["letters sent"]
    assert "的检查（补做）" in texts["scheduler run"] and "投递：已发送" in texts["scheduler run"]
    assert "日历订阅：已写入" in texts["scheduler run"] and "的工作看板：已写入" in texts["scheduler run"]
    assert "的检查点（根 " in texts["scheduler run"] and "已发送至" in texts["scheduler run"]
    assert "函件 1 的状态为“已发送”" in texts["letters resolve refused"]
    assert texts["issuer runner"].strip() == "本平台由区县民政局运行"
    assert "为休息日" in texts["scheduler run on a rest day"] and "未指定 --via" in texts["scheduler run on a rest day"]


def test_their_json_is_the_same_in_english(chinese, monkeypatch, tmp_path, english_url):
    texts, data = chinese
    (tmp_path / "en").mkdir()
    english = Lifecycle(english_url, tmp_path / "en", DEMO_AT)
    english.ok("init")
    en_texts, en_data = run_outbox(english, monkeypatch, "C.UTF-8")
    assert en_data == data
    for name in texts:   # the check above can fail: the same outputs in English are full of English words
        assert foreign_words(en_texts[name], identifiers(en_data)), name
    assert en_texts["notices send"].startswith("notices send: ")
    assert "evaluation failed: no renewal and no balance payment" in en_texts["status"]
    assert "sweep as of 2026-11-23 (catch-up)" in en_texts["scheduler run"]
    assert en_texts["notices sent"].strip() == "no notices"


def test_a_finding_stored_as_english_text_is_said_in_chinese_and_an_unknown_one_as_it_is():
    """Old snapshots keep findings as plain English: recognised by their template, or shown as stored."""
    from lifecycle.core.speech import finding_in
    stored = "rulebook jinan (in force 2020-01-01 to open) applied on 2019-06-01, outside its validity window"
    assert finding_in(stored, "zh") == "规则集 jinan（自 2020-01-01 起施行，未定截止日期）于 2019-06-01 适用，超出其有效期"
    assert finding_in("funding 40,000 yuan a year is below 50,000 yuan", "zh") == "年度经费 40,000 元，低于 50,000 元"
    assert finding_in("a finding of another release", "zh") == "a finding of another release"
    assert finding_in(stored, "en") == stored


def test_an_event_type_inside_a_message_is_named_in_chinese():
    from lifecycle.core.errors import said
    from lifecycle.core.speech import say_in
    text = said("event {seq} ({type}) is not allowed in state {state}", seq=4, type="sign", state="closed")
    assert say_in(text, "zh") == "事件 4（签订合同）在“已结项”状态下不允许"
    assert str(text) == "event 4 (sign) is not allowed in state closed"
