"""What a search or stats call answers: dataclasses, turned into the README's JSON at the edge.

The page of results is the only part that looks at texts (snippets, sections hit, the
first hit's paragraph): a scan of ten reports. Facets and stats rows come from the arrays
of :class:`~search.query.execute.Found`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

from ..measures import per_10k
from ..models import SECTION_KINDS, Report
from ..snippets import Passage, best_snippets, find_positions, paragraph_at
from . import terms as term_rules
from .execute import Found
from .nodes import Phrase
from .snapshot import ReportTable

FACETS = ("city", "province", "year", "section")
UNKNOWN = "未知"


@dataclass
class SectionHits:
    ordinal: int
    title: str | None
    kind: str
    hits: int


@dataclass
class Result:
    """One matching report of a page, with its passages."""

    report: Report
    hits: int
    counts: dict[str, int]
    score: float
    passages: list[Passage] = field(default_factory=list)
    first_paragraph: str | None = None
    sections: list[SectionHits] = field(default_factory=list)

    def to_dict(self) -> dict:
        r = self.report
        return {
            "id": r.id,
            "title": r.title,
            **r.place(),
            "year": r.year,
            "date": r.date,
            "hits": self.hits,
            "counts": self.counts,
            "score": round(self.score, 4),
            "snippets": [p.html for p in self.passages],
            "first_paragraph": self.first_paragraph,
            "passages": [p.to_dict() for p in self.passages],
            "sections": [s.__dict__.copy() for s in self.sections],
        }


def spans_of(report: Report, kinds: tuple) -> list[tuple[int, int]]:
    """The parts of the text a query looks at: all of it, or the sections of the given kinds."""
    if not kinds:
        return [(0, report.chars)]
    return [(s.start, s.end) for s in report.sections if s.kind in kinds]


def sections_hit(report: Report, positions: dict[str, list[int]]) -> list[SectionHits]:
    """Sections holding hits, with their counts. Sections are separated by a newline and
    a phrase holds none, so every hit lies inside exactly one section."""
    sections = report.sections
    starts = [s.start for s in sections]
    per = [0] * len(sections)
    for offsets in positions.values():
        for at in offsets:
            i = bisect_right(starts, at) - 1
            if i >= 0 and at < sections[i].end:
                per[i] += 1
    return [SectionHits(s.ordinal, s.title, s.kind, n) for s, n in zip(sections, per) if n]


def term_positions(
    report: Report, phrases: list[str], spans, terms: dict | None
) -> tuple[dict[str, list[int]], list[tuple[int, int]] | None]:
    """Start offsets of each term's counted hits in the spans, and what snippets mark when a
    term is not a plain phrase (patterns, NEAR with its partners), else None."""
    terms = terms or {}
    special = [p for p in phrases if p in terms and not term_rules.is_phrase(terms[p])]
    positions = find_positions(report.text, [p for p in phrases if p not in special], spans)
    if not special:
        return positions, None
    text = report.text
    for key in special:
        positions[key] = [
            h[0] for a, b in spans for h in term_rules.term_hits(terms[key], text, a, b)
        ]
    marks = sorted(
        {
            m
            for p in phrases
            for a, b in spans
            for m in term_rules.term_marks(terms.get(p) or Phrase(p), text, a, b)
        }
    )
    return {p: positions[p] for p in phrases}, marks


def make_result(
    report: Report,
    score: float,
    counts: dict[str, int],
    phrases: list[str],
    kinds: tuple,
    terms: dict | None = None,
) -> Result:
    """A listed report: passages and sections hit, found in its text (one scan per term)."""
    result = Result(report, sum(counts.values()), counts, score)
    if not phrases:
        return result
    spans = spans_of(report, kinds)
    positions, marks = term_positions(report, phrases, spans, terms)
    result.passages = best_snippets(report, phrases, spans, positions=positions, marks=marks)
    first = min((found[0] for found in positions.values() if found), default=None)
    paragraph = paragraph_at(report, first) if first is not None else None
    result.first_paragraph = paragraph.id if paragraph else None
    result.sections = sections_hit(report, positions)
    return result


def _ranked(values: dict) -> list[dict]:
    return sorted(
        ({"value": k, "count": v} for k, v in values.items()),
        key=lambda x: (-x["count"], x["value"]),
    )


def _facet(codes: np.ndarray, names: list, numbers: np.ndarray, label=lambda v: v) -> list:
    counts = np.bincount(codes[numbers], minlength=len(names))
    out: dict = {}
    for code in np.flatnonzero(counts).tolist():
        key = UNKNOWN if names[code] is None else label(names[code])
        out[key] = out.get(key, 0) + int(counts[code])
    return _ranked(out)


def facets(table: ReportTable, found: Found) -> dict:
    """Counts of matching reports by city, province, year and by section kind hit."""
    numbers = found.numbers
    years, year_codes = np.unique(table.year[numbers], return_inverse=True)
    year_names = [None if y < 0 else int(y) for y in years.tolist()]
    kinds = found.kinds.sum(axis=0)
    return {
        "city": _facet(table.city, table.cities, numbers),
        "province": _facet(table.province, table.provinces, numbers),
        "year": _facet(year_codes.reshape(-1), year_names, np.arange(len(numbers)), str),
        "section": _ranked({SECTION_KINDS[k]: int(n) for k, n in enumerate(kinds.tolist()) if n}),
    }


def stats_rows(reports: list[Report], found: Found, order: np.ndarray) -> list[dict]:
    hits, lengths = found.hits, found.lengths
    rows = []
    for i in order.tolist():
        r = reports[int(found.numbers[i])]
        n, chars = int(hits[i]), int(lengths[i])
        rows.append(
            {
                "report_id": r.id,
                "title": r.title,
                "city": r.city,
                "province": r.province,
                "prefecture": r.prefecture,
                "year": r.year,
                "occurrences": n,
                "chars": chars,
                "per_10k": per_10k(n, chars),
            }
        )
    return rows


def by_city_year(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for row in rows:
        key = (row["city"], row["year"])
        g = groups.setdefault(
            key,
            {
                "city": row["city"],
                "province": row["province"],
                "year": row["year"],
                "reports": 0,
                "occurrences": 0,
                "chars": 0,
            },
        )
        g["reports"] += 1
        g["occurrences"] += row["occurrences"]
        g["chars"] += row["chars"]
    for g in groups.values():
        g["per_10k"] = per_10k(g["occurrences"], g["chars"])
    return sorted(groups.values(), key=lambda g: (g["city"] or "", g["year"] or 0))


def hit_offsets(
    report: Report, phrases: list[str], terms: dict | None = None
) -> list[tuple[int, int]]:
    """(start, end) of every term's marks in the whole text, sorted (for ``show``)."""
    terms = terms or {}
    return sorted(
        {m for p in phrases for m in term_rules.term_marks(terms.get(p) or Phrase(p), report.text)}
    )
