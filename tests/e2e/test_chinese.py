"""The interface in Chinese: `--lang`, LIFECYCLE_LANG and the locale; every message of the catalog translated."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from jinan_walk import at, parties

from lifecycle.commands.i18n import language_from

ROOT = Path(__file__).resolve().parents[2]
BAD_ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,是\n王芳,worker,41,本科,否\n"
GOOD_ROSTER = BAD_ROSTER.replace("王芳,worker,41", "王芳,worker,40")


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "C.UTF-8"}, "en"), ({}, "en"),
    ({"LANG": "C.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_CN.UTF-8", "LIFECYCLE_LANG": "en"}, "en"),
])
def test_the_language_comes_from_lifecycle_lang_else_the_locale(environ, lang):
    assert language_from(environ) == lang


def walk(lc, monkeypatch, lang: str) -> tuple[list[str], list[str]]:
    """open → award → sign → staff (refused, then accepted) → status → deadlines → check; (texts, json)."""
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LIFECYCLE_LANG", raising=False)
    parties(lc, "2026-03-01 02:00:00")
    texts, data = [], []
    bad, good = lc.write("bad.csv", BAD_ROSTER), lc.write("good.csv", GOOD_ROSTER)
    steps = [("2026-03-20", "project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026",
              "--on", "2026-03-20"),
             ("2026-04-01", "advance", "P1", "announce", "--on", "2026-04-01"),
             ("2026-09-28", "advance", "P1", "award", "contractor=YG", "--on", "2026-09-28"),
             ("2026-10-09", "advance", "P1", "sign", "amount=600000", "--on", "2026-10-09")]
    for when, *args in steps:
        texts.append(at(lc, f"{when} 02:00:00", *args).stdout)
        data.append(lc(*args[:1], *(["list"] if args[0] == "project" else ["P1"]), "--json").stdout
                    if args[0] != "advance" else "")
    lc.now = "2026-11-02 02:00:00"
    refused = lc("advance", "P1", "staff", f"roster={bad}", "--on", "2026-11-02")
    assert refused.exit_code == 1 and refused.stdout == ""
    texts.append(refused.stderr)
    texts.append(lc.ok("advance", "P1", "staff", f"roster={good}", "--on", "2026-11-02").stdout)
    lc.now = "2026-11-20 02:00:00"
    for args in (("status", "P1"), ("deadlines",), ("check", "--as-of", "2026-11-20")):
        texts.append(lc.ok(*args).stdout)
    for args in (("status", "P1", "--json"), ("deadlines", "--json", "--as-of", "2026-11-20"),
                 ("explain", "P1", "contract", "--json")):
        data.append(lc.ok(*args).stdout)
    return texts, data


IDENTIFIERS = re.compile(r"^(P1|LX-JFL|YG|jinan|[A-Z]{2,3}-[a-z\-]+|[a-z_]+(:\S+)?|lifecycle|art|T\d\w*)$")


def english_words(text: str) -> list[str]:
    """Latin words of two letters or more that are not identifiers (ids, rule ids, obligation ids, paths)."""
    text = re.sub(r"\S*/\S*", " ", text)  # file paths
    words = re.findall(r"[A-Za-z][A-Za-z_\-:0-9]+", text)
    return [w for w in words if not IDENTIFIERS.match(w)]


def test_a_walk_in_chinese_prints_chinese_and_its_json_equals_the_english_one(lc, tmp_path, monkeypatch):
    texts, data = walk(lc, monkeypatch, "zh_CN.UTF-8")
    joined = "\n".join(texts)
    assert "项目 P1：人员到岗被拒绝：王芳 41 周岁，超过 40 周岁以下的年龄要求（依据《济南市街道(镇)社会工作服务站建设实施方案" in joined
    assert "三（二），规则编号 JN-roster）" in joined and "状态“服务中”" in joined and "应履行日" in joined
    # words a person reads are Chinese; what remains Latin are identifiers
    assert english_words(joined) == [], english_words(joined)[:20]
    from conftest import Lifecycle
    (tmp_path / "en").mkdir()
    other = Lifecycle(f"sqlite:///{tmp_path / 'en' / 'english.db'}", tmp_path / "en")  # the same walk, in English
    other.ok("init")
    en_texts, en_data = walk(other, monkeypatch, "C.UTF-8")
    assert "王芳 is 41, above the age limit of 40 (JN-roster: 济南 三(二))" in "\n".join(en_texts)
    assert "recorded as event" in "\n".join(en_texts)
    strip = lambda s: re.sub(r'"(recorded|hash|prev_hash|head_hash|actor)": "[^"]*"', "", s)  # noqa: E731
    assert [strip(d) for d in data] == [strip(d) for d in en_data]


def test_lang_option_overrides_the_locale_and_refusals_of_unknown_ids_are_chinese(lc, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    r = lc("--lang", "zh", "status", "NOPE")
    assert r.exit_code == 2 and r.stderr.strip() == "未知项目 NOPE"
    r = lc("--lang", "zh", "deadlines", "--as-of", "2026-13-01")
    assert r.exit_code == 2 and "不是日期" in r.stderr
    assert lc("status", "NOPE").stderr.strip() == "unknown project NOPE"


def test_help_of_every_command_is_chinese_in_zh(monkeypatch):
    import click
    from click.testing import CliRunner

    from cli import cli
    monkeypatch.setenv("LIFECYCLE_LANG", "zh")
    runner = CliRunner()

    def paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        out = [prefix]
        for name, sub in group.commands.items():
            out += paths(sub, (*prefix, name)) if isinstance(sub, click.Group) else [(*prefix, name)]
        return out
    for path in paths(cli):
        shown = runner.invoke(cli, [*path, "--help"]).output
        assert shown.startswith("用法：") and "Usage:" not in shown and "Options:" not in shown, shown[:80]
        description = shown.split("选项:")[0].split("\n", 1)[1]
        assert re.search(r"[\u4e00-\u9fff]", description), f"lifecycle {' '.join(path)} --help: {description!r}"
        options = shown.split("选项:")[1] if "选项:" in shown else ""
        for line in re.findall(r"^\s+(-[^\n]+)$", options, re.M):
            if "--help" not in line and "  " in line.strip():
                assert re.search(r"[\u4e00-\u9fff]", line), f"lifecycle {' '.join(path)}: {line!r}"
    monkeypatch.setenv("LIFECYCLE_LANG", "en")
    shown = runner.invoke(cli, ["--help"]).output
    assert "Run social-work-station projects" in shown and shown.startswith("Usage:") and "Options:" in shown


def test_every_message_of_the_catalog_renders_in_chinese():
    """Each message the code can say (extracted as `scripts/catalog.py` does) has a Chinese translation
    that fills in with the same placeholders; the compiled catalog is up to date with the .po."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po
    sys.path.insert(0, str(ROOT / "scripts"))
    import catalog
    po_path = ROOT / "lifecycle" / "locale" / "zh" / "LC_MESSAGES" / "lifecycle.po"
    with po_path.open("rb") as fh:
        po = read_po(fh)
    with po_path.with_suffix(".mo").open("rb") as fh:
        mo = read_mo(fh)
    wanted = catalog.messages()
    assert len(wanted) > 100
    for msgid in wanted:
        message = po.get(msgid)
        assert message is not None and message.string, f"no translation of {msgid!r} ({wanted[msgid]})"
        assert mo.get(msgid) is not None and mo.get(msgid).string == message.string, f"stale .mo: {msgid!r}"
        words = re.sub(r"\{[^}]*\}", "", msgid)   # a template of values and punctuation alone has no words
        assert re.search(r"[\u4e00-\u9fff]", message.string) or not re.search(r"[A-Za-z]{2}", words), msgid
        names = set(re.findall(r"\{(\w+)", msgid))
        used = set(re.findall(r"\{(\w+)", message.string))
        # a guard's reason is said with its rule's citation and id beside its basis (lifecycle.core.guards._say)
        assert used <= names | {"citation", "rule"}, f"{msgid!r}: the translation uses {used - names}"
        numeric = set(re.findall(r"\{(\w+):[^}]+\}", msgid + message.string))   # {amount:,} takes a number
        values = {n: 1 if n in numeric else "X" for n in names | used}
        message.string.format(**values)  # renders
    compiled = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalog.py"), "--check"],
                              capture_output=True, text=True, check=False)
    assert compiled.returncode == 0, compiled.stderr
