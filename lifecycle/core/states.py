"""The state machine, as data.

States are an Enum; transitions one table of `{trigger, source, dest,
conditions}`; `build_machine` turns that table into a `transitions.Machine`
(auto_transitions off), and `diagram` draws the same table. Folding a long
event history uses `next_state`, a lookup built from the same table, so a
replay of millions of events does not pay for a Machine per project; a test
checks the two agree on every (state, event) pair.
"""
from __future__ import annotations

from enum import Enum
from typing import Any, Callable


class State(str, Enum):
    plan_filed = "plan_filed"
    procurement = "procurement"
    awarded = "awarded"
    contracted = "contracted"
    in_service = "in_service"
    suspended = "suspended"
    expired = "expired"
    terminated = "terminated"
    closed = "closed"


OPEN_STATES = [State.plan_filed, State.procurement, State.awarded, State.contracted,
               State.in_service, State.suspended]
_S = State

# One row a transition. `conditions` name predicates of the model (see
# Conditions below); rows with the same trigger and source are tried in order.
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "announce", "source": [_S.plan_filed], "dest": _S.procurement},
    {"trigger": "fail_tender", "source": [_S.procurement], "dest": _S.procurement},
    {"trigger": "award", "source": [_S.procurement], "dest": _S.awarded},
    {"trigger": "sign", "source": [_S.awarded], "dest": _S.contracted},
    {"trigger": "publish", "source": [_S.contracted, _S.in_service], "dest": None},
    {"trigger": "file_contract", "source": [_S.contracted, _S.in_service], "dest": None},
    {"trigger": "staff", "source": [_S.contracted], "dest": _S.in_service},
    {"trigger": "staff", "source": [_S.in_service], "dest": None},  # a roster change
    # Reports for periods already served stay owed after an exit (final report,
    # the last month's briefing), so they can still be filed once the project has ended.
    {"trigger": "report", "source": [_S.in_service, _S.terminated, _S.expired], "dest": None},
    {"trigger": "training", "source": [_S.in_service], "dest": None},
    {"trigger": "supervision", "source": [_S.in_service], "dest": None},
    {"trigger": "case", "source": [_S.in_service], "dest": None},
    # a service given, with its declared content (JN-scope 三(五), FJ-built 有服务)
    {"trigger": "service", "source": [_S.in_service], "dest": None},
    {"trigger": "file_plan", "source": OPEN_STATES, "dest": None},
    # Life after the term: the final evaluation and the balance (尾款) come after an expiry or a
    # termination, until the hand-over closes the project.
    {"trigger": "pay", "source": [_S.contracted, _S.in_service, _S.suspended, _S.terminated, _S.expired],
     "dest": None},
    {"trigger": "evaluate", "source": [_S.in_service], "dest": _S.terminated,
     "conditions": ["fail_terminates"]},
    {"trigger": "evaluate", "source": [_S.in_service, _S.terminated, _S.expired], "dest": None},
    {"trigger": "suspend", "source": [_S.in_service], "dest": _S.suspended},
    {"trigger": "resume", "source": [_S.suspended], "dest": _S.in_service},
    {"trigger": "renew", "source": [_S.in_service], "dest": None},
    {"trigger": "expire", "source": [_S.in_service], "dest": _S.expired},
    {"trigger": "terminate", "source": OPEN_STATES, "dest": _S.terminated},
    {"trigger": "hand_over", "source": [_S.terminated, _S.expired], "dest": _S.closed},
    # DY-1+N (东营 arts. 9, 22): sub-projects, once a contractor is chosen
    {"trigger": "subproject", "source": [_S.awarded, _S.contracted, _S.in_service, _S.suspended], "dest": None},
    # DG-points (东莞 三(一)2): service points of a station; premises (BH-timeline 5月底, FJ-built 有场地)
    {"trigger": "point", "source": OPEN_STATES, "dest": None},
    {"trigger": "premises", "source": OPEN_STATES, "dest": None},
]

EVENTS: list[str] = list(dict.fromkeys(row["trigger"] for row in TRANSITIONS))
# the rows of each trigger, in the table's order: a fold asks `next_state` once an event
_BY_TRIGGER: dict[str, list[dict[str, Any]]] = {t: [row for row in TRANSITIONS if row["trigger"] == t] for t in EVENTS}


class Conditions:
    """Predicates named in the table. Each takes the event's context dict."""

    @staticmethod
    def fail_terminates(ctx: dict[str, Any]) -> bool:
        # JN-eval (济南 四(五)): a failed evaluation terminates the contract
        return ctx.get("result") == "fail" and ctx.get("evaluation_fail") == "terminate"


def allowed(state: State, trigger: str) -> bool:
    return any(row["trigger"] == trigger and state in row["source"] for row in TRANSITIONS)


def allowed_events(state: State) -> list[str]:
    return [e for e in EVENTS if allowed(state, e)]


def next_state(state: State, trigger: str, ctx: dict[str, Any] | None = None) -> State | None:
    """Where `trigger` takes a project in `state`, or None when the table forbids it."""
    ctx = ctx or {}
    for row in _BY_TRIGGER.get(trigger, ()):
        if state not in row["source"]:
            continue
        if all(getattr(Conditions, c)(ctx) for c in row.get("conditions", ())):
            return row["dest"] or state
    return None


class _Model:
    def __init__(self, state: State) -> None:
        self.state = state


def build_machine(state: State) -> Any:
    """A `transitions.Machine` for one project in `state`, from TRANSITIONS."""
    from transitions import Machine  # heavy import, only when a command advances

    model = _Model(state)
    rows = []
    for row in TRANSITIONS:
        rows.append({
            "trigger": row["trigger"], "source": list(row["source"]),
            "dest": row["dest"] if row["dest"] is not None else "=",
            "conditions": [_condition(c) for c in row.get("conditions", ())],
        })
    Machine(model=model, states=State, transitions=rows, initial=state,
            auto_transitions=False, send_event=True, ignore_invalid_triggers=False)
    return model


def _condition(name: str) -> Callable[[Any], bool]:
    predicate = getattr(Conditions, name)
    return lambda event: predicate(event.kwargs)


def fire(state: State, trigger: str, ctx: dict[str, Any]) -> State | None:
    """Run `trigger` through the Machine; None when it is not allowed from `state`."""
    from transitions import MachineError

    model = build_machine(state)
    try:
        done = model.trigger(trigger, **ctx)
    except (MachineError, AttributeError):
        return None
    return model.state if done else None


def diagram() -> str:
    """The table as a mermaid state diagram."""
    lines = ["stateDiagram-v2", "    [*] --> plan_filed: open"]
    for row in TRANSITIONS:
        for source in row["source"]:
            dest = row["dest"] or source
            label = row["trigger"] + (f" [{', '.join(row['conditions'])}]" if row.get("conditions") else "")
            lines.append(f"    {source.value} --> {dest.value}: {label}")
    lines.append("    closed --> [*]")
    return "\n".join(lines) + "\n"
