"""The year from the report's headings, when no date line, title or session gives it.

The year after the past year's review — the first chapter's heading, a heading classified as
review, a review heading in the opening glued to its text (2013年工作回顾过去一年…), or the
review's first sentence (2005年,…); else the nearest year of the annual plan (a later chapter
heading, 2024年工作安排, 2024年政府工作的总体要求是…), where a vision year in a
规划/远景/时期 heading (2035) never counts; else the year after a reviewed five-year plan
period (“十二五”时期…回顾 → 2016) or after a term review (2012年以来的五年 → 2017).
"""

from __future__ import annotations

import re

from ..models import Report
from .frontmatter import YEAR, small_number, year_value
from .metadata_head import NAMES_SPAN, OPENING_CHARS, OPENING_PARAGRAPHS, squeeze_digits

_YEAR_TOKEN = re.compile(rf"(?P<list>(?:{YEAR}[、和及至]){{0,3}})(?P<y>{YEAR})\s?(?:年|[:：])")
_NUMBERING = r"^【?(?:[一二三四五六七八九十]+[、.．]\s*|[(（][一二三四五六七八九十]+[)）]\s*|第[一二三四五六七八九十]+部分\s*)?"
# A review heading in the opening paragraphs, often glued to the text that follows it:
# 2023年工作回顾…, “十二五”回顾和2015年的工作…, 2010年及“十一五”工作回顾…, and a bare
# 2009年政府主要工作 when the review of that year follows (…2009年是…, 过去的一年…).
REVIEW_HEAD = re.compile(
    _NUMBERING + r"(?:关于)?(?:"
    rf"(?P<y>{YEAR})年度?(?:的)?(?:政府|国内|全市|全县)?(?:主要)?(?:工作|发展)?"
    r"(?:[与和及](?:工作|发展))?(?:的)?(?:简要|主要)?(?:回顾|总结|完成情况)|"
    rf"(?P<y4>{YEAR})年(?:的)?(?:政府)?(?:主要)?工作(?=过去的?一年|一年来|(?P=y4)年)|"
    r"[^,，。;；]{0,12}?(?:回顾|过去|本届|届人民政府|届政府)[^,，。;；]{0,6}?(?:和|及|与|、)"
    rf"(?P<y2>{YEAR})年度?(?:的)?(?:政府)?(?:主要)?工作|"
    rf"(?P<y3>{YEAR})年(?:及|和)[^,，。;；]{{0,12}}?回顾)"
)
# The review of the past year opens with that year: 2005年,我国… / 2003年是本届政府…
REVIEW_OPENING = re.compile(rf"^(?:刚刚过去的|过去的)?(?P<y>{YEAR})年(?:,|，|是)")
PLAN_HEAD = re.compile(
    _NUMBERING + rf"(?:关于)?(?P<y>{YEAR})年度?(?:的)?(?:政府)?(?:工作)?(?:的)?"
    r"(?:工作安排|重点工作|主要任务|重点任务|目标任务|工作任务|工作重点|工作总体部署|"
    r"工作建议|总体要求|主要工作安排|重点工作任务|主要工作任务|政府工作任务)"
)
# The review of a five-year plan period opens the report that starts the next period:
# 一、“十二五”时期经济社会发展回顾 → 2016.
FIVE_YEAR_REVIEW = re.compile(
    _NUMBERING + r"(?:关于)?[^,，。;；]{0,12}?"
    r"[“\"](?P<plan>十[一二三四五]?五|[六七八九]五)[”\"](?:计划|规划)?"
    r"(?:时期|期间)?[^,，。;；]{0,16}?(?:回顾|收官|完成情况|执行情况|成就|发展情况)"
)
_PLANS = {
    "六五": 6,
    "七五": 7,
    "八五": 8,
    "九五": 9,
    "十五": 10,
    "十一五": 11,
    "十二五": 12,
    "十三五": 13,
    "十四五": 14,
    "十五五": 15,
}
# The plan section states its year's general requirements: 2024年政府工作的总体要求是…
PLAN_SENTENCE = re.compile(rf"(?P<y>{YEAR})年[^,，。;；:：]{{0,14}}?总体要求(?:是|为|:|：)")
_VISION = re.compile(r"远景|展望|规划|时期|十[一二三四五六七八九]五|以来|至今")
# The five years since 2012: 2012年以来的五年 (a term review) → 2017.
SINCE = re.compile(rf"(?P<y>{YEAR})年以来的(?P<n>[二三四五六])年")


def _years(title: str) -> list[int]:
    years = [year_value(m["y"]) for m in re.finditer(rf"(?:回顾|展望)(?P<y>{YEAR})(?!年)", title)]
    for match in _YEAR_TOKEN.finditer(squeeze_digits(title)):
        listed = re.findall(YEAR, match["list"] or "")
        years += [year_value(y) for y in listed + [match["y"]]]
    return [y for y in years if y]


def _opening_starts(report: Report) -> list[str]:
    """Where a review heading may start: the opening paragraphs, and after a sentence end in
    the opening text (headings glued into one line: …提出意见。一、2019年工作回顾2019年…)."""
    starts = [report.paragraph_text(p)[:40] for p in report.paragraphs[:OPENING_PARAGRAPHS]]
    opening = report.text[:OPENING_CHARS]
    starts += [opening[m.end() : m.end() + 40] for m in re.finditer(r"[。!！:：](?=\S)", opening)]
    return [squeeze_digits(start) for start in starts]


def heading_year(report: Report) -> tuple[int, str, str] | None:
    """The year after the review of the past year, else the annual plan's year, else the year
    after a reviewed five-year plan period.

    A numbered heading that names one year is the review when it is the first chapter (in the
    bench corpus 679 of 681 such first chapters review the past year, whatever their wording) or
    is classified as review; a later one is the annual plan; of several plan years the nearest
    counts. Returns (year, rule, deciding words).
    """
    chapters = [s for s in report.sections if s.ordinal >= 1 and s.kind != "notes"]
    first = chapters[0] if chapters and chapters[0].kind != "government" else None
    reviews, plans, periods = _chapter_years(chapters, first)
    reviews += _opening_reviews(report)
    periods += _opening_periods(report)
    heading_plans, openings = _paragraph_years(report, first)
    plans += heading_plans
    plans += [(year_value(m["y"]), m.group(0)) for m in PLAN_SENTENCE.finditer(report.text)]
    plans = [p for p in plans if p[0]]
    for found, rule in ((reviews, "review heading"), (openings, "review opening")):
        if found:
            return found[0][0], rule, found[0][1]
    if plans:
        year, words = min(plans)
        return year, "plan heading", words
    return (periods[0][0], "period review", periods[0][1]) if periods else None


#: (year, deciding words) found by one reading, in text order.
Found = list[tuple[int, str]]


def _period_year(match: re.Match) -> int:
    """The first year after the five-year plan a FIVE_YEAR_REVIEW match names (十二五 → 2016)."""
    return 1986 + 5 * (_PLANS[match["plan"]] - 6)


def _chapter_years(chapters: list, first) -> tuple[Found, Found, Found]:
    """(reviews, plans, periods) read off the chapter headings."""
    reviews, plans, periods = [], [], []
    for section in chapters:
        title = squeeze_digits(section.title or "")
        years = sorted(set(_years(title)))
        if section is first:
            match = FIVE_YEAR_REVIEW.match(title)
            if match:
                periods.append((_period_year(match), match.group(0)))
        if not years or section.kind == "government":
            continue
        if section.kind == "review" or section is first:
            if re.search(r"以来|至今", title):
                continue
            if len(years) == 1 or (len(years) == 2 and years[1] == years[0] + 1):
                reviews.append((years[0] + 1, title))  # 一、1998年工作回顾和1999年工作的总体要求
        elif not _VISION.search(title):
            plans += [(y, title) for y in years]
    return reviews, plans, periods


def _opening_reviews(report: Report) -> Found:
    """Review headings in the opening, glued to their text or not: the year after theirs."""
    reviews = []
    for start in _opening_starts(report):
        match = REVIEW_HEAD.match(start)
        year = match and year_value(match["y"] or match["y2"] or match["y3"] or match["y4"])
        if year:
            reviews.append((year + 1, match.group(0)))
    return reviews


def _opening_periods(report: Report) -> Found:
    """A five-year plan period reviewed in the opening paragraphs, or a term review."""
    periods = []
    for paragraph in report.paragraphs[:OPENING_PARAGRAPHS]:
        match = FIVE_YEAR_REVIEW.match(report.paragraph_text(paragraph)[:40])
        if match:
            periods.append((_period_year(match), match.group(0)))
    match = SINCE.search(report.text[:NAMES_SPAN])
    if match and year_value(match["y"]):
        periods.append((year_value(match["y"]) + small_number(match["n"]), match.group(0)))
    return periods


def _paragraph_years(report: Report, first) -> tuple[Found, Found]:
    """(plans, openings): plan headings starting any paragraph, and the year the first
    paragraph after the first chapter's heading opens with (2005年,… → 2006)."""
    plans, openings = [], []
    for paragraph in report.paragraphs:
        start = squeeze_digits(report.text[paragraph.start : paragraph.start + 40])
        match = PLAN_HEAD.match(start)
        if match and year_value(match["y"]):
            plans.append((year_value(match["y"]), match.group(0)))
        after_heading = first is not None and paragraph.section == first.ordinal
        if after_heading and paragraph.start > first.start:
            match = REVIEW_OPENING.match(start)  # the first paragraph after the heading
            if match and year_value(match["y"]):
                openings.append((year_value(match["y"]) + 1, match.group(0)))
            first = None
    return plans, openings
