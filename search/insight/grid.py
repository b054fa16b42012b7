"""City × year: the picture of who wrote a phrase when — including who did not.

A cell is a place and a year. It holds the place's reports of that year that pass the filters:
``occurrences`` is the exact count of the query's hits in them (from ``Engine.stats``, so a
substring scan agrees), ``chars`` their searched length, ``per_10k`` the rate. A place with a
report that year and no hit is a real **0**; a place without a report that year has **no
cell** (``None``): a missing report is not zero attention. Reports whose year is unknown get
their own column, never a guessed year.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .. import params
from ..measures import per_10k
from ..models import LEVELS
from .collate import pinyin_key

SORTS = ("province", "pinyin", "first", "total")


@dataclass(slots=True)
class Cell:
    """The reports of one place in one year (``year`` None: the reports of unknown year)."""

    year: int | None
    reports: int = 0
    occurrences: int = 0
    chars: int = 0
    report_ids: list[str] = field(default_factory=list)

    @property
    def per_10k(self) -> float:
        return per_10k(self.occurrences, self.chars)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["per_10k"] = self.per_10k
        return data


@dataclass(slots=True)
class Row:
    """One place: its cells by year (None where it has no report) and its totals."""

    city: str | None
    province: str | None
    cells: list[Cell | None]
    unknown: Cell | None = None
    reports_with: int = 0  # reports of this place with at least one hit

    def _present(self) -> list[Cell]:
        return [c for c in [*self.cells, self.unknown] if c is not None]

    @property
    def occurrences(self) -> int:
        return sum(c.occurrences for c in self._present())

    @property
    def reports(self) -> int:
        return sum(c.reports for c in self._present())

    @property
    def first_year(self) -> int | None:
        return next((c.year for c in self.cells if c is not None and c.occurrences), None)

    def to_dict(self) -> dict:
        return {
            "city": self.city,
            "province": self.province,
            "first_year": self.first_year,
            "occurrences": self.occurrences,
            "reports": self.reports,
            "reports_with": self.reports_with,
            "cells": [c.to_dict() if c else None for c in self.cells],
            "unknown_year": self.unknown.to_dict() if self.unknown else None,
        }


@dataclass(slots=True)
class Grid:
    """The whole table: ``years`` spans the filtered corpus (not only the years with hits)."""

    query: str
    normalized: str
    years: list[int]
    rows: list[Row]
    reports_with: int
    reports_total: int
    sort: str = "province"

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "normalized": self.normalized,
            "years": self.years,
            "sort": self.sort,
            "reports_with": self.reports_with,
            "reports_total": self.reports_total,
            "unknown_year": any(r.unknown is not None for r in self.rows),
            "rows": [r.to_dict() for r in self.rows],
        }


def stats_with_grid(
    engine, text: str, sort: str = "province", level: str | None = None, **filters
) -> dict:
    """``Engine.stats`` plus its ``grid``: the answer of ``stats --json`` and ``/api/stats``."""
    data = engine.stats(text, **filters)
    data["grid"] = city_year_grid(engine, text, sort, data, level, **filters).to_dict()
    return data


def city_year_grid(
    engine,
    text: str,
    sort: str = "province",
    data: dict | None = None,
    level: str | None = None,
    **filters,
) -> Grid:
    """The grid of ``text`` over every report passing ``filters`` (same filters as stats);
    ``data``: the stats answer for the same query, when the caller has it already;
    ``level``: only the governments of that level (national, province, prefecture, county,
    district) become rows — the picture of one tier."""
    params.choice(sort, "sort", SORTS)
    if level:
        params.choice(level, "level", LEVELS)
    data = data or engine.stats(text, **filters)
    hits = {row["report_id"]: row["occurrences"] for row in data["rows"]}
    corpus = [r for r in engine.filtered_reports(**filters) if not level or r.level == level]
    years = sorted({r.year for r in corpus if r.year is not None})
    span = list(range(years[0], years[-1] + 1)) if years else []
    places: dict[str | None, Row] = {}
    for report in corpus:
        row = places.get(report.city)
        if row is None:
            row = places[report.city] = Row(report.city, report.province, [None] * len(span))
        row.province = row.province or report.province
        if report.year is None:
            cell = row.unknown = row.unknown or Cell(None)
        else:
            i = report.year - span[0]
            cell = row.cells[i] = row.cells[i] or Cell(report.year)
        found = hits.get(report.id, 0)
        cell.reports += 1
        cell.occurrences += found
        cell.chars += engine.searched_chars(report, filters.get("section"))
        cell.report_ids.append(report.id)
        row.reports_with += found > 0
    rows = sort_rows(list(places.values()), sort)
    return Grid(
        text, data["normalized"], span, rows, sum(1 for n in hits.values() if n), len(corpus), sort
    )


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Grouped by province (in pinyin order); inside a group by ``sort``: city pinyin, year of
    first use (never-users last), or total occurrences (most first). ``pinyin`` drops the
    grouping. The place of unknown name comes last."""

    def within(row: Row):
        name = pinyin_key(row.city)
        if sort == "first":
            first = row.first_year
            return (first is None, first or 0, name)
        if sort == "total":
            return (-row.occurrences, name)
        return (name,)

    if sort == "pinyin":
        return sorted(rows, key=lambda r: (r.city is None, pinyin_key(r.city)))
    return sorted(rows, key=lambda r: (r.city is None, pinyin_key(r.province), within(r)))
