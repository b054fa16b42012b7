"""The title rules: what the title lines and the head of the text say, and a built title.

:func:`titles` reads the year and government a title states (2008年政府工作报告, 二〇〇八年…,
X市2008年政府工作报告, …政府工作报告(2008年)); :func:`compose_title` builds a title for a
report whose text has none, from its well-supported values only.
"""

from __future__ import annotations

import re

from ..models import Report
from . import evidence
from .frontmatter import YEAR, FrontMatter, year_value
from .metadata_head import PLACE, START, head

#: A title glued into the head of the text: (X市)2008年(X市)政府工作报告.
HEAD_TITLE = re.compile(
    rf"(?:{START}(?P<place>{PLACE}))?(?P<y>{YEAR})年度?"
    rf"(?P<gov>[\u4e00-\u9fff]{{0,12}}?)(?:人民)?政府工作报告"
)


def titles(text: str, front: FrontMatter) -> tuple[int | None, list[str]]:
    """The title's year and government, from the title lines and the head of the text.

    Nothing when they name different years: a web page listing other reports (a docin capture)
    is no title of this one.
    """
    found = list(HEAD_TITLE.finditer(head(text)))
    years = set(front.title_years) | {year_value(m["y"]) for m in found}
    years.discard(None)
    if len(years) > 1:
        return None, []
    names = [front.title_gov or ""] + [m["gov"] or m["place"] or "" for m in found]
    return (years.pop() if years else None), names


def _strong(report: Report, name: str) -> bool:
    """Decided by the manifest or by a rule that reads the report's own statement."""
    proof = report.evidence.get(name)
    return bool(proof) and (proof["rule"] == "manifest" or proof["rule"] not in evidence.WEAK)


def compose_title(report: Report) -> str:
    """A title built from the known, well-supported values only: 2024年镇江市政府工作报告.

    A year or city that is null or decided by a weak rule (:data:`.evidence.WEAK`) is left
    out rather than shown as if the file said it.
    """
    year = f"{report.year}年" if report.year and _strong(report, "year") else ""
    place = ""
    if report.city and _strong(report, "city"):
        place = "国务院" if report.city == "全国" else report.city
    return f"{year}{place}政府工作报告"
