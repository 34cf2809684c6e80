"""A letter as a bureau sends it (公文, the elements of GB/T 9704-2012): one addressee, every duty listed.

Elements, in order: the issuer (发文机关), the document number (发文字号,
`历民函〔2026〕12号`), the title, the addressee (主送), the body, the
attachment note, the signature (署名), the date (成文日期), the note with
contact and phone (附注), the copies (抄送), then the attachment: the list
of duties, each with its basis in Chinese words. Templates live in
`templates/letters/` (`gongwen.<lang>.j2` sets the wording by form and stage,
`gongwen.<lang>.txt.j2` lays it out), with StrictUndefined.

A letter is stored once, as its text (sealed). Its HTML page (`letters/page.html.j2`) and its Word
file are laid out from that text when it is sent or shown (`letter_blocks`): the same text gives
the same page, so each says exactly what the sealed text says, and the national first sweep
renders one layout a letter, not two.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
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
def _templates(lang: str) -> tuple[Any, Any]:
    env = environment()
    return env.get_template(f"letters/gongwen.{lang}.j2"), env.get_template(f"letters/gongwen.{lang}.txt.j2")


def compose_letter(facts: LetterFacts, lang: str) -> Letter:
    """The letter's subject and text; its HTML is laid out from the text when it is sent or shown."""
    if lang not in LANGUAGES:
        raise BadInput(said("--lang {lang!r} is not one of {names}", lang=lang, names=', '.join(LANGUAGES)))
    wording, text_layout = _templates(lang)
    values: dict[str, Any] = dict(vars(facts))
    values["items"] = [vars(i) for i in facts.items]
    values["cc_names"] = list(facts.cc_names)
    module = wording.make_module(values)
    pieces = {k: str(getattr(module, k)).strip() for k in ("title", "opening", "closing", "attachment")}
    text = text_layout.render(values, letter=pieces)
    return Letter(" ".join(str(module.subject).split()), text, "")


@dataclass(frozen=True)
class Block:
    """A run of the stored text between blank lines, with its place in the 公文."""

    kind: str                 # issuer | number | title | signature | list | paragraph
    lines: tuple[str, ...]


_ITEM = re.compile(r"^(\d+)\. ")


def letter_blocks(text: str, issued_on: str) -> list[Block]:
    """The stored text's parts: the first three lines (issuer, number, title, as the layout writes
    them), then each block between blank lines; the block holding the 成文日期 `issued_on` is the
    signature, and a block of numbered lines the attachment's list."""
    lines = [line.rstrip() for line in text.split("\n")]
    head = [n for n, line in enumerate(lines) if line.strip()][:3]
    blocks = [Block(kind, (lines[n],)) for kind, n in zip(("issuer", "number", "title"), head)]
    current: list[str] = []
    for line in lines[head[-1] + 1:] if head else lines:
        if line.strip():
            current.append(line)
            continue
        if current:
            blocks.append(_block(current, issued_on))
            current = []
    if current:
        blocks.append(_block(current, issued_on))
    return blocks


def _block(lines: list[str], issued_on: str) -> Block:
    if issued_on in lines:
        return Block("signature", tuple(lines))
    if all(_ITEM.match(line) for line in lines):
        return Block("list", tuple(_ITEM.sub("", line, count=1) for line in lines))
    return Block("paragraph", tuple(lines))


def letter_html(text: str, lang: str, as_of: date) -> str:
    """The letter's HTML page, laid out from its stored text (the 公文 head in red, the title, the
    signature right-aligned, the attachment's duties as a numbered list)."""
    blocks = letter_blocks(text, _issued_on(as_of, lang))
    title = next((b.lines[0] for b in blocks if b.kind == "title"), "")
    return environment().get_template("letters/page.html.j2").render(
        lang="en" if lang == "en" else "zh-CN", title=title, blocks=blocks)


def _issued_on(as_of: date, lang: str) -> str:
    """The 成文日期 as the letter's text writes it (a language this engine does not write: Chinese)."""
    from lifecycle.core.names import written_date
    return written_date(as_of, lang if lang in LANGUAGES else "zh")


def stored_html(row: Any) -> str:
    """A stored letter's HTML: laid out from its text, or as stored by a version that kept both."""
    return row.body_html or letter_html(row.body_text, row.language, row.as_of)


def docx_bytes(text: str, lang: str = "zh", as_of: date | None = None) -> bytes:
    """The letter's stored text as a Word file: the head and title centred, the signature (when
    `as_of`, its date, is given) right-aligned, the rest as paragraphs."""
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
    issued_on = _issued_on(as_of, lang) if as_of else "\0"
    for block in letter_blocks(text, issued_on):
        for n, line in enumerate(block.lines, 1):
            para = document.add_paragraph(f"{n}. {line}" if block.kind == "list" else line)
            if block.kind in ("issuer", "number", "title"):
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif block.kind == "signature" and n <= block.lines.index(issued_on) + 1:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word file, one a line (what a reader of the .docx sees)."""
    from docx import Document
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
