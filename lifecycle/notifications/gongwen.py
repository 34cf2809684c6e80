"""A letter as a bureau sends it (公文, the elements of GB/T 9704-2012): one addressee, every duty listed.

Elements, in order: the issuer (发文机关), the document number (发文字号,
`历民函〔2026〕12号`), the title, the addressee (主送), the body, the
attachment note, the signature (署名), the date (成文日期), the note with
contact and phone (附注), the copies (抄送), then the attachment: the list
of duties, each with its basis in Chinese words. Templates live in
`templates/letters/` (`gongwen.<lang>.j2` sets the wording by form and stage,
`gongwen.<lang>.txt.j2` / `.html.j2` lay it out), with StrictUndefined. The
Word file is made from the stored text, so it says exactly what the e-mail says.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lifecycle.notifications.letters import LANGUAGES, Letter, environment
from lifecycle.core.errors import BadInput, said

SEVERITY = {"internal": 0, "notice": 1, "report": 2, "supervise": 3}
# a letter's stage is its most advanced item's; a correction ranks below all, so a letter is
# of stage `correction` (更正通知) only when every item is one
STAGE_ORDER = {"correction": -1, "reminder": 0, "overdue": 1, "escalation": 2}


@dataclass(frozen=True)
class Item:
    """One duty in a letter."""

    project: str
    station_name: str
    contractor_name: str
    duty: str
    due: str                  # written out in the letter's language
    provisional: bool
    stage: str
    days_overdue: int
    working_days_overdue: int
    working_days_left: int
    citation: str             # 《东营市乡镇（街道）社会工作服务站管理办法》第二十五条
    rule_summary: str         # what the clause asks, in our words: never quoted as its text
    explanation: str = ""     # one sentence of why (filled in by `explain`, when there is one)
    previous_due: str = ""    # a correction (更正通知): the due date the earlier letter named, written out


@dataclass(frozen=True)
class LetterFacts:
    form: str                 # notice | report | supervise | internal
    stage: str                # the most advanced stage of its items
    issuer: str | None        # 署名; None: no issuer configured (the letter says so)
    number: str | None        # 发文字号; None: unnumbered
    addressee: str            # 主送
    items: tuple[Item, ...]
    issued_on: str            # 成文日期
    act_by: str
    city: str
    escalation_working_days: int
    cc_names: tuple[str, ...]
    contact: str | None
    phone: str | None


@lru_cache(maxsize=8)
def _templates(lang: str) -> tuple[Any, Any, Any]:
    env = environment()
    return (env.get_template(f"letters/gongwen.{lang}.j2"), env.get_template(f"letters/gongwen.{lang}.txt.j2"),
            env.get_template(f"letters/gongwen.{lang}.html.j2"))


def compose_letter(facts: LetterFacts, lang: str) -> Letter:
    if lang not in LANGUAGES:
        raise BadInput(said("--lang {lang!r} is not one of {names}", lang=lang, names=', '.join(LANGUAGES)))
    wording, text_layout, html_layout = _templates(lang)
    values: dict[str, Any] = dict(vars(facts))
    values["items"] = [vars(i) for i in facts.items]
    values["cc_names"] = list(facts.cc_names)
    module = wording.make_module(values)
    pieces = {k: str(getattr(module, k)).strip() for k in ("title", "opening", "closing", "attachment")}
    text = text_layout.render(values, letter=pieces)
    html = html_layout.render(values, letter=pieces)
    return Letter(" ".join(str(module.subject).split()), text, html)


def docx_bytes(text: str, lang: str = "zh") -> bytes:
    """The letter's stored text as a Word file: the head and title centred, the rest as paragraphs."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(16)   # 三号, as GB/T 9704 sets the body
    if lang == "zh":
        style.font.name = "FangSong"
        style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    paragraphs = [p for p in text.split("\n")]
    centred = _centred_lines(paragraphs)
    for n, line in enumerate(paragraphs):
        if not line.strip():
            continue
        para = document.add_paragraph(line)
        if n in centred:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _centred_lines(lines: list[str]) -> set[int]:
    """The issuer, the number and the title: the first three non-blank lines."""
    found = [n for n, line in enumerate(lines) if line.strip()]
    return set(found[:3])


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word file, one a line (what a reader of the .docx sees)."""
    from docx import Document
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
