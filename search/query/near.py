"""Proximity: ``A NEAR/n B``, ``A NEAR/s B`` (same sentence), ``A NEAR/p B`` (same paragraph).

An occurrence of A is *near* when some occurrence of B does not overlap it and lies, in
either order, with at most ``n`` characters between the two (``NEAR/n``), or in the same
sentence (``NEAR/s``: sentences end at 。！？!? and at line breaks), or in the same
paragraph (``NEAR/p``: a line). The query's hits are the near occurrences of A; the
occurrences of B they pair with are marked too.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

SENTENCE_ENDS = frozenset("。！？!?\n")
UNITS = ("s", "p")
MAX_DISTANCE = 1000


def unit_bounds(text: str, unit: str, start: int, end: int) -> list[int]:
    """Offsets in ``[start, end)`` where a sentence or paragraph ends (its end mark's index)."""
    marks = SENTENCE_ENDS if unit == "s" else frozenset("\n")
    return [i for i in range(start, end) if text[i] in marks]


def _unit_of(bounds: list[int], at: int) -> int:
    return bisect_left(bounds, at)


def near(
    text: str,
    a_hits: list[tuple[int, int]],
    b_hits: list[tuple[int, int]],
    distance: int | None = None,
    unit: str | None = None,
    span: tuple[int, int] | None = None,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(A occurrences that are near a B, the B occurrences they pair with), both sorted."""
    if not a_hits or not b_hits:
        return [], []
    b_hits = sorted(b_hits)
    if unit is not None:
        lo = min(a_hits[0][0], b_hits[0][0]) if span is None else span[0]
        hi = max(a_hits[-1][1], b_hits[-1][1]) if span is None else span[1]
        bounds = unit_bounds(text, unit, lo, hi)
        units: dict[int, list[tuple[int, int]]] = {}
        for b in b_hits:
            units.setdefault(_unit_of(bounds, b[0]), []).append(b)
        found, partners = [], set()
        for a in a_hits:
            pair = [
                b for b in units.get(_unit_of(bounds, a[0]), ()) if b[0] >= a[1] or b[1] <= a[0]
            ]
            if pair:
                found.append(a)
                partners.update(pair)
        return found, sorted(partners)
    assert distance is not None, "NEAR needs a distance or a unit"
    starts = [b[0] for b in b_hits]
    ends = sorted(b[1] for b in b_hits)
    by_end = sorted(b_hits, key=lambda b: b[1])
    found, partners = [], set()
    for a in a_hits:
        # B after A: a.end <= b.start <= a.end + distance
        after = b_hits[bisect_left(starts, a[1]) : bisect_right(starts, a[1] + distance)]
        # B before A: a.start - distance <= b.end <= a.start
        before = by_end[bisect_left(ends, a[0] - distance) : bisect_right(ends, a[0])]
        if after or before:
            found.append(a)
            partners.update(after)
            partners.update(before)
    return found, sorted(partners)
