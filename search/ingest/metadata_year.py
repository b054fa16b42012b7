"""The year a report is *for*, from the first of:

1. the date line (2008年1月15日在…会议上, also in Chinese numerals, also glued into the head of
   the text); a local session held in October–December sets the next year's work, so such a
   date gives the following year (a national report keeps the year it was delivered in);
2. the title (2008年政府工作报告, 二〇〇八年…, X市2008年政府工作报告, …政府工作报告(2008年)),
   unless the title lines and the head of the text name different years (a web page listing
   other reports);
3. for a national report, the session of the National People's Congress it is delivered to
   (向第六届全国人民代表大会第一次会议作… → 1983; a session number left out means the first),
   by the fixed calendar of NPC sessions; else the term it looks back on (第十一届全国人民代表
   大会第一次会议以来的五年 → 2013) or last year's session (从去年9月…第三次会议到现在);
4. the headings (:func:`.metadata_headings.heading_year`): the year after the past year's
   review — the first chapter's heading, a heading classified as review, a review heading in the opening glued to
   its text (2013年工作回顾过去一年…), or the review's first sentence (2005年,…); else the
   nearest year of the annual plan (a later chapter heading, 2024年工作安排, 2024年政府工作的
   总体要求是…), where a vision year in a 规划/远景/时期 heading (2035) never counts; else the
   year after a reviewed five-year plan period (“十二五”时期…回顾 → 2016) or after a term
   review (2012年以来的五年 → 2017).

A redacted ``20xx`` gives nothing.
"""

from __future__ import annotations

import re

from ..models import Report
from . import evidence
from .frontmatter import DATE_TEXT, FrontMatter, parse_date, year_value
from .metadata_head import NUM, OPENING, OPENING_CHARS, front_line, head
from .metadata_headings import heading_year
from .metadata_title import HEAD_TITLE, titles

NPC_ADDRESS = re.compile(
    rf"(?:向|在)(?P<s>第(?P<term>[{NUM}\d]+)届全国人民代表大会"
    rf"(?:第(?P<session>[{NUM}\d]+)次(?:全体)?会议)?)"
)
HEAD_DATE = re.compile(
    DATE_TEXT + r"(?=[^,，。;；]{0,6}在|[^,，。;；]{0,30}(?:人民代表大会|人大|会议))"
)
# A national report at the end of a term looks back on it: 第十一届全国人民代表大会第一次会议以来的
# 五年, or (when its opening speaks of the past five years) 第六届全国人民代表大会期间.
NPC_TERM = re.compile(
    rf"第(?P<term>[{NUM}\d]+)届全国人民代表大会(?:第一次会议(?:以来的五年|"
    rf"[^。]{{0,24}}过去了五年)|(?P<during>期间))"
)
# … or back on last year's session: 从去年9月第五届全国人民代表大会第三次会议到现在
NPC_LAST = re.compile(
    rf"去年[^。,，]{{0,6}}?第(?P<term>[{NUM}\d]+)届全国人民代表大会"
    rf"第(?P<session>[{NUM}\d]+)次会议"
)


def npc_year(term: int, session: int | None) -> int | None:
    """The year of session ``session`` of the ``term``-th National People's Congress.

    A session number left out (向第五届全国人民代表大会作…) is the first session.
    """
    session = session or 1
    if term == 1:
        return 1953 + session if session <= 5 else None
    if term == 2:
        return {1: 1959, 2: 1960, 3: 1962, 4: 1963}.get(session)
    if term in (3, 4):
        return {3: 1964, 4: 1975}[term] if session == 1 else None
    if term >= 5 and session <= 5:
        return (1978 if term == 5 else 1983 + 5 * (term - 6)) + session - 1
    return None


def _numeral(text: str | None) -> int | None:
    """12 or 十二 (a term or session number) as an int; None when absent or unreadable."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    from .structure import numeral_value

    return numeral_value(text) or None


def session_year(text: str, front: FrontMatter) -> int | None:
    """Year of the NPC session a national report is delivered to, if it names one."""
    for source in (front.session_body or "", text[:OPENING]):
        if "全国人民代表大会" not in source:
            continue
        match = NPC_ADDRESS.search(source if source is not front.session_body else "在" + source)
        if match:
            return npc_year(_numeral(match["term"]) or 0, _numeral(match["session"]))
    return None


def national_year(text: str) -> int | None:
    """A national report's year from the NPC term or session it looks back on."""
    for match in NPC_TERM.finditer(text):
        if match["during"] and not re.search(r"过去五年|五年来|任期", text[:OPENING_CHARS]):
            continue
        year = npc_year(_numeral(match["term"]) or 0, 1)
        return year + 5 if year else None
    match = NPC_LAST.search(text[:OPENING_CHARS])
    if match:
        year = npc_year(_numeral(match["term"]) or 0, _numeral(match["session"]))
        return year + 1 if year else None
    return None


def date_year(text: str, front: FrontMatter) -> tuple[int, int] | None:
    """(year, month) of the date line, from the front matter or the head of the text."""
    if front.date_year:
        return front.date_year, front.date_month
    match = HEAD_DATE.search(head(text))
    date = parse_date(match) if match else None
    return (date[0], date[1]) if date else None


def report_year(report: Report, front: FrontMatter) -> tuple[int | None, dict | None]:
    """The year the report is for, with its evidence (see module docstring for the order)."""
    text = report.text
    national = report.city == "全国"
    dated = date_year(text, front)
    if dated:
        year, month = dated
        line = front.lines.get("date") if front.date_year else None
        match = None if front.date_year else HEAD_DATE.search(head(text))
        proof = (
            evidence.of_match(match, "date line")
            if match
            else evidence.entry(line, None, None, "date line")
        )
        if month >= 10 and not national:
            return year + 1, {**proof, "rule": "date line (autumn session: next year)"}
        return year, proof
    year = titles(text, front)[0]
    if year:
        match = next(
            (m for m in HEAD_TITLE.finditer(head(text)) if year_value(m["y"]) == year), None
        )
        return year, (
            evidence.of_match(match, "title")
            if match
            else evidence.entry(front.title_line, None, None, "title")
        )
    if national:
        for reader, rule in ((session_year, "NPC session"), (national_year, "NPC term")):
            found = reader(text, front) if reader is session_year else reader(text)
            if found:
                return found, _npc_evidence(text, front, rule)
    found = heading_year(report)
    if found is None:
        return None, None
    year, rule, words = found
    return year, evidence.at(text, words, rule)


def _npc_evidence(text: str, front: FrontMatter, rule: str) -> dict:
    """The words of the NPC session or term that gave a national report its year."""
    pattern = NPC_ADDRESS if rule == "NPC session" else NPC_TERM
    match = pattern.search(text[:OPENING] if rule == "NPC session" else text) or (
        NPC_LAST.search(text[:OPENING_CHARS]) if rule == "NPC term" else None
    )
    if match:
        return evidence.of_match(match, rule)
    return evidence.entry(front_line(front, "session line") or front.session_body, None, None, rule)
