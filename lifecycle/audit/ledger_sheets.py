"""The rows of the 台账 a bureau opens: projects, obligations, payments, evaluations, staff.

The projects sheet starts with the columns `lifecycle project import` reads
(the same Chinese headers), taken from each project's events: so exporting a
district and importing the file into an empty database (with the same
stations and contractors) rebuilds each project's steps — the same state,
contractor, term and duties. The staff sheet holds every project's roster
with a 项目编号 column; a project's 人员名册 cell names that sheet.

Columns are (header, key, kind); `lifecycle.audit.xlsx_ledger` writes them.
"""
from __future__ import annotations

from typing import Any

from lifecycle.audit.bundle import Bundle
from lifecycle.core.events import effective_history
from lifecycle.core.names import duty_name
from lifecycle.core.obligations import status_on

STAFF_SHEET = "人员"
Column = tuple[str, str, str]   # (header, key, kind: text | date | yuan | count | state | verified)

# the import's columns first (see lifecycle.services.ledger_import.COLUMNS), then what a person reads
PROJECT_COLUMNS: list[Column] = [
    ("项目编号", "project", "text"), ("站点编号", "station", "text"), ("规则集", "rulebook", "text"),
    ("计划年度", "year", "count"), ("计划备案日期", "plan_filed", "date"), ("预算(元)", "budget", "yuan"),
    ("采购公告日期", "announce", "date"), ("中标日期", "award", "date"), ("承接机构编号", "contractor", "text"),
    ("合同签订日期", "signed_on", "date"), ("合同金额(元)", "amount", "yuan"), ("服务期限月数", "term_months", "count"),
    ("合同公告日期", "publish", "date"), ("合同备案日期", "file_contract", "date"), ("到岗日期", "staff", "date"),
    ("人员名册", "roster", "text"), ("暂停日期", "suspend", "date"), ("暂停原因", "suspend_reason", "text"),
    ("终止日期", "terminate", "date"), ("终止原因", "terminate_reason", "text"), ("期满日期", "expire", "date"),
    ("档案移交日期", "hand_over", "date"),
    ("社工站", "station_name", "text"), ("区县", "district", "text"), ("承接机构", "contractor_name", "text"),
    ("统一社会信用代码", "credit_code", "text"), ("状态", "state", "state"), ("合同起始日", "term_start", "date"),
    ("合同到期日", "term_end", "date"), ("实际结束日", "ended_on", "date"), ("结束原因", "end_reason", "text"),
    ("已付金额(元)", "paid", "yuan"), ("下一项到期义务", "next_duty_shown", "text"), ("到期日", "next_due", "date"),
    ("最早未履行义务", "first_owed_shown", "text"), ("其到期日", "first_owed_due", "date"),
    ("逾期义务数", "overdue", "count"), ("日志校验", "verified", "verified"),
]
OBLIGATION_COLUMNS: list[Column] = [
    ("项目编号", "project", "text"), ("义务编号", "id", "text"), ("义务", "name", "text"), ("规则", "rule", "text"),
    ("依据", "basis", "text"), ("到期日", "due", "date"), ("状态", "status", "text"), ("履行日期", "met_on", "date"),
]
PAYMENT_COLUMNS: list[Column] = [
    ("项目编号", "project", "text"), ("付款日期", "on", "date"), ("类型", "kind", "text"),
    ("金额(元)", "amount", "yuan"),
]
EVALUATION_COLUMNS: list[Column] = [
    ("项目编号", "project", "text"), ("评估日期", "on", "date"), ("结果", "result", "text"),
    ("评估机构", "by", "text"), ("分数", "score", "count"),
]
STAFF_COLUMNS: list[Column] = [
    ("项目编号", "project", "text"), ("姓名", "name", "text"), ("角色", "role", "text"), ("年龄", "age", "count"),
    ("学历", "education", "text"), ("社工资格", "qualified", "text"), ("全国社工证", "certificate", "text"),
    ("来源", "source", "text"), ("岗位", "post", "text"),
]
_STATUS_ZH = {"met": "已履行", "open": "未到期", "overdue": "逾期", "lapsed": "已失效", "waived": "免除"}
_PAY_ZH = {"advance": "预付款", "progress": "进度款", "balance": "尾款"}
_RESULT_ZH = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}
_ROLE_ZH = {"lead": "组长", "worker": "社工"}
_EDU_ZH = {"high_school": "高中", "associate": "大专", "bachelor": "本科", "master": "硕士", "doctorate": "博士"}
_SOURCE_ZH = {"town": "镇街", "contractor": "承接机构"}
_POST_ZH = {"admin": "行政", "service": "服务"}


def project_row(b: Bundle, ledger: dict[str, Any]) -> dict[str, Any]:
    """One project on the projects sheet: the import's columns from its events, then `ledger` (export's row)."""
    s = b.snapshot
    history = effective_history(b.events)
    first = {}
    last = {}
    for e in history:
        first.setdefault(e.type, e)
        last[e.type] = e
    day = {k: e.effective.isoformat() for k, e in first.items()}
    terminate = last.get("terminate")
    ended_by_evaluation = s.get("exit_on") and not terminate and "expire" not in last
    suspended = s.get("state") == "suspended" and "suspend" in last
    owed = sorted((o for o in s.get("obligations", []) if o["status"] == "open"), key=lambda o: (o["due"], o["id"]))
    first_owed = owed[0] if owed else None
    terms = s.get("terms") or []
    return {
        **ledger,
        "project": b.project, "station": s.get("station"), "rulebook": s.get("rulebook"), "year": s.get("year"),
        "plan_filed": s.get("opened_on"), "budget": s.get("budget"), "announce": day.get("announce"),
        "award": s.get("awarded_on"), "contractor": s.get("contractor"), "signed_on": s.get("signed_on"),
        "amount": s.get("amount"), "term_months": terms[0]["months"] if terms else None,
        "publish": day.get("publish"), "file_contract": day.get("file_contract"), "staff": day.get("staff"),
        "roster": STAFF_SHEET if s.get("roster") else None,
        "suspend": s.get("suspended_on") if suspended else None,
        "suspend_reason": last["suspend"].data.get("reason") if suspended else None,
        "terminate": terminate.effective.isoformat() if terminate else (s.get("exit_on") if ended_by_evaluation else None),
        "terminate_reason": terminate.data.get("reason") if terminate else ("评估不合格" if ended_by_evaluation else None),
        "expire": last["expire"].effective.isoformat() if "expire" in last else None,
        "hand_over": s.get("closed_on"),
        "credit_code": (b.contractor or {}).get("credit_code"),
        "ended_on": s.get("exit_on"),
        "end_reason": (terminate.data.get("reason") if terminate else
                       "合同期满" if "expire" in last else "评估不合格" if ended_by_evaluation else None),
        "next_duty_shown": f"{duty_name(ledger.get('next_duty_kind') or '')} ({ledger['next_duty']})"
                           if ledger.get("next_duty") else None,
        "first_owed_shown": (f"{duty_name(first_owed['kind'])} ({first_owed['id']})"
                             + (" 逾期" if status_on("open", first_owed["due"], b.as_of) == "overdue" else ""))
                            if first_owed else None,
        "first_owed_due": first_owed["due"] if first_owed else None,
    }


def obligation_rows(b: Bundle) -> list[dict[str, Any]]:
    return [{"project": b.project, "id": o["id"], "name": duty_name(o["kind"]), "rule": o["rule"],
             "basis": o["basis"], "due": o["due"], "status": _STATUS_ZH.get(status_on(o["status"], o["due"], b.as_of),
                                                                            o["status"]),
             "met_on": o.get("met_on")} for o in b.snapshot.get("obligations", [])]


def payment_rows(b: Bundle) -> list[dict[str, Any]]:
    return [{"project": b.project, "on": p["on"], "kind": _PAY_ZH.get(p["kind"], p["kind"]), "amount": p["amount"]}
            for p in b.snapshot.get("payments", [])]


def evaluation_rows(b: Bundle) -> list[dict[str, Any]]:
    return [{"project": b.project, "on": e["on"], "result": _RESULT_ZH.get(e["result"], e["result"]),
             "by": e.get("by"), "score": e.get("score")} for e in b.snapshot.get("evaluations", [])]


def staff_rows(b: Bundle) -> list[dict[str, Any]]:
    return [{"project": b.project, "name": m["name"], "role": _ROLE_ZH.get(m["role"], m["role"]), "age": m["age"],
             "education": _EDU_ZH.get(m["education"], m["education"]), "qualified": "是" if m["qualified"] else "否",
             "certificate": "是" if m.get("certificate") else "否", "source": _SOURCE_ZH.get(m.get("source") or "", ""),
             "post": _POST_ZH.get(m.get("post") or "", "")} for m in b.snapshot.get("roster") or []]

