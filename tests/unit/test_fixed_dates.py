"""期日 and 期间: a fixed date does not roll; a period does (Civil Code arts. 201-203).

Worked out by hand on the calendar: Sat 31 Mar 2029; Sat 4 Jul 2026; Sat 31 Dec 2022
(New Year 2023 rests Sun 1 and Mon 2 Jan); Sun 31 Jul 2022; 实施条例 in force 1 Mar 2015.
"""
from __future__ import annotations

from datetime import date

import pytest

from lifecycle.core import rulebook
from test_obligations import History, due, staff

D = date


def test_a_plan_due_by_31_march_of_a_year_where_the_31st_is_a_saturday_is_due_on_the_31st():
    # JN-plan (济南 四(一)): 31 Mar 2029 is a Saturday; a fixed date (期日), not a period
    p = History("jinan", year=2026, opened="2026-03-20").through_sign("2026-05-06", "2026-05-08").fold()
    assert D(2029, 3, 31).weekday() == 5
    assert due(p, "plan:2029") == (D(2029, 3, 31), False)


def test_a_thirty_day_contract_period_ending_on_a_saturday_still_rolls():
    # NAT-contract (政府采购法 art. 46): award Thu 4 Jun 2026, day 30 = Sat 4 Jul -> Mon 6 Jul
    p = History("jinan", year=2026, opened="2026-03-20").add("announce", "2026-06-04") \
        .add("award", "2026-06-04", contractor="C1").fold()
    assert D(2026, 7, 4).weekday() == 5
    assert due(p, "contract") == (D(2026, 7, 6), False)


def test_dongguans_end_of_december_stays_in_december():
    # DG-assessment (东莞 三(六)14, 12月底前): Sat 31 Dec 2022; rolled it would be Tue 3 Jan 2023
    h = History("dongguan", year=2022, opened="2022-02-10").through_sign("2022-03-01", "2022-03-05")
    p = h.add("staff", "2022-03-20", roster=staff("张三", "李四", "王五")).fold()
    assert due(p, "assessment:2022") == (D(2022, 12, 31), False)


def test_binhais_end_of_july_set_up_date_is_the_31st_though_a_sunday():
    p = History("binhai", year=2022, opened="2022-04-20").fold()
    assert p.obligations["staffing:2022"].due == D(2022, 7, 31)


@pytest.mark.parametrize(("sign", "owed"), [("2015-02-27", False), ("2015-03-02", True)])
def test_the_publication_duty_is_owed_only_from_the_day_the_implementing_regulation_took_force(sign, owed):
    # NAT-publication (政府采购法实施条例 art. 50) from 1 Mar 2015; arts. 46-47 since 2003
    p = History("national", year=2015, opened="2015-01-05").through_sign(sign, sign, 12).fold()
    assert ("publication" in p.obligations) is owed
    assert "filing" in p.obligations


def test_a_project_of_2010_under_national_law_gets_no_validity_finding():
    p = History("national", year=2010, opened="2010-01-05").through_sign("2010-03-01", "2010-03-05", 12).fold()
    assert not [f for f in p.findings if f.rule == "RULEBOOK"]
    assert "contract" in p.obligations and "publication" not in p.obligations


@pytest.mark.parametrize("name", rulebook.available())
def test_every_dated_rule_says_whether_it_is_a_fixed_date_or_a_period(name):
    for rule in rulebook.load(name).rules:
        if rule.dated:
            assert rule.get("due_kind") in rulebook.DUE_KINDS, f"{name}: {rule.id} does not say 期日 or 期间"
        else:
            assert rule.due_kind is None


def test_the_rulebook_listing_shows_which_rules_roll():
    rules = {r["id"]: r for r in rulebook.describe(rulebook.load("jinan"))["rules"]}
    assert (rules["JN-plan"]["due_kind"], rules["JN-plan"]["rolls"]) == ("fixed_date", False)
    assert (rules["JN-staffing"]["due_kind"], rules["JN-staffing"]["rolls"]) == ("period", True)
    assert rules["JN-roster"]["due_kind"] is None
