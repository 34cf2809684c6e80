"""A due date's receipt (`lifecycle.core.explain`) in words, Chinese or English: the clause
cited, the period, each step, why a date is provisional, and the whole in one sentence for
letters and the audit report. Pure.
"""
from __future__ import annotations

from lifecycle.core.errors import said

import re
from datetime import date
from typing import TYPE_CHECKING

from lifecycle.core.names import duty_label, holiday_name, trigger_phrase, weekday_name

if TYPE_CHECKING:
    from lifecycle.core.explain import Reckoning, Receipt, Step
    from lifecycle.core.rulebook import Rule, Rulebook


def citation(rule: Rule | None, book: Rulebook, lang: str) -> str:
    """The rule's clause in words: 《东营市…管理办法（东民〔2022〕62号）》第25条, or `东营 art. 25`."""
    if rule is None:
        return ""
    key = (book.name, book.digest, rule.id, rule.source, rule.clause, lang)
    text = _CITED.get(key)
    if text is None:
        text = _CITED[key] = _citation(rule, book, lang)
    return text


_CITED: dict[tuple[str, ...], str] = {}  # memo: a rulebook's text is pinned by its digest


def _citation(rule: Rule, book: Rulebook, lang: str) -> str:
    local = book.extends is not None and rule.source == book.short
    if lang != "zh":
        return f"{book.title_en if local else rule.source} {rule.clause}"
    art = re.fullmatch(r"arts?\.\s*([\d\-–, ]+)", rule.clause)
    clause = f"第{art[1].strip().replace('-', '至')}条" if art else rule.clause.replace("(", "（").replace(")", "）")
    return f"《{book.title if local else rule.source}》{clause}"


def day_text(d: date, lang: str, year: bool = True) -> str:
    if lang == "zh":
        return (f"{d.year}年" if year else "") + f"{d.month}月{d.day}日"
    return f"{d.day} {d.strftime('%B')}" + (f" {d.year}" if year else "")


def _rest_text(s: Step, lang: str, weekday: bool = True) -> str:
    """What kind of rest day a step's date is: 国庆节、中秋节假期, or 星期六 (`weekday` False: 周末)."""
    if s.holidays:
        names = [holiday_name(h, lang) for h in s.holidays]
        return "、".join(names) + "假期" if lang == "zh" else "a rest day of " + " and ".join(names)
    if s.date.weekday() >= 5:
        if not weekday:
            return "周末休息日" if lang == "zh" else "a weekend day"
        return weekday_name(s.date, lang) if lang == "zh" else f"a {weekday_name(s.date, lang)}"
    return "法定节假日" if lang == "zh" else "a public holiday"


def _unit_text(r: Reckoning, lang: str) -> str:
    if r.unit == "days":
        return f"{r.count}日" if lang == "zh" else f"{r.count} days"
    if r.unit == "months":
        if r.years:
            return f"{r.count // 12}年" if lang == "zh" else f"{r.count // 12} years"
        return f"{r.count}个月" if lang == "zh" else f"{r.count} months"
    if r.unit == "working_days":
        return f"{r.count}个工作日" if lang == "zh" else f"{r.count} working days"
    return "固定日期" if lang == "zh" else "a fixed date"


def period_text(rc: Receipt, lang: str) -> str:
    """The period and how it is counted, in one line."""
    r = rc.reckoning
    unit = _unit_text(r, lang)
    setting = (f"（本地设置 {r.setting} = {rc.setting_value}，并非法律条文）" if lang == "zh"
               else f" (local setting {r.setting} = {rc.setting_value}, not a clause of law)") if r.setting else ""
    if r.unit == "fixed":
        what = "期间最后一日" if r.from_ == "period_end" else "规定日期"
        text = f"{what}{day_text(r.anchor, 'zh')}，遇休假日顺延" if lang == "zh" else \
            f"{'the last day of the period' if r.from_ == 'period_end' else 'the set date'}, " \
            f"{day_text(r.anchor, 'en')}, moved past rest days"
        return text + setting
    since = ("自" + ("期间届满" if r.from_ == "period_end" else "起算事件") + f"{day_text(r.anchor, 'zh')}的次日起算")
    if lang != "zh":
        since = f"counted from the day after {day_text(r.anchor, 'en')}"
    return (f"{unit}，{since}" if lang == "zh" else f"{unit}, {since}") + setting


def note(s: Step, rc: Receipt, lang: str) -> str:
    """One step in words."""
    zh = lang == "zh"
    day = day_text(s.date, lang) + (f"（{weekday_name(s.date, lang)}）" if zh else f" ({weekday_name(s.date, lang)})")
    what = s.what
    if what == "start":
        if zh:
            return f"{day}{_anchor_phrase(rc, 'zh')}；期间开始的当日不计入，自次日起算（民法典第二百零一条）"
        return f"{day}: {_anchor_phrase(rc, 'en')}; the day a period begins is not counted (Civil Code art. 201)"
    if what == "day":
        return f"第{s.n}日为{day}" if zh else f"day {s.n} is {day}"
    if what == "corresponding":
        return (f"{_unit_text(rc.reckoning, 'zh')}后的对应日为{day}（民法典第二百零二条）" if zh
                else f"the corresponding day {_unit_text(rc.reckoning, 'en')} on is {day} (Civil Code art. 202)")
    if what == "month_end":
        return (f"{_unit_text(rc.reckoning, 'zh')}后的月份没有对应日，以该月最后一日{day}为期间最后一日（民法典第二百零二条）"
                if zh else f"the final month has no corresponding day: its last day, {day}, ends the period "
                           "(Civil Code art. 202)")
    if what == "fixed":
        if rc.reckoning.from_ == "period_end":
            return f"所涉期间的最后一日为{day}" if zh else f"the period the duty covers ends on {day}"
        return f"规定的日期为{day}" if zh else f"the set date is {day}"
    if what == "rest":
        counting = s.rule == "working days"
        if zh:
            return f"{day}为{_rest_text(s, 'zh', False)}" + ("，不计入工作日" if counting else "")
        return f"{day} is {_rest_text(s, 'en', False)}" + (": not counted" if counting else "")
    if what == "adjusted":
        holiday = "、".join(holiday_name(h, lang) for h in s.holidays)
        return (f"{day}为{holiday}调休上班日，计为第{s.n}个工作日" if zh
                else f"{day} is an adjusted working day (调休{', ' + holiday if holiday else ''}): working day {s.n}")
    if what == "counted":
        return f"第{s.n}个工作日为{day}" if zh else f"working day {s.n} is {day}"
    if what == "working":
        return f"{day}为工作日，无需顺延（民法典第二百零三条）" if zh else \
            f"{day} is a working day: no roll (Civil Code art. 203)"
    if what == "roll":
        return (f"期间最后一日为休假日，顺延至其后的第一个工作日{day}（民法典第二百零三条）" if zh
                else f"the last day is a rest day, so it moves to the first working day after it, {day} "
                     "(Civil Code art. 203)")
    raise ValueError(said("unknown step {what!r}", what=what))


def _anchor_phrase(rc: Receipt, lang: str) -> str:
    r = rc.reckoning
    if r.from_ == "event" and rc.trigger and rc.trigger.date == r.anchor:
        return trigger_phrase(rc.trigger.event, lang)
    if r.from_ == "event":
        return "起算" if lang == "zh" else "the period starts"
    return "所涉期间届满" if lang == "zh" else "the period the duty covers ends"


def provisional_text(rc: Receipt, lang: str) -> str:
    """Why a date is provisional and what data would settle it; empty when it is not."""
    if not rc.provisional:
        return ""
    years = "、".join(str(y) for y in rc.missing_years)
    if lang == "zh":
        return (f"暂定：{years}年的节假日安排尚未公布（国务院办公厅通知），暂按周末计算；"
                f"该年安排公布后补充节假日数据，此日期即可确定")
    return (f"provisional: the State Council has not yet published the holidays of {years.replace('、', ', ')}, "
            "so rest days are weekends alone; holiday data for that year settles it")


def sentence(rc: Receipt, lang: str = "zh") -> str:
    """The receipt in one sentence: 9月26日发出中标通知书，次日起算10日，第10日10月6日为国庆节假期，顺延至10月9日."""
    zh = lang == "zh"
    r, steps, ob = rc.reckoning, rc.steps, rc.obligation
    say = (lambda d: day_text(d, lang, year=d.year != r.anchor.year))
    label = duty_label(ob.kind, ob.id, ob.subject, lang)
    start = day_text(r.anchor, lang, year=r.from_ != "event")
    if r.from_ == "event":
        opening = f"{start}{_anchor_phrase(rc, 'zh')}" if zh else f"On {start} {_anchor_phrase(rc, 'en')}"
    elif r.from_ == "period_end":
        opening = f"{label}所涉期间于{start}届满" if zh else f"The period of {label} ended on {start}"
    else:
        opening = f"{label}规定于{start}前完成" if zh else f"{label[:1].upper()}{label[1:]} is due by {start}"
    parts = [opening]
    if r.unit != "fixed":
        parts.append(f"次日起算{_unit_text(r, 'zh')}" if zh else f"counting {_unit_text(r, 'en')} from the next day")
    if r.unit == "working_days":
        parts += [f"跳过{b}" if zh else f"skipping {b}" for b in _blocks_skipped(steps, lang)]
        parts += [f"{say(s.date)}调休上班计入" if zh else f"counting the adjusted working day {say(s.date)}"
                  for s in steps if s.what == "adjusted"]
        parts.append(f"第{r.count}个工作日为{say(rc.due)}" if zh else f"working day {r.count} is {say(rc.due)}")
        return _join(parts, zh)
    last = steps[1].date if r.unit in ("days", "months") else r.anchor
    name = {"days": (f"第{r.count}日", f"day {r.count}"), "months": ("期满日", "the last day")}.get(r.unit)
    rests = [s for s in steps if s.rule == "art. 203" and s.what == "rest"]
    if rests:
        if zh:
            parts.append(f"{name[0] if name else ''}{say(last)}为{_rest_text(rests[0], 'zh')}")
        else:
            parts.append(f"{name[1] + ', ' if name else ''}{say(last)}, is {_rest_text(rests[0], 'en')}")
        parts.append(f"顺延至{say(rc.due)}" if zh else f"so it moves to {say(rc.due)}")
    elif name:
        parts.append(f"{name[0]}为{say(last)}" if zh else f"{name[1]} is {say(last)}")
    return _join(parts, zh)


def _join(parts: list[str], zh: bool) -> str:
    if zh:
        return "，".join(parts)
    return parts[0] + ("; " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def _blocks_skipped(steps: tuple[Step, ...], lang: str) -> list[str]:
    """The holiday blocks a working-day count passed over: 国庆节、中秋节假期（10月1日至10月8日）."""
    runs: list[list[Step]] = []
    for s in steps:
        if s.what == "rest" and s.rule == "working days" and s.holidays:
            if runs and runs[-1][-1].holidays == s.holidays and (s.date - runs[-1][-1].date).days == 1:
                runs[-1].append(s)
            else:
                runs.append([s])
    out = []
    for run in runs:
        first, last = day_text(run[0].date, lang, False), day_text(run[-1].date, lang, False)
        if lang == "zh":
            out.append("、".join(holiday_name(h, "zh") for h in run[0].holidays) + f"假期（{first}至{last}）")
        else:
            out.append(" and ".join(holiday_name(h, "en") for h in run[0].holidays) + f" ({first} to {last})")
    return out
