"""Where a report states its metadata: the head of its text and its front-matter lines.

Shared by the government rules (:mod:`.metadata_place`), the year rules
(:mod:`.metadata_year`, :mod:`.metadata_headings`) and the title rules
(:mod:`.metadata_title`): the spans they read, what a place name looks like, where a name
may start in a head whose lines are glued together, and how a field is set with its evidence.
"""

from __future__ import annotations

import re

from ..models import Report
from .frontmatter import FrontMatter

#: Digits of a Chinese numeral (第十二届, 三届人大二次会议).
NUM = "一二三四五六七八九十百零〇两"
PLACE = r"[\u4e00-\u9fff]{1,10}?(?:自治区|自治州|自治县|市|县|区|州|盟|旗|省)"

#: The head (before 各位代表) counts only this near the start; else its first 200 characters.
HEAD_LIMIT = 600
#: Where a national opening or an NPC session is looked for.
OPENING = 1000
#: Where a government names itself (我代表X人民政府, the plan annex, 以来的五年).
NAMES_SPAN = 3000

# Names in the head of the text, where the front-matter lines are often glued together; a name
# starts after 在, a date (…13日), the session (…会议上) or anything not Chinese.
START = r"(?:(?<=在)|(?<=\d日)|(?<=会议上)|(?<![\u4e00-\u9fff]))(?!在)"
#: Where a review heading or a look back on the term may stand.
OPENING_PARAGRAPHS = 8
OPENING_CHARS = 1500


def squeeze_digits(text: str) -> str:
    """'1 9 9 8年' → '1998年' (spaced-out digits in old scans)."""
    return re.sub(r"(?<=\d) (?=\d)", "", text)


def head(text: str) -> str:
    """The text before the salutation, where glued title/date/speaker lines stand."""
    at = text.find("各位代表")
    return text[:at] if 0 <= at <= HEAD_LIMIT else text[:200]


#: The front-matter lines (:attr:`.FrontMatter.lines`) that can state what each rule reads.
FRONT_LINE = {
    "session line": ("session", "date", "session_rest"),
    "speaker line": ("speaker", "date"),
    "title": ("title",),
}


def front_line(front: FrontMatter, rule: str) -> str | None:
    """The first front-matter line the rule could have read its value from (the evidence)."""
    return next((front.lines[k] for k in FRONT_LINE.get(rule, ()) if k in front.lines), None)


def set_field(report: Report, name: str, value, proof: dict | None) -> None:
    """Set one metadata field with its evidence (a null value has a null entry)."""
    setattr(report, name, value)
    report.evidence[name] = proof if value is not None else None
