"""The letters: every stage in both languages, kind-specific wording, strict variables, escaped HTML."""
from __future__ import annotations

from dataclasses import replace

import jinja2
import pytest

from lifecycle.notifications.letters import NoticeFacts, compose, environment

FACTS = NoticeFacts(
    stage="overdue", project="LX-2026-01", station_name="解放路街道社会工作服务站", district="历下区",
    contractor_name="济南市历下区阳光社会工作服务中心", obligation_id="briefing:2026-10", kind="briefing",
    duty="2026年10月月度工作简报", due="2026年11月10日", provisional=False, days_overdue=10,
    working_days_overdue=8, working_days_left=0, escalation_working_days=10, rule_id="JN-reports",
    basis="JN-reports: 济南 四(四)", citation="《济南市街道(镇)社会工作服务站建设实施方案（济民发〔2021〕9号）》四(四)",
    rule_summary="按时报送月度工作简报、中期报告和终期报告", addressee="济南市历下区阳光社会工作服务中心",
    purchaser="历下区民政局", city="济南市民政局", issuer="历下区民政局", issued_on="2026年11月20日",
    act_by="2026年11月27日", cc_names=("解放路街道办事处",),
)


@pytest.mark.parametrize("stage, title", [("reminder", "提醒函"), ("overdue", "催办通知"), ("escalation", "督办")])
def test_each_stage_is_a_chinese_official_letter_with_title_addressee_rule_and_issuer(stage, title):
    letter = compose(replace(FACTS, stage=stage), "zh")
    first, _, rest = letter.text.partition("\n")
    assert title in first
    assert "济南市历下区阳光社会工作服务中心：" in rest
    assert "（要点：按时报送月度工作简报、中期报告和终期报告）" in rest   # a summary, never quoted as the clause
    assert "JN-reports" not in letter.text and "“" not in letter.text   # no rule id in a Chinese letter
    assert "\n历下区民政局\n2026年11月20日\n" in rest                 # 落款: issuer, then the date
    assert "抄送：解放路街道办事处。" in rest
    assert letter.subject.startswith(f"【{title if stage != 'escalation' else '督办通知'}】")
    assert "\n" not in letter.subject


@pytest.mark.parametrize("stage", ["reminder", "overdue", "escalation"])
def test_each_stage_has_an_english_letter_too(stage):
    letter = compose(replace(FACTS, stage=stage), "en")
    assert letter.subject.startswith(f"[{stage.capitalize()}]")
    assert "To: 济南市历下区阳光社会工作服务中心" in letter.text
    assert '<html lang="en">' in letter.html


def test_the_renewal_decision_has_wording_of_its_own():
    letter = compose(replace(FACTS, stage="reminder", kind="term_decision", duty="合同续签或终止决定"), "zh")
    assert "续签或终止" in letter.subject and "结合绩效评估结果" in letter.text


def test_a_provisional_due_date_is_marked():
    letter = compose(replace(FACTS, provisional=True), "zh")
    assert "应于2026年11月10日（暂定）前完成" in letter.text
    assert "2026年11月10日（暂定）" in compose(replace(FACTS, stage="reminder", provisional=True), "zh").subject


def test_a_missing_fact_is_an_error_not_a_blank():
    template = environment().get_template("notices/overdue.zh.j2")
    with pytest.raises(jinja2.UndefinedError):
        template.make_module({"due": "2026年11月10日", "provisional": False})


def test_the_html_version_escapes_what_it_is_given():
    letter = compose(replace(FACTS, contractor_name="<b>阳光</b>"), "zh")
    assert "&lt;b&gt;阳光&lt;/b&gt;" in letter.html and "<b>阳光</b>" in letter.text
