"""`lifecycle summary` and `lifecycle dashboard`: the demo district on one page, checked in headless Chromium."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_audit_report import headless

from conftest import Lifecycle

AS_OF = "2026-11-22"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Lifecycle:
    tmp = tmp_path_factory.mktemp("demo-dashboard")
    lc = Lifecycle(f"sqlite:///{tmp / 'demo.db'}", tmp, now="2026-11-22 01:30:00")
    lc.ok("init", "--demo")
    return lc


@pytest.fixture(scope="module")
def site(demo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "dashboard"
    r = demo.ok("dashboard", "--out", str(out), "--as-of", AS_OF)
    assert "index.html" in r.stdout
    return out


def test_summary_gives_coverage_states_lights_overdue_by_contractor_and_money(demo):
    data = demo.ok("summary", "--district", "历下区", "--as-of", AS_OF, "--json").json()
    lixia, = data["districts"]
    assert lixia["coverage"]["stations"] == 15 and lixia["coverage"]["in_service"] == 2  # LX-2025-DMH, LX-2025-ZZ
    assert lixia["states"]["in_service"] == 2 and sum(lixia["states"].values()) == 10
    red = {s["station"] for s in lixia["stations"] if s["light"] == "red"}
    assert "LX-BTQ" in red  # the contract of LX-2026-BTQ was due 2026-11-11
    firms = {r["contractor"]: r["overdue"] for r in lixia["overdue_by_contractor"]}
    assert firms["HY"] == 1 and sum(firms.values()) == len(lixia["overdue"])
    assert lixia["money"]["budget"] == 5_950_000 and lixia["money"]["paid"] > 0
    text = demo.ok("summary", "--district", "历下区", "--as-of", AS_OF).stdout
    assert "2 of 15" in text and "LX-BTQ" in text


def test_summary_of_an_unknown_district_is_bad_input(demo):
    r = demo("summary", "--district", "不存在区")
    assert r.exit_code == 2 and r.stdout == "" and "不存在区" in r.stderr and "历下区" in r.stderr


def test_the_dashboard_shows_coverage_a_red_station_and_links_down_to_its_overdue_duty_and_report(demo, site, tmp_path):
    lixia, = demo.ok("summary", "--district", "历下区", "--as-of", AS_OF, "--json").json()["districts"]
    coverage = f"{lixia['coverage']['ratio'] * 100:.1f}%"
    dom = headless(tmp_path, "--dump-dom", (site / "index.html").as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert coverage in page and "覆盖率" in page
    red = re.search(r'<a class="station light-red" href="(station-LX-BTQ\.html)"[^>]*>.*?趵突泉街道社会工作服务站</a>', page)
    assert red, "the red station LX-BTQ links to its page"
    station = headless(tmp_path, "--dump-dom", (site / red[1]).as_uri()).stdout
    duty = re.search(r'<a href="(reports/LX-2026-BTQ\.html#duty-contract)" class="duty">合同签订</a>', station)
    assert duty and "2026-11-11" in station and "11 天" in station
    report = site / duty[1].split("#")[0]
    html = headless(tmp_path, "--dump-dom", report.as_uri()).stdout
    assert 'id="duty-contract"' in html and "审计报告 LX-2026-BTQ" in html
    assert "10月12日发出中标通知书，次日起算30日，第30日为11月11日" in html


def test_every_link_of_the_dashboard_leads_to_a_page_in_the_folder(site):
    pages = list(site.glob("*.html"))
    assert len(pages) > 30 and len(list((site / "reports").glob("*.html"))) == 14
    for page in pages:
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            target = site / href.split("#")[0]
            assert target.is_file(), f"{page.name} links to {href}"


def test_the_dashboard_prints_on_a4_landscape(site):
    css = (site / "style.css").read_text(encoding="utf-8")
    assert "@page { size: A4 landscape" in css and "@media print" in css and "Noto Sans CJK SC" in css


def _shot(tmp_path: Path, site: Path, name: str, text: str) -> bytes:
    """A screenshot of `text`, large, in the dashboard's own stylesheet."""
    probe = site / f"_probe-{name}.html"
    probe.write_text(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" '
                     f'href="style.css"></head><body style="margin:0"><div style="font-size:96px;line-height:1">'
                     f'{text}</div></body></html>', encoding="utf-8")
    out = tmp_path / f"{name}.png"
    taken = headless(tmp_path, "--window-size=400,140", "--hide-scrollbars", f"--screenshot={out}", probe.as_uri())
    probe.unlink()
    assert taken.returncode == 0 and out.is_file(), taken.stderr[-2000:]
    return out.read_bytes()


def test_chinese_glyphs_of_the_dashboard_render_as_glyphs_not_boxes(site, tmp_path):
    # A missing glyph is drawn as the same empty box whatever the character: two different Chinese
    # characters would give the same picture, and so would a code point no font has.
    she, gong = _shot(tmp_path, site, "she", "社"), _shot(tmp_path, site, "gong", "工")
    missing = _shot(tmp_path, site, "none", "\U000F0001")
    assert she != gong, "社 and 工 look the same: the CJK font is missing (install fonts-noto-cjk)"
    assert she != missing and gong != missing
    full = tmp_path / "dashboard.png"
    taken = headless(tmp_path, "--window-size=1280,1800", f"--screenshot={full}", (site / "index.html").as_uri())
    assert taken.returncode == 0 and full.stat().st_size > 40_000


def test_the_scheduler_refreshes_the_dashboard_after_its_sweep(demo, tmp_path):
    out = tmp_path / "live"
    demo.now = "2026-11-23 01:00:00"  # the next morning: the daemon catches up the day's sweep
    r = demo.ok("scheduler", "run", "--once", "--dashboard", str(out))
    assert "sweep as of 2026-11-23" in r.stdout and "dashboard as of 2026-11-23" in r.stdout
    assert "截至 2026-11-23" in (out / "index.html").read_text(encoding="utf-8")
