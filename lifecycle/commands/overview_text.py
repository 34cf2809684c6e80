"""Terminal text of `explain` and `summary`, in the reader's language."""
from __future__ import annotations

from typing import Any

from lifecycle.core.explain import Receipt
from lifecycle.core.receipt_words import note, period_text, provisional_text, sentence
from lifecycle.core.names import duty_label, event_name, state_name
from lifecycle.core.text_table import pad, render


_RULE_ZH = {"art. 201": "民法典第201条", "art. 202": "民法典第202条", "art. 203": "民法典第203条",
            "working days": "工作日", "fixed": "规定日期"}


def receipt_text(rc: Receipt, stored: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    ob, r = rc.obligation, rc.reckoning
    label = duty_label(ob.kind, ob.id, ob.subject, lang)
    rule = rc.rule
    lines = [f"{pad('项目' if zh else 'project', 11)}{rc.project}",
             f"{pad('义务' if zh else 'obligation', 11)}{ob.id} — {label}",
             f"{pad('依据' if zh else 'basis', 11)}{ob.basis.split(':')[0] if zh else ob.basis} — {rc.citation if zh else rc.citation_en}"]
    if rule is not None:
        lines.append(f"{pad('条文' if zh else 'rule', 11)}{rule.summary if zh else rule.summary_en}")
    if rc.trigger:
        t = rc.trigger
        lines.append(f"{pad('起算事件' if zh else 'trigger', 11)}"
                     + (f"事件 {t.seq}（{event_name(t.event, 'zh')}，{t.event}），生效日期 {t.date.isoformat()}" if zh
                        else f"event {t.seq} ({t.event}), effective {t.date.isoformat()}"))
    lines.append(f"{pad('期间' if zh else 'period', 11)}{period_text(rc, lang)}")
    lines.append(("计算步骤" if zh else "steps") + ":")
    lines.append(render(["日期" if zh else "date", "规则" if zh else "rule", "说明" if zh else "step"],
                        [[s.date.isoformat(), _RULE_ZH.get(s.rule, s.rule) if zh else s.rule, note(s, rc, lang)]
                         for s in rc.steps]))
    due = rc.due.isoformat() + ((" （暂定）" if zh else " (provisional)") if rc.provisional else "")
    lines.append(f"{pad('应履行日' if zh else 'due', 11)}{due}")
    if stored.get("due") and stored["due"] != rc.due.isoformat():
        lines.append(f"  状态中存储的日期为 {stored['due']}：节假日数据已更新，请运行 lifecycle recompute" if zh else
                     f"  the stored status says {stored['due']}: holiday data changed since; run lifecycle recompute")
    if ob.setting:
        lines.append("  此日期依据本地设置，而非法律条文" if zh else "  this date rests on a local setting, not on a clause")
    if rc.provisional:
        lines.append("  " + provisional_text(rc, lang))
    lines.append(f"{pad('一句话' if zh else 'in short', 11)}{sentence(rc, lang)}")
    return "\n".join(lines)


_LIGHTS = {"red": ("红", "red"), "amber": ("黄", "amber"), "green": ("绿", "green"), "none": ("无项目", "no project")}


def _pct(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def _yuan(x: float) -> str:
    return f"{x:,.2f}"


def summary_text(p: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    blocks = [(f"截至 {p['as_of']}" if zh else f"as of {p['as_of']}")]
    for d in p["districts"]:
        c = d["coverage"]
        lines = [f"== {d['district']}",
                 (f"覆盖率    {c['in_service']}/{c['stations']} 个站点有承接机构在服务（{_pct(c['ratio'])}）" if zh else
                  f"coverage  {c['in_service']} of {c['stations']} stations with a contractor in service ({_pct(c['ratio'])})")]
        if c["built"] is not None:
            lines.append(f"建成      {c['built']['count']} 个站点（FJ-built）" if zh else
                         f"built     {c['built']['count']} stations (FJ-built)")
        states = ", ".join(f"{state_name(k, lang) if zh else k} {n}" for k, n in d["states"].items() if n)
        lines.append(f"{pad('项目状态' if zh else 'projects', 10)}{states or '—'}")
        lights = ", ".join(f"{_LIGHTS[k][0 if zh else 1]} {n}" for k, n in d["lights"].items() if n)
        lines.append(f"{pad('站点信号' if zh else 'stations', 10)}{lights}")
        m = d["money"]
        lines.append((f"资金      预算 {_yuan(m['budget'])} 元，合同 {_yuan(m['contracted'])} 元，已付 {_yuan(m['paid'])} 元" if zh
                      else f"money     budget {_yuan(m['budget'])}, contracted {_yuan(m['contracted'])}, "
                           f"paid {_yuan(m['paid'])} yuan"))
        upcoming = sum(len(day["duties"]) for day in d["calendar"])
        lines.append(f"{'未来30个工作日' if zh else 'next 30 working days'}: "
                     + (f"{upcoming} 项义务到期（至 {p['window_end']}）" if zh else f"{upcoming} duties due (to {p['window_end']})"))
        if d["overdue_by_contractor"]:
            lines.append("逾期义务（按承接机构）:" if zh else "overdue duties by contractor:")
            lines.append(render(["承接机构" if zh else "contractor", "逾期" if zh else "overdue", "义务" if zh else "duties"],
                                [[r["name"] or ("（未定）" if zh else "(none yet)"), r["overdue"],
                                  ", ".join(f"{x['project']} {x['obligation']}" for x in r["duties"][:3])
                                  + (" …" if len(r["duties"]) > 3 else "")] for r in d["overdue_by_contractor"]]))
        red = [s for s in d["stations"] if s["light"] == "red"]
        if red:
            lines.append(("红灯站点: " if zh else "red stations: ") + ", ".join(f"{s['station']} {s['name']}" for s in red))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
