"""The dashboard: the portfolio's figures (`lifecycle.services.portfolio`) as a static site.

No network, no script, no CDN: plain HTML and inline SVG drawn from
`templates/dashboard/*.j2`, one `style.css`, printable on A4 landscape, so
the folder works from a USB stick. Every figure links down to the list
behind it (`list-*.html`), every list to the station (`station-*.html`) and
each duty to its row in the project's audit report (`reports/*.html#duty-…`),
generated into the same folder. Chinese, as the people who read it.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from lifecycle.core.names import duty_label, holiday_name, state_name, weekday_name
from lifecycle.core.states import State

LIGHTS = {"red": ("红灯", "有逾期义务"), "amber": ("黄灯", "5个工作日内有义务到期"), "green": ("绿灯", "无逾期、近期无到期"),
          "none": ("无项目", "尚无项目")}
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(text: str) -> str:
    """A file-name-safe form of an id: kept as it is when it is plain ASCII, else made unique by a hash."""
    clean = _SAFE.sub("_", text)
    return clean if clean == text else f"{clean.strip('_') or 'x'}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


def report_href(project: str, obligation: str | None = None) -> str:
    return f"reports/{slug(project)}.html" + (f"#duty-{obligation}" if obligation else "")


def station_href(station: str) -> str:
    return f"station-{slug(station)}.html"


class Site:
    """Builds the pages of one dashboard into `out`; `render` is the Jinja2 environment's."""

    def __init__(self, figures: dict[str, Any], out: Path, generated_at: str) -> None:
        self.f, self.out, self.generated_at = figures, out, generated_at
        self.env = _environment()
        self.pages = 0

    def write(self, name: str, template: str, **context: Any) -> None:
        html = self.env.get_template(template).render(as_of=self.f["as_of"], generated_at=self.generated_at, **context)
        (self.out / name).write_text(html, encoding="utf-8")
        self.pages += 1

    def build(self, reports: int) -> int:
        """The pages of the figures; the `reports` audit reports are already in `reports/`."""
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "style.css").write_text(self.env.get_template("style.css").render(), encoding="utf-8")
        sections = [self.district(i, d) for i, d in enumerate(self.f["districts"], start=1)]
        self.write("index.html", "index.html.j2", districts=sections, totals=self.f["totals"],
                   window_end=self.f["window_end"], amber_until=self.f["amber_until"])
        return self.pages + reports

    # -- one district: its figures, each with the list behind it ----------------------------
    def district(self, n: int, d: dict[str, Any]) -> dict[str, Any]:
        name, key = d["district"], f"list-{n}"
        stations = {s["station"]: s for s in d["stations"]}
        projects = {p["project"]: p for p in d["projects"]}
        c = d["coverage"]
        self.list_page(f"{key}-coverage.html", f"{name} · 覆盖率：有承接机构在服务的站点",
                       ["站点", "名称", "类型", "在服务", "信号", "项目"],
                       [self._station_cells(s, projects) for s in d["stations"]])
        for light in LIGHTS:
            self.list_page(f"{key}-light-{light}.html", f"{name} · {LIGHTS[light][0]}站点（{LIGHTS[light][1]}）",
                           ["站点", "名称", "类型", "在服务", "信号", "项目"],
                           [self._station_cells(s, projects) for s in d["stations"] if s["light"] == light])
        for state in State:
            self.list_page(f"{key}-state-{state.value}.html", f"{name} · {state_name(state.value)}的项目",
                           ["项目", "站点", "状态", "承接机构", "合同期满", "逾期", "下一项义务"],
                           [self._project_cells(p, stations) for p in d["projects"] if p["state"] == state.value])
        self.list_page(f"{key}-overdue.html", f"{name} · 全部逾期义务", *self._duty_table(d["overdue"], stations))
        firms = []
        for r in d["overdue_by_contractor"]:
            page = f"{key}-overdue-{slug(r['contractor'] or 'none')}.html"
            self.list_page(page, f"{name} · {r['name'] or '尚未确定承接机构'}的逾期义务", *self._duty_table(r["duties"], stations))
            firms.append({**r, "href": page})
        self.list_page(f"{key}-money.html", f"{name} · 资金：预算、合同金额与已付款",
                       ["项目", "站点", "状态", "承接机构", "预算（元）", "合同金额（元）", "已付（元）"],
                       [[_link(m["project"], report_href(m["project"])), _link(m["station"], station_href(m["station"])),
                         state_name(m["state"]), m["contractor"] or "—", _yuan(m["budget"]), _yuan(m["contracted"]),
                         _yuan(m["paid"])] for m in d["money_rows"]])
        overdue_at: dict[str, list[dict[str, Any]]] = {}
        upcoming_at: dict[str, list[dict[str, Any]]] = {}
        for x in d["overdue"]:
            overdue_at.setdefault(x["station"], []).append(x)
        for day in d["calendar"]:
            for x in day["duties"]:
                upcoming_at.setdefault(x["station"], []).append(x)
        for s in d["stations"]:
            self.station_page(name, key, s, projects, overdue_at.get(s["station"], []),
                              upcoming_at.get(s["station"], []))
        days = []
        for day in d["calendar"]:
            page = None
            if day["duties"]:
                page = f"{key}-day-{day['date']}.html"
                self.list_page(page, f"{name} · {day['date']} 到期的义务", *self._duty_table(day["duties"], stations))
            days.append({**day, "href": page, "weekday": date.fromisoformat(day["date"]).weekday(),
                         "holiday_zh": holiday_name(day["holiday"]) if day["holiday"] else ""})
        return {"n": n, "name": name, "key": key, "coverage": c, "states": _bars(d["states"], key),
                "lights": d["lights"], "stations": d["stations"], "station_href": station_href, "firms": firms,
                "money": d["money"], "money_bars": _money_bars(d["money"]), "weeks": _weeks(days),
                "overdue": len(d["overdue"]), "projects": len(d["projects"]), "light_names": LIGHTS}

    def station_page(self, district: str, key: str, s: dict[str, Any], projects: dict[str, Any],
                     mine: list[dict[str, Any]], upcoming: list[dict[str, Any]]) -> None:
        """One station's page: its projects, its overdue duties and those of the next 30 working days."""
        self.write(station_href(s["station"]), "station.html.j2", district=district, key=key, s=s,
                   light=LIGHTS[s["light"]], projects=_rows([self._project_cells(projects[p], {}) for p in s["projects"]]),
                   overdue=_rows(self._duty_table(mine, {})[1]), upcoming=_rows(self._duty_table(upcoming, {})[1]),
                   duty_head=self._duty_table([], {})[0])

    def list_page(self, name: str, title: str, head: list[str], rows: list[list[Any]]) -> None:
        self.write(name, "list.html.j2", title=title, head=head, rows=_rows(rows))

    # -- rows -------------------------------------------------------------------------------
    def _station_cells(self, s: dict[str, Any], projects: dict[str, Any]) -> list[Any]:
        return [_link(s["station"], station_href(s["station"])), s["name"], _KIND.get(s["kind"], s["kind"]),
                "是" if s["in_service"] else "否", {"text": LIGHTS[s["light"]][0], "cls": f"light-{s['light']}"},
                [_link(p, report_href(p)) for p in s["projects"]]]

    def _project_cells(self, p: dict[str, Any], stations: dict[str, Any]) -> list[Any]:
        nxt = (f"{duty_label(p['next_duty'].split(':')[0], p['next_duty'], None, 'zh')} {p['next_due']}"
               if p["next_duty"] else "—")
        return [_link(p["project"], report_href(p["project"])), _link(p["station"], station_href(p["station"])),
                state_name(p["state"]), p["contractor_name"] or "—", p["term_end"] or "—",
                {"text": str(p["overdue"]), "cls": "late" if p["overdue"] else ""}, nxt]

    def _duty_table(self, duties: list[dict[str, Any]], stations: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        head = ["项目", "站点", "义务", "应履行日", "逾期天数", "依据"]
        rows = [[_link(x["project"], report_href(x["project"])), _link(x["station"], station_href(x["station"])),
                 _link(duty_label(x["kind"], x["obligation"], x["subject"], "zh"), report_href(x["project"], x["obligation"]),
                       "duty"),
                 x["due"] + ("（暂定）" if x["provisional"] else ""),
                 {"text": f"{x['days_overdue']} 天" if x["status"] == "overdue" else "", "cls": "late"}, x["basis"]]
                for x in duties]
        return head, rows


_KIND = {"street": "街道", "town": "镇", "general": "总站"}


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    folder = resources.files("lifecycle.templates") / "dashboard"
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def _link(text: str, href: str, cls: str = "") -> dict[str, str]:
    return {"text": text, "href": href, "cls": cls}


def _rows(rows: list[list[Any]]) -> list[Any]:
    """Table rows as HTML, built here rather than in a template loop: a district's lists run to
    thousands of rows, and this is where the dashboard's time went."""
    from markupsafe import Markup, escape
    out = []
    for r in rows:
        cells = []
        for c in r:
            parts = _cell(c)
            cls = f' class="{escape(parts[0]["cls"])}"' if len(parts) == 1 and parts[0]["cls"] else ""
            inner = "、".join(
                (f'<a href="{escape(p["href"])}"' + (f' class="{escape(p["cls"])}"' if p["cls"] else "")
                 + f">{escape(p['text'])}</a>") if p["href"] else str(escape(p["text"])) for p in parts)
            cells.append(f"<td{cls}>{inner}</td>")
        out.append(Markup("<tr>" + "".join(cells) + "</tr>"))
    return out


def _cell(c: Any) -> list[dict[str, str]]:
    """A cell as a list of parts, each {text, href?, cls?}."""
    if isinstance(c, list):
        return [p for x in c for p in _cell(x)] or _cell("—")
    if isinstance(c, dict):
        return [{"text": c.get("text", ""), "href": c.get("href", ""), "cls": c.get("cls", "")}]
    return [{"text": "" if c is None else str(c), "href": "", "cls": ""}]


def _yuan(x: float | None) -> str:
    return "—" if x is None else f"{x:,.2f}"


def _bars(states: dict[str, int], key: str) -> list[dict[str, Any]]:
    top = max(states.values() or [0]) or 1
    return [{"state": s, "name": state_name(s), "count": n, "width": round(260 * n / top, 1), "y": 6 + 22 * i,
             "href": f"{key}-state-{s}.html"} for i, (s, n) in enumerate(states.items())]


def _money_bars(money: dict[str, float]) -> list[dict[str, Any]]:
    top = max(money.values() or [0]) or 1
    names = {"budget": "预算", "contracted": "合同金额", "paid": "已付"}
    return [{"key": k, "name": names[k], "value": _yuan(v), "width": round(300 * v / top, 1), "y": 6 + 26 * i}
            for i, (k, v) in enumerate(money.items())]


def _weeks(days: list[dict[str, Any]]) -> list[list[dict[str, Any] | None]]:
    """The days as calendar weeks, Monday first; None pads the first and last week."""
    weeks: list[list[dict[str, Any] | None]] = []
    week: list[dict[str, Any] | None] = [None] * (days[0]["weekday"] if days else 0)
    for day in days:
        week.append({**day, "label": f"{int(day['date'][5:7])}月{int(day['date'][8:])}日",
                     "weekday_zh": weekday_name(date.fromisoformat(day["date"]))})
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def write_site(out: Path, figures: dict[str, Any], reports: int, generated_at: str) -> dict[str, Any]:
    site = Site(figures, out, generated_at)
    pages = site.build(reports)
    return {"index": str(out / "index.html"), "pages": pages, "projects": reports,
            "districts": len(figures["districts"]), "as_of": figures["as_of"]}
