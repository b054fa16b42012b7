"""Where a phrase is used, year by year: the city × year grid placed on the map.

Each place of the grid becomes a point at its seat of government (cpca's coordinates, through
:func:`search.ingest.gazetteer.position`); a place whose name does not resolve to exactly one
point is listed in ``unplaced`` rather than drawn somewhere plausible. For every year of the
span a point carries its running totals up to that year, so a year slider can replay the
spread with exact numbers: ``per_10k`` of a year is the rate over the place's dated reports
up to and including it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest.gazetteer import position
from ..measures import per_10k
from .grid import Grid, city_year_grid


@dataclass(slots=True)
class Point:
    city: str
    province: str | None
    lng: float
    lat: float
    first_year: int | None
    occurrences: int
    chars: int
    reports: int
    years: list[dict] = field(default_factory=list)  # running totals per year of the span

    def to_dict(self) -> dict:
        return {
            "city": self.city,
            "province": self.province,
            "lng": self.lng,
            "lat": self.lat,
            "first_year": self.first_year,
            "occurrences": self.occurrences,
            "chars": self.chars,
            "reports": self.reports,
            "per_10k": per_10k(self.occurrences, self.chars),
            "years": self.years,
        }


@dataclass(slots=True)
class SpreadMap:
    query: str
    normalized: str
    years: list[int]
    points: list[Point]
    unplaced: list[str]
    reports_with: int
    reports_total: int

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "normalized": self.normalized,
            "years": self.years,
            "reports_with": self.reports_with,
            "reports_total": self.reports_total,
            "cities": [p.to_dict() for p in self.points],
            "unplaced": self.unplaced,
        }


def spread_map(engine, text: str, **filters) -> SpreadMap:
    """The map of ``text`` over the reports passing ``filters``."""
    grid: Grid = city_year_grid(engine, text, "first", **filters)
    points, unplaced = [], []
    for row in grid.rows:
        where = position(row.city)
        if where is None:
            if row.city is not None or row.occurrences:
                unplaced.append(row.city or "未知")
            continue
        running, chars, reports, years = 0, 0, 0, []
        for year, cell in zip(grid.years, row.cells):
            if cell is not None:
                running, chars = running + cell.occurrences, chars + cell.chars
                reports += cell.reports
            years.append(
                {
                    "year": year,
                    "occurrences": running,
                    "chars": chars,
                    "reports": reports,
                    "per_10k": per_10k(running, chars),
                }
            )
        assert row.city is not None  # only a named city has a position
        points.append(
            Point(
                row.city,
                row.province,
                where[0],
                where[1],
                row.first_year,
                row.occurrences,
                sum(c.chars for c in row._present()),
                row.reports,
                years,
            )
        )
    return SpreadMap(
        text, grid.normalized, grid.years, points, unplaced, grid.reports_with, grid.reports_total
    )
