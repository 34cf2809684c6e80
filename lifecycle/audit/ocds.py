"""Projects as an Open Contracting Data Standard 1.1 release package (OCDS 1.1.5 schema).

One package holds one release a project: the project as its log stands now
(a release of the stage it has reached), with

- `ocid` = `ocds-lc0000-<project id>`. `ocds-lc0000` is a PLACEHOLDER prefix: real
  prefixes are issued by the Open Contracting Partnership; a publisher replaces it
  (`OCID_PREFIX`) before publishing;
- `id` = `<ocid>-<head seq>`, so each new event gives a new release id; `date` = when the
  last event was recorded; `tag` from the state reached;
- parties: the district civil-affairs bureau (buyer, procuringEntity, payer) and the
  contractor (supplier, payee; identifier scheme `CN-USCC` for the unified social credit code);
- planning: the annual implementation plan with its budget (CNY);
- tender, awards, contracts (value, period, dateSigned, status) and the contract's
  `implementation.milestones` (every duty of the project: dueDate, dateMet, status
  met / notMet / partiallyMet / scheduled from the milestoneStatus codelist, type from the
  milestoneType codelist) and `implementation.transactions` (the payments).

Duties owed before a contract exists (the plan, signing itself) go to
`planning.milestones` / `tender.milestones`. A waived duty has no status (the codelist has
none for it) and says why in its description. Dates are midnight in Asia/Shanghai.
"""
from __future__ import annotations

from typing import Any

from lifecycle.audit.bundle import Bundle
from lifecycle.core.clock import Clock
from lifecycle.core.names import duty_name

OCID_PREFIX = "ocds-lc0000"
CURRENCY = "CNY"
PUBLISHER = "社工站项目生命周期引擎 (lifecycle)"
_TAGS = {"plan_filed": ["planning"], "procurement": ["tender"], "awarded": ["award"], "contracted": ["contract"],
         "in_service": ["contract", "implementation"], "suspended": ["implementation"],
         "expired": ["implementation"], "terminated": ["contractTermination"], "closed": ["implementation"]}
_TYPES = {"plan": "preProcurement", "contract": "approval", "filing": "approval", "publication": "approval",
          "evaluation": "assessment", "assessment": "assessment", "term_decision": "approval"}
_REPORTS = {"briefing", "midterm_report", "final_report", "annual_report", "quarterly_report", "weekly_report",
            "district_report", "registers"}


def ocid(project_id: str) -> str:
    return f"{OCID_PREFIX}-{project_id}"


def release_package(bundles: list[Bundle], clock: Clock) -> dict[str, Any]:
    name = ocid(bundles[0].project) if len(bundles) == 1 else "all"
    return {
        "uri": f"urn:lifecycle:ocds:{name}:{clock.recorded}",
        "version": "1.1",
        "publishedDate": clock.now.isoformat(timespec="seconds"),
        "publisher": {"name": PUBLISHER},
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "releases": [release(b) for b in bundles],
    }


def release(b: Bundle) -> dict[str, Any]:
    s = b.view
    head = b.events[-1]
    buyer = {"id": f"CN-MZJ-{s['district']}", "name": f"{s['district']}民政局"}
    out: dict[str, Any] = {
        "ocid": ocid(b.project), "id": f"{ocid(b.project)}-{head.seq}", "date": head.recorded,
        "language": "zh", "tag": _TAGS.get(s["state"], ["update"]), "initiationType": "tender",
        "buyer": buyer, "parties": [_party(buyer, ["buyer", "procuringEntity", "payer"])],
    }
    duties = s.get("obligations", [])
    early = [o for o in duties if o["kind"] == "plan"]
    out["planning"] = {
        "rationale": f"{s['year']}年度社会工作服务站实施计划（{s.get('station_name') or s['station']}）",
        "milestones": [_milestone(o) for o in early],
    }
    if s.get("budget") is not None:
        out["planning"]["budget"] = {"amount": _money(s["budget"]), "description": "年度预算"}
    tender: dict[str, Any] = {
        "id": f"{b.project}-tender", "title": f"{s.get('station_name') or s['station']}社会工作服务项目",
        "status": _tender_status(s["state"]), "procurementMethodDetails": "政府购买服务",
        "mainProcurementCategory": "services",
    }
    out["tender"] = tender
    supplier = None
    if s.get("contractor"):
        supplier = {"id": s["contractor"], "name": s.get("contractor_name") or s["contractor"]}
        party = _party(supplier, ["supplier", "payee"])
        code = (b.contractor or {}).get("credit_code")
        if code:
            party["identifier"] = {"scheme": "CN-USCC", "id": code, "legalName": supplier["name"]}
        out["parties"].append(party)
        out["awards"] = [{"id": f"{b.project}-award", "status": "active", "date": _day(s["awarded_on"]),
                          "suppliers": [supplier]}]
    later = [o for o in duties if o["kind"] != "plan"]
    if s.get("signed_on"):
        out["contracts"] = [_contract(b, buyer, supplier, later)]
    elif later:
        tender["milestones"] = [_milestone(o) for o in later]
    return _without_nulls(out)


def _without_nulls(value: Any) -> Any:
    """OCDS omits a field it does not know rather than sending null."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _contract(b: Bundle, buyer: dict[str, str], supplier: dict[str, str] | None, duties: list[dict]) -> dict[str, Any]:
    s = b.snapshot
    status = {"terminated": "terminated", "expired": "terminated", "closed": "terminated"}.get(s["state"], "active")
    contract: dict[str, Any] = {
        "id": f"{b.project}-contract", "awardID": f"{b.project}-award", "status": status,
        "title": f"{s.get('station_name') or s['station']}社会工作服务合同", "dateSigned": _day(s["signed_on"]),
        "period": {"startDate": _day(s["term_start"]), "endDate": _day(s["term_end"])},
        "implementation": {
            "milestones": [_milestone(o) for o in duties],
            "transactions": [{"id": f"{b.project}-pay-{p['seq']}", "date": _day(p["on"]),
                              "value": _money(p["amount"]), "payer": buyer, "payee": supplier,
                              "source": f"lifecycle event {p['seq']} ({p['kind']})"} for p in s.get("payments", [])],
        },
    }
    if s.get("amount") is not None:
        contract["value"] = _money(s["amount"])
    return contract


def _milestone(o: dict[str, Any]) -> dict[str, Any]:
    m: dict[str, Any] = {"id": o["id"], "title": f"{duty_name(o['kind'])} ({o['id']})", "type": _type(o["kind"]),
                         "code": o["kind"], "dueDate": _day(o["due"]),
                         "description": o["basis"] + ("；暂定日期（节假日安排未公布）" if o.get("provisional") else "")}
    if o["status"] == "met":
        m["status"], m["dateMet"] = "met", _day(o["met_on"])
    elif o["status"] == "waived":
        m["description"] += f"；免除：{o.get('note') or ''}"
    elif o["status"] == "overdue":
        m["status"] = "partiallyMet" if o.get("progress") and o.get("required") else "notMet"
    else:
        m["status"] = "scheduled"
    return m


def _type(kind: str) -> str:
    if kind in _REPORTS:
        return "reporting"
    return _TYPES.get(kind, "delivery")


def _tender_status(state: str) -> str:
    return {"plan_filed": "planned", "procurement": "active"}.get(state, "complete")


def _money(amount: float) -> dict[str, Any]:
    return {"amount": amount, "currency": CURRENCY}


def _party(org: dict[str, str], roles: list[str]) -> dict[str, Any]:
    return {"id": org["id"], "name": org["name"], "roles": roles}


def _day(iso: str | None) -> str | None:
    return f"{iso}T00:00:00+08:00" if iso else None
