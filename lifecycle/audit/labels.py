"""Chinese names of states, duties and flags, for the audit report and the 台账 (xlsx).

An unknown code is shown as itself: a rulebook may add its own duties.
"""
from __future__ import annotations

STATES = {
    "plan_filed": "计划已备案", "procurement": "采购中", "awarded": "已中标", "contracted": "已签约",
    "in_service": "服务中", "suspended": "已暂停", "expired": "已到期", "terminated": "已终止", "closed": "已结项",
}

DUTIES = {
    "plan": "年度实施计划备案", "contract": "签订服务合同", "filing": "合同备案", "publication": "合同公告",
    "staffing": "驻站社工到岗", "qualification": "社工专业资质", "briefing": "月度工作简报",
    "midterm_report": "中期报告", "final_report": "终期报告", "annual_report": "年度报告",
    "quarterly_report": "季度报告", "weekly_report": "每周报送", "district_report": "区县年度报告",
    "evaluation": "绩效评估", "assessment": "年度考核", "training": "培训", "supervision": "督导",
    "supervision_visit": "督导到站", "pre_service_training": "岗前培训", "practical_training": "实务培训",
    "policy_training": "政策培训", "education": "继续教育", "cases": "专业个案", "registers": "需求与资源台账更新",
    "term_decision": "合同期满续签决定", "handover": "档案移交",
}

FLAGS = {
    "backdated": "补录 (记录晚于发生)", "met_late": "逾期履行", "never_met": "逾期未履行",
    "notice_unsent": "通知未送达", "notice_missing": "应发未发通知", "finding": "检查发现",
    "rulebook_window": "超出规章有效期",
}

STAGES = {"reminder": "提醒", "overdue": "逾期", "escalation": "升级督办"}

STATUSES = {"open": "未到期", "met": "已履行", "overdue": "逾期", "waived": "免除"}


def state_zh(code: str | None) -> str:
    return STATES.get(code or "", code or "")


def duty_zh(kind: str) -> str:
    return DUTIES.get(kind, kind)
