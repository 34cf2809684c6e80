"""Who holds each duty, who is told at each stage, who signs, and how a letter cites a clause.

Data, not branches: a new obligation kind needs one line in `HOLDER` (and its
name in `lifecycle.core.names.DUTIES`). Pure: no I/O, no clock.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lifecycle.core.rulebook import Rulebook

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
    "premises": "purchaser",   # BH-timeline: the district's set-up plan puts the premises in place by end of May
}

# Who receives a notice at each stage: the addressee and the copies. "holder" is
# the duty's holder above. An escalation is the city bureau's 督办通知: it goes to
# the city bureau, with the purchaser (who answers for the project) copied.
ADDRESSEES: dict[str, tuple[str, tuple[str, ...]]] = {
    "reminder": ("holder", ("street",)),
    "overdue": ("holder", ("street",)),
    "escalation": ("city", ("purchaser",)),
    "correction": ("holder", ("street",)),   # 更正通知: to whoever was told the old date
}

# Who signs the letter (落款): the body that supervises the holder. The purchaser
# supervises its contractor; the city bureau supervises the district and issues
# every 督办通知.
ISSUER: dict[tuple[str, str], str] = {
    ("reminder", "contractor"): "purchaser", ("overdue", "contractor"): "purchaser",
    ("reminder", "purchaser"): "city", ("overdue", "purchaser"): "city",
    ("escalation", "contractor"): "city", ("escalation", "purchaser"): "city",
    ("correction", "contractor"): "purchaser", ("correction", "purchaser"): "city",
}

# Where a rulebook does not say, the period a notice gives to put things right.
# A local setting, not law (rulebook setting `cure_working_days` overrides it).
CURE_WORKING_DAYS = 5

def holder_of(kind: str, has_contractor: bool) -> str:
    """The role that owes a duty; a contractor's duty before any award falls to the purchaser."""
    role = HOLDER.get(kind, "purchaser")
    return role if role != "contractor" or has_contractor else "purchaser"


def city_bureau(book: Rulebook, lang: str) -> str:
    """The city bureau of the rulebook's jurisdiction (its `city_bureau`), for the letters' addressee and 落款."""
    return book.city_bureau if lang == "zh" else book.city_bureau_en


def purchaser_name(district: str, lang: str) -> str:
    return f"{district}民政局" if lang == "zh" else f"{district} Civil Affairs Bureau"


def street_office(station_name: str, lang: str) -> str:
    """The street office or town government where the station sits (解放路街道社工站 → 解放路街道办事处)."""
    for mark, office, office_en in (("街道", "街道办事处", "street office"), ("镇", "镇人民政府", "town government")):
        if mark in station_name:
            head = station_name[:station_name.index(mark)]
            return head + office if lang == "zh" else f"{head}{mark} {office_en}"
    return f"{station_name}所在街道（镇）" if lang == "zh" else f"the street office of {station_name}"


def cite_clause(source: str, clause: str, lang: str) -> str:
    """'art. 50' reads 第50条 in a Chinese letter; other clauses (四(四)) stand as they are."""
    if lang != "zh":
        return f"{source} {clause}"
    art = re.fullmatch(r"arts?\.\s*([\d\-–, ]+)", clause)
    return f"《{source}》" + (f"第{art[1].strip()}条" if art else clause)
