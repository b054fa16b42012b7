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

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

from ..models import SECTION_KINDS
from . import terms as term_rules
from .nodes import TERMS, And, Not, Or, Phrase
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
        mask &= _place_mask(table.prefecture, table.prefectures, f.prefecture) | _place_mask(
            table.city, table.cities, f.prefecture
        )
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


def term_counts(
    snap: Snapshot, node, kinds: tuple, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A pattern's or NEAR's count per report, and the (report, kind) cells holding a hit.

    Candidates: the allowed reports holding every literal the term needs
    (:func:`search.query.terms.term_literals`, each one suffix-array lookup); only their
    texts are scanned, span by span (the whole text, or the sections of the kinds). A hit's
    kind is that of the section its start lies in."""
    n = len(snap.store)
    counts, cells = np.zeros(n, np.int64), np.zeros((n, KINDS), bool)
    candidates = allowed.copy()
    for literal in term_rules.term_literals(node):
        candidates &= phrase_counts(snap, literal, ())[0] > 0
    reports = snap.store.reports
    for number in np.flatnonzero(candidates).tolist():
        report = reports[number]
        text, sections = report.text, report.sections
        starts = [sec.start for sec in sections]
        spans = (
            [(0, len(text))]
            if not kinds
            else [(sec.start, sec.end) for sec in sections if sec.kind in kinds]
        )
        for a, b in spans:
            for start, _ in term_rules.term_hits(node, text, a, b):
                counts[number] += 1
                i = bisect_right(starts, start) - 1
                if 0 <= i < len(sections):
                    cells[number, SECTION_KINDS.index(sections[i].kind)] = True
    return counts, cells


def evaluate(expr, present: dict[str, np.ndarray]) -> np.ndarray:
    """The boolean expression over whole arrays: ``present[key]`` says who holds the term."""
    if isinstance(expr, TERMS):
        return present[expr.key]
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
    for node, negated in walk_phrases(request.expr):
        key = node.key
        if key in counts:
            continue
        if isinstance(node, Phrase):
            counts[key], hit_kinds = phrase_counts(snap, node.text, section)
        else:
            counts[key], hit_kinds = term_counts(snap, node, section, mask)
        if key in request.phrases:
            cells |= hit_kinds
    positive = {p: counts[p] for p in request.phrases}
    df = {p: int(np.count_nonzero(c[mask])) for p, c in positive.items()}
    chosen = mask & evaluate(request.expr, {p: c > 0 for p, c in counts.items()})
    if request.filters.min_hits:  # min:N — a condition on the hits, after counting
        total = np.zeros(len(mask), np.int64)
        for values in positive.values():
            total += values
        chosen &= total >= request.filters.min_hits
    numbers = np.flatnonzero(chosen)
    scores = bm25(table, positive, df, lengths, numbers)
    return Found(
        numbers,
        {p: c[numbers] for p, c in positive.items()},
        lengths[numbers],
        cells[numbers],
        scores,
    )
