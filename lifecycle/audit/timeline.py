"""The audit report's timeline: states over time against the duties (due vs met), as geometry.

Pure. `timeline(...)` returns coordinates in a fixed SVG user space; the
template draws them (so all markup lives in templates). One row holds the
states as coloured bands; below it one row per kind of duty, where each
duty is a mark at its due date: met on time (green dot), met late (red line
from due to met, red dot), open and overdue (red line from due to the audit
date), open and not yet due (hollow), waived (grey). The chart ends a little
after the audit date; duties due later are counted in the caption.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from lifecycle.core.names import duty_name, state_name
from lifecycle.core.obligations import status_on

WIDTH, LEFT, RIGHT, TOP, ROW, AXIS = 960, 170, 20, 28, 22, 24
STATE_COLOURS = {
    "plan_filed": "#d8e2f0", "procurement": "#b9cde8", "awarded": "#9ec1e0", "contracted": "#8fd0c0",
    "in_service": "#a6dba0", "suspended": "#f4d58d", "expired": "#d9d9d9", "terminated": "#f2a7a0",
    "closed": "#bfbfbf",
}
TAIL = timedelta(days=45)


@dataclass
class Timeline:
    width: int
    height: int
    start: str
    end: str
    ticks: list[dict[str, Any]] = field(default_factory=list)      # {x, label}
    rows: list[dict[str, Any]] = field(default_factory=list)       # {y, label}
    states: list[dict[str, Any]] = field(default_factory=list)     # {x, w, y, label, colour}
    marks: list[dict[str, Any]] = field(default_factory=list)      # {kind, x, x2, y, title}
    audit_x: float = 0.0
    later: int = 0                                                  # duties due after the chart's end


def timeline(transitions: list[tuple[date, str]], obligations: list[dict[str, Any]], as_of: date) -> Timeline:
    """`transitions`: (effective date, state entered) in order; `obligations`: snapshot dicts."""
    start = transitions[0][0] if transitions else as_of
    last = max([as_of] + [d for d, _ in transitions])
    end = last + TAIL
    scale = (WIDTH - LEFT - RIGHT) / max(1, (end - start).days)

    def x(d: date) -> float:
        return round(LEFT + (min(max(d, start), end) - start).days * scale, 1)

    shown = [o for o in obligations if date.fromisoformat(o["due"]) <= end]
    kinds = list(dict.fromkeys(o["kind"] for o in sorted(shown, key=lambda o: (o["due"], o["id"]))))
    height = TOP + ROW * (len(kinds) + 1) + AXIS
    chart = Timeline(WIDTH, height, start.isoformat(), end.isoformat(), later=len(obligations) - len(shown))
    chart.ticks = _ticks(start, end, x)
    chart.rows = [{"y": TOP + ROW // 2, "label": "状态"}] + [
        {"y": TOP + ROW * (i + 1) + ROW // 2, "label": duty_name(k)} for i, k in enumerate(kinds)]
    for i, (since, state) in enumerate(transitions):
        until = transitions[i + 1][0] if i + 1 < len(transitions) else end
        chart.states.append({"x": x(since), "w": max(1.0, round(x(until) - x(since), 1)), "y": TOP + 3,
                             "label": state_name(state), "colour": STATE_COLOURS.get(state, "#dddddd")})
    for o in shown:
        y = TOP + ROW * (kinds.index(o["kind"]) + 1) + ROW // 2
        due = date.fromisoformat(o["due"])
        met = date.fromisoformat(o["met_on"]) if o.get("met_on") else None
        title = f"{o['id']}: due {o['due']}" + (f", met {o['met_on']}" if met else f", {status_on(o['status'], due, as_of)}")
        if met:
            kind = "late" if met > due else "met"
            chart.marks.append({"kind": kind, "x": x(due), "x2": x(met), "y": y, "title": title})
        elif o["status"] == "waived":
            chart.marks.append({"kind": "waived", "x": x(due), "x2": x(due), "y": y, "title": title})
        elif status_on(o["status"], due, as_of) == "overdue":
            chart.marks.append({"kind": "overdue", "x": x(due), "x2": x(as_of), "y": y, "title": title})
        else:
            chart.marks.append({"kind": "open", "x": x(due), "x2": x(due), "y": y, "title": title})
    chart.audit_x = x(as_of)
    return chart


def _ticks(start: date, end: date, x: Any) -> list[dict[str, Any]]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 12 else 3 if months <= 36 else 6
    out, y, m = [], start.year, start.month + 1
    while True:
        if m > 12:
            y, m = y + 1, m - 12
        day = date(y, m, 1)
        if day > end:
            return out
        if (m - 1) % step == 0:
            out.append({"x": x(day), "label": f"{y}-{m:02d}"})
        m += 1
