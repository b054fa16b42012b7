"""Who wrote it first: the order of reports, and each report's passages given their source.

A report is earlier than another by date when both are dated and the dates differ, else by
year; on the same date (or year, when a date is missing) the national report comes before
the provincial one, which comes before the cities' (issue 17), and a prefecture-level
city's before its counties' and districts' (the same rule one level down). Reports of the same level
and time, or without a year, have no order: what they share is shown side by side but
counted as reuse for neither. Sources are attributed by :func:`paint`: each character of a
report goes to the earliest report it was shared with.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Report

LEVEL_RANK = {"national": 0, "province": 1, "prefecture": 2}
CITY_RANK = 3  # county, district, unknown
#: The groups a report's reuse share is split into (``by_level``).
SOURCE_LEVELS = ("national", "province", "city", "unknown")


def source_level(level: str | None) -> str:
    if level in ("national", "province"):
        return level
    return "unknown" if level is None else "city"


def _rank(report: Report) -> int:
    return LEVEL_RANK.get(report.level or "", CITY_RANK)


def earlier(x: Report, y: Report) -> bool | None:
    """True if x came before y, False if after, None if their order is unknown."""
    if x.year is None or y.year is None:
        return None
    if x.date and y.date and x.date != y.date:
        return x.date < y.date
    if x.year != y.year:
        return x.year < y.year
    if _rank(x) != _rank(y):
        return _rank(x) < _rank(y)
    return None


def order_key(report: Report) -> tuple:
    """Sorts reports from earliest (for attributing a formula to its earliest holder)."""
    return (report.year is None, report.year or 0, _rank(report), report.date or "9999", report.id)


@dataclass(slots=True)
class Piece:
    """A stretch of the target report (skeleton ``t0:t1``) shared with ``source``
    (``s0:s1``)."""

    t0: int
    t1: int
    source: int
    s0: int
    s1: int
    formula: bool
    similarity: float


def paint(pieces: list[Piece], source_order: dict[int, tuple], min_len) -> list[Piece]:
    """Each character to the earliest source sharing it; leftovers shorter than
    ``min_len(piece)`` characters are dropped. Cut pieces map their source span linearly.
    """
    taken: list[tuple[int, int]] = []  # sorted disjoint intervals already attributed
    out: list[Piece] = []
    for p in sorted(pieces, key=lambda p: (source_order[p.source], p.t0, -(p.t1 - p.t0))):
        for a, b in _free(taken, p.t0, p.t1):
            if (a, b) != (p.t0, p.t1):
                q = _cut(p, a, b)
            else:
                q = p
            if min_len(q):
                out.append(q)
                taken = _add(taken, a, b)
    return sorted(out, key=lambda p: p.t0)


def _cut(p: Piece, a: int, b: int) -> Piece:
    scale = (p.s1 - p.s0) / max(1, p.t1 - p.t0)
    s0 = p.s0 + round((a - p.t0) * scale)
    s1 = p.s0 + round((b - p.t0) * scale)
    return Piece(a, b, p.source, s0, max(s0 + 1, s1), p.formula, -1.0)


def _free(taken: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    out, cursor = [], a
    for x, y in taken:
        if y <= cursor:
            continue
        if x >= b:
            break
        if x > cursor:
            out.append((cursor, x))
        cursor = max(cursor, y)
    if cursor < b:
        out.append((cursor, b))
    return out


def _add(taken: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    merged = sorted(taken + [(a, b)])
    out: list[tuple[int, int]] = []
    for x, y in merged:
        if out and x <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], y))
        else:
            out.append((x, y))
    return out
