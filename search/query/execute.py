"""Run a request on a snapshot: per-report arrays in, the matching reports out.

Each phrase of the query (negated ones too) is looked up once in the suffix arrays
(:mod:`search.query.suffixes`): its hits give, by ``bincount``, its exact count in every
report — within the sections of the filtered kinds if there is a section filter — and the
section kinds it occurs in. The boolean expression is then evaluated on whole arrays, the
metadata filters are array masks, and BM25 scores every match at once
(:mod:`search.query.rank`). Nothing here loops over reports in Python, so the cost follows
the number of hits and of matching reports, not the size of the corpus.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..models import SECTION_KINDS
from .nodes import And, Not, Or, Phrase
from .rank import bm25
from .request import Request, place_matches, walk_phrases
from .snapshot import ReportTable, Snapshot

KINDS = len(SECTION_KINDS)


@dataclass
class Found:
    """The reports satisfying a request (store numbers), aligned arrays per report."""

    numbers: np.ndarray  # report numbers
    counts: dict[str, np.ndarray]  # positive phrase -> exact count per matching report
    lengths: np.ndarray  # characters searched per report (whole text or filtered sections)
    kinds: np.ndarray  # (reports, kinds) bool: section kinds holding a hit
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def hits(self) -> np.ndarray:
        total = np.zeros(len(self.numbers), np.int64)
        for values in self.counts.values():
            total += values
        return total


def allowed(table: ReportTable, request: Request) -> np.ndarray:
    """Mask of the reports whose metadata passes the filters."""
    f = request.filters
    mask = np.ones(len(table.ids), bool)
    if f.city:
        mask &= _place_mask(table.city, table.cities, f.city)
    if f.province:
        mask &= _place_mask(table.province, table.provinces, f.province)
    if f.prefecture:
        mask &= (_place_mask(table.prefecture, table.prefectures, f.prefecture)
                 | _place_mask(table.city, table.cities, f.prefecture))
    if f.year_from is not None:
        mask &= (table.year >= 0) & (table.year >= f.year_from)
    if f.year_to is not None:
        mask &= (table.year >= 0) & (table.year <= f.year_to)
    if f.section:
        mask &= table.kind_present[:, _kind_indexes(f.section)].any(axis=1)
    return mask


def _place_mask(codes: np.ndarray, names: list, values: tuple) -> np.ndarray:
    good = [i for i, name in enumerate(names) if any(place_matches(v, name) for v in values)]
    return np.isin(codes, good)


def _kind_indexes(kinds: tuple) -> list[int]:
    return sorted({SECTION_KINDS.index(k) for k in kinds})


def phrase_counts(snap: Snapshot, phrase: str, kinds: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Exact count of ``phrase`` per report, and the (report, kind) cells holding a hit.

    One pass over the hits (a ``bincount`` per section); the rest is per section."""
    sx, n = snap.suffixes, len(snap.store)
    hits = sx.hits(phrase, kinds)
    per_piece = np.bincount(hits.pieces, minlength=len(sx.piece_report))
    counts = np.bincount(sx.piece_report, weights=per_piece, minlength=n).astype(np.int64)
    cells = np.zeros((n, KINDS), bool)
    hit = np.flatnonzero(per_piece)
    hit = hit[sx.piece_kind[hit] >= 0]
    cells[sx.piece_report[hit], sx.piece_kind[hit]] = True
    return counts, cells


def evaluate(expr, present: dict[str, np.ndarray]) -> np.ndarray:
    """The boolean expression over whole arrays: ``present[phrase]`` says who holds it."""
    if isinstance(expr, Phrase):
        return present[expr.text]
    if isinstance(expr, And):
        out = evaluate(expr.items[0], present)
        for item in expr.items[1:]:
            out = out & evaluate(item, present)
        return out
    if isinstance(expr, Or):
        out = evaluate(expr.items[0], present)
        for item in expr.items[1:]:
            out = out | evaluate(item, present)
        return out
    if isinstance(expr, Not):
        return ~evaluate(expr.item, present)
    raise TypeError(f"unknown query node {expr!r}")


def run(request: Request, snap: Snapshot) -> Found:
    """Every report satisfying the request, with exact counts, kinds hit and BM25 scores."""
    table = snap.table
    mask = allowed(table, request)
    section = request.filters.section
    if section:
        wanted = _kind_indexes(section)
        lengths = table.kind_chars[:, wanted].sum(axis=1)
    else:
        lengths = table.chars
    if request.expr is None:
        numbers = np.flatnonzero(mask)
        kinds = table.kind_present[numbers]
        if section:
            kinds = kinds & np.isin(np.arange(KINDS), _kind_indexes(section))
        return Found(numbers, {}, lengths[numbers], kinds, np.zeros(len(numbers)))
    counts, cells = {}, np.zeros((len(mask), KINDS), bool)
    for phrase, negated in walk_phrases(request.expr):
        if phrase in counts:
            continue
        counts[phrase], hit_kinds = phrase_counts(snap, phrase, section)
        if phrase in request.phrases:
            cells |= hit_kinds
    positive = {p: counts[p] for p in request.phrases}
    df = {p: int(np.count_nonzero(c[mask])) for p, c in positive.items()}
    numbers = np.flatnonzero(mask & evaluate(request.expr, {p: c > 0 for p, c in counts.items()}))
    scores = bm25(table, positive, df, lengths, numbers)
    return Found(numbers, {p: c[numbers] for p, c in positive.items()}, lengths[numbers],
                 cells[numbers], scores)
