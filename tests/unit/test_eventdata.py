"""KEY=VALUE data of `advance`: typed, and refused as bad input naming the project, event and key."""
from __future__ import annotations

import pytest

from lifecycle.core.errors import BadInput
from lifecycle.core.eventdata import SCHEMAS, parse_event_data, parse_pairs
from lifecycle.core.states import EVENTS
from lifecycle.files import read_roster_file


def bad(event: str, raw: dict[str, str], defaults: dict | None = None) -> str:
    with pytest.raises(BadInput) as err:
        parse_event_data("P1", event, raw, defaults or {}, read_roster_file)
    assert err.value.exit_code == 2
    return err.value.message


def test_every_event_of_the_state_machine_has_a_schema():
    assert set(EVENTS) <= set(SCHEMAS)


def test_pairs_split_on_the_first_equals_sign():
    assert parse_pairs("P1", "award", ["contractor=YG", "note=a=b", "notice="]) == {
        "contractor": "YG", "note": "a=b", "notice": ""}


@pytest.mark.parametrize("pairs,message", [
    (["contractor"], "project P1: award: 'contractor' is not KEY=VALUE"),
    (["=YG"], "project P1: award: '=YG' is not KEY=VALUE"),
    (["contractor=YG", "contractor=ZA"], "project P1: award: contractor is given twice"),
    (["contractor=YG", " contractor=ZA"], "project P1: award: contractor is given twice"),
])
def test_malformed_pairs_are_bad_input(pairs, message):
    with pytest.raises(BadInput, match=message):
        parse_pairs("P1", "award", pairs)


def test_values_are_typed_and_defaults_fill_what_is_not_given():
    assert parse_event_data("P1", "sign", {"amount": "600000"}, {"term_months": 36}) == {
        "amount": 600000, "term_months": 36}
    assert parse_event_data("P1", "sign", {"term_months": "24", "amount": "1.5"}, {"term_months": 36}) == {
        "term_months": 24, "amount": 1.5}
    assert parse_event_data("P1", "training", {"hours": "16", "person": " 张伟 "}, {}) == {
        "hours": 16, "person": "张伟"}


@pytest.mark.parametrize("event,raw,message", [
    ("award", {}, "project P1: award needs contractor="),
    ("award", {"contractor": "YG", "colour": "red"}, "project P1: award does not take colour= (it takes contractor"),
    ("sign", {"term_months": "3.5"}, "project P1: sign: term_months= '3.5' is not a whole number of months"),
    ("sign", {"term_months": "0"}, "sign: term_months= must be at least 1 month"),
    ("sign", {"amount": "-5"}, "sign: amount= '-5' is not a positive number"),
    ("sign", {"amount": "nan"}, "sign: amount= 'nan' is not a positive number"),
    ("pay", {"kind": "bonus", "amount": "1"}, "pay: kind= 'bonus' is not one of advance, balance, progress"),
    ("evaluate", {"result": "great"}, "evaluate: result= 'great' is not one of excellent, good, pass, fail"),
    ("training", {"hours": "many"}, "training: hours= 'many' is not a number"),
    ("fail_tender", {"reason": "  "}, "fail_tender: reason= is empty"),
    ("report", {"kind": "monthly"}, "report kind=monthly needs period= (e.g. period=2026-05)"),
    ("report", {"kind": "monthly", "period": "2026-13"}, "report kind=monthly: period='2026-13' is malformed"),
    ("report", {"kind": "quarterly", "period": "2026-Q5"}, "period='2026-Q5' is malformed"),
    ("file_plan", {"year": "26"}, "file_plan: year= '26' is not a year (YYYY)"),
])
def test_bad_values_are_refused_naming_the_key(event, raw, message):
    assert message in bad(event, raw)


def test_a_roster_file_is_read_into_the_event_so_replay_never_needs_it(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("name,role,age,education,qualified\n张伟,lead,34,本科,是\n", encoding="utf-8")
    data = parse_event_data("P1", "staff", {"roster": str(path)}, {}, read_roster_file)
    assert data["roster_file"] == "名单.csv"
    assert data["roster"][0] == {"name": "张伟", "role": "lead", "age": 34, "education": "bachelor",
                                 "qualified": True, "certificate": False, "source": None, "post": None}


def test_a_missing_or_undecodable_roster_file_is_bad_input(tmp_path):
    assert "cannot read roster file" in bad("staff", {"roster": str(tmp_path / "none.csv")})
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"name,role\n\x80\xff\xfe,lead\n")
    assert bad("staff", {"roster": str(garbage)}) == (
        f"project P1: staff: cannot read roster file {garbage}: it is neither UTF-8 nor GB18030/GBK text "
        "(save it from Excel as CSV UTF-8, CSV or Unicode text)")


def test_a_bad_roster_row_names_the_project_and_the_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,role,age,education,qualified\n张伟,lead,abc,本科,是\n", encoding="utf-8")
    assert bad("staff", {"roster": str(path)}) == (
        "project P1: roster r.csv row 2, column age: 'abc' is not a whole number of years")
