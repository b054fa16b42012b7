"""Reuse over a whole corpus, at build time: prepare, pick pairs, align, attribute.

1. every report becomes a skeleton with its k-gram fingerprints (:mod:`.skeleton`);
2. fingerprints choose the pairs to align and mark formula text (:mod:`.candidates`);
3. each pair is aligned (:mod:`.align`) and its passages cut at formula boundaries
   (:mod:`.formula`), in ``workers`` forked processes (:class:`Pending`: they run while the
   build writes the rest of the index);
4. each report's passages go to their earliest source (:mod:`.direction`).

The result holds offsets of the normalized text, ready to store (:mod:`.storage`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import Indel

from ..models import Report
from .align import Fingerprints, SharedTable, align
from .candidates import candidate_pairs, cover, holders
from .direction import Piece, earlier, order_key, paint
from .formula import split
from .params import ReuseParams
from .skeleton import Skeleton, han_offsets, kgram_hashes, own_names, skeleton, winnow

#: Pairs handed to a worker at a time.
CHUNK = 256


@dataclass(slots=True)
class Prepared:
    sk: Skeleton
    fingerprints: Fingerprints

    @property
    def fp_pos(self) -> np.ndarray:
        """Skeleton positions of the fingerprints (in the order of :attr:`fp_hash`)."""
        return self.fingerprints.positions

    @property
    def fp_hash(self) -> np.ndarray:
        return self.fingerprints.values


@dataclass
class ReuseData:
    """Everything reuse pages need, as columns (see :mod:`.storage`)."""

    ids: list[str]
    han_chars: np.ndarray
    params: ReuseParams
    pairs: dict[str, np.ndarray] = field(default_factory=dict)
    passages: dict[str, np.ndarray] = field(default_factory=dict)
    totals: dict[str, np.ndarray] = field(default_factory=dict)


PAIR_COLUMNS = (
    "a",
    "b",
    "a_start",
    "a_end",
    "b_start",
    "b_end",
    "a_chars",
    "b_chars",
    "similarity",
    "formula",
)
TOTAL_COLUMNS = ("a", "b", "a_chars", "b_chars")
PASSAGE_COLUMNS = (
    "report",
    "start",
    "end",
    "source",
    "source_start",
    "source_end",
    "chars",
    "similarity",
    "formula",
)


def prepare(report: Report, params: ReuseParams) -> Prepared:
    sk = skeleton(report.text, own_names(report.city, report.prefecture, report.province))
    hashes = kgram_hashes(sk.codes, params.k)
    pos = winnow(hashes, params.window)
    return Prepared(sk, Fingerprints.of(hashes[pos], pos))


def formulas_and_numbers(prepared: list[Prepared], params: ReuseParams) -> tuple[list, int]:
    """Each report's formula cover (:func:`.candidates.cover`), and its fingerprints numbered
    for :class:`.align.SharedTable`; returns the covers and the size of that table."""
    counts, numbers, size = holders([p.fingerprints.distinct for p in prepared])
    covers = []
    for p, held, number in zip(prepared, counts, numbers):
        f = p.fingerprints
        formula = f.positions[np.repeat(held > params.formula_reports, f.count)]
        covers.append(cover(len(p.sk), formula, params.k))
        f.shared = np.flatnonzero(number >= 0).astype(np.int32)
        f.ids = number[f.shared].astype(np.int32)
    return covers, size


_WORK: dict = {}  # what forked workers read: set just before the pool forks


def _align_pairs(rows: np.ndarray) -> list[tuple]:
    """Pieces ``(a, b, a0, a1, b0, b1, formula, similarity)`` of the given pairs."""
    prepared, covers, params = _WORK["prepared"], _WORK["covers"], _WORK["params"]
    if "table" not in _WORK:  # one per process (made after the fork)
        _WORK["table"] = SharedTable(_WORK["values"])
    table, out = _WORK["table"], []
    for a, b in rows.tolist():
        pa, pb, fa, fb = (
            prepared[a].sk,
            prepared[b].sk,
            prepared[a].fingerprints,
            prepared[b].fingerprints,
        )
        for p, sim in align(pa, pb, fa, fb, params, table):
            pieces = split(p, covers[a], pa, params.min_chars)
            for a0, a1, formula in pieces:
                b0, b1 = (p.b0, p.b1) if len(pieces) == 1 else (p.to_b(a0), p.to_b(a1))
                s = (
                    sim
                    if len(pieces) == 1
                    else Indel.normalized_similarity(pa.han_span(a0, a1), pb.han_span(b0, b1))
                )
                out.append((a, b, a0, a1, b0, b1, formula, s))
    return out


class Pending:
    """A reuse computation whose pairs are aligned in ``workers`` forked processes, started
    at once, so the caller can write other parts of the index meanwhile (the build does);
    :meth:`finish` collects them. :meth:`close` stops the workers; ``finish`` calls it, a
    caller that gives up must."""

    def __init__(
        self, reports: list[Report], params: ReuseParams | None = None, workers: int | None = None
    ):
        self.params = params = params or ReuseParams()
        workers = workers or min(2, os.cpu_count() or 1)
        self.reports, self.pool, self.results = reports, None, None
        prepared = [prepare(r, params) for r in reports]
        self.sks = [p.sk for p in prepared]
        order = sorted(range(len(reports)), key=lambda i: order_key(reports[i]))
        self.rank = np.empty(len(reports), dtype=np.int64)
        self.rank[order] = np.arange(len(reports))
        pairs = candidate_pairs([p.fingerprints.distinct for p in prepared], self.rank, params)
        self.chunks = [pairs[i : i + CHUNK] for i in range(0, len(pairs), CHUNK)]
        covers, shared = formulas_and_numbers(prepared, params)
        _WORK.update(prepared=prepared, covers=covers, params=params, values=shared)
        if workers > 1 and len(self.chunks) > 1:
            import multiprocessing

            try:
                self.pool = multiprocessing.get_context("fork").Pool(workers)
                self.results = self.pool.imap(_align_pairs, self.chunks)
            except BaseException:
                self.close()
                raise
            # The workers have their copies: the fingerprints (~14 bytes a character) and
            # covers leave this process, which builds the suffix arrays meanwhile.
            _WORK.clear()

    def finish(self) -> ReuseData:
        """Shared passages of every pair worth aligning, and each report's attributed reuse."""
        try:
            if self.results is None:
                rows = [row for chunk in self.chunks for row in _align_pairs(chunk)]
            else:
                rows = [row for rows in self.results for row in rows]
        finally:
            self.close()
        sks = self.sks
        han = np.array([len(s.han) for s in sks], np.int64)
        data = ReuseData([r.id for r in self.reports], han, self.params)
        attributed = attribute(self.reports, sks, rows, self.rank, self.params)
        wheres = [han_offsets(r.text).astype(np.int32) for r in self.reports]
        data.pairs = _pair_columns(rows, sks, wheres)
        data.totals = _totals(rows, sks)
        data.passages = _passage_columns(attributed, sks, wheres)
        return data

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()  # reaped: their CPU time counts as the caller's children's
            self.pool = None
        _WORK.clear()


def compute(
    reports: list[Report], params: ReuseParams | None = None, workers: int | None = None
) -> ReuseData:
    """Shared passages of every pair worth aligning, and each report's attributed reuse."""
    return Pending(reports, params, workers).finish()


def attribute(
    reports: list[Report],
    sks: list[Skeleton],
    rows: list[tuple],
    rank: np.ndarray,
    params: ReuseParams,
) -> list[tuple[int, Piece]]:
    """Each report's pieces, each character attributed to its earliest source."""
    incoming: dict[int, list[Piece]] = {}
    for a, b, a0, a1, b0, b1, formula, sim in rows:
        first = earlier(reports[a], reports[b])
        if first is True:
            incoming.setdefault(b, []).append(Piece(b0, b1, a, a0, a1, formula, sim))
        elif first is False:
            incoming.setdefault(a, []).append(Piece(a0, a1, b, b0, b1, formula, sim))
    out = []
    for target in sorted(incoming):
        sk = sks[target]
        painted = paint(
            incoming[target],
            _RankView(rank),
            lambda q, sk=sk: sk.chars(q.t0, q.t1) >= params.min_chars,
        )
        for q in painted:
            if q.similarity < 0:
                q.similarity = Indel.normalized_similarity(
                    sk.han_span(q.t0, q.t1), sks[q.source].han_span(q.s0, q.s1)
                )
            out.append((target, q))
    return out


class _RankView:
    """``rank[report]`` as the mapping :func:`direction.paint` expects."""

    def __init__(self, rank: np.ndarray):
        self.rank = rank

    def __getitem__(self, report: int) -> int:
        return int(self.rank[report])


def _pair_columns(rows, sks, wheres) -> dict[str, np.ndarray]:
    cols: dict[str, list] = {name: [] for name in PAIR_COLUMNS}
    for a, b, a0, a1, b0, b1, formula, sim in rows:
        (sa, ea), (sb, eb) = (
            sks[a].text_span(wheres[a], a0, a1),
            sks[b].text_span(wheres[b], b0, b1),
        )
        for name, value in zip(
            PAIR_COLUMNS,
            (a, b, sa, ea, sb, eb, sks[a].chars(a0, a1), sks[b].chars(b0, b1), sim, formula),
        ):
            cols[name].append(value)
    return _arrays(cols)


def _totals(rows, sks) -> dict[str, np.ndarray]:
    """Per pair, the Han characters of each side in non-formula passages (overlaps, from
    text one side repeats, counted once)."""
    spans: dict[tuple[int, int], tuple[list, list]] = {}
    for a, b, a0, a1, b0, b1, formula, _ in rows:
        sides = spans.setdefault((a, b), ([], []))
        if not formula:
            sides[0].append((a0, a1))
            sides[1].append((b0, b1))
    cols: dict[str, list] = {name: [] for name in TOTAL_COLUMNS}
    for (a, b), (sa, sb) in sorted(spans.items()):
        for name, value in zip(TOTAL_COLUMNS, (a, b, _union(sks[a], sa), _union(sks[b], sb))):
            cols[name].append(value)
    return _arrays(cols)


def _union(sk: Skeleton, spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for a, b in sorted(spans):
        a = max(a, end)
        if b > a:
            total += sk.chars(a, b)
            end = b
    return total


def _passage_columns(attributed, sks, wheres) -> dict[str, np.ndarray]:
    cols: dict[str, list] = {name: [] for name in PASSAGE_COLUMNS}
    for target, q in attributed:
        s, e = sks[target].text_span(wheres[target], q.t0, q.t1)
        ss, se = sks[q.source].text_span(wheres[q.source], q.s0, q.s1)
        for name, value in zip(
            PASSAGE_COLUMNS,
            (
                target,
                s,
                e,
                q.source,
                ss,
                se,
                sks[target].chars(q.t0, q.t1),
                q.similarity,
                q.formula,
            ),
        ):
            cols[name].append(value)
    return _arrays(cols)


def _arrays(cols: dict[str, list]) -> dict[str, np.ndarray]:
    out = {}
    for name, values in cols.items():
        dtype = np.float32 if name == "similarity" else bool if name == "formula" else np.int32
        out[name] = np.array(values, dtype=dtype)
    return out
