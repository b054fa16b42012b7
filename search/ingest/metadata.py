"""Metadata a report states about itself: government, year, date, speaker, session.

Every value is read off the text (or a manifest, see :mod:`search.ingest.manifest`); a value the
text does not state stays None — unknown beats wrong. Each rule lives in one module:

- :mod:`.metadata_place` — the government (city, province, prefecture, level);
- :mod:`.metadata_year` — the year the report is for (date line, title, NPC session), with
  :mod:`.metadata_headings` for the year its review and plan headings imply;
- :mod:`.metadata_title` — the title lines' year and government, and a built title;
- :mod:`.metadata_head` — the head of the text and front-matter lines they all read.

:func:`describe` fills a report from them; the names other modules use are re-exported here.
"""

from __future__ import annotations

from ..models import EVIDENCE_FIELDS, Report
from . import evidence
from .frontmatter import FrontMatter
from .metadata_head import head
from .metadata_headings import heading_year
from .metadata_place import (
    bare_level,
    committee,
    government_names,
    is_national,
    locate,
    national_evidence,
    stated_names,
    unknown_place,
)
from .metadata_title import compose_title, titles
from .metadata_year import date_year, national_year, npc_year, report_year, session_year

__all__ = [
    "bare_level",
    "committee",
    "compose_title",
    "date_year",
    "describe",
    "government_names",
    "head",
    "heading_year",
    "is_national",
    "locate",
    "national_evidence",
    "national_year",
    "npc_year",
    "report_year",
    "session_year",
    "stated_names",
    "titles",
    "unknown_place",
]


def describe(report: Report, front: FrontMatter) -> None:
    """Fill every metadata field the text states, each with its evidence."""
    report.evidence = dict.fromkeys(EVIDENCE_FIELDS)
    locate(report, front)
    report.year, report.evidence["year"] = report_year(report, front)
    report.date = front.date
    if report.date:
        report.evidence["date"] = evidence.entry(front.lines.get("date"), None, None, "date line")
    report.speaker, report.post = front.speaker, front.post
    if report.speaker:
        line = front.lines.get("speaker") or front.lines.get("date")
        report.evidence["speaker"] = evidence.entry(line, None, None, "speaker line")
    report.session = front.session
    if front.title_line:
        report.title, report.title_source = front.title_line, "text"
    else:
        report.title, report.title_source = compose_title(report), "built"
