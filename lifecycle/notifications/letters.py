"""Compose a notice: the facts of one (obligation, stage), rendered as an official letter.

Templates live in `templates/notices/` (package `lifecycle.templates`): one
per stage and language (`reminder.zh.j2`), or per stage, obligation kind and
language where the wording differs (`reminder-term_decision.zh.j2`). A stage
template sets `subject`, `title` and `body`; `letter.<lang>.txt.j2` and
`letter.<lang>.html.j2` lay them out. StrictUndefined: a missing fact is a
bug, not a blank in an official letter.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lifecycle.core.errors import BadInput, said

if TYPE_CHECKING:
    import jinja2

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class NoticeFacts:
    """Everything a letter says; built by the sweep, read by the templates."""

    stage: str
    project: str
    station_name: str
    district: str
    contractor_name: str
    obligation_id: str
    kind: str
    duty: str
    due: str                  # written out in the letter's language
    provisional: bool
    days_overdue: int         # calendar days after the due date
    working_days_overdue: int
    working_days_left: int    # working days from the sweep date to the due date
    escalation_working_days: int
    rule_id: str
    basis: str
    citation: str             # 《政府采购法实施条例》第50条
    rule_summary: str
    addressee: str            # the duty's holder, as an institution
    purchaser: str
    city: str
    issuer: str               # 落款
    issued_on: str            # the sweep date, 2026年11月20日
    act_by: str               # what must be done by when
    cc_names: tuple[str, ...]
    explanation: str = ""     # one sentence of why (filled in by `explain`, when there is one)
    previous_due: str = ""    # a correction (更正通知): the due date the earlier letter named


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2
    return jinja2.Environment(
        loader=jinja2.PackageLoader("lifecycle.templates", "."),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        keep_trailing_newline=True,
        auto_reload=False,   # templates are package data: no stat() per notice
    )


@lru_cache(maxsize=256)
def _templates(stage: str, kind: str, lang: str) -> tuple[jinja2.Template, jinja2.Template, jinja2.Template]:
    """The stage template (kind-specific where one exists) and the two letter layouts."""
    env = environment()
    return (env.select_template([f"notices/{stage}-{kind}.{lang}.j2", f"notices/{stage}.{lang}.j2"]),
            env.get_template(f"notices/letter.{lang}.txt.j2"), env.get_template(f"notices/letter.{lang}.html.j2"))


def compose(facts: NoticeFacts, lang: str) -> Letter:
    stage, values = _stage_module(facts, lang)
    _, text_layout, html_layout = _templates(facts.stage, facts.kind, lang)
    pieces = {"title": str(stage.title).strip(), "body": str(stage.body).strip()}
    text = text_layout.render(values, stage=pieces)
    html = html_layout.render(values, stage=pieces)
    return Letter(" ".join(str(stage.subject).split()), text, html)


def subject_of(facts: NoticeFacts, lang: str) -> str:
    """The notice's subject line alone: what the outbox keeps of a notice its letter carries (the
    letter holds the text, once). Its own template (`notices/subject/`, which the stage template
    imports): a national first sweep makes half a million subjects, and rendering each notice's
    whole stage template for its subject was half the sweep's time."""
    if lang not in LANGUAGES:
        raise BadInput(said("--lang {lang!r} is not one of {names}", lang=lang, names=', '.join(LANGUAGES)))
    values: dict[str, Any] = dict(vars(facts))
    values["cc_names"] = list(facts.cc_names)
    return " ".join(_subject_template(facts.stage, facts.kind, lang).render(values).split())


@lru_cache(maxsize=256)
def _subject_template(stage: str, kind: str, lang: str) -> jinja2.Template:
    return environment().select_template([f"notices/subject/{stage}-{kind}.{lang}.j2",
                                          f"notices/subject/{stage}.{lang}.j2"])


def _stage_module(facts: NoticeFacts, lang: str) -> tuple[Any, dict[str, Any]]:
    if lang not in LANGUAGES:
        raise BadInput(said("--lang {lang!r} is not one of {names}", lang=lang, names=', '.join(LANGUAGES)))
    values: dict[str, Any] = dict(vars(facts))
    values["cc_names"] = list(facts.cc_names)
    return _templates(facts.stage, facts.kind, lang)[0].make_module(values), values
