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
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from lifecycle.core.errors import BadInput, said

RULE_TYPES = {
    "deadline", "guard", "check", "annual_date", "reports", "evaluation", "hours",
    "count", "monthly", "quarterly", "weekly", "yearly_report", "monthly_visit", "term_decision",
    "fixed_dates",
}
_RULE_KEYS = {"id", "type", "clause", "clause_zh", "summary", "summary_en", "source", "source_zh", "overrides"}
# 期日 and 期间: a rule whose due date is a day the document names ("by 31 March", 期日)
# does not roll; a rule whose due date ends a period (期间) rolls under Civil Code art. 203.
DUE_KINDS = {"fixed_date": ("期日", "fixed date: does not roll"),
             "period": ("期间", "period: its last day rolls past rest days (Civil Code art. 203)")}
# Types whose dates are named days unless the rule says otherwise; every other dated type is a period.
_FIXED_DATE_TYPES = {"annual_date", "fixed_dates"}


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
        """How a notice or status cites the rule: `DY-contract: 东营 art. 25`; a setting says it is one."""
        if self.is_setting:
            return f"{self.id}: {self.source} ({self.clause})"
        return f"{self.id}: {self.source} {self.clause}"

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    @property
    def dated(self) -> bool:
        """Whether the rule sets a due date (guards and checks do not)."""
        return bool(self.get("obligation") or self.get("dates") or self.type in ("reports", "evaluation",
                                                                             "term_decision"))

    @property
    def due_kind(self) -> str | None:
        """`fixed_date` (期日) or `period` (期间), as the rule says, else by its type; None when undated."""
        if not self.dated:
            return None
        return self.get("due_kind") or ("fixed_date" if self.type in _FIXED_DATE_TYPES else "period")

    @property
    def rolls(self) -> bool:
        """Civil Code art. 203 moves a period's last day past rest days; a fixed date (期日) stays."""
        return self.due_kind != "fixed_date"

    @property
    def is_setting(self) -> bool:
        """A rule that is local practice, not law: it says so wherever it is shown."""
        return bool(self.get("setting"))

    @property
    def text(self) -> str | None:
        """The clause's own words, quoted exactly from the source document (a letter may quote it)."""
        return self.get("text")

    def in_force(self, day: date) -> bool:
        """A rule-level window: the document's rules may have started at different times."""
        start, end = self.get("valid_from"), self.get("valid_to")
        return not ((start and day < start) or (end and day > end))


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
    source_file: str | None = None  # the document quoted, in rulebooks/sources/ (the `text` of its rules)

    def rule(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    @cached_property
    def _by_id(self) -> dict[str, Rule]:
        """The rules by id (the first of an id, as a search in order finds it)."""
        index: dict[str, Rule] = {}
        for r in self.rules:
            index.setdefault(r.id, r)
        return index

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
        """The rulebook's own window (东营 art. 45: 15 Nov 2022 to 14 Nov 2025)."""
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
        raise BadInput(said("rulebook {name} version {version} is not installed", name=name, version=version))
    raise BadInput(said("unknown rulebook {name!r}; known: {names}", name=name, names=', '.join(available())))


def versions(name: str) -> list[Rulebook]:
    """Every installed version of a rulebook: the current file and its archive."""
    base = resources.files("lifecycle.rulebooks")
    archived = base / "archive"
    found = [load(name)]
    if archived.is_dir():
        for p in sorted(archived.iterdir()):
            if p.name.startswith(f"{name}@") and p.name.endswith(".toml"):
                found.append(load(name, p.name[len(name) + 1:-5]))
    return found


def applies_on(book: Rulebook, day: date) -> Rulebook | None:
    """The rulebook that governs on `day` in `book`'s place: another version of it in force
    then, else the nearest rulebook it extends that is in force (national law), else none."""
    for other in versions(book.name):
        if other.in_force(day):
            return other
    parent = load(book.extends) if book.extends else None
    while parent is not None:
        if parent.in_force(day):
            return parent
        parent = load(parent.extends) if parent.extends else None
    return None


def available() -> list[str]:
    base = resources.files("lifecycle.rulebooks")
    return sorted(p.name[:-5] for p in base.iterdir() if p.name.endswith(".toml"))


def _parse_rules(raw: list[dict[str, Any]], short: str, book: str, source_file: str | None = None) -> list[Rule]:
    rules = []
    for entry in raw:
        if entry.get("type") not in RULE_TYPES:
            raise ValueError(said("rulebook {book}: rule {get} has unknown type {get2!r}",
                    book=book, get=entry.get('id'), get2=entry.get('type')))
        for key in ("id", "clause", "summary"):
            if not entry.get(key):
                raise ValueError(said("rulebook {book}: a rule lacks {key!r} (every rule is cited)",
                        book=book, key=key))
        if entry.get("due_kind") not in (None, *DUE_KINDS):
            raise ValueError(said("rulebook {book}: rule {entry} has unknown due_kind {entry2!r} (one of {names})",
                    book=book, entry=entry['id'], entry2=entry['due_kind'], names=', '.join(DUE_KINDS)))
        params = {k: v for k, v in entry.items() if k not in _RULE_KEYS}
        params["overrides"] = tuple(entry.get("overrides", ()))
        if source_file and entry.get("text"):
            params["source_file"] = source_file
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
    own = _parse_rules(data.get("rules", []), head.get("short", name), name, head.get("source_file"))
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
        source_file=head.get("source_file"),
    )


def describe(book: Rulebook) -> dict[str, Any]:
    """A rulebook as plain data, for `rules show --json`."""
    return {
        "name": book.name, "version": book.version, "title": book.title, "title_en": book.title_en,
        "extends": book.extends,
        "valid_from": book.valid_from.isoformat() if book.valid_from else None,
        "valid_to": book.valid_to.isoformat() if book.valid_to else None,
        "settings": book.settings,
        "source_file": book.source_file,
        "rules": [
            {"id": r.id, "type": r.type, "basis": r.basis, "source": r.source, "clause": r.clause,
             "summary": r.summary, "summary_en": r.summary_en, "period": r.get("period"),
             "due_kind": r.due_kind, "rolls": r.rolls if r.due_kind else None, "setting": r.is_setting,
             "text": r.text, "source_file": r.get("source_file"), "valid_from": _iso(r.get("valid_from")), "valid_to": _iso(r.get("valid_to")),
             "params": {k: v for k, v in r.params.items() if k not in _DESCRIBED and v != ()}}
            for r in book.rules
        ],
    }


_DESCRIBED = {"overrides", "period", "due_kind", "setting", "text", "valid_from", "valid_to", "source_file"}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def parse_ref(ref: str) -> Rulebook:
    """`NAME` (the installed version) or `NAME@VERSION` (a pinned one, current or archived)."""
    name, _, version = ref.partition("@")
    return load(name, version or None)


def diff(old: Rulebook, new: Rulebook) -> dict[str, Any]:
    """What changed from `old` to `new`: its window, settings, and rules added, removed or changed
    (each changed rule with the fields that differ, old and new), for `rules diff`."""
    a, b = describe(old), describe(new)
    rules_a, rules_b = {r["id"]: r for r in a["rules"]}, {r["id"]: r for r in b["rules"]}
    changed = []
    for rid in [r for r in rules_a if r in rules_b]:
        fields = {k: {"old": rules_a[rid][k], "new": rules_b[rid][k]}
                  for k in rules_a[rid] if rules_a[rid][k] != rules_b[rid].get(k)}
        if fields:
            changed.append({"id": rid, "fields": fields})
    keys = sorted(set(a["settings"]) | set(b["settings"]))
    return {
        "old": f"{old.name}@{old.version}", "new": f"{new.name}@{new.version}",
        "window": {k: {"old": a[k], "new": b[k]} for k in ("valid_from", "valid_to") if a[k] != b[k]},
        "settings": {k: {"old": a["settings"].get(k), "new": b["settings"].get(k)}
                     for k in keys if a["settings"].get(k) != b["settings"].get(k)},
        "added": [r for r in rules_b if r not in rules_a],
        "removed": [r for r in rules_a if r not in rules_b],
        "changed": changed,
    }
