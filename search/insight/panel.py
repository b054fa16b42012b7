"""Concepts counted into panel data: report × concept/term, or place × year.

``by="report"``: one row per report passing the filters × concept (``term`` empty) and × each
of its terms — every report, also those without a hit (a real 0).

``by="city-year"``: one row per place × year of the filtered corpus's span × concept/term,
with ``reports`` = how many reports the place has that year. Where it has none, ``reports`` is
0 and ``occurrences``, ``chars`` and ``per_10k`` are empty (None): a missing report is not
zero attention. Reports of unknown year cannot be placed in a year; their number is given in
``about.undated_reports``.

Phrase terms are counted through the engine (``Engine.stats`` of the quoted phrase: the same
exact numbers as everywhere else) and a concept is scanned only in the reports where one of
its terms occurs; patterns are scanned in every report.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .. import params
from ..measures import per_10k
from ..models import PLACE_FIELDS, Report
from .concepts import Concept, Term

BY = ("report", "city-year")
#: The columns saying which cell a row is: a place, a year, a concept and one of its terms.
_CELL = [*PLACE_FIELDS, "year", "concept", "term"]
REPORT_COLUMNS = ["report_id", "title", *_CELL, "occurrences", "chars", "per_10k"]
PLACE_COLUMNS = [*_CELL, "reports", "occurrences", "chars", "per_10k"]


@dataclass(slots=True)
class Panel:
    """Rows (dicts with ``columns``) and ``about``: how the data set was made."""

    by: str
    columns: list[str]
    rows: list[dict]
    about: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"about": self.about, "by": self.by, "columns": self.columns, "rows": self.rows}


def term_counts(engine, term: Term, reports: list, filters: dict) -> dict[str, int]:
    """report id -> the term's own count, for the reports where it occurs."""
    if term.pattern or '"' in term.text:
        return {r.id: n for r in reports if (n := term.count(searched_text(engine, r, filters)))}
    data = engine.stats(f'"{term.text}"', **filters)
    allowed = {r.id for r in reports}
    return {
        row["report_id"]: row["occurrences"]
        for row in data["rows"]
        if row["occurrences"] and row["report_id"] in allowed
    }


def measure(engine, concepts: list[Concept], reports: list, filters: dict):
    """{(concept name, term label or ""): {report id: count}} for every concept and term."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    by_id = {r.id: r for r in reports}
    for c in concepts:
        candidates: set[str] = set()
        for term in c.terms:
            counts = out[(c.name, term.label)] = term_counts(engine, term, reports, filters)
            candidates.update(counts)
        if len(c.terms) == 1:
            out[(c.name, "")] = dict(out[(c.name, c.terms[0].label)])
            continue
        out[(c.name, "")] = {
            i: n for i in candidates if (n := c.count(searched_text(engine, by_id[i], filters)))
        }
    return out


def searched_text(engine, report, filters: dict) -> str:
    """The text a concept is counted in: the whole report, or its sections of the kinds
    asked for (joined by newlines, which no term contains, so nothing spans two sections)."""
    kinds = tuple(filters.get("section") or ())
    if not kinds:
        return report.text
    return "\n".join(report.text[s.start : s.end] for s in report.sections if s.kind in kinds)


def build_panel(engine, concepts: list[Concept], by: str = "report", **filters) -> Panel:
    """The panel of ``concepts`` over every report passing ``filters``."""
    params.choice(by, "by", BY)
    reports = engine.filtered_reports(**filters)
    if not reports:
        from ..engine import QueryError

        raise QueryError("no report passes these filters: the panel would be empty")
    counts = measure(engine, concepts, reports, filters)
    keys = [(c.name, label) for c in concepts for label in ["", *(t.label for t in c.terms)]]
    chars = {r.id: engine.searched_chars(r, filters.get("section")) for r in reports}
    if by == "report":
        rows = report_rows(reports, keys, counts, chars)
        columns = REPORT_COLUMNS
    else:
        rows = place_rows(reports, keys, counts, chars)
        columns = PLACE_COLUMNS
    about = {
        "concepts": [c.to_dict() for c in concepts],
        "by": by,
        "filters": {k: (list(v) if isinstance(v, tuple) else v) for k, v in filters.items()},
        "reports": len(reports),
        "undated_reports": sum(1 for r in reports if r.year is None),
        "index_generation": engine.generation,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "counting": (
            "term: its non-overlapping exact occurrences; concept: non-overlapping "
            "matches of its terms, longest term first at each position; per_10k = "
            "occurrences × 10000 ÷ chars searched"
        ),
    }
    return Panel(by, columns, rows, about)


def report_rows(reports, keys, counts, chars) -> list[dict]:
    rows = []
    for r in sorted(reports, key=lambda r: (r.city or "", r.year or 0, r.id)):
        base = {"report_id": r.id, "title": r.title, **r.place(), "year": r.year}
        for name, label in keys:
            n = counts[(name, label)].get(r.id, 0)
            rows.append(
                {
                    **base,
                    "concept": name,
                    "term": label,
                    "occurrences": n,
                    "chars": chars[r.id],
                    "per_10k": per_10k(n, chars[r.id]),
                }
            )
    return rows


def place_rows(reports, keys, counts, chars) -> list[dict]:
    places: dict[str | None, dict[int, list]] = {}
    meta: dict[str | None, Report] = {}
    years = sorted({r.year for r in reports if r.year is not None})
    for r in reports:
        meta.setdefault(r.city, r)
        if r.year is not None:
            places.setdefault(r.city, {}).setdefault(r.year, []).append(r)
    rows = []
    span = range(years[0], years[-1] + 1) if years else range(0)
    for city in sorted(places, key=lambda c: (c is None, c or "")):
        base = meta[city].place()  # the place's first report (keyed by its city)
        for year in span:
            group = places[city].get(year, [])
            size = sum(chars[r.id] for r in group)
            for name, label in keys:
                row = {
                    **base,
                    "year": year,
                    "concept": name,
                    "term": label,
                    "reports": len(group),
                    "occurrences": None,
                    "chars": None,
                    "per_10k": None,
                }
                if group:
                    n = sum(counts[(name, label)].get(r.id, 0) for r in group)
                    row.update(occurrences=n, chars=size, per_10k=per_10k(n, size))
                rows.append(row)
    return rows
