"""Letters a bureau really sends: the right issuer and addressee, one letter per reader, 公文 form, Word files."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lifecycle.notifications import addressing
from lifecycle.notifications.gongwen import docx_text

LIFECYCLE = str(Path(sys.executable).with_name("lifecycle"))
RULE_ID = re.compile(r"\b(?:NAT|JN|DY|DG|BH|FJ)-[a-z]")


def signed_long_ago(lc, project="P1", station="LX-JFL", district="历下区", station_name="解放路街道社会工作服务站"):
    lc.ok("station", "add", station, "--name", station_name, "--district", district)
    lc.ok("project", "open", project, "--station", station, "--rulebook", "jinan", "--year", "2026",
          "--on", "2026-03-20")
    lc.ok("advance", project, "announce", "--on", "2026-04-01")
    lc.ok("advance", project, "award", "contractor=YG", "--on", "2026-04-28")
    lc.ok("advance", project, "sign", "amount=600000", "--on", "2026-05-08")


def configured(lc, districts=("历下区",)):
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心")
    for n, district in enumerate(districts):
        lc.ok("issuer", "set", "--district", district, "--name", f"济南市{district}民政局", "--prefix", f"区{n}民函",
              "--contact", "王敏", "--phone", "0531-86081234", "--email", f"mzj{n}@jinan.gov.cn")
        lc.ok("contact", "add", "--role", "purchaser", "--district", district, "--name", f"{district}民政局社工科",
              "--email", f"sgk{n}@jinan.gov.cn")
        lc.ok("contact", "add", "--role", "street", "--district", district, "--name", f"{district}街道办",
              "--email", f"jd{n}@jinan.gov.cn")
    lc.ok("issuer", "set", "--city", "--name", "济南市民政局", "--prefix", "济民函", "--contact", "李强",
          "--phone", "0531-51701234", "--email", "mzj@jinan.gov.cn")
    lc.ok("contact", "add", "--role", "city", "--name", "济南市民政局社会工作处", "--email", "sgc@jinan.gov.cn")
    lc.ok("contact", "add", "--role", "contractor", "--contractor", "YG", "--name", "阳光社工", "--email", "yg@yg.org")


# -- the ladder as data: every duty kind, every stage, both runners -----------------
KINDS = sorted(addressing.HOLDER)


@pytest.mark.parametrize("runner", addressing.RUNNERS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_letter_of_any_duty_kind_is_addressed_to_its_issuer(kind, runner):
    for has_contractor in (True, False):
        holder = addressing.holder_of(kind, has_contractor)
        for stage in addressing.STAGES:
            way = addressing.route(stage, holder, runner)
            to = holder if way.to == "holder" else way.to
            organ = {"district": "district", "purchaser": "district", "contractor": "contractor", "city": "city"}
            if way.form == "internal":
                assert way.issuer == "none" and organ[to] == "district"   # the engine's owner, to its own office
            else:
                assert organ[to] != way.issuer, (kind, runner, stage)
            if stage != "escalation":
                assert to == holder                                    # reminder and overdue: to the holder
                assert ("street" in way.cc) == (holder == "contractor")
            else:
                assert "city" in (to, way.issuer)                      # escalation: up to (or from) the city


def test_every_letter_goes_where_the_ladder_says_signed_by_the_configured_issuer(lc):
    configured(lc)
    signed_long_ago(lc)
    result = lc.ok("check", "--as-of", "2026-11-20", "--json").json()
    by_role = {letter["role"]: letter for letter in result["letters"]}
    assert set(by_role) == {"contractor", "purchaser", "city"}
    assert by_role["contractor"]["issuer"] == "济南市历下区民政局"           # the district writes to its contractor
    assert by_role["city"]["issuer"] == "济南市历下区民政局"                 # and reports escalations up
    assert by_role["city"]["recipient"] == "济南市民政局"
    assert by_role["purchaser"]["issuer"] is None                            # its own duties: an internal reminder
    for letter in result["letters"]:
        assert letter["recipient"] != letter["issuer"]
    notices = {n["id"]: n for n in result["notices"]}
    escalated = {n["obligation"] for n in notices.values() if n["stage"] == "escalation"}
    told = {n["obligation"] for n in notices.values() if n["stage"] == "overdue"}
    assert escalated and escalated <= told        # long after the due date, the holder still hears first
    carried = [i for letter in result["letters"] for i in letter["notices"]]
    assert sorted(carried) == sorted(notices)     # every notice in exactly one letter
    listed = lc.ok("notices", "--json").json()
    assert all(n["letter"] is not None for n in listed)
    numbered = {n["number"] for n in listed if n["letter"] == by_role["contractor"]["id"]}
    assert numbered == {by_role["contractor"]["number"]}


def test_the_city_runs_the_engine_and_escalations_become_its_supervision_notices_to_the_district(lc):
    configured(lc)
    lc.ok("issuer", "runner", "city")
    signed_long_ago(lc)
    result = lc.ok("check", "--as-of", "2026-11-20", "--json").json()
    to_district = [letter for letter in result["letters"] if letter["role"] == "purchaser"]
    (letter,) = to_district
    assert letter["issuer"] == "济南市民政局" and letter["recipient"] == "济南市历下区民政局"
    assert letter["subject"].startswith("【督办通知】济民函〔2026〕")
    assert all(letter["role"] != "city" for letter in result["letters"])   # the city writes to nobody of its own


def test_one_sweep_over_many_overdue_duties_sends_one_letter_per_addressee_listing_them_all(lc):
    configured(lc)
    for k in range(5):
        signed_long_ago(lc, f"P{k}", f"S{k}", "历下区", f"第{k}街道社会工作服务站")
    result = lc.ok("check", "--as-of", "2026-11-20", "--json").json()
    addressees = [(letter["issuer"], letter["recipient"]) for letter in result["letters"]]
    assert len(addressees) == len(set(addressees)) == 3
    contractor = next(letter for letter in result["letters"] if letter["role"] == "contractor")
    assert len(contractor["notices"]) == 5            # each project's staffing, overdue (its escalation goes up)
    city = next(letter for letter in result["letters"] if letter["role"] == "city")
    assert len(city["notices"]) == 5 * 3              # publication, filing, staffing escalated, in one report
    text = lc.ok("letters", "show", str(contractor["id"])).stdout
    for n in result["notices"]:
        if n["id"] in contractor["notices"]:
            assert contractor["number"] in lc.ok("notices", "show", str(n["id"])).stdout
    assert sum(text.count(f"第{k}街道社会工作服务站（项目编号：P{k}") for k in range(5)) == len(contractor["notices"])
    numbers = sorted(letter["number"] for letter in result["letters"] if letter["number"])
    assert numbers == ["区0民函〔2026〕1号", "区0民函〔2026〕2号"]


def test_a_chinese_letter_is_a_gongwen_and_its_word_file_holds_the_same_text(lc, tmp_path):
    configured(lc)
    signed_long_ago(lc)
    result = lc.ok("check", "--as-of", "2026-11-20", "--json").json()
    letter = next(letter for letter in result["letters"] if letter["role"] == "contractor")
    text = lc.ok("letters", "show", str(letter["id"])).stdout
    body = text[text.index("济南市历下区民政局\n"):]                          # after the delivery head
    lines = body.split("\n")
    assert lines[0] == "济南市历下区民政局"                                    # 发文机关
    assert lines[2] == letter["number"] and re.fullmatch(r"区0民函〔2026〕\d+号", lines[2])   # 发文字号
    assert "关于社会工作服务站项目事项逾期未完成的催办通知" in lines[4]       # 标题
    assert "\n济南市历下区阳光社会工作服务中心：\n" in body                     # 主送
    assert "依据《济南市街道（镇）社会工作服务站建设实施方案》四（四）" in body  # the clause in Chinese
    assert "\n济南市历下区民政局\n2026年11月20日\n" in body                    # 署名, 成文日期
    assert "（联系人：王敏，联系电话：0531-86081234）" in body                  # 附注
    assert "抄送：解放路街道办事处。" in body
    assert "附件：社会工作服务站项目事项清单" in body
    assert not RULE_ID.search(body) and "art." not in body                    # no rule id, no English
    assert "“" not in body                                                    # a summary is never quoted
    out = tmp_path / "letter.docx"
    lc.ok("letters", "show", str(letter["id"]), "--format", "docx", "--out", str(out))
    assert docx_text(out.read_bytes()).split("\n") == [line for line in body.rstrip("\n").split("\n") if line.strip()]
    html = lc.ok("letters", "show", str(letter["id"]), "--format", "html").stdout
    assert letter["number"] in html and '<html lang="zh-CN">' in html


def test_a_letter_without_a_configured_issuer_says_so_plainly(lc):
    lc.ok("contractor", "add", "YG", "--name", "阳光社工")
    signed_long_ago(lc)
    result = lc.ok("check", "--as-of", "2026-11-20", "--json").json()
    contractor = next(letter for letter in result["letters"] if letter["role"] == "contractor")
    assert contractor["issuer"] is None and contractor["number"] is None
    text = lc.ok("letters", "show", str(contractor["id"])).stdout
    assert "（发文机关尚未配置，未编发文字号）" in text and "（发文机关尚未配置）\n2026年11月20日" in text


def test_check_json_lists_letters_and_notices_json_their_letter_and_number(lc):
    configured(lc)
    signed_long_ago(lc)
    result = lc.ok("check", "--as-of", "2026-11-20", "--json").json()
    for letter in result["letters"]:
        assert set(letter) >= {"id", "issuer", "recipient", "email", "number", "subject", "notices"}
    assert {letter["email"] for letter in result["letters"]} == {"yg@yg.org", "sgk0@jinan.gov.cn", "sgc@jinan.gov.cn"}
    for n in lc.ok("notices", "--json").json():
        letter = next(letter for letter in result["letters"] if n["id"] in letter["notices"])
        assert (n["letter"], n["number"]) == (letter["id"], letter["number"])


def test_four_parallel_sweeps_number_each_issuers_letters_without_a_gap(lc, db_url):
    districts = ("历下区", "市中区", "槐荫区")
    configured(lc, districts)
    for k in range(9):
        district = districts[k % 3]
        signed_long_ago(lc, f"P{k}", f"S{k}", district, f"第{k}街道社会工作服务站")
    days = ["2026-05-06", "2026-05-13", "2026-06-20", "2026-11-20"]
    env = {**os.environ, "LIFECYCLE_ACTOR": "sweeper"}
    runs = [subprocess.Popen([LIFECYCLE, "--db", db_url, "check", "--as-of", day, "--json"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env) for day in days for _ in range(1)]
    outputs = [p.communicate(timeout=300) for p in runs]
    assert [p.returncode for p in runs] == [0] * 4, [err.decode() for _, err in outputs]
    letters = lc.ok("letters", "--json").json()
    per_issuer: dict[str, list[int]] = {}
    for letter in letters:
        if letter["number"]:
            prefix, serial = re.fullmatch(r"(.+)〔2026〕(\d+)号", letter["number"]).groups()
            per_issuer.setdefault(prefix, []).append(int(serial))
    assert len(per_issuer) == 3            # the three districts (the city writes nothing where districts run it)
    for serials in per_issuer.values():
        assert sorted(serials) == list(range(1, len(serials) + 1))    # 1, 2, 3 ... never a gap, never twice
    made = [letter for out, _ in outputs for letter in json.loads(out)["letters"]]
    assert sorted(letter["id"] for letter in made) == sorted(letter["id"] for letter in letters)


def test_a_dry_run_writes_nothing_and_a_future_sweep_needs_it(lc, db_url):
    configured(lc)
    signed_long_ago(lc)
    from sqlalchemy import func, select
    from lifecycle.store import Store, letter_numbers, letters, notices, sweeps

    def counts():
        with Store(db_url).reading() as conn:
            return [conn.execute(select(func.count()).select_from(t)).scalar()
                    for t in (notices, letters, letter_numbers, sweeps)]

    dry = lc.ok("check", "--as-of", "2026-11-20", "--dry-run", "--json").json()
    assert dry["dry_run"] is True and dry["created"] > 0 and dry["letters"]
    assert all(letter["id"] is None for letter in dry["letters"])
    assert counts() == [0, 0, 0, 0]
    future = lc("check", "--as-of", "2026-12-20")                     # lc's clock stands at 2026-11-20
    assert future.exit_code == 1 and future.stdout == ""
    assert "after today" in future.stderr and "--dry-run" in future.stderr
    assert counts() == [0, 0, 0, 0]
    assert lc.ok("check", "--as-of", "2026-12-20", "--dry-run", "--json").json()["created"] > 0
    real = lc.ok("check", "--as-of", "2026-11-20", "--json").json()
    assert real["created"] == dry["created"] and len(real["letters"]) == len(dry["letters"])
