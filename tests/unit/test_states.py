"""The transition table: every (state, event) pair, both through `next_state` and the Machine."""
from __future__ import annotations

import pytest

from lifecycle.core.states import EVENTS, OPEN_STATES, TRANSITIONS, State, allowed_events, diagram, fire, next_state

S = State
OPEN = set(OPEN_STATES)

# What CLI.md's table and RULES.md's sketch say, written out independently of TRANSITIONS:
# event -> {source state: destination}.
_SUB = (S.awarded, S.contracted, S.in_service, S.suspended)
_OPEN = (S.plan_filed, S.procurement, S.awarded, S.contracted, S.in_service, S.suspended)
EXPECTED: dict[str, dict[State, State]] = {
    "subproject": {s: s for s in _SUB},
    "point": {s: s for s in _OPEN},
    "premises": {s: s for s in _OPEN},
    "announce": {S.plan_filed: S.procurement},
    "fail_tender": {S.procurement: S.procurement},
    "award": {S.procurement: S.awarded},
    "sign": {S.awarded: S.contracted},
    "publish": {S.contracted: S.contracted, S.in_service: S.in_service},
    "file_contract": {S.contracted: S.contracted, S.in_service: S.in_service},
    "staff": {S.contracted: S.in_service, S.in_service: S.in_service},
    # reports for periods served before an exit are still owed, so still accepted after it
    "report": {S.in_service: S.in_service, S.terminated: S.terminated, S.expired: S.expired},
    "training": {S.in_service: S.in_service},
    "supervision": {S.in_service: S.in_service},
    "case": {S.in_service: S.in_service},
    "service": {S.in_service: S.in_service},
    "file_plan": {s: s for s in OPEN_STATES},
    # life after the term (issue 10): the final evaluation and the balance come after the exit
    "pay": {S.contracted: S.contracted, S.in_service: S.in_service, S.suspended: S.suspended,
            S.terminated: S.terminated, S.expired: S.expired},
    "evaluate": {S.in_service: S.in_service, S.terminated: S.terminated, S.expired: S.expired},
    "suspend": {S.in_service: S.suspended},
    "resume": {S.suspended: S.in_service},
    "renew": {S.in_service: S.in_service},
    "expire": {S.in_service: S.expired},
    "terminate": {s: S.terminated for s in OPEN_STATES},
    "hand_over": {S.terminated: S.closed, S.expired: S.closed},
}
PASS = {"result": "pass", "evaluation_fail": "record"}
PAIRS = [(state, event) for state in State for event in EXPECTED]


def test_the_table_knows_exactly_the_expected_events():
    assert set(EVENTS) == set(EXPECTED)


@pytest.mark.parametrize("state,event", PAIRS, ids=[f"{s.value}-{e}" for s, e in PAIRS])
def test_every_state_and_event_pair_is_allowed_exactly_where_the_table_says(state, event):
    want = EXPECTED[event].get(state)
    assert next_state(state, event, PASS) == want
    assert fire(state, event, PASS) == want
    assert (event in allowed_events(state)) == (want is not None)


@pytest.mark.parametrize("result,setting,dest", [
    ("fail", "terminate", S.terminated),   # JN-eval (济南 四(五)): fail terminates the contract
    ("fail", "record", S.in_service),      # DY-outcome (东营 art. 29): fail means no renewal, not a stop
    ("pass", "terminate", S.in_service),
    ("excellent", "terminate", S.in_service),
])
def test_an_evaluation_terminates_only_when_it_fails_under_a_rulebook_that_says_so(result, setting, dest):
    ctx = {"result": result, "evaluation_fail": setting}
    assert next_state(S.in_service, "evaluate", ctx) == dest
    assert fire(S.in_service, "evaluate", ctx) == dest


def test_an_unknown_event_is_allowed_nowhere():
    for state in State:
        assert next_state(state, "celebrate") is None
        assert fire(state, "celebrate", {}) is None


def test_closed_is_final_and_every_other_state_has_a_way_out():
    assert allowed_events(S.closed) == []
    for state in set(State) - {S.closed}:
        assert allowed_events(state), state


def test_every_open_state_can_be_terminated_and_no_ended_one_can():
    for state in State:
        assert (next_state(state, "terminate") is S.terminated) == (state in OPEN)


def test_every_state_is_reachable_from_plan_filed():
    seen, frontier = {S.plan_filed}, [S.plan_filed]
    while frontier:
        state = frontier.pop()
        for event in allowed_events(state):
            for ctx in (PASS, {"result": "fail", "evaluation_fail": "terminate"}):
                dest = next_state(state, event, ctx)
                if dest and dest not in seen:
                    seen.add(dest)
                    frontier.append(dest)
    assert seen == set(State)


def test_the_diagram_draws_every_row_of_the_table():
    text = diagram()
    assert text.startswith("stateDiagram-v2\n")
    assert "[*] --> plan_filed: open" in text
    for row in TRANSITIONS:
        for source in row["source"]:
            dest = row["dest"] or source
            assert f"{source.value} --> {dest.value}: {row['trigger']}" in text
    assert "in_service --> terminated: evaluate [fail_terminates]" in text
