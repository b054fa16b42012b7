"""Metadata a report states about itself: government, year, date, speaker, session.

Every value is read off the text (or a manifest, see :mod:`search.ingest.manifest`); a value the
text does not state stays None. The year is the year the report is *for*: its title year, else
the year of its plan section (2024年主要任务), else the year after its review section
(2023年工作回顾), else the year of its date line; a redacted ``20xx`` gives nothing.
"""
from __future__ import annotations

import re

from ..models import Report
from . import gazetteer
from .frontmatter import FrontMatter

_GOV = r"(?P<gov>[^\s,，。、:：;；“”\"]{1,24}?)"
REPRESENT = re.compile(r"我?代表" + _GOV + r"(人民)?政府")
SESSION_GOV = re.compile(r"^(?P<gov>.{2,24}?)第[一二三四五六七八九十百零〇\d]+届")
NATIONAL = re.compile(r"代表国务院|国务院总理")
_BARE = {"市", "省", "区", "县", "自治区", "自治州", "州", "盟", "旗", "本市", "全市"}
_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)年")


def government_names(text: str, front: FrontMatter) -> list[str]:
    """Government names the report gives for itself, most explicit first."""
    names = [m.group("gov") for m in REPRESENT.finditer(text[:3000])]
    if front.session_body:
        match = SESSION_GOV.match(front.session_body)
        if match:
            names.append(match.group("gov"))
    names += [front.speaker_gov or "", front.title_gov or ""]
    cleaned = []
    for name in names:
        name = re.sub(r"(人民政府|政府)$", "", name or "")
        if name and name not in _BARE:
            cleaned.append(name)
    return cleaned


def bare_level(text: str) -> str | None:
    """'市' from 我代表市人民政府: the kind of government when the text omits its name."""
    for match in REPRESENT.finditer(text[:3000]):
        if match.group("gov") in _BARE:
            return match.group("gov")
    return None


def locate(report: Report, front: FrontMatter) -> None:
    """Fill city, province, prefecture and level from the text and the gazetteer."""
    text = report.text
    if NATIONAL.search(text[:3000]):
        report.city, report.level = "全国", "national"
        return
    found = None
    for name in government_names(text, front):
        found = gazetteer.resolve(name, context=text)
        if found:
            break
    if found is None:
        bare = bare_level(text)
        if bare in ("省", "自治区"):
            found = gazetteer.most_mentioned(text, "province")
        elif bare in (None, "市"):
            found = gazetteer.most_mentioned(text, "prefecture")
    if found is None:
        return
    report.city = found.province if found.level == "province" else found.city
    report.level, report.province, report.prefecture = found.level, found.province, found.prefecture


def section_year(report: Report) -> int | None:
    for kind, shift in (("plan", 0), ("review", 1)):
        for section in report.sections:
            match = _YEAR.search(section.title or "")
            if section.kind == kind and match:
                return int(match.group(1)) + shift
    return None


def report_year(report: Report, front: FrontMatter) -> int | None:
    if front.title_year:
        return front.title_year
    year = section_year(report)
    if year:
        return year
    return int(front.date[:4]) if front.date else None


def compose_title(report: Report) -> str:
    """A uniform title from stated values only: 2024年镇江市政府工作报告."""
    year = f"{report.year}年" if report.year else ""
    place = report.city if report.city and report.city != "全国" else ""
    if report.city == "全国":
        place = "国务院"
    return f"{year}{place}政府工作报告"


def describe(report: Report, front: FrontMatter) -> None:
    """Fill every metadata field the text states."""
    locate(report, front)
    report.year = report_year(report, front)
    report.date = front.date
    report.speaker, report.post = front.speaker, front.post
    report.session = front.session
    report.title = compose_title(report)
