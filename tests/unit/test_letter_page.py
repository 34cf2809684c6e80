"""A letter is stored once, as its sealed text; its HTML page and Word file are laid out from that text."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from lifecycle.notifications.gongwen import (Item, LetterFacts, compose_letter, docx_bytes, docx_text, letter_blocks,
                                            letter_html, stored_html)

ITEM = Item(project="LX-2026-01", station_name="解放路街道社会工作服务站", contractor_name="<b>阳光</b>社工",
            duty="2026年10月月度工作简报", due="2026年11月10日", provisional=False, stage="overdue", days_overdue=10,
            working_days_overdue=8, working_days_left=0, citation="《济南市街道（镇）社会工作服务站建设实施方案》四（四）",
            rule_summary="按时报送月度工作简报")
FACTS = LetterFacts(form="notice", stage="overdue", issuer="济南市历下区民政局", number="历民函〔2026〕3号",
                    addressee="济南市历下区阳光社会工作服务中心", items=(ITEM, ITEM), issued_on="2026年11月20日",
                    act_by="2026年11月27日", city="济南市", escalation_working_days=10, cc_names=("解放路街道办事处",),
                    contact="王敏", phone="0531-86081234")
AS_OF = date(2026, 11, 20)


def test_the_letter_is_composed_as_text_alone():
    letter = compose_letter(FACTS, "zh")
    assert letter.html == "" and letter.text.startswith("济南市历下区民政局\n")


def test_the_text_splits_into_the_parts_of_a_gongwen():
    blocks = letter_blocks(compose_letter(FACTS, "zh").text, "2026年11月20日")
    kinds = [b.kind for b in blocks]
    assert kinds[:3] == ["issuer", "number", "title"]
    assert blocks[1].lines == ("历民函〔2026〕3号",)
    (signature,) = [b for b in blocks if b.kind == "signature"]
    assert signature.lines == ("济南市历下区民政局", "2026年11月20日")
    (duties,) = [b for b in blocks if b.kind == "list"]
    assert len(duties.lines) == 2 and duties.lines[0].startswith("解放路街道社会工作服务站（项目编号：LX-2026-01")


def test_the_page_says_what_the_text_says_in_the_layout_of_a_gongwen_and_escapes_it():
    text = compose_letter(FACTS, "zh").text
    page = letter_html(text, "zh", AS_OF)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert '<h1 style="text-align: center; font-size: 1.5em;">关于社会工作服务站项目事项逾期未完成的催办通知</h1>' in page
    assert '<p style="text-align: right;">济南市历下区民政局<br>2026年11月20日</p>' in page
    assert page.count("<li>") == 2 and "<p>济南市历下区阳光社会工作服务中心：</p>" in page
    assert "&lt;b&gt;阳光&lt;/b&gt;社工" in page and "<b>阳光</b>" not in page
    assert letter_html(text, "zh", AS_OF) == page                         # the same text, the same page


def test_a_letter_stored_with_its_html_by_an_earlier_version_shows_that_html():
    old = SimpleNamespace(body_html="<p>as sent</p>", body_text="x", language="zh", as_of=AS_OF)
    assert stored_html(old) == "<p>as sent</p>"
    new = SimpleNamespace(body_html="", body_text=compose_letter(FACTS, "zh").text, language="zh", as_of=AS_OF)
    assert stored_html(new) == letter_html(new.body_text, "zh", AS_OF)


def test_the_word_file_holds_the_texts_lines_with_the_signature_right_aligned():
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    import io
    text = compose_letter(FACTS, "zh").text
    data = docx_bytes(text, "zh", AS_OF)
    assert docx_text(data).split("\n") == [line for line in text.split("\n") if line.strip()]
    paragraphs = Document(io.BytesIO(data)).paragraphs
    right = [p.text for p in paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.RIGHT]
    centred = [p.text for p in paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.CENTER]
    assert right == ["济南市历下区民政局", "2026年11月20日"]
    assert centred == ["济南市历下区民政局", "历民函〔2026〕3号", "关于社会工作服务站项目事项逾期未完成的催办通知"]


def test_an_english_letter_lays_out_the_same_way():
    text = compose_letter(FACTS, "en").text
    page = letter_html(text, "en", AS_OF)
    assert '<html lang="en">' in page and page.count("<li>") == 2 and "<h1" in page
