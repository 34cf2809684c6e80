"""`lifecycle audit ID --out FILE.html`: a report a person reads, checked in a real headless browser."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from jinan_walk import ROSTER, at, parties


def project_with_history(lc) -> None:
    """A Jinan project with sweeps, a back-dated event, a late duty and a correction."""
    parties(lc, "2026-03-01 02:00:00")
    at(lc, "2026-03-01 02:00:00", "contact", "add", "--role", "purchaser", "--district", "历下区", "--name", "历下区民政局",
       "--email", "mz@example.org")
    at(lc, "2026-03-20 02:00:00", "project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan",
       "--year", "2026", "--on", "2026-03-20")
    at(lc, "2026-04-01 02:00:00", "advance", "P1", "announce", "--on", "2026-04-01")
    at(lc, "2026-04-28 02:00:00", "advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    at(lc, "2026-05-08 02:00:00", "advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    at(lc, "2026-05-12 02:00:00", "check", "--as-of", "2026-05-12")
    at(lc, "2026-06-01 02:00:00", "advance", "P1", "staff", f"roster={lc.write('r.csv', ROSTER)}", "--on", "2026-06-01")
    at(lc, "2026-06-02 02:00:00", "advance", "P1", "publish", "--on", "2026-06-02")
    # the June briefing, handed in on time but only recorded a month later
    at(lc, "2026-08-12 02:00:00", "advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-09")
    at(lc, "2026-09-01 02:00:00", "correct", "P1", "4", "amount=580000", "--reason", "合同金额录入错误")
    lc.now = "2026-09-15 02:00:00"


def test_the_audit_report_holds_header_timeline_flags_corrections_and_verification(lc, tmp_path):
    project_with_history(lc)
    out = tmp_path / "report.html"
    r = lc.ok("audit", "P1", "--out", str(out))
    assert "verified" in r.stdout
    html = out.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and "<script" not in html
    assert "Noto Sans CJK SC" in html and "WenQuanYi" in html and "@media print" in html
    for text in ("解放路街道社会工作服务站", "历下区", "济南市历下区阳光社会工作服务中心", "济南市街道(镇)社会工作服务站建设实施方案",
                 "服务中 (in_service)", "2026-05-08 至 2029-05-08"):
        assert text in html, text
    assert "<svg" in html and 'class="timeline"' in html
    assert "合同金额录入错误" in html and "600000" in html and "580000" in html
    # the flags in Chinese (their English stays in `audit --json`)
    assert "事件 7（报送报告）生效日期为 2026-07-09，由 " in html and "于 2026-08-12 记录" in html
    assert "义务 publication 应于 2026-05-11 履行，实际于 2026-06-02 履行" in html
    assert "was recorded on" not in html and "days late" not in html
    assert "校验通过" in html
    head = lc.ok("history", "P1", "--json").json()[-1]["hash"]
    assert head in html


def test_a_report_of_a_tampered_log_says_it_failed_verification(lc, tmp_path):
    from sqlalchemy import update

    from lifecycle.store import Store, events
    from tamper import drop_append_only_guard
    project_with_history(lc)
    store = Store(lc.url)
    with store.transaction() as conn:
        drop_append_only_guard(conn)
        conn.execute(update(events).where(events.c.project_id == "P1", events.c.seq == 3).values(actor="mallory"))
    store.dispose()
    out = tmp_path / "report.html"
    lc.ok("audit", "P1", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "校验未通过" in html and "哈希链在事件 3 处断开" in html


def test_the_audit_report_of_an_unknown_project_is_bad_input_and_writes_nothing(lc, tmp_path):
    out = tmp_path / "none.html"
    r = lc("audit", "NOPE", "--out", str(out))
    assert r.exit_code == 2 and "NOPE" in r.stderr and not out.exists()


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: `make test` installs it "
                    "(apt-get install -y chromium fonts-noto-cjk); the audit report must be checked in a real browser")
    return found


def headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_audit_report_renders_in_headless_chromium(lc, tmp_path):
    project_with_history(lc)
    out = tmp_path / "report.html"
    lc.ok("audit", "P1", "--out", str(out))
    dom = headless(tmp_path, "--dump-dom", out.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    assert re.search(r"<title>审计报告 P1 — 解放路街道社会工作服务站 \(LX-JFL\)</title>", page)
    assert re.search(r"<svg[^>]*class=\"timeline\"", page)
    assert len(re.findall(r"<circle", page)) >= 3
    assert "补录 (记录晚于发生)" in page and "逾期履行" in page
    shot = tmp_path / "report.png"
    taken = headless(tmp_path, "--window-size=1200,1800", f"--screenshot={shot}", out.as_uri())
    assert taken.returncode == 0 and shot.stat().st_size > 20_000, taken.stderr[-2000:]


def test_the_report_lists_payments_evaluations_the_roster_and_ends_with_a_sign_off_block(lc, tmp_path):
    project_with_history(lc)
    at(lc, "2026-09-15 02:00:00", "advance", "P1", "pay", "kind=advance", "amount=180000", "--on", "2026-09-15")
    at(lc, "2026-09-15 03:00:00", "advance", "P1", "evaluate", "result=good", "by=第三方评估机构", "--on", "2026-09-15")
    lc.now = "2026-09-16 02:00:00"
    out = tmp_path / "report.html"
    lc.ok("audit", "P1", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    payments = html[html.index('<section id="payments">'):html.index('<section id="evaluations">')]
    assert "预付款" in payments and "180,000.00 元" in payments and "2026-09-15" in payments
    assert "累计已付：180,000.00 元" in payments
    evaluations = html[html.index('<section id="evaluations">'):html.index('<section id="roster">')]
    assert "良好" in evaluations and "第三方评估机构" in evaluations
    roster = html[html.index('<section id="roster">'):html.index('<section id="events">')]
    for name in ("张伟", "李娜", "王芳"):
        assert name in roster
    assert "组长" in roster and "本科" in roster
    signoff = html[html.index('<section id="signoff">'):]
    assert "审计意见" in signoff and "审计人员（签字）" in signoff and "复核人员（签字）" in signoff
    assert signoff.index("审计签署") < signoff.index("</body>")
