"""Terminal text of `explain` and `summary`, in the reader's language."""
from __future__ import annotations

from typing import Any

from lifecycle.core.explain import Receipt
from lifecycle.core.receipt_words import note, period_text, provisional_text, sentence
from lifecycle.core.names import duty_label, event_name, state_name
from lifecycle.core.text_table import render


def receipt_text(rc: Receipt, stored: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    ob, r = rc.obligation, rc.reckoning
    label = duty_label(ob.kind, ob.id, ob.subject, lang)
    rule = rc.rule
    lines = [f"{'项目' if zh else 'project':<11}{rc.project}",
             f"{'义务' if zh else 'obligation':<11}{ob.id} — {label}",
             f"{'依据' if zh else 'basis':<11}{ob.basis} — {rc.citation if zh else rc.citation_en}"]
    if rule is not None:
        lines.append(f"{'条文' if zh else 'rule':<11}{rule.summary if zh else rule.summary_en}")
    if rc.trigger:
        t = rc.trigger
        lines.append(f"{'起算事件' if zh else 'trigger':<11}"
                     + (f"事件 {t.seq}（{event_name(t.event, 'zh')}，{t.event}），生效日期 {t.date.isoformat()}" if zh
                        else f"event {t.seq} ({t.event}), effective {t.date.isoformat()}"))
    lines.append(f"{'期间' if zh else 'period':<11}{period_text(rc, lang)}")
    lines.append(("计算步骤" if zh else "steps") + ":")
    lines.append(render(["日期" if zh else "date", "规则" if zh else "rule", "说明" if zh else "step"],
                        [[s.date.isoformat(), s.rule, note(s, rc, lang)] for s in rc.steps]))
    due = rc.due.isoformat() + ((" （暂定）" if zh else " (provisional)") if rc.provisional else "")
    lines.append(f"{'应履行日' if zh else 'due':<11}{due}")
    if stored.get("due") and stored["due"] != rc.due.isoformat():
        lines.append(f"  状态中存储的日期为 {stored['due']}：节假日数据已更新，请运行 lifecycle recompute" if zh else
                     f"  the stored status says {stored['due']}: holiday data changed since; run lifecycle recompute")
    if ob.setting:
        lines.append("  此日期依据本地设置，而非法律条文" if zh else "  this date rests on a local setting, not on a clause")
    if rc.provisional:
        lines.append("  " + provisional_text(rc, lang))
    lines.append(f"{'一句话' if zh else 'in short':<11}{sentence(rc, lang)}")
    return "\n".join(lines)
