"""Who holds each duty, who is told at each stage, and what the duty is called.

Data, not branches: a new obligation kind needs one line in `HOLDER` and
one in `KIND_NAMES`. Pure: no I/O, no clock.
"""
from __future__ import annotations

import re
from datetime import date

# The duty's holder. The purchaser (购买主体, the district civil-affairs bureau)
# owes the procurement and supervision duties: signing, filing and publishing the
# contract (政府采购法 arts. 46-47, 实施条例 art. 50), the annual plan and the
# district's reports to the city (JN-plan, JN-annual-report, DY-county-report),
# the evaluations and assessments it commissions, and the renewal decision.
# The contractor (承接主体) owes the service: staff in post, reports, training,
# supervision, cases, registers and the archive hand-over (DY-archives).
HOLDER: dict[str, str] = {
    "contract": "purchaser", "filing": "purchaser", "publication": "purchaser", "plan": "purchaser",
    "district_report": "purchaser", "term_decision": "purchaser", "evaluation": "purchaser",
    "assessment": "purchaser", "quarterly_report": "purchaser",
    "staffing": "contractor", "briefing": "contractor", "midterm_report": "contractor",
    "final_report": "contractor", "annual_report": "contractor", "training": "contractor",
    "supervision": "contractor", "supervision_visit": "contractor", "education": "contractor",
    "pre_service_training": "contractor", "practical_training": "contractor", "policy_training": "contractor",
    "cases": "contractor", "registers": "contractor", "handover": "contractor", "qualification": "contractor",
    "weekly_report": "contractor",
}

# Who receives a notice at each stage: the addressee and the copies. "holder" is
# the duty's holder above. An escalation is the city bureau's 督办通知: it goes to
# the city bureau, with the purchaser (who answers for the project) copied.
ADDRESSEES: dict[str, tuple[str, tuple[str, ...]]] = {
    "reminder": ("holder", ("street",)),
    "overdue": ("holder", ("street",)),
    "escalation": ("city", ("purchaser",)),
}

# Who signs the letter (落款): the body that supervises the holder. The purchaser
# supervises its contractor; the city bureau supervises the district and issues
# every 督办通知.
ISSUER: dict[tuple[str, str], str] = {
    ("reminder", "contractor"): "purchaser", ("overdue", "contractor"): "purchaser",
    ("reminder", "purchaser"): "city", ("overdue", "purchaser"): "city",
    ("escalation", "contractor"): "city", ("escalation", "purchaser"): "city",
}

KIND_NAMES: dict[str, tuple[str, str]] = {
    "contract": ("合同签订", "signing the contract"),
    "filing": ("合同备案", "filing the contract"),
    "publication": ("合同公告", "publishing the contract"),
    "plan": ("年度实施计划备案", "filing the annual implementation plan"),
    "district_report": ("年度实施情况报告", "the district's annual implementation report"),
    "term_decision": ("合同续签或终止决定", "deciding renewal or expiry of the contract"),
    "evaluation": ("绩效评估", "the performance evaluation"),
    "assessment": ("年度考核", "the annual assessment"),
    "quarterly_report": ("季度工作情况报告", "the quarterly report to the city"),
    "staffing": ("人员到岗", "staff in post"),
    "briefing": ("月度工作简报", "the monthly briefing"),
    "midterm_report": ("中期报告", "the mid-term report"),
    "final_report": ("终期报告", "the final report"),
    "annual_report": ("年度报告", "the annual report"),
    "training": ("培训", "training"),
    "supervision": ("督导", "supervision"),
    "supervision_visit": ("督导到站", "the supervisor's monthly visit"),
    "education": ("继续教育", "continuing education"),
    "pre_service_training": ("岗前培训", "pre-service training"),
    "practical_training": ("实务培训", "practical training"),
    "policy_training": ("政策培训", "policy training"),
    "cases": ("专业个案", "professional cases"),
    "registers": ("需求及资源台账更新", "updating the needs and resource registers"),
    "handover": ("档案移交", "handing over the archives"),
    "qualification": ("工作人员取得社会工作职业资格", "every staff member qualified in social work"),
    "weekly_report": ("每周工作报送", "the weekly report"),
}

STAGES = ("reminder", "overdue", "escalation")
# Where a rulebook does not say, the period a notice gives to put things right.
# A local setting, not law (rulebook setting `cure_working_days` overrides it).
CURE_WORKING_DAYS = 5

# The city bureau of each rulebook's jurisdiction, for the letters' addressee and 落款.
CITY_BUREAU: dict[str, tuple[str, str]] = {
    "jinan": ("济南市民政局", "Jinan Civil Affairs Bureau"),
    "dongying": ("东营市民政局", "Dongying Civil Affairs Bureau"),
    "binhai": ("天津市民政局", "Tianjin Civil Affairs Bureau"),
    "dongguan": ("东莞市民政局", "Dongguan Civil Affairs Bureau"),
    "fujian": ("设区市民政局", "the city civil-affairs bureau"),
}
_DEFAULT_CITY = ("市民政局", "the city civil-affairs bureau")


def holder_of(kind: str, has_contractor: bool) -> str:
    """The role that owes a duty; a contractor's duty before any award falls to the purchaser."""
    role = HOLDER.get(kind, "purchaser")
    return role if role != "contractor" or has_contractor else "purchaser"


def kind_name(kind: str, lang: str) -> str:
    zh, en = KIND_NAMES.get(kind, (kind, kind.replace("_", " ")))
    return zh if lang == "zh" else en


def duty_label(kind: str, obligation_id: str, subject: str | None, lang: str) -> str:
    """'2026年6月月度工作简报（张伟）' from kind, id and subject: the period the id carries, then the name."""
    name = kind_name(kind, lang)
    period = obligation_id.split(":")[1] if ":" in obligation_id else ""
    month = re.fullmatch(r"(\d{4})-(\d{2})", period)
    quarter = re.fullmatch(r"(\d{4})-Q(\d)", period)
    week = re.fullmatch(r"(\d{4})-W(\d{2})", period)
    year = re.fullmatch(r"(\d{4})", period)
    if lang == "zh":
        prefix = (f"{month[1]}年{int(month[2])}月" if month else f"{quarter[1]}年第{quarter[2]}季度" if quarter
                  else f"{week[1]}年第{int(week[2])}周" if week else f"{year[1]}年度" if year else "")
        return prefix + name + (f"（{subject}）" if subject else "")
    suffix = f" for {period}" if month or quarter or week or year else ""
    return name + suffix + (f" ({subject})" if subject else "")


def city_bureau(rulebook: str, lang: str) -> str:
    zh, en = CITY_BUREAU.get(rulebook, _DEFAULT_CITY)
    return zh if lang == "zh" else en


def purchaser_name(district: str, lang: str) -> str:
    return f"{district}民政局" if lang == "zh" else f"{district} Civil Affairs Bureau"


def street_office(station_name: str, lang: str) -> str:
    """The street office or town government where the station sits (解放路街道社工站 → 解放路街道办事处)."""
    for mark, office, office_en in (("街道", "街道办事处", "street office"), ("镇", "镇人民政府", "town government")):
        if mark in station_name:
            head = station_name[:station_name.index(mark)]
            return head + office if lang == "zh" else f"{head}{mark} {office_en}"
    return f"{station_name}所在街道（镇）" if lang == "zh" else f"the street office of {station_name}"


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cite_clause(source: str, clause: str, lang: str) -> str:
    """'art. 50' reads 第50条 in a Chinese letter; other clauses (四(四)) stand as they are."""
    if lang != "zh":
        return f"{source} {clause}"
    art = re.fullmatch(r"arts?\.\s*([\d\-–, ]+)", clause)
    return f"《{source}》" + (f"第{art[1].strip()}条" if art else clause)
