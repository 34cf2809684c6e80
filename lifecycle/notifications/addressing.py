"""Who holds each duty, who is told at each stage, who signs, and how a letter cites a clause.

Data, not branches: the holders and the routes live in
`lifecycle/rulebooks/ladder/ladder.toml`, beside the rulebooks; a new
obligation kind needs one line there (and its name in
`lifecycle.core.names.DUTIES`). Pure apart from reading that file: no clock.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lifecycle.core.rulebook import Rule, Rulebook

STAGES = ("reminder", "overdue", "escalation", "correction")   # correction: 更正通知 of a moved due date
RUNNERS = ("district", "city")
FORMS = ("notice", "report", "supervise", "internal")
# Where a rulebook does not say, the period a notice gives to put things right.
# A local setting, not law (rulebook setting `cure_working_days` overrides it).
CURE_WORKING_DAYS = 5


@dataclass(frozen=True)
class Route:
    """Where one stage's letter about one holder's duty goes."""

    issuer: str                 # district | city | none
    to: str                     # holder | city | district
    cc: tuple[str, ...]         # street | contractor | purchaser | city
    form: str                   # notice | report | supervise | internal


@lru_cache(maxsize=1)
def _ladder() -> dict[str, Any]:
    text = (resources.files("lifecycle.rulebooks") / "ladder" / "ladder.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _holders() -> dict[str, str]:
    return dict(_ladder()["holders"])


HOLDER: dict[str, str] = _holders()


def route(stage: str, holder: str, runner: str = "district") -> Route:
    """The route of `stage` for a duty held by `holder`, where `runner` runs the engine."""
    entry = _ladder()["routes"][runner][f"{stage}.{holder}"]
    return Route(entry["issuer"], entry["to"], tuple(entry.get("cc", ())), entry["form"])


def holder_of(kind: str, has_contractor: bool) -> str:
    """The role that owes a duty; a contractor's duty before any award falls to the purchaser."""
    role = HOLDER.get(kind, "purchaser")
    return role if role != "contractor" or has_contractor else "purchaser"


def contact_role(party: str) -> str:
    """The contact directory's role for a party: the district and the purchaser are one bureau."""
    return "purchaser" if party in ("district", "purchaser") else party


def city_bureau(book: Rulebook, lang: str) -> str:
    """The city bureau of the rulebook's jurisdiction (its `city_bureau`), for the letters' addressee and 落款."""
    return book.city_bureau if lang == "zh" else book.city_bureau_en


def purchaser_name(district: str, lang: str) -> str:
    if district.endswith("省"):   # a province's own duties (FJ-cadence): its civil-affairs department, 民政厅
        return f"{district}民政厅" if lang == "zh" else f"{district} Department of Civil Affairs"
    return f"{district}民政局" if lang == "zh" else f"{district} Civil Affairs Bureau"


def street_office(station_name: str, lang: str) -> str:
    """The street office or town government where the station sits (解放路街道社工站 → 解放路街道办事处)."""
    for mark, office, office_en in (("街道", "街道办事处", "street office"), ("镇", "镇人民政府", "town government")):
        if mark in station_name:
            head = station_name[:station_name.index(mark)]
            return head + office if lang == "zh" else f"{head}{mark} {office_en}"
    return f"{station_name}所在街道（镇）" if lang == "zh" else f"the street office of {station_name}"


def citation(book: Rulebook, rule: Rule, lang: str) -> str:
    """The basis as a letter cites it: 《东营市乡镇（街道）社会工作服务站管理办法》第二十五条.

    Chinese: the document's full title and the clause as written, never a rule id;
    English: the source and clause with the rule id."""
    if lang != "zh":
        return f"{rule.source} {rule.clause} ({rule.id})"
    document = rule.source_zh or _own_title(book, rule)
    return f"《{document}》{rule.clause_zh or rule.clause}"


def _own_title(book: Rulebook, rule: Rule) -> str:
    """A local rule's source is its rulebook's short name (济南): that rulebook's own document."""
    from lifecycle.core import rulebook as rulebooks
    found: Rulebook | None = book
    while found is not None:
        if found.short == rule.source:
            return found.title_zh
        found = rulebooks.load(found.extends) if found.extends else None
    return book.title_zh
