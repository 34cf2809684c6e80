"""The one table of names: states, events, duty kinds, stages, statuses and audit flags, in Chinese and English.

Letters, terminal output, the audit report, the xlsx 台账 and the OCDS export
all name things from here, so a duty is called the same everywhere. An unknown
code is shown as itself (a rulebook may bring a duty of its own); a test checks
that every kind a rulebook can generate has a name (`lifecycle.core.duties.kinds_of`).
"""
from __future__ import annotations

import re
from datetime import date

STATES: dict[str, tuple[str, str]] = {
    "plan_filed": ("计划已备案", "plan filed"), "procurement": ("采购中", "in procurement"),
    "awarded": ("已中标", "awarded"), "contracted": ("已签约", "contracted"), "in_service": ("服务中", "in service"),
    "suspended": ("已暂停", "suspended"), "expired": ("已到期", "expired"), "terminated": ("已终止", "terminated"),
    "closed": ("已结项", "closed"),
}

EVENTS: dict[str, tuple[str, str]] = {
    "open": ("年度实施计划备案", "plan filed"), "announce": ("采购公告", "procurement announced"),
    "fail_tender": ("流标", "tender failed"), "award": ("中标", "award"), "sign": ("签订合同", "contract signed"),
    "publish": ("合同公告", "contract published"), "file_contract": ("合同备案", "contract filed"),
    "staff": ("人员到岗", "staff in post"), "report": ("报送报告", "report filed"), "training": ("培训", "training"),
    "supervision": ("督导", "supervision"), "case": ("专业个案", "professional case"),
    "file_plan": ("年度计划备案", "next year's plan filed"), "pay": ("付款", "payment"),
    "evaluate": ("绩效评估", "evaluation"), "suspend": ("暂停", "suspension"), "resume": ("恢复", "resumption"),
    "renew": ("续签", "renewal"), "expire": ("期满", "expiry"), "terminate": ("终止", "termination"),
    "hand_over": ("档案移交", "archives handed over"), "correct": ("更正", "correction"),
    "reschedule": ("到期日变更", "due dates moved"), "rebase": ("变更适用规则", "rulebook changed"),
    "service": ("服务记录", "service recorded"),
    "subproject": ("子项目", "sub-project"), "point": ("社工点", "service point"), "premises": ("场地落实", "premises in place"),
}

DUTIES: dict[str, tuple[str, str]] = {
    "contract": ("合同签订", "signing the contract"),
    "filing": ("合同备案", "filing the contract"),
    "publication": ("合同公告", "publishing the contract"),
    "plan": ("年度实施计划备案", "filing the annual implementation plan"),
    "district_report": ("年度实施情况报告", "the district's annual implementation report"),
    "term_decision": ("合同续签或终止决定", "deciding renewal or expiry of the contract"),
    "evaluation": ("绩效评估", "the performance evaluation"),
    "assessment": ("年度考核", "the annual assessment"),
    "quarterly_report": ("季度工作情况报告", "the quarterly report to the city"),
    "staffing": ("人员到岗", "staff in post"),
    "briefing": ("月度工作简报", "the monthly briefing"),
    "midterm_report": ("中期报告", "the mid-term report"),
    "final_report": ("终期报告", "the final report"),
    "annual_report": ("年度报告", "the annual report"),
    "training": ("培训", "training"),
    "supervision": ("督导", "supervision"),
    "supervision_visit": ("督导到站", "the supervisor's monthly visit"),
    "education": ("继续教育", "continuing education"),
    "pre_service_training": ("岗前培训", "pre-service training"),
    "practical_training": ("实务培训", "practical training"),
    "policy_training": ("政策培训", "policy training"),
    "cases": ("专业个案", "professional cases"),
    "registers": ("需求及资源台账更新", "updating the needs and resource registers"),
    "handover": ("档案移交", "handing over the archives"),
    "qualification": ("工作人员取得社会工作职业资格", "every staff member qualified in social work"),
    "weekly_report": ("每周工作报送", "the weekly report"),
    "bulletin": ("全省社工站建设月度通报", "the province's monthly bulletin"),
    "dispatch": ("全省社工站建设季度调度", "the province's quarterly dispatch"),
    "premises": ("场地落实", "premises in place"),
}

# the ladder a duty climbs, in order (lifecycle.notifications.ladder)
STAGES: dict[str, tuple[str, str]] = {"reminder": ("提醒", "reminder"), "overdue": ("逾期", "overdue"),
                                      "escalation": ("升级督办", "escalation"), "correction": ("更正", "correction")}

STATUSES: dict[str, tuple[str, str]] = {"open": ("未到期", "open"), "met": ("已履行", "met"),
                                        "overdue": ("逾期", "overdue"), "waived": ("免除", "waived"),
                                        "lapsed": ("未履行已终止", "never met, lapsed")}

# where a notice or a letter is on its way (lifecycle.notifications.post)
DELIVERY: dict[str, tuple[str, str]] = {"pending": ("待发送", "pending"), "sending": ("发送中", "sending"),
                                        "sent": ("已发送", "sent"), "failed": ("发送失败", "failed"),
                                        "uncertain": ("发送结果不明", "uncertain")}

# who a notice or a letter goes to (a contact's role; lifecycle.notifications.contacts)
ROLES: dict[str, tuple[str, str]] = {"purchaser": ("购买主体", "purchaser"), "street": ("街道", "street"),
                                     "city": ("市民政局", "city"), "contractor": ("承接机构", "contractor")}

# a station's kind (lifecycle.services.reference.STATION_KINDS); the English names are the codes typed
STATION_KINDS: dict[str, tuple[str, str]] = {"street": ("街道", "street"), "town": ("镇", "town"),
                                             "general": ("总站", "general")}

# who signs a letter (lifecycle.notifications.issuers)
ISSUER_LEVELS: dict[str, tuple[str, str]] = {"district": ("区县", "district"), "city": ("市", "city")}

# what a rulebook's rule is (`lifecycle rules show`); the English names are the rulebooks' own types
RULE_TYPES: dict[str, tuple[str, str]] = {
    "deadline": ("法定期限", "deadline"), "guard": ("准入条件", "guard"), "check": ("检查", "check"),
    "count": ("数量", "count"), "hours": ("时数", "hours"), "evaluation": ("绩效评估", "evaluation"),
    "annual_date": ("每年定日", "annual_date"), "fixed_dates": ("规定日期", "fixed_dates"),
    "monthly": ("每月", "monthly"), "monthly_visit": ("每月到站", "monthly_visit"), "weekly": ("每周", "weekly"),
    "quarterly": ("每季度", "quarterly"), "reports": ("报告", "reports"), "yearly_report": ("年度报告", "yearly_report"),
    "term_decision": ("期满决定", "term_decision"),
}

# a period's unit as a rulebook writes it (`period = { working_days = 7 }`)
PERIOD_UNITS: dict[str, tuple[str, str]] = {"days": ("日", "days"), "working_days": ("个工作日", "working days"),
                                            "months": ("个月", "months"), "years": ("年", "years")}

FLAGS: dict[str, tuple[str, str]] = {
    "backdated": ("补录 (记录晚于发生)", "recorded after the fact"),
    "late_entry": ("迟录 (录入晚于其后事件)", "entered late, after later events"), "met_late": ("逾期履行", "met late"),
    "never_met": ("逾期未履行", "overdue, never met"), "notice_unsent": ("通知未送达", "notice not delivered"),
    "notice_missing": ("应发未发通知", "notice never made"), "finding": ("检查发现", "finding"),
    "rulebook_window": ("超出规章有效期", "outside the rulebook's validity"),
}

# The holidays of the State Council's schedule, by the `chinese_calendar` package's `Holiday` names.
HOLIDAYS: dict[str, tuple[str, str]] = {
    "new_years_day": ("元旦", "New Year's Day"), "spring_festival": ("春节", "Spring Festival"),
    "tomb_sweeping_day": ("清明节", "Tomb-sweeping Day"), "labour_day": ("劳动节", "Labour Day"),
    "dragon_boat_festival": ("端午节", "Dragon Boat Festival"), "national_day": ("国庆节", "National Day"),
    "mid_autumn_festival": ("中秋节", "Mid-autumn Festival"),
    "anti_fascist_70th_day": ("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日", "the 70th anniversary of victory"),
}

# What an event that starts a period did, as a receipt of a due date tells it
# ("9月26日发出中标通知书，次日起算10日"): a phrase, not a name, hence its own table.
TRIGGERS: dict[str, tuple[str, str]] = {
    "open": ("年度实施计划备案", "the annual plan was filed"), "award": ("发出中标通知书", "the award notice was issued"),
    "sign": ("签订合同", "the contract was signed"), "renew": ("续签合同", "the contract was renewed"),
    "staff": ("工作人员到岗", "the staff took up their posts"), "expire": ("合同期满", "the contract expired"),
    "terminate": ("合同终止", "the contract was terminated"),
    "evaluate": ("评估不合格，合同终止", "a failed evaluation ended the contract"),
    "exit": ("承接机构退出", "the contractor left"),   # the term's end, whichever way (东营 art. 13)
}

WEEKDAYS: tuple[tuple[str, str], ...] = (("星期一", "Monday"), ("星期二", "Tuesday"), ("星期三", "Wednesday"),
                                         ("星期四", "Thursday"), ("星期五", "Friday"), ("星期六", "Saturday"),
                                         ("星期日", "Sunday"))


def _name(table: dict[str, tuple[str, str]], code: str | None, lang: str) -> str:
    if not code:
        return ""
    names = table.get(code)
    if names is None:
        return code if lang == "zh" else code.replace("_", " ")
    return names[0] if lang == "zh" else names[1]


def state_name(code: str | None, lang: str = "zh") -> str:
    return _name(STATES, code, lang)


def event_name(code: str | None, lang: str = "zh") -> str:
    return _name(EVENTS, code, lang)


def duty_name(kind: str | None, lang: str = "zh") -> str:
    return _name(DUTIES, kind, lang)


def stage_name(code: str | None, lang: str = "zh") -> str:
    return _name(STAGES, code, lang)


def status_name(code: str | None, lang: str = "zh") -> str:
    return _name(STATUSES, code, lang)


def delivery_name(code: str | None, lang: str = "zh") -> str:
    return _name(DELIVERY, code, lang)


def role_name(code: str | None, lang: str = "zh") -> str:
    return _name(ROLES, code, lang)


def station_kind_name(code: str | None, lang: str = "zh") -> str:
    return _name(STATION_KINDS, code, lang)


def issuer_level_name(code: str | None, lang: str = "zh") -> str:
    return _name(ISSUER_LEVELS, code, lang)


def rule_type_name(code: str | None, lang: str = "zh") -> str:
    return _name(RULE_TYPES, code, lang)


def period_name(period: dict[str, int] | None, lang: str = "zh") -> str:
    """A rule's period, `{"working_days": 7}`: 7个工作日, or `7 working days`."""
    if not period:
        return ""
    (unit, n), = period.items()
    return f"{n}{_name(PERIOD_UNITS, unit, lang)}" if lang == "zh" else f"{n} {_name(PERIOD_UNITS, unit, lang)}"


def flag_name(code: str | None, lang: str = "zh") -> str:
    return _name(FLAGS, code, lang)


def holiday_name(code: str | None, lang: str = "zh") -> str:
    return _name(HOLIDAYS, code, lang)


def trigger_phrase(event: str | None, lang: str = "zh") -> str:
    if event in TRIGGERS:
        return _name(TRIGGERS, event, lang)
    return event_name(event, lang)


def weekday_name(d: date, lang: str = "zh") -> str:
    return WEEKDAYS[d.weekday()][0 if lang == "zh" else 1]


def duty_label(kind: str, obligation_id: str, subject: str | None, lang: str) -> str:
    """'2026年6月月度工作简报（张伟）' from kind, id and subject: the period the id carries, then the name."""
    name = duty_name(kind, lang)
    period = obligation_id.split(":")[1] if ":" in obligation_id else ""
    month = re.fullmatch(r"(\d{4})-(\d{2})", period)
    quarter = re.fullmatch(r"(\d{4})-Q(\d)", period)
    week = re.fullmatch(r"(\d{4})-W(\d{2})", period)
    year = re.fullmatch(r"(\d{4})", period)
    if lang == "zh":
        prefix = (f"{month[1]}年{int(month[2])}月" if month else f"{quarter[1]}年第{quarter[2]}季度" if quarter
                  else f"{week[1]}年第{int(week[2])}周" if week else f"{year[1]}年度" if year else "")
        return prefix + name + (f"（{subject}）" if subject else "")
    suffix = f" for {period}" if month or quarter or week or year else ""
    return name + suffix + (f" ({subject})" if subject else "")


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def written_date(d: date, lang: str) -> str:
    """A date as a letter in `lang` writes it: 2026年11月20日, or ISO in English."""
    return chinese_date(d) if lang == "zh" else d.isoformat()
