"""Rulebooks: one TOML file per jurisdiction, every rule cited.

A rulebook may extend another (local rules over national law): the child's
rules are added to the parent's, a child rule with the same id replaces the
parent's, and `overrides = [...]` drops parent rules the local one is
stricter than (DY-contract's 10 days over NAT-contract's 30). Settings
merge the same way. A project is pinned to the rulebook name and version it
was opened under; superseded versions live in `rulebooks/archive/` as
`NAME@VERSION.toml`.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from lifecycle.core.errors import BadInput

RULE_TYPES = {
    "deadline", "guard", "check", "annual_date", "reports", "evaluation", "hours",
    "count", "quarterly", "weekly", "yearly_report", "monthly_visit", "term_decision",
    "fixed_dates",
}
_RULE_KEYS = {"id", "type", "clause", "clause_zh", "summary", "summary_en", "source", "source_zh", "overrides"}


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    clause: str
    summary: str
    summary_en: str
    source: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    clause_zh: str = ""     # the clause as the document writes it: 第二十五条, 四（一）
    source_zh: str = ""     # the source document's full Chinese title, where it is not the rulebook's own

    @property
    def basis(self) -> str:
        """How a notice or status cites the rule: `DY-contract: 东营 art. 25`."""
        return f"{self.id}: {self.source} {self.clause}"

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class Rulebook:
    name: str
    version: str
    title: str
    title_en: str
    short: str
    valid_from: date | None
    valid_to: date | None
    extends: str | None
    settings: dict[str, Any]
    rules: tuple[Rule, ...]
    digest: str  # sha256 over the source files, parent first: pins the exact text
    city_bureau: str = "市民政局"                           # the city bureau above the districts (zh)
    city_bureau_en: str = "the city civil-affairs bureau"   # and its English name
    title_zh: str = ""      # the document's full Chinese title, as a letter cites it (no number)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def of_type(self, *types: str) -> list[Rule]:
        return [r for r in self.rules if r.type in types]

    def guards(self, check: str) -> list[Rule]:
        return [r for r in self.rules if r.type == "guard" and r.get("check") == check]

    def checks(self, check: str) -> list[Rule]:
        return [r for r in self.rules if r.type == "check" and r.get("check") == check]

    def setting(self, key: str) -> Any:
        if key not in self.settings:
            raise KeyError(f"rulebook {self.name} has no setting {key!r}")
        return self.settings[key]

    def in_force(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


def _source_text(name: str, version: str | None) -> str:
    base = resources.files("lifecycle.rulebooks")
    current = base / f"{name}.toml"
    if current.is_file():
        text = current.read_text(encoding="utf-8")
        if version is None or tomllib.loads(text)["rulebook"]["version"] == version:
            return text
    if version is not None:
        archived = base / "archive" / f"{name}@{version}.toml"
        if archived.is_file():
            return archived.read_text(encoding="utf-8")
        raise BadInput(f"rulebook {name} version {version} is not installed")
    raise BadInput(f"unknown rulebook {name!r}; known: {', '.join(available())}")


def available() -> list[str]:
    base = resources.files("lifecycle.rulebooks")
    return sorted(p.name[:-5] for p in base.iterdir() if p.name.endswith(".toml"))


def _parse_rules(raw: list[dict[str, Any]], short: str, book: str) -> list[Rule]:
    rules = []
    for entry in raw:
        if entry.get("type") not in RULE_TYPES:
            raise ValueError(f"rulebook {book}: rule {entry.get('id')} has unknown type {entry.get('type')!r}")
        for key in ("id", "clause", "summary"):
            if not entry.get(key):
                raise ValueError(f"rulebook {book}: a rule lacks {key!r} (every rule is cited)")
        params = {k: v for k, v in entry.items() if k not in _RULE_KEYS}
        params["overrides"] = tuple(entry.get("overrides", ()))
        rules.append(Rule(
            id=entry["id"], type=entry["type"], clause=entry["clause"], summary=entry["summary"],
            summary_en=entry.get("summary_en", entry["summary"]), source=entry.get("source", short),
            params=params, clause_zh=entry.get("clause_zh", entry["clause"]), source_zh=entry.get("source_zh", ""),
        ))
    return rules


@lru_cache(maxsize=64)
def load(name: str, version: str | None = None) -> Rulebook:
    """Load a rulebook by name (the installed version, or a pinned one) with its parents."""
    text = _source_text(name, version)
    data = tomllib.loads(text)
    head = data["rulebook"]
    parent = load(head["extends"]) if head.get("extends") else None
    own = _parse_rules(data.get("rules", []), head.get("short", name), name)
    dropped = {o for r in own for o in r.get("overrides")} | {r.id for r in own}
    inherited = [r for r in parent.rules if r.id not in dropped] if parent else []
    settings = dict(parent.settings) if parent else {}
    settings.update(data.get("settings", {}))
    digest = hashlib.sha256(((parent.digest if parent else "") + text).encode("utf-8")).hexdigest()
    return Rulebook(
        name=head["name"], version=str(head["version"]), title=head["title"],
        title_en=head.get("title_en", head["title"]), short=head.get("short", name),
        valid_from=head.get("valid_from"), valid_to=head.get("valid_to"),
        extends=head.get("extends"), settings=settings, rules=tuple(inherited + own), digest=digest,
        city_bureau=head.get("city_bureau") or (parent.city_bureau if parent else "市民政局"),
        city_bureau_en=head.get("city_bureau_en") or (parent.city_bureau_en if parent else "the city civil-affairs bureau"),
        title_zh=head.get("title_zh", head["title"]),
    )


def describe(book: Rulebook) -> dict[str, Any]:
    """A rulebook as plain data, for `rules show --json`."""
    return {
        "name": book.name, "version": book.version, "title": book.title, "title_en": book.title_en,
        "extends": book.extends,
        "valid_from": book.valid_from.isoformat() if book.valid_from else None,
        "valid_to": book.valid_to.isoformat() if book.valid_to else None,
        "settings": book.settings,
        "rules": [
            {"id": r.id, "type": r.type, "basis": r.basis, "source": r.source, "clause": r.clause,
             "summary": r.summary, "summary_en": r.summary_en, "period": r.get("period"),
             "params": {k: v for k, v in r.params.items() if k not in ("overrides", "period") and v != ()}}
            for r in book.rules
        ],
    }
