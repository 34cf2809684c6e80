"""`lifecycle audit ID --out FILE.html`: the report an auditor reads and prints.

The context is built here from one `Bundle` (log, replay, outbox,
verification); `templates/audit/report.html.j2` lays it out. Jinja2 with
autoescape on and StrictUndefined: a missing value is a bug, never a blank.
"""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lifecycle.audit.bundle import Bundle, load_bundles
from lifecycle.audit.flags import flags, recorded_day
from lifecycle.audit.timeline import timeline
from lifecycle.core.clock import Clock
from lifecycle.core.events import Event, effective_history
from lifecycle.core.explain import receipts
from lifecycle.core.names import duty_name, flag_name, stage_name, state_name, status_name
from lifecycle.core.project import Project
from lifecycle.core.receipt_words import sentence
from lifecycle.core.speech import say_in
from lifecycle.store import Store
from lifecycle.wiring import calendar_for


def write_report(store: Store, project_id: str, out: Path, clock: Clock, backdating_days: int = 7) -> dict[str, Any]:
    """Render the report to `out`; returns `{flags, verified}`."""
    bundle, = load_bundles(store, [project_id], clock.today)
    html, context = report_html(bundle, calendar_for(store), clock, backdating_days)
    out.write_text(html, encoding="utf-8")
    return {"flags": len(context["flags"]), "verified": bundle.verified}


def report_html(bundle: Bundle, cal: Any, clock: Clock, backdating_days: int = 7) -> tuple[str, dict[str, Any]]:
    """The report of one bundle, and the context it was rendered from."""
    states, why = states_and_sentences(bundle, cal)
    context = report_context(bundle, clock, backdating_days, states, why)
    return render(context), context


def states_and_sentences(bundle: Bundle, cal: Any) -> tuple[list[tuple[date, str]], dict[str, str]]:
    """In one fold: (effective date, state entered) along the corrected history, and each duty's
    receipt in one sentence (`lifecycle explain`), shown beside it."""
    if bundle.receipts is not None:   # folded once, when the bundle was read
        return bundle.states, {oid: sentence(rc, "zh") for oid, rc in bundle.receipts.items()}
    states: list[tuple[date, str]] = []

    def entered(e: Event, project: Project) -> None:
        if not states or states[-1][1] != project.state.value:
            states.append((e.effective, project.state.value))
    try:
        found = receipts(effective_history(bundle.events), bundle.book, cal, bundle.project, entered)
    except (ValueError, KeyError):
        return states, {}  # a tampered log: the verification section says where it breaks
    return states, {oid: sentence(rc, "zh") for oid, rc in found.items()}


def render(context: dict[str, Any]) -> str:
    return _template().render(**context)


@lru_cache(maxsize=1)
def _template() -> Any:
    """The report's template, compiled once (the dashboard renders a report a project)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    folder = resources.files("lifecycle.templates") / "audit"
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html.j2")


def _pins(s: dict[str, Any]) -> str:
    """The rulebooks a rebase pinned the project to, each from its day on (empty when never rebased)."""
    return "".join(f"；自 {p['from']} 起适用 {p['rulebook']} {p['rulebook_version']}"
                   + (f"（{p['reason']}）" if p.get("reason") else "") for p in s.get("rulebooks", [])[1:])


def report_context(b: Bundle, clock: Clock, backdating_days: int, states: list[tuple[date, str]],
                   why: dict[str, str] | None = None) -> dict[str, Any]:
    s = b.snapshot
    found = flags(s, b.events, b.notices, clock.today, backdating_days=backdating_days, sweeps=b.sweeps, book=b.book)
    book = b.book
    return {
        "project": s["project"], "generated_at": clock.recorded, "as_of": clock.today.isoformat(),
        "header": {
            "station": f"{s.get('station_name') or b.station.get('name', '')} ({s.get('station')})",
            "district": s.get("district"), "state": f"{state_name(s.get('state'))} ({s.get('state')})",
            "contractor": _contractor(b), "rulebook": f"{book.title} — {book.name} {book.version}" + _pins(s),
            "validity": f"{_iso(book.valid_from) or '—'} 至 {_iso(book.valid_to) or '—'}",
            "term": f"{s.get('term_start') or '—'} 至 {s.get('term_end') or '—'}",
            "amount": _yuan(s.get("amount")), "budget": _yuan(s.get("budget")), "year": s.get("year"),
        },
        "timeline": timeline(states, s.get("obligations", []), clock.today),
        "obligations": [{**o, "name": duty_name(o["kind"]), "status_zh": status_name(o["status"]),
                         "why": (why or {}).get(o["id"], ""),
                         "late": bool(o["met_on"] and o["met_on"] > o["due"])} for o in b.view.get("obligations", [])],
        "events": _events(b.events),
        "notices": [{**n, "stage_zh": stage_name(n["stage"]), "as_of": _iso(n["as_of"]),
                     "due": _iso(n["due"]), "sent_at": n.get("sent_at") or "", "last_error": n.get("last_error") or "",
                     "email": n.get("email") or "（无地址）"} for n in b.notices],
        "flags": [{**f.as_dict(), "kind_zh": flag_name(f.kind), "text": say_in(f.text, "zh"), "basis": say_in(f.basis, "zh")}
                  for f in found],
        "payments": [{**x, "kind_zh": _PAYMENT_ZH.get(x["kind"], x["kind"]), "amount_text": _yuan(x["amount"])}
                     for x in s.get("payments", [])],
        "paid": _yuan(s.get("paid")), "evaluations": [{**x, "result_zh": _RESULT_ZH.get(x["result"], x["result"])}
                                                     for x in s.get("evaluations", [])],
        "roster": [_staff_row(x) for x in s.get("roster", [])],
        "backdating_days": backdating_days,
        "corrections": corrections(b.events),
        "verification": {"verified": b.verified, "problems": [say_in(p, "zh") for p in b.problems], "head_seq": b.events[-1].seq,
                         "head_hash": b.events[-1].hash, "events": len(b.events)},
    }


def _events(events: list[Event]) -> list[dict[str, Any]]:
    corrected_by: dict[int, list[int]] = {}
    for e in events:
        if e.type == "correct":
            corrected_by.setdefault(int(e.data["seq"]), []).append(e.seq)
    return [{"seq": e.seq, "type": e.type, "effective": e.effective.isoformat(), "recorded": e.recorded,
             "recorded_day": recorded_day(e.recorded).isoformat(), "actor": e.actor, "data": _data_text(e.data),
             "hash": e.hash, "corrected_by": corrected_by.get(e.seq, [])} for e in events]


def corrections(events: list[Event]) -> list[dict[str, Any]]:
    """Each correction with the values it replaced (as they stood before it) and the new ones."""
    current = {e.seq: (dict(e.data), e.effective) for e in events if e.type != "correct"}
    types = {e.seq: e.type for e in events}
    out = []
    for e in events:
        if e.type != "correct":
            continue
        target = int(e.data["seq"])
        data, effective = current[target]
        changes = [{"key": k, "before": _value(data.get(k)), "after": _value(v)}
                   for k, v in e.data.get("data", {}).items() if k != "roster_file"]
        if e.data.get("void"):   # a void retracts the event whole (issue 10)
            changes.append({"key": "作废 void", "before": "有效 in force", "after": "作废 void"})
        if e.data.get("effective"):
            changes.append({"key": "生效日期 effective", "before": effective.isoformat(), "after": e.data["effective"]})
            effective = date.fromisoformat(e.data["effective"])
        current[target] = ({**data, **e.data.get("data", {})}, effective)
        out.append({"seq": e.seq, "target": target, "target_type": types.get(target, "?"), "reason": e.data["reason"],
                    "actor": e.actor, "recorded": e.recorded, "changes": changes})
    return out


def _contractor(b: Bundle) -> str:
    s = b.snapshot
    if not s.get("contractor"):
        return "—"
    code = (b.contractor or {}).get("credit_code")
    return f"{s.get('contractor_name') or s['contractor']} ({s['contractor']}" + (f", {code})" if code else ")")


def _value(v: Any) -> str:
    if isinstance(v, list) and v and isinstance(v[0], dict) and "name" in v[0]:
        return f"{len(v)} 人: " + "、".join(str(x["name"]) for x in v)
    if v is None:
        return "—"
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _data_text(data: dict[str, Any]) -> str:
    if "seq" in data and "reason" in data:  # a correction
        parts = [f"更正事件 {data['seq']}: " + ", ".join(f"{k}={_value(v)}" for k, v in data.get("data", {}).items()
                                                      if k != "roster_file")]
        if data.get("effective"):
            parts.append(f"生效日期={data['effective']}")
        return "; ".join(p for p in parts if p) + f" — {data['reason']}"
    shown = {k: v for k, v in data.items() if v is not None and k not in ("rulebook_digest", "roster_file", "source")}
    text = ", ".join(f"{k}={_value(v)}" for k, v in shown.items())
    source = data.get("source")
    if source:  # `project import`: where the event came from, so an auditor can find the paper row
        text += (f" — 导入自台账 {source['ledger']} 第 {source['row']} 行 (imported from 台账 row {source['row']}, "
                 f"SHA-256 {source['sha256'][:12]}…)")
    return text


_PAYMENT_ZH = {"advance": "预付款", "interim": "进度款", "balance": "尾款"}
_RESULT_ZH = {"pass": "合格", "fail": "不合格", "excellent": "优秀", "good": "良好"}
_EDUCATION_ZH = {"high_school": "高中", "associate": "大专", "bachelor": "本科", "master": "硕士", "doctorate": "博士"}


def _staff_row(x: dict[str, Any]) -> dict[str, Any]:
    """One member of the roster as the report lists them, in Chinese."""
    yes = lambda v: "是" if v else "否"  # noqa: E731
    return {"name": x.get("name", ""), "role": {"lead": "组长", "worker": "社工"}.get(x.get("role"), x.get("role") or ""),
            "age": x.get("age", ""), "education": _EDUCATION_ZH.get(x.get("education"), x.get("education") or ""),
            "qualified": yes(x.get("qualified")), "certificate": yes(x.get("certificate")),
            "source": {"town": "镇街", "contractor": "承接机构"}.get(x.get("source"), "—"),
            "post": {"admin": "行政", "service": "服务"}.get(x.get("post"), "—")}


def _yuan(amount: float | None) -> str:
    return "—" if amount is None else f"{amount:,.2f} 元"


def _iso(d: date | str | None) -> str | None:
    if d is None:
        return None
    return d.isoformat() if isinstance(d, date) else str(d)[:10]
