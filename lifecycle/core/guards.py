"""Guards: rules that refuse an event, each returning its reasons; `GUARDS` maps each event to its guards.

A failed `transitions` condition only returns False; these return the
reasons (rule id + clause + what is wrong) so the service can refuse with a
sentence that cites the law. Pure: the service passes in the project, the
event's data, the rulebook and a view of the other projects (`Market`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from lifecycle.core.creditcode import AUTHORITIES, authority
from lifecycle.core.errors import Names, said
from lifecycle.core.roster import education_rank

if TYPE_CHECKING:
    from lifecycle.core.project import Project
    from lifecycle.core.rulebook import Rule, Rulebook


@dataclass(frozen=True)
class Holding:
    """Another open project, as the contractor guards see it."""

    project: str
    station: str
    district: str
    station_kind: str
    contractor: str | None


@dataclass(frozen=True)
class Market:
    holdings: tuple[Holding, ...] = ()
    contractor: dict[str, Any] | None = None   # the contractor being awarded: id, name, credit_code, district


def _say(rule: Rule, text: str, book: Rulebook | None = None) -> str:
    from lifecycle.core.receipt_words import citation
    where = citation(rule, book, "zh") if book else rule.source + " " + rule.clause
    return said("{reason} ({basis})", reason=text, basis=rule.basis, citation=where, rule=rule.id)


Guard = Callable[["Project", dict[str, Any], "Rulebook", Market, date], list[str]]


# -- the guards, one function each: (project, event data, rulebook, market, date) -> reasons ----------
def _term(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    months = int(data["term_months"])
    return [_say(rule, said("a term of {months} months exceeds {get} months", months=months, get=rule.get('max_months')))
            for rule in book.guards("term") if months > rule.get("max_months")]


def _roster(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    return [_say(rule, r, book) for rule in book.guards("roster") for r in roster_problems(rule, data["roster"], project)]


def _registration(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    return [_say(rule, r) for rule in book.guards("registration")
            for r in registration_problems(rule, market.contractor or {})]


def _conflict(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    return [_say(rule, r) for rule in book.guards("conflict")
            for r in conflict_problems(project, data["contractor"], market)]


def _exclusive(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    return [_say(rule, r) for rule in book.guards("exclusive")
            for r in exclusive_problems(project, data["contractor"], market)]


_OUTCOME_OF = {"renewal": said("renewal"), "the balance payment": said("the balance payment")}


def _outcome(what: str) -> Guard:
    """DY-outcome: `what` (renewal, the balance payment) needs a passed evaluation."""
    def guard(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
        if what == "the balance payment" and data.get("kind") != "balance":
            return []
        reasons = []
        for rule in book.guards("outcome"):
            last = project.last_evaluation()
            if what == "the balance payment":  # DY-outcome (东营 art. 29): a pass of the term it pays for
                term = project.term_on(on)
                ofterm = [ev for ev in project.evaluations if term is None or ev["on"] >= term.start.isoformat()]
                last = ofterm[-1] if ofterm else None
                if last is None and term is not None and project.evaluations:
                    reasons.append(_say(rule, said("{what} needs a passed evaluation of term {no} (from {start}), and none is recorded", what=_OUTCOME_OF[what], no=term.no, start=term.start.isoformat())))
                    continue
            if last is None:
                reasons.append(_say(rule, said("{what} needs a passed evaluation, and none is recorded", what=_OUTCOME_OF[what])))
            elif last["result"] == "fail":
                reasons.append(_say(rule, said("{what} is not allowed after the failed evaluation of {last}", what=_OUTCOME_OF[what], last=last['on'])))
        return reasons
    return guard


def _expiry(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    if not (project.term_end and on < project.term_end):
        return []
    rule = next(iter(book.of_type("term_decision")), None)
    basis = f" ({rule.basis})" if rule else ""
    return [said("the term runs until {term_end}; it cannot expire on {on}{basis}", term_end=project.term_end.isoformat(), on=on.isoformat(), basis=basis)]


def _within_contract(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    # the signed contract (and its renewals) is the ceiling of what the purchaser pays
    ceiling = project.contract_amount
    if ceiling is None:
        return []
    total = project.paid + data["amount"]
    if total <= ceiling:
        return []
    return [said("paying {data:,} yuan would bring the payments to {total:,} yuan, over the contract amount of {ceiling:,} yuan (the service contract signed on {signed_on}{value})", data=data['amount'], total=total, ceiling=ceiling, signed_on=project.signed_on.isoformat(), value=' and its renewals' if len(project.terms) > 1 else '')]


def _one_report(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    period = data.get("period")
    held = project.reports.get(f"{data['kind']}:{period}") if period else None
    if held is None:
        return []
    return [said("a {data} report for {period} is already recorded as event {held}; void that event (`lifecycle correct {id} {held} --void --reason ...`) to replace it", data=data['kind'], period=period, held=held, id=project.id)]


# Which guards an event passes through, in the order their reasons are given.
def _subprojects(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    out = []
    for rule in book.guards("subprojects"):
        # DY-1+N (东营 art. 9, 设置2-3个子项目; art. 22, all added sub-projects to the chosen contractor)
        most = rule.get("max_subprojects")
        if len(project.subprojects) + 1 > most:
            out.append(_say(rule, said("the station already has {count} sub-projects; at most {most}", count=len(project.subprojects), most=most)))
        if data.get("contractor") and data["contractor"] != project.contractor:
            out.append(_say(rule, said("sub-project {data} goes to {data2}, but every sub-project goes to the main project's contractor {contractor}", data=data['name'], data2=data['contractor'], contractor=project.contractor)))
        if any(s["name"] == data["name"] for s in project.subprojects):
            out.append(_say(rule, said("sub-project {data} already exists", data=data['name'])))
    return out


def _accounts(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    name = data.get("subproject")
    out: list[str] = []
    for rule in book.guards("accounts"):
        # DY-accounts (东营 art. 18): each sub-project accounted separately, funds never mixed
        sub = next((s for s in project.subprojects if s["name"] == name), None) if name else None
        if name and sub is None:
            out.append(_say(rule, said("there is no sub-project {name}", name=name)))
        elif sub is not None:
            paid = sum(p["amount"] for p in project.payments if p.get("subproject") == name)
            if paid + data["amount"] > sub["budget"]:
                out.append(_say(rule, said("paying {data:,} would bring sub-project {name} to {value:,} yuan, above its budget of {sub:,}", data=data['amount'], name=name, value=paid + data['amount'], sub=sub['budget'])))
    return out


def _points(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    out = []
    for rule in book.guards("points"):
        # DG-points (东莞 三(一)2): one point per 2-3 villages or per 30,000 residents; 不少于30平方米 includes 30
        if data["area"] < rule.get("min_area"):
            out.append(_say(rule, said("a service point of {data:g} m² is below {get} m²", data=data['area'], get=rule.get('min_area'))))
        residents = data.get("residents")
        if data["villages"] > rule.get("max_villages") and not (residents and residents <= rule.get("max_residents")):
            out.append(_say(rule, said("one point for {data} villages: at most {get} villages or {get2:,} residents a point", data=data['villages'], get=rule.get('max_villages'), get2=rule.get('max_residents'))))
        covered = sum(p["villages"] for p in project.points) + data["villages"]
        if project.villages and covered > project.villages:
            out.append(_say(rule, said("the points would cover {covered} villages; the station has {villages}", covered=covered, villages=project.villages)))
    return out


def _scope(project: Project, data: dict[str, Any], book: Rulebook, market: Market, on: date) -> list[str]:
    """JN-scope (济南 三(五)): the government's own confidential matters, administrative acts and
    management and service matters are not to be listed as the station's service content."""
    from lifecycle.core.eventdata import SERVICE_CONTENT
    out = []
    for rule in book.guards("scope"):
        outside = [c for c in data.get("content") or () if c in rule.get("forbidden", ())]
        if outside:
            out.append(_say(rule, said("declared service content {content} is not station service: it is the "
                                       "street (town) government staff's own", content=Names(
                                           [f"{c} ({SERVICE_CONTENT[c]})" for c in outside]))))
    return out


GUARDS: dict[str, tuple[Guard, ...]] = {
    "service": (_scope,),
    "subproject": (_subprojects,),
    "point": (_points,),
    "sign": (_term,),
    "renew": (_term, _outcome("renewal")),
    "staff": (_roster,),
    "award": (_registration, _conflict, _exclusive),
    "pay": (_within_contract, _outcome("the balance payment"), _accounts),
    "report": (_one_report, _scope),
    "expire": (_expiry,),
}


def check(event: str, project: Project, data: dict[str, Any], book: Rulebook, market: Market,
          on: date) -> list[str]:
    """Every reason the rulebook refuses `event` for `project`; empty when allowed."""
    return [reason for guard in GUARDS.get(event, ()) for reason in guard(project, data, book, market, on)]


def roster_problems(rule: Rule, roster: list[dict[str, Any]], project: Project) -> list[str]:
    out: list[str] = []
    n = len(roster)
    if rule.get("min_staff") and n < rule.get("min_staff"):
        out.append(said("the roster has {n} staff, at least {least} are required", n=n, least=rule.get("min_staff")))
    max_age, max_cert = rule.get("max_age"), rule.get("max_age_certified")
    if max_age is not None:
        for s in roster:
            # Civil Code art. 1259: "40周岁以下" includes 40
            limit = max_cert if (max_cert and s["certificate"]) else max_age
            if s["age"] > limit:
                if max_cert:
                    out.append(said("{name} is {age}, above the age limit of {limit} ({certified} with the national "
                                    "certificate)", name=s["name"], age=s["age"], limit=max_age, certified=max_cert))
                else:
                    out.append(said("{name} is {age}, above the age limit of {limit}", name=s["name"], age=s["age"],
                                    limit=max_age))
    if rule.get("min_education"):
        floor = education_rank(rule.get("min_education"))
        low = [s["name"] for s in roster if education_rank(s["education"]) < floor]
        if low:
            out.append(said("{names} lack(s) an associate degree (大专) or above", names=Names(low)))
    if rule.get("qualified_share"):
        num, den = rule.get("qualified_share")
        q = sum(1 for s in roster if s["qualified"])
        if q * den < num * n:
            out.append(said("{q} of {n} staff hold a social-work qualification, at least {num}/{den} are required",
                            q=q, n=n, num=num, den=den))
    if rule.get("lead_qualified"):
        leads = [s for s in roster if s["role"] == "lead"]
        if not leads:
            out.append("the roster names no project lead (role lead)")
        elif not all(s["qualified"] for s in leads):
            out.append(said("the project lead {name} holds no social-work qualification", name=leads[0]["name"]))
    if rule.get("town_staff"):
        lo, hi = rule.get("town_staff")
        town = sum(1 for s in roster if s.get("source") == "town")
        if not lo <= town <= hi:
            out.append(said("{town} staff come from the town, {lo}-{hi} are required (column source)", town=town, lo=lo, hi=hi))
    if rule.get("min_contractor_staff"):
        own = sum(1 for s in roster if s.get("source") == "contractor")
        if own < rule.get("min_contractor_staff"):
            out.append(said("{own} staff come from the contractor, at least {get} are required (column source)", own=own, get=rule.get('min_contractor_staff')))
    if rule.get("min_certified"):
        certified = sum(1 for s in roster if s["certificate"] or s["qualified"])
        if certified < rule.get("min_certified"):
            out.append(said("{certified} staff hold a social-work certificate, at least {get} are required", certified=certified, get=rule.get('min_certified')))
    if rule.get("min_admin"):
        admin = sum(1 for s in roster if s.get("post") == "admin")
        if admin < rule.get("min_admin"):
            out.append(said("{admin} administrative-post social workers, at least {get} are required (column post)", admin=admin, get=rule.get('min_admin')))
    if rule.get("service_per_village"):
        service = sum(1 for s in roster if s.get("post") == "service")
        if service < project.villages:
            out.append(said("{service} service-post social workers for {villages} villages/communities; at least one per village is required (column post)", service=service, villages=project.villages))
    return out


def registration_problems(rule: Rule, contractor: dict[str, Any]) -> list[str]:
    code = contractor.get("credit_code")
    if not code:
        return []
    who = authority(code)
    name = AUTHORITIES.get(who, who)
    if rule.get("require_authorities") and who not in rule.get("require_authorities"):
        return [said("contractor {contractor} is registered with {name} (credit code {code}), not as a social organisation with civil affairs (民政)", contractor=contractor['id'], name=name, code=code)]
    if who in rule.get("refuse_authorities", ()):
        return [said("contractor {contractor} is registered with {name} (credit code {code}), which may not contract station services", contractor=contractor['id'], name=name, code=code)]
    return []


def conflict_problems(project: Project, contractor: str, market: Market) -> list[str]:
    # JN-conflict: the general station and a street station of one district never share a contractor
    general = project.station_kind == "general"
    for h in market.holdings:
        if h.contractor != contractor or h.district != project.district or h.project == project.id:
            continue
        if general != (h.station_kind == "general"):
            kind = said("a street station") if general else said("the district general station")
            return [said("contractor {contractor} already runs {kind} in {district} ({station}, project {project})", contractor=contractor, kind=kind, district=project.district, station=h.station, project=h.project)]
    return []


def exclusive_problems(project: Project, contractor: str, market: Market) -> list[str]:
    out = []
    for h in market.holdings:
        if h.project == project.id or h.contractor is None:
            continue
        if h.station == project.station and h.contractor != contractor:
            out.append(said("station {station} is already run by contractor {contractor} (project {project})", station=project.station, contractor=h.contractor, project=h.project))
        if h.contractor == contractor and h.district != project.district:
            out.append(said("contractor {contractor} already runs station {station} in {district}; it may not also run one in {district2}", contractor=contractor, station=h.station, district=h.district, district2=project.district))
    return out
