"""What each event of `advance` takes as KEY=VALUE, parsed into typed data.

Unknown keys, missing required keys and malformed values are bad input
(exit 2), named with the project and event. The roster file is read here
and its rows go into the event, so replay never needs the file: the caller
passes the reader (`lifecycle.files`), which knows the encodings and XLSX.
Numbers accept fullwidth digits and thousands separators alike (NFKC).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Callable

from lifecycle.core.errors import BadInput, said
from lifecycle.core.roster import parse_roster_rows
from lifecycle.core.values import normal, parse_number

# reads the roster a `staff` event names: (name shown in messages, rows of text with the header first,
# each row's number in its file); BadInput when it cannot be read
RosterReader = Callable[[str], tuple[str, list[list[str]], list[int]]]
from lifecycle.core.limits import AMOUNT_MAX, HOURS_MAX, SCORE_MAX, TERM_MONTHS_MAX, name_problem, number_problem

REPORT_KINDS = ("monthly", "midterm", "annual", "final", "quarterly", "weekly", "district", "registers")
RESULTS = ("excellent", "good", "pass", "fail")
TRAINING_KINDS = ("general", "pre_service", "practical", "policy", "education")
_PERIOD = {"monthly": r"\d{4}-(0[1-9]|1[0-2])", "quarterly": r"\d{4}-Q[1-4]",
           "weekly": r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])", "district": r"\d{4}", "annual": r"\d{4}"}


def _text(v: str) -> str:
    if not v.strip():
        raise ValueError(said("is empty"))
    why = name_problem(v.strip())
    if why:
        raise ValueError(said("the text {why}", why=why))
    return v.strip()


def _positive_at_most(cap: float, unit: str) -> Callable[[str], float]:
    """A finite positive number of at most `cap` `unit` (`lifecycle.core.limits`); fullwidth digits
    and thousands separators read as Chinese offices write them (`lifecycle.core.values`)."""
    def parse(v: str) -> float:
        try:
            x = parse_number(v)
        except ValueError:
            try:
                x = float(normal(v))   # 1e300, nan, inf: numbers, refused below by their limits
            except ValueError:
                raise ValueError(said("{v!r} is not a number", v=v[:40])) from None
        why = number_problem(x, cap, unit, repr(v[:40]))
        if why:
            raise ValueError(why)
        return int(x) if x.is_integer() else x
    return parse


_positive = _positive_at_most(AMOUNT_MAX, "yuan")
_hours = _positive_at_most(HOURS_MAX, "hours")
_score = _positive_at_most(SCORE_MAX, "points")


def _months(v: str) -> int:
    v = normal(v)
    if not re.fullmatch(r"\d+", v):
        raise ValueError(said("{v!r} is not a whole number of months", v=v[:40]))
    if len(v) > 6:
        raise ValueError(said("{v}... months is more than {TERM_MONTHS_MAX}, the longest term accepted",
                v=v[:12], TERM_MONTHS_MAX=TERM_MONTHS_MAX))
    n = int(v)
    if n < 1:
        raise ValueError(said("must be at least 1 month"))
    if n > TERM_MONTHS_MAX:
        raise ValueError(said("{n} months is more than {TERM_MONTHS_MAX}, the longest term accepted",
                n=n, TERM_MONTHS_MAX=TERM_MONTHS_MAX))
    return n


def _year(v: str) -> int:
    v = normal(v)
    if not re.fullmatch(r"\d{4}", v):
        raise ValueError(said("{v!r} is not a year (YYYY)", v=v[:40]))
    if not 2000 <= int(v) <= 2100:
        raise ValueError(said("{v} is not a year between 2000 and 2100", v=v))
    return int(v)


def _count(v: str) -> int:
    if not re.fullmatch(r"\d{1,9}", v.strip()):
        raise ValueError(said("{v!r} is not a whole number", v=v))
    return int(v)


# Service content a `service` record (or a report) declares: the three kinds of 济南 三(五) 1-3, and the
# matters of the street (town) government's own staff that 三(五) keeps out of the station's services
# (JN-scope: 保密事项、行政行为、管理及服务事项不得列入社工站服务内容). Codes or their Chinese names.
SERVICE_CONTENT = {
    "professional": "专业社会工作服务", "talent": "社会工作人才培养", "governance": "参与城乡社区治理",
    "confidential": "保密事项", "administrative": "行政行为", "government_service": "政府管理及服务事项",
}
_CONTENT_OF = {**{k: k for k in SERVICE_CONTENT}, **{v: k for k, v in SERVICE_CONTENT.items()}}


def _contents(v: str) -> list[str]:
    """A comma-separated list of service content (codes or Chinese names), as codes, each once."""
    out: list[str] = []
    for part in re.split(r"[,，、]", normal(v)):
        part = part.strip()
        if not part:
            continue
        if part not in _CONTENT_OF:
            raise ValueError(said("{part!r} is not one of {kinds}", part=part[:40], kinds=", ".join(SERVICE_CONTENT)))
        if _CONTENT_OF[part] not in out:
            out.append(_CONTENT_OF[part])
    if not out:
        raise ValueError(said("is empty"))
    return out


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(v: str) -> str:
        if v not in choices:
            raise ValueError(said("{v!r} is not one of {names}", v=v, names=', '.join(choices)))
        return v
    return parse


# event -> {key: (parser, required)}
SCHEMAS: dict[str, dict[str, tuple[Callable[[str], Any], bool]]] = {
    "announce": {"note": (_text, False), "notice": (_text, False)},
    "fail_tender": {"reason": (_text, True)},
    "award": {"contractor": (_text, True), "notice": (_text, False), "note": (_text, False)},
    "sign": {"term_months": (_months, False), "amount": (_positive, False), "ref": (_text, False)},
    "publish": {"ref": (_text, False), "where": (_text, False), "note": (_text, False)},
    "file_contract": {"ref": (_text, False), "with": (_text, False), "note": (_text, False)},
    "staff": {"roster": (_text, True), "note": (_text, False)},
    "report": {"kind": (_one_of(*REPORT_KINDS), True), "period": (_text, False), "title": (_text, False),
               "hours_per_week": (_hours, False),    # JN-hours: community hours a week per worker
               "content": (_contents, False)},       # JN-scope: the service content it declares
    "training": {"hours": (_hours, True), "person": (_text, False), "kind": (_one_of(*TRAINING_KINDS), False),
                 "topic": (_text, False)},
    "supervision": {"hours": (_hours, True), "person": (_text, False), "by": (_text, False)},
    "case": {"title": (_text, False), "person": (_text, False)},
    # a service given (FJ-built 有服务), with the content it declares (JN-scope)
    "service": {"content": (_contents, True), "title": (_text, False), "person": (_text, False),
                "hours": (_hours, False)},
    "file_plan": {"year": (_year, True), "budget": (_positive, False)},
    "pay": {"kind": (_one_of("advance", "balance", "progress"), True), "amount": (_positive, True),
            "ref": (_text, False), "subproject": (_text, False)},
    "evaluate": {"result": (_one_of(*RESULTS), True), "by": (_text, False), "score": (_score, False)},
    "suspend": {"reason": (_text, True)},
    "resume": {"reason": (_text, False)},
    "renew": {"term_months": (_months, False), "amount": (_positive, False)},
    "expire": {"note": (_text, False)},
    "terminate": {"reason": (_text, True)},
    "hand_over": {"to": (_text, False), "items": (_text, False), "note": (_text, False)},
    "subproject": {"name": (_text, True), "budget": (_positive, True), "contractor": (_text, False)},
    "point": {"villages": (_count, True), "residents": (_count, False), "area": (_positive, True),
              "name": (_text, False)},
    "premises": {"area": (_positive, False), "address": (_text, False)},
}


def parse_pairs(project: str, event: str, pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadInput(said("project {project}: {event}: {pair!r} is not KEY=VALUE",
                    project=project, event=event, pair=pair[:40]))
        if key in out:
            raise BadInput(said("project {project}: {event}: {key} is given twice",
                    project=project, event=event, key=key))
        out[key] = value
    return out


def parse_event_data(project: str, event: str, raw: dict[str, str], defaults: dict[str, Any],
                     read_roster: RosterReader | None = None) -> dict[str, Any]:
    """Typed data for `event`; BadInput naming the key on anything wrong. A `staff` event's
    roster= is read with `read_roster`."""
    schema = SCHEMAS[event]
    data: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in schema:
            allowed = ", ".join(schema) or "no keys"
            raise BadInput(said("project {project}: {event} does not take {key}= (it takes {allowed})",
                    project=project, event=event, key=key[:40], allowed=allowed))
        parser, _required = schema[key]
        try:
            data[key] = parser(value)
        except ValueError as exc:
            raise BadInput(said("project {project}: {event}: {key}= {exc}",
                    project=project, event=event, key=key, exc=exc)) from None
    for key, value in defaults.items():
        data.setdefault(key, value)
    missing = [k for k, (_p, required) in schema.items() if required and k not in data]
    if missing:
        raise BadInput(said("project {project}: {event} needs {names}",
                project=project, event=event, names=', '.join((k + '=' for k in missing))))
    if event == "report":
        _check_period(project, data)
    if event == "staff":
        if read_roster is None:
            raise ValueError(said("a staff event needs a roster reader"))
        try:
            name, rows, numbers = read_roster(data.pop("roster"))
        except BadInput as exc:
            raise BadInput(said("project {project}: staff: {message}", project=project, message=exc.message)) from None
        data["roster"] = [s.as_dict() for s in parse_roster_rows(rows, said("project {project}: roster {name}", project=project, name=name), numbers)]
        data["roster_file"] = name
    return data


def _check_period(project: str, data: dict[str, Any]) -> None:
    kind, period = data["kind"], data.get("period")
    pattern = _PERIOD.get(kind)
    if kind in ("monthly", "quarterly", "weekly") and period is None:
        example = {"monthly": "2026-05", "quarterly": "2026-Q2", "weekly": "2026-W21"}[kind]
        raise BadInput(said("project {project}: report kind={kind} needs period= (e.g. period={example})",
                project=project, kind=kind, example=example))
    if period is not None and pattern and not re.fullmatch(pattern, period):
        raise BadInput(said("project {project}: report kind={kind}: period={period!r} is malformed",
                project=project, kind=kind, period=period))


def period_bounds(kind: str, period: str | None) -> tuple[date, date] | None:
    """The first and last day of a report's period (2026-05, 2026-Q2, 2026-W21, 2026); None without one."""
    if not period or kind not in _PERIOD:
        return None
    if kind == "monthly":
        first = date(int(period[:4]), int(period[5:7]), 1)
        return first, date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
    if kind == "quarterly":
        q = int(period[-1])
        first = date(int(period[:4]), 3 * q - 2, 1)
        return first, date(first.year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
    if kind == "weekly":
        try:
            first = date.fromisocalendar(int(period[:4]), int(period[6:]), 1)
        except ValueError:
            return None
        return first, first + timedelta(days=6)
    return date(int(period), 1, 1), date(int(period), 12, 31)
