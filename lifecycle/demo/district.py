"""The sample district `lifecycle init --demo` loads: data only.

济南市历下区 (14 street stations and the district general station) under the
Jinan rulebook, and 东营市东营区 under Dongying. Credit codes are computed
(GB 32100-2015), never typed; rosters meet JN-roster and DY-roster; every
project's events are listed in the order they happened, the last effective
on 2026-11-20. Some duties are met late and some are overdue on purpose.
"""
from __future__ import annotations

from datetime import date
from lifecycle.core.creditcode import check_character

LAST_DEMO_DAY = date(2026, 11, 20)
LIXIA, DONGYING = "历下区", "东营区"
Step = tuple[str, str, dict[str, str]]   # (event, effective date, KEY=VALUE data)

# (id, name, district, kind)
STATIONS: list[tuple[str, str, str, str]] = [
    ("LX-ZZ", "历下区社会工作服务总站", LIXIA, "general"),
    *[(f"LX-{sid}", f"{street}社会工作服务站", LIXIA, "street") for sid, street in [
        ("JFL", "解放路街道"), ("QFS", "千佛山街道"), ("BTQ", "趵突泉街道"), ("QCL", "泉城路街道"),
        ("DMH", "大明湖街道"), ("DG", "东关街道"), ("WD", "文东街道"), ("JX", "建新街道"),
        ("DL", "甸柳街道"), ("YS", "燕山街道"), ("YJ", "姚家街道"), ("LD", "龙洞街道"),
        ("ZY", "智远街道"), ("SHL", "舜华路街道")]],
    *[(f"DY-{sid}", f"{place}社会工作服务站", DONGYING, kind) for sid, place, kind in [
        ("WH", "文汇街道", "street"), ("HHL", "黄河路街道", "street"), ("DC", "东城街道", "street"),
        ("XD", "辛店街道", "street"), ("SL", "胜利街道", "street"), ("LH", "六户镇", "town")]],
]

# (id, name, district, the first 17 characters of the credit code). Social organisations
# registered by civil affairs start with 5; 山东善行 is an enterprise (9), which Jinan allows
# (JN-contractor) and Dongying does not (DY-contractor).
CONTRACTORS: list[tuple[str, str, str, str]] = [
    ("YG", "济南市历下区阳光社会工作服务中心", LIXIA, "52370102MJD304172"),
    ("ZA", "山东众爱社会工作服务中心", LIXIA, "52370000MJC588231"),
    ("QC", "济南市泉城社会工作发展中心", LIXIA, "52370100MJE072658"),
    ("HY", "济南市历下区和悦社会工作服务中心", LIXIA, "52370102MJD719403"),
    ("SX", "山东善行社会服务有限公司", LIXIA, "91370102MA3C6KR45"),
    ("FZ", "东营市福泽社会工作服务中心", DONGYING, "52370500MJF226087"),
    ("HK", "东营市黄河口社会工作服务中心", DONGYING, "52370502MJF403916"),
    ("LY", "东营区乐源社会工作服务中心", DONGYING, "52370502MJF581470"),
]


def credit_code(first17: str) -> str:
    """A valid unified social credit code: the check character per GB 32100-2015."""
    return first17 + check_character(first17)


# JN-roster (济南 三(二)): >= 3 staff, 40 or under, 大专 or above, >= 2/3 qualified.
JN_ROSTERS = {
    "a": "name,role,age,education,qualified\n张伟,lead,34,本科,是\n李娜,worker,28,大专,是\n王芳,worker,40,本科,否\n",
    "b": "name,role,age,education,qualified\n刘洋,lead,38,硕士,是\n陈静,worker,26,本科,是\n杨帆,worker,31,大专,是\n",
    "c": "name,role,age,education,qualified\n赵磊,lead,36,本科,是\n孙丽,worker,29,大专,是\n周敏,worker,33,本科,否\n"
         "吴婷,worker,27,本科,是\n",
}
# DY-roster (东营 art. 12): 1-2 from the town, >= 2 from the contractor; 35 or under, 40 with the certificate.
DY_ROSTERS = {
    "a": "name,role,age,education,qualified,certificate,source\n郑凯,lead,39,本科,是,是,contractor\n"
         "冯雪,worker,27,大专,是,否,contractor\n韩梅,worker,33,大专,否,否,town\n",
    "b": "name,role,age,education,qualified,certificate,source\n高峰,lead,35,本科,是,否,contractor\n"
         "何琳,worker,24,本科,是,否,contractor\n许诺,worker,30,大专,是,否,contractor\n马兰,worker,29,大专,否,否,town\n",
}


def monthly(first: str, last: str, late: dict[str, str] | None = None, skip: tuple[str, ...] = ()) -> list[Step]:
    """Monthly briefings for the months first..last, each filed on the 6th of the next month."""
    out: list[Step] = []
    y, m = map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        period = f"{y:04d}-{m:02d}"
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        if period not in skip:
            out.append(("report", (late or {}).get(period, f"{ny:04d}-{nm:02d}-06"),
                        {"kind": "monthly", "period": period}))
        y, m = ny, nm
    return out


def procured(award: str, contractor: str, sign: str, amount: int, months: int | None = None) -> list[Step]:
    sign_data = {"amount": str(amount), **({"term_months": str(months)} if months else {})}
    return [("award", award, {"contractor": contractor}), ("sign", sign, sign_data)]


def jinan_years(plans: list[str], district_reports: list[str], evaluations: list[tuple[str, str]]) -> list[Step]:
    """The yearly Jinan duties: next year's plan (JN-plan), the district report (JN-annual-report), JN-eval."""
    return [*[("file_plan", on, {"year": on[:4]}) for on in plans],
            *[("report", on, {"kind": "district", "period": on[:4]}) for on in district_reports],
            *[("evaluate", on, {"result": result, "by": "济南市社会工作协会"}) for on, result in evaluations]]


def quarterly(*filed: tuple[str, str]) -> list[Step]:
    return [("report", on, {"kind": "quarterly", "period": period}) for period, on in filed]


_WHO = {"by": "东营市社会工作协会"}

# project id -> (station, rulebook, plan year, plan filed on, budget in yuan, events).
# A `staff` event's roster= names a roster above.
PROJECTS: dict[str, tuple[str, str, int, str, int, list[Step]]] = {
    # plan filed, nothing procured yet
    "LX-2026-JFL": ("LX-JFL", "jinan", 2026, "2026-03-20", 600000, []),
    # two tenders failed; still procuring
    "LX-2026-QFS": ("LX-QFS", "jinan", 2026, "2026-03-24", 600000, [
        ("announce", "2026-04-08", {}), ("fail_tender", "2026-05-12", {"reason": "投标人不足三家"}),
        ("fail_tender", "2026-06-30", {"reason": "无有效投标"})]),
    # awarded on 12 Oct, contract now overdue (NAT-contract: 30 days)
    "LX-2026-BTQ": ("LX-BTQ", "jinan", 2026, "2026-03-26", 580000, [
        ("announce", "2026-07-01", {}), ("award", "2026-10-12", {"contractor": "HY"})]),
    # signed; published late, not filed, not staffed
    "LX-2026-QCL": ("LX-QCL", "jinan", 2026, "2026-03-27", 620000, [
        ("announce", "2026-06-15", {}), *procured("2026-09-14", "YG", "2026-10-09", 620000),
        ("publish", "2026-10-16", {"where": "中国政府采购网"})]),
    # the general station: its contractor runs no street station (JN-conflict)
    "LX-2025-ZZ": ("LX-ZZ", "jinan", 2025, "2025-03-25", 900000, [
        ("announce", "2025-04-02", {}), *procured("2025-05-08", "QC", "2025-05-30", 900000),
        ("publish", "2025-06-03", {}), ("file_contract", "2025-06-06", {}),
        ("staff", "2025-06-20", {"roster": "c"}), ("pay", "2025-07-01", {"kind": "advance", "amount": "300000"}),
        *jinan_years(["2026-03-10"], ["2025-11-28"], [("2026-05-22", "excellent")]),
        *monthly("2025-06", "2026-10")]),
    # in service with everything: a late filing, a late briefing, October's briefing overdue
    "LX-2025-DMH": ("LX-DMH", "jinan", 2025, "2025-03-18", 600000, [
        ("announce", "2025-04-01", {}), *procured("2025-05-06", "YG", "2025-05-20", 600000),
        ("publish", "2025-05-21", {"where": "济南市政府采购网"}), ("file_contract", "2025-06-05", {}),
        ("staff", "2025-06-10", {"roster": "a"}), ("pay", "2025-06-30", {"kind": "advance", "amount": "200000"}),
        ("training", "2025-07-12", {"hours": "16", "topic": "社区需求评估"}),
        ("supervision", "2025-09-20", {"hours": "8", "by": "山东大学社会工作系"}),
        ("training", "2026-04-18", {"hours": "12", "person": "王芳", "topic": "社会工作者职业水平考试辅导"}),
        *jinan_years(["2026-03-12"], ["2025-11-26"], [("2026-05-15", "good")]),
        ("pay", "2026-06-10", {"kind": "progress", "amount": "200000"}),
        ("supervision", "2026-11-20", {"hours": "6", "by": "山东大学社会工作系"}),
        *monthly("2025-06", "2026-09", late={"2026-02": "2026-03-16"})]),
    # suspended while the premises are rebuilt
    "LX-2025-DG": ("LX-DG", "jinan", 2025, "2025-03-21", 560000, [
        ("announce", "2025-04-10", {}), *procured("2025-05-20", "ZA", "2025-06-18", 560000),
        ("publish", "2025-06-19", {}), ("file_contract", "2025-06-24", {}),
        ("staff", "2025-07-10", {"roster": "b"}), *monthly("2025-07", "2026-07"),
        *jinan_years(["2026-03-16"], ["2025-11-27"], [("2026-06-12", "pass")]),
        ("suspend", "2026-09-01", {"reason": "站点用房改造，暂停服务"})]),
    # JN-eval: the failed evaluation terminated the contract
    "LX-2025-WD": ("LX-WD", "jinan", 2025, "2025-03-21", 560000, [
        ("announce", "2025-04-10", {}), *procured("2025-05-22", "SX", "2025-06-12", 560000),
        ("publish", "2025-06-13", {}), ("file_contract", "2025-06-20", {}),
        ("staff", "2025-08-01", {"roster": "b"}), *monthly("2025-08", "2026-04", skip=("2026-01",)),
        ("report", "2026-06-05", {"kind": "monthly", "period": "2026-05"}),
        *jinan_years(["2026-03-18"], ["2025-11-27"], [("2026-06-05", "fail")])]),
    # a full three-year term, expired without renewal
    "LX-2023-JX": ("LX-JX", "jinan", 2023, "2023-03-28", 480000, [
        ("announce", "2023-04-06", {}), *procured("2023-05-10", "ZA", "2023-06-01", 480000, months=36),
        ("publish", "2023-06-02", {}), ("file_contract", "2023-06-07", {}), ("staff", "2023-06-20", {"roster": "b"}),
        *monthly("2023-06", "2026-05", late={"2024-01": "2024-02-26"}),
        *jinan_years(["2024-03-15", "2025-03-14", "2026-03-13"], ["2023-11-24", "2024-11-26", "2025-11-25"],
                     [("2024-05-28", "pass"), ("2025-05-27", "good"), ("2026-05-26", "pass")]),
        ("report", "2024-12-12", {"kind": "midterm"}), ("report", "2026-06-09", {"kind": "final"}),
        ("report", "2026-06-10", {"kind": "monthly", "period": "2026-06"}),
        ("expire", "2026-06-11", {"note": "合同期满，不再续签"})]),
    # expired and archived: closed
    "LX-2022-DL": ("LX-DL", "jinan", 2022, "2022-03-30", 450000, [
        ("announce", "2022-04-12", {}), *procured("2022-05-16", "YG", "2022-06-01", 450000, months=36),
        ("publish", "2022-06-02", {}), ("file_contract", "2022-06-08", {}), ("staff", "2022-06-28", {"roster": "a"}),
        *monthly("2022-06", "2025-04"), ("report", "2025-06-03", {"kind": "monthly", "period": "2025-05"}),
        *jinan_years(["2023-03-14", "2024-03-12", "2025-03-11"], ["2022-11-25", "2023-11-24", "2024-11-22"],
                     [("2023-05-23", "good"), ("2024-05-21", "good"), ("2025-05-20", "pass")]),
        ("report", "2023-12-08", {"kind": "midterm"}), ("report", "2025-06-03", {"kind": "final"}),
        ("report", "2025-06-03", {"kind": "monthly", "period": "2025-06"}), ("expire", "2025-06-03", {}),
        ("hand_over", "2025-06-20", {"to": "甸柳街道办事处", "items": "服务档案12盒、台账3册"})]),
    # Dongying, in service: hours, two evaluations a year, balance after a pass, a late mid-term report
    "DY-2025-WH": ("DY-WH", "dongying", 2025, "2025-02-20", 300000, [
        ("announce", "2025-03-03", {}), *procured("2025-04-07", "FZ", "2025-04-16", 300000),
        ("publish", "2025-04-17", {}), ("file_contract", "2025-04-24", {}),
        ("staff", "2025-05-06", {"roster": "a"}), ("pay", "2025-05-20", {"kind": "advance", "amount": "100000"}),
        ("training", "2025-07-18", {"hours": "24", "topic": "个案管理"}),
        ("supervision", "2025-08-22", {"hours": "24", "by": "中国石油大学(华东)社会工作系"}),
        ("evaluate", "2025-10-14", {"result": "pass", **_WHO}),
        ("training", "2026-01-09", {"hours": "30", "topic": "政策法规"}), ("supervision", "2026-03-20", {"hours": "30"}),
        ("evaluate", "2026-04-10", {"result": "good", **_WHO}), ("report", "2026-04-28", {"kind": "annual"}),
        ("pay", "2026-05-08", {"kind": "balance", "amount": "100000"}),
        ("training", "2026-07-17", {"hours": "16", "topic": "老年人服务"}),
        ("evaluate", "2026-10-12", {"result": "pass", **_WHO}), ("report", "2026-11-09", {"kind": "midterm"}),
        *monthly("2025-05", "2026-10"),
        *quarterly(("2025-Q2", "2025-07-08"), ("2025-Q3", "2025-10-09"), ("2025-Q4", "2026-01-08"),
                   ("2026-Q1", "2026-04-20"), ("2026-Q2", "2026-07-09"), ("2026-Q3", "2026-10-10"))]),
    # DY-outcome: failed, no renewal; terminated, and the archives are not yet handed over (DY-archives)
    "DY-2025-HHL": ("DY-HHL", "dongying", 2025, "2025-02-20", 300000, [
        ("announce", "2025-03-05", {}), *procured("2025-04-09", "HK", "2025-04-25", 300000),
        ("publish", "2025-04-28", {}), ("file_contract", "2025-05-08", {}),
        ("staff", "2025-05-12", {"roster": "b"}), *monthly("2025-05", "2025-12"),
        *quarterly(("2025-Q2", "2025-07-08"), ("2025-Q3", "2025-10-13"), ("2025-Q4", "2026-01-09")),
        ("evaluate", "2025-10-20", {"result": "fail", **_WHO}),
        ("terminate", "2026-01-15", {"reason": "评估不合格，不再续签，重新采购"})]),
    # terminated early and closed; the archives came a day late
    "DY-2025-DC": ("DY-DC", "dongying", 2025, "2025-02-24", 300000, [
        ("announce", "2025-03-06", {}), *procured("2025-04-10", "LY", "2025-04-18", 300000),
        ("publish", "2025-04-21", {}), ("file_contract", "2025-04-29", {}),
        ("staff", "2025-05-09", {"roster": "a"}), *monthly("2025-05", "2025-11"),
        *quarterly(("2025-Q2", "2025-07-09"), ("2025-Q3", "2025-10-10"), ("2025-Q4", "2025-12-31")),
        ("evaluate", "2025-10-15", {"result": "pass", **_WHO}),
        ("report", "2025-12-31", {"kind": "monthly", "period": "2025-12"}),
        ("terminate", "2025-12-31", {"reason": "街道区划调整，服务站撤并"}),
        ("hand_over", "2026-02-13", {"to": "东城街道办事处", "items": "服务档案8盒"})]),
    # a town station: a long procurement, signed late (DY-contract: 10 days), filing overdue
    "DY-2025-LH": ("DY-LH", "dongying", 2025, "2025-09-01", 260000, [
        ("announce", "2025-09-10", {}), ("fail_tender", "2025-11-20", {"reason": "投标人资格不符"}),
        *procured("2026-10-20", "LY", "2026-11-05", 260000), ("publish", "2026-11-09", {})]),
}

# (role, district, contractor, name, email): who receives the notices of a first sweep
CONTACTS: list[tuple[str, str | None, str | None, str, str]] = [
    ("purchaser", LIXIA, None, "历下区民政局社会工作科", "shgk@lixia.example.cn"),
    ("street", LIXIA, None, "历下区街道办事处联络员", "jiedao@lixia.example.cn"),
    ("city", LIXIA, None, "济南市民政局社会工作处", "shgc@jnmz.example.cn"),
    ("purchaser", DONGYING, None, "东营区民政局", "mzj@dyq.example.cn"),
    ("street", DONGYING, None, "东营区各街道(镇)社会事务办公室", "shsw@dyq.example.cn"),
    ("city", DONGYING, None, "东营市民政局社会工作科", "shgk@dymz.example.cn"),
    *[("contractor", None, cid, name, f"office@{cid.lower()}.example.org") for cid, name, _d, _c in CONTRACTORS],
]


# (district, organ, prefix, contact, phone, email): who signs each district's letters
ISSUERS: list[tuple[str, str, str, str, str, str]] = [
    (LIXIA, "济南市历下区民政局", "历民函", "王敏", "0531-86081234", "mzj@lixia.example.cn"),
    (DONGYING, "东营市东营区民政局", "东区民函", "刘洋", "0546-8221234", "mzj@dyq.example.cn"),
]


def events_of(project_id: str) -> list[Step]:
    """A project's events in effective-date order (the list order breaks ties)."""
    return sorted(PROJECTS[project_id][5], key=lambda step: step[1])
