"""From normalized lines to paragraphs and sections.

* A line that does not end a sentence continues on the next line: page and column breaks cut
  sentences (社会消费品 / 零售总额), so such lines are rejoined — unless either side is a
  heading or a footnote entry.
* Top-level headings (一、…, 第一部分, markdown headings) open sections. Their numerals must run
  in order, so a list item 二、 inside section 一 is not taken for a heading. When the first
  heading is 二、 (the page with 一、 was lost, seed 000), the text before it becomes section 一
  of kind ``review``: every work report opens with the review of the past year.
* A trailing block of footnote entries (lines that began with ①…, or a 名词解释/注释 heading)
  becomes the last section, of kind ``notes``, searchable like the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Paragraph, Section
from .normalize import NOTE_SENTINEL

_NUMERALS = "一二三四五六七八九十"
TOP_HEADING = re.compile(
    rf"^(?P<num>[{_NUMERALS}]{{1,3}})[、.．]\s*\S|^第(?P<part>[{_NUMERALS}]{{1,3}})部分"
)
SUB_HEADING = re.compile(rf"^[(（][{_NUMERALS}]{{1,3}}[)）]|^\d{{1,2}}[.、．]\D")
NOTES_HEADING = re.compile(r"^(名词解释|名词注释|注释|附注|注|说明|备注)[:：]?$")
SENTENCE_END = re.compile(r"[。!?！？;；:：…]['\"”’」』)）]*$")
_MAX_HEADING = 60

KIND_RULES = (
    ("government", re.compile(r"自身建设|政府建设|建设人民满意|作风建设")),
    ("review", re.compile(r"回顾|总结|过去|成绩|成就")),
    (
        "plan",
        re.compile(
            r"任务|安排|重点|目标|计划|规划|部署|总体要求|思路|今后|展望|今年|明年|工作建议"
        ),
    ),
)


@dataclass
class Line:
    text: str
    markdown: bool = False
    note: bool = False


def numeral_value(text: str) -> int:
    """Value of a Chinese numeral up to 99 (一 → 1, 十二 → 12, 二十 → 20)."""
    digits = {c: i + 1 for i, c in enumerate(_NUMERALS[:-1])}
    if "十" not in text:
        return digits.get(text, 0)
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + digits.get(ones, 0)


def heading_number(line: Line) -> int | None:
    """The numeral of a top-level heading line, or None."""
    match = TOP_HEADING.match(line.text)
    if not match or len(line.text) > _MAX_HEADING or "。" in line.text[:-1]:
        return None
    return numeral_value(match.group("num") or match.group("part"))


def is_heading_like(line: Line) -> bool:
    """Headings and sub-headings stand alone: a line break after them is real."""
    if line.markdown or heading_number(line) is not None or NOTES_HEADING.match(line.text):
        return True
    return (
        bool(SUB_HEADING.match(line.text))
        and len(line.text) <= 40
        and not re.search(r"[,，、;；]", line.text)
    )


def classify(title: str | None) -> str:
    for kind, rule in KIND_RULES:
        if title and rule.search(title):
            return kind
    return "other"


def split_note_flag(text: str) -> Line:
    note = text.startswith(NOTE_SENTINEL)
    return Line(text.replace(NOTE_SENTINEL, "").strip(), note=note)


def join_broken_lines(lines: list[Line]) -> list[Line]:
    """Rejoin a sentence cut by a line, column or page break."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not SENTENCE_END.search(prev.text)
            and not is_heading_like(prev)
            and not is_heading_like(line)
            and not line.note
            and not prev.markdown
        ):
            prev.text += line.text
            continue
        out.append(Line(line.text, line.markdown, line.note))
    return out


def notes_start(lines: list[Line]) -> int | None:
    """Index where the trailing footnote block begins, if the report ends with one."""
    start = None
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if NOTES_HEADING.match(line.text):
            return i
        if line.note:
            start = i
        elif heading_number(line) is not None or start is None:
            break
    return start


@dataclass
class Outline:
    """Paragraph texts with the section each belongs to, ready to become a Report."""

    paragraphs: list[str] = field(default_factory=list)
    sections: list[tuple[int, str | None, str, int]] = field(default_factory=list)

    def open(self, ordinal: int, title: str | None, kind: str) -> None:
        self.sections.append((ordinal, title, kind, len(self.paragraphs)))

    def build(self) -> tuple[str, list[Section], list[Paragraph]]:
        """Join paragraphs with newlines and compute character offsets."""
        text_parts, paragraphs, offset = [], [], 0
        bounds = [s[3] for s in self.sections] + [len(self.paragraphs)]
        sections = []
        for n, (ordinal, title, kind, first) in enumerate(self.sections):
            last = bounds[n + 1]
            if last == first:
                continue
            start = offset
            for i in range(first, last):
                text = self.paragraphs[i]
                paragraphs.append(Paragraph(f"p-{i + 1}", ordinal, offset, offset + len(text)))
                text_parts.append(text)
                offset += len(text) + 1
            sections.append(Section(ordinal, title, kind, start, offset - 1))
        return "\n".join(text_parts), sections, paragraphs


def outline(lines: list[Line]) -> Outline:
    """Group body lines into sections (see module docstring)."""
    lines = join_broken_lines(lines)
    cut = notes_start(lines)
    body, notes = (lines, []) if cut is None else (lines[:cut], lines[cut:])
    result = Outline()
    expected = next((n for n in map(heading_number, body) if n is not None), None)
    if body and heading_number(body[0]) is None:
        _open_lead(result, expected)
    for line in body:
        number = heading_number(line)
        if number is not None and number == expected:
            result.open(number, line.text, classify(line.text))
            expected = number + 1
        result.paragraphs.append(line.text)
    if notes:
        last = result.sections[-1][0] if result.sections else 0
        title = notes[0].text if NOTES_HEADING.match(notes[0].text) else None
        result.open(last + 1, title, "notes")
        result.paragraphs.extend(line.text for line in notes)
    return result


def _open_lead(result: Outline, first_heading: int | None) -> None:
    """Open the section for text before the first heading: a preamble, or a lost 一、."""
    if first_heading is not None and first_heading > 1:
        result.open(first_heading - 1, None, "review" if first_heading == 2 else "other")
    else:
        result.open(0, None, "other")
