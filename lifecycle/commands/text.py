"""Human-readable text for status, deadlines, history and replay (tables line up with CJK)."""
from __future__ import annotations

import json
from typing import Any

from lifecycle.commands.i18n import _, basis, language, say
from lifecycle.core.names import state_name, status_name
from lifecycle.core.speech import N_, finding_in, recognised
from lifecycle.core.text_table import pad, render

_MARK = {"overdue": "OVERDUE", "open": "open", "met": "met", "waived": "waived", "lapsed": "LAPSED"}
# what met a district's duty, as its projection keeps it (`lifecycle.core.district`)
MET_BY = (N_("project {project} event {seq}"), N_("district event {seq}"))


def obligations_table(obligations: list[dict[str, Any]]) -> str:
    rows = []
    for o in obligations:
        due = o["due"] + (" " + _("(provisional)") if o["provisional"] else "")
        met = o["met_on"] or ""
        if o["met_on"] and o["met_on"] > o["due"]:
            met += " " + _("late")
        rows.append([o["id"], due, _mark(o["status"]), met, basis(o["basis"])])
    return render([_("obligation"), _("due"), _("status"), _("met"), _("basis")], rows)


def _mark(status: str) -> str:
    return status_name(status) if language() == "zh" else _MARK.get(status, status)


def _state(code: str) -> str:
    return state_name(code) if language() == "zh" else code


# FJ-built's parts (有场地、有人员、有服务), as a status names the missing ones
_PARTS = {"premises": lambda: _("premises"), "staff": lambda: _("staff in post"), "service": lambda: _("a first service")}


def status_text(s: dict[str, Any]) -> str:
    label = {"project": _("project"), "station": _("station"), "rulebook": _("rulebook"),
             "contractor": _("contractor"), "term": _("term")}
    lines = [
        f"{pad(label['project'], 9)} {s['project']}  [{_state(s['state'])}]",
        f"{pad(label['station'], 9)} {s['station_name']} ({s['station']}), {s['district']}",
        f"{pad(label['rulebook'], 9)} {s['rulebook']} {s['rulebook_version']}",
        *[f"{pad('', 9)} " + _("from {on}: {rulebook} {version}").format(on=pin["from"], rulebook=pin["rulebook"],
                                                                         version=pin["rulebook_version"])
          + (f" ({pin['reason']})" if pin.get("reason") else "") for pin in s.get("rulebooks", [])],
        f"{label['contractor']} {s.get('contractor_name') or s.get('contractor') or '-'}",
        f"{pad(label['term'], 9)} {s.get('term_start') or '-'} → {s.get('term_end') or '-'}",
    ]
    if s.get("built"):
        b = s["built"]
        lines.append(_("built (FJ-built): yes") if b["built"] else
                     _("built (FJ-built): no, missing {parts}").format(parts=", ".join(_PARTS[m]() for m in b["missing"])))
    if s["findings"]:
        lines.append(_("findings") + ":")
        lines += [f"  {f['on']}  {finding_in(f['text'], language())} ({basis(f['basis'])})" for f in s["findings"]]
    counts: dict[str, int] = {}
    for o in s["obligations"]:
        counts[o["status"]] = counts.get(o["status"], 0) + 1
    lines.append(_("obligations") + ": " + ", ".join(f"{n} {_mark(k) if language() == 'zh' else k}"
                                                   for k, n in sorted(counts.items())))
    if s["obligations"]:
        lines.append(obligations_table(s["obligations"]))
    return "\n".join(lines)


def deadlines_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return _("no open duties")
    return render([_("project"), _("station"), _("district"), _("obligation"), _("due"), _("overdue"), _("basis")], [
        [r["project"] or _("(district)"), r["station"] or "", r["district"], r["obligation"],
         r["due"] + (" " + _("(provisional)") if r["provisional"] else ""),
         _("{days} d").format(days=r["days_overdue"]) if r["days_overdue"] else "", basis(r["basis"])] for r in rows])


def history_text(events: list[dict[str, Any]]) -> str:
    return render([_("seq"), _("event"), _("effective"), _("recorded"), _("actor"), _("data"), _("hash")], [
        [e["seq"], e["event"], e["effective"], e["recorded"], e["actor"],
         _data_text(e["data"]), e["hash"][:12]] for e in events])


def _data_text(data: dict[str, Any]) -> str:
    shown = {k: (_("{count} staff").format(count=len(v)) if k == "roster" else v) for k, v in data.items()
             if v is not None}
    text = " ".join(f"{k}={v if not isinstance(v, (dict, list)) else json.dumps(v, ensure_ascii=False)}"
                    for k, v in shown.items())
    return text if len(text) <= 70 else text[:67] + "..."


def replay_text(r: dict[str, Any]) -> str:
    head = _("project {project} replayed from {count} events").format(project=r["project"], count=r["events_applied"])
    if r.get("as_of"):
        head += _(" effective by {day}").format(day=r["as_of"])
    if r.get("known_at"):
        head += _(" recorded by {moment}").format(moment=r["known_at"])
    lines = [head + _(": state {state}").format(state=state_name(r["state"]) if language() == "zh" else r["state"])]
    if r.get("verified") is True:
        lines.append(_("verified: the hash chain holds and the stored projection equals the replay (head {head})")
                     .format(head=r["head_hash"][:16]))
    elif r.get("verified") is False:
        lines.append(_("NOT verified:"))
        lines += [f"  {say(p)}" for p in r["problems"]]
    if r["obligations"]:
        lines.append(obligations_table(r["obligations"]))
    return "\n".join(lines)


def district_text(d: dict[str, Any]) -> str:
    lines = [_("district  {district}  ({reports} reports in its log, head {head})").format(
        district=d["district"], reports=len(d["reports"]), head=d["head_seq"])]
    rows = [[o["id"], o["due"] + (_(" (provisional)") if o["provisional"] else ""), _mark(o["status"]),
             (o["met_on"] or "") + (_met_by(o["met_by"]) if o.get("met_by") else ""),
             len(o["projects"]), basis(o["basis"])] for o in d["obligations"]]
    if rows:
        lines.append(render([_("obligation"), _("due"), _("status"), _("met"), _("projects"), _("basis")], rows))
    else:
        lines.append(_("no duties owed by the district"))
    return "\n".join(lines)


def _met_by(text: str) -> str:
    by = say(recognised(text, MET_BY))
    return f"（{by}）" if language() == "zh" else f" ({by})"


def recompute_text(r: dict[str, Any]) -> str:
    """What `recompute` moved (or, with --dry-run, would move), the projects', the districts' and the
    province's, and the letters that named the old dates."""
    from lifecycle.core.text_table import render
    if not r["moved"] and not r["changed"]:
        return (_("Nothing would move: every due date already stands under the present holiday data and rulebooks (nothing written).")
                if r["dry_run"] else
                _("Nothing moved: every due date already stands under the present holiday data and rulebooks."))
    counts = dict(projects=len(r["changed"]), moved=len(r["moved"]), letters=len(r["letters"]))
    lines = [_("{projects} projects would be recomputed; {moved} due dates would move; {letters} letters named an old date (nothing written)").format(**counts)
             if r["dry_run"] else
             _("{projects} projects recomputed; {moved} due dates moved; {letters} letters named an old date").format(**counts)]
    if r["moved"]:
        lines.append(render([_("project"), _("duty"), _("old"), _("new"), _("why")],
                            [[m["project"], m["obligation"], m["old"], m["new"], say(m["why"])] for m in r["moved"]]))
    if r["named"]:
        lines.append(render([_("notice"), _("project"), _("duty"), _("stage"), _("named"), _("now")],
                            [[n["notice"], n["project"], n["obligation"], n["stage"], n["named"], n["new"]]
                             for n in r["named"]]))
    return "\n".join(lines)
