"""Aligning two reports: exact seeds on the skeleton, chained across small edits.

Every fingerprint (winnowed k-gram, :func:`.skeleton.winnow`) the two skeletons share is a
seed; seeds on one diagonal that overlap are one exact run, extended to the characters where
the texts differ. Runs in the same order in both texts, separated by at
most ``max_gap`` characters on each side with the two gaps differing by at most
``max_indel`` (a changed character, a few inserted or dropped), chain into one passage.
A passage is kept when it holds at least ``min_chars`` Han characters on both sides and its
similarity — rapidfuzz's normalized Indel similarity of the two passages' Han characters,
place names *not* folded — is at least ``min_similarity``. This is seed-and-extend with the
extension done by chaining, as in passim and BLAST's two-hit method, without a quadratic
dynamic programme.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel

from .params import ReuseParams
from .skeleton import Skeleton

#: A k-gram repeated more often than this in a pair (both sides multiplied) seeds nothing:
#: repeats would multiply the seeds without telling where the copy is.
MAX_REPEAT = 16
#: Identical characters that resume a passage after an edit (:func:`stretch`).
ANCHOR = 6


@dataclass(slots=True)
class Passage:
    """A shared passage: skeleton spans ``a[a0:a1]`` ~ ``b[b0:b1]`` and its exact runs
    ``(i, j, length)`` (used to map a position inside the passage from one side to the other)."""

    a0: int
    a1: int
    b0: int
    b1: int
    runs: list[tuple[int, int, int]]

    def to_b(self, i: int) -> int:
        """The position in b matching position ``i`` of a (inside the passage)."""
        j = self.b0
        for ri, rj, n in self.runs:
            if i < ri:
                return min(max(j, rj - (ri - i)), self.b1)
            if i < ri + n:
                return rj + (i - ri)
            j = rj + n
        last_i, _, last_n = self.runs[-1]
        return min(j + (i - last_i - last_n), self.b1)


@dataclass(slots=True)
class Fingerprints:
    """A report's fingerprints by value: ``distinct`` the sorted distinct values, value
    ``distinct[d]`` at skeleton positions ``positions[first[d] : first[d] + count[d]]``
    (a pair needs one lookup, not five binary searches). Kept small (int32 where it fits):
    every report's are in memory at once."""

    positions: np.ndarray
    distinct: np.ndarray
    first: np.ndarray
    count: np.ndarray
    #: Indices into ``distinct`` of the values other reports of the corpus hold too, and
    #: those values' numbers among all such values (set by :func:`.compute.compute`, for
    #: :class:`SharedTable`); None outside a corpus.
    shared: np.ndarray | None = None
    ids: np.ndarray | None = None

    @classmethod
    def of(cls, hashes: np.ndarray, positions: np.ndarray) -> Fingerprints:
        order = np.argsort(hashes, kind="stable")
        distinct, first, count = np.unique(hashes[order], return_index=True, return_counts=True)
        return cls(
            positions[order].astype(np.int32),
            distinct,
            first.astype(np.int32),
            count.astype(np.int32),
        )

    @property
    def values(self) -> np.ndarray:
        """The value of each of ``positions``."""
        return np.repeat(self.distinct, self.count)


def _common(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(ix, iy)`` of the values two sorted distinct arrays share, ``x[ix] == y[iy]``
    (binary search of x in y: no sort of both, which ``np.intersect1d`` does)."""
    if not len(x) or not len(y):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    at = np.minimum(np.searchsorted(y, x), len(y) - 1)
    ix = np.flatnonzero(y[at] == x)
    return ix, at[ix]


class SharedTable:
    """Which fingerprints report a shares with report b, by table lookup: pairs come grouped
    by a, so a's fingerprint numbers are entered once and each b costs one gather instead of
    a binary search per fingerprint (a third of the alignment time before). Only values held
    by two reports or more have numbers (the table stays small). One per process."""

    def __init__(self, values: int):
        self.slot = np.full(values, -1, dtype=np.int32)
        self.current: Fingerprints | None = None

    def common(self, fa: Fingerprints, fb: Fingerprints) -> tuple[np.ndarray, np.ndarray]:
        """Indices ``(da, db)`` with ``fa.distinct[da] == fb.distinct[db]``, ascending."""
        if fa is not self.current:
            if self.current is not None:
                self.slot[self.current.ids] = -1
            self.slot[fa.ids] = np.arange(len(fa.ids), dtype=np.int32)
            self.current = fa
        at = self.slot[fb.ids]
        hit = np.flatnonzero(at >= 0)
        return fa.shared[at[hit]], fb.shared[hit]


def seed_hits(
    fa: Fingerprints, fb: Fingerprints, table: SharedTable | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` of the fingerprints two reports share (repeats capped), in no
    particular order (:func:`seed_runs` sorts them)."""
    if table is not None:
        da, db = table.common(fa, fb)
    elif len(fa.distinct) <= len(fb.distinct):  # search the shorter in the longer
        da, db = _common(fa.distinct, fb.distinct)
    else:
        db, da = _common(fb.distinct, fa.distinct)
    la, na, lb, nb = fa.first[da], fa.count[da], fb.first[db], fb.count[db]
    single = (na == 1) & (nb == 1)
    i = [fa.positions[la[single]].astype(np.int64)]
    j = [fb.positions[lb[single]].astype(np.int64)]
    many = np.flatnonzero(~single & (na * nb <= MAX_REPEAT))
    if len(many):  # every (a, b) combination of a repeated fingerprint's positions
        la, na, lb, nb = la[many], na[many], lb[many], nb[many]
        size = na * nb
        group = np.repeat(np.arange(len(many)), size)
        offset = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
        i.append(fa.positions[la[group] + offset // nb[group]].astype(np.int64))
        j.append(fb.positions[lb[group] + offset % nb[group]].astype(np.int64))
    return np.concatenate(i), np.concatenate(j)


def seed_runs(
    fa: Fingerprints, fb: Fingerprints, sa: str, sb: str, k: int, table: SharedTable | None = None
) -> np.ndarray:
    """Maximal exact runs two skeletons share, rows ``(i, j, length)`` sorted by i.

    Shared fingerprints on one diagonal at most k apart overlap, so the stretch they cover
    is identical; it is then extended character by character on both sides.
    """
    i, j = seed_hits(fa, fb, table)
    if not len(i):
        return np.zeros((0, 3), dtype=np.int64)
    diag = j - i
    by = np.lexsort((i, diag))
    i, diag = i[by], diag[by]
    new = np.ones(len(i), dtype=bool)
    new[1:] = (diag[1:] != diag[:-1]) | (i[1:] - i[:-1] > k)
    starts = np.flatnonzero(new)
    last = np.r_[starts[1:], len(i)] - 1
    runs = []
    for s, e, d in zip(i[starts].tolist(), (i[last] + k).tolist(), diag[starts].tolist()):
        s, e = _extend(sa, sb, s, e, d)
        runs.append((s, s + d, e - s))
    runs = np.array(sorted(set(runs)), dtype=np.int64)
    return runs.reshape(-1, 3)


def _extend(sa: str, sb: str, s: int, e: int, d: int) -> tuple[int, int]:
    """Grow the identical stretch ``sa[s:e] == sb[s+d:e+d]`` while the characters agree."""
    return s - _common_suffix(sa, sb, s, s + d), e + _common_prefix(sa, sb, e, e + d)


def _common_prefix(sa: str, sb: str, i: int, j: int) -> int:
    """How many characters from ``i`` in sa and ``j`` in sb are identical (compared 16 at a
    time, then 8, 4, 2, 1: a slice comparison costs about what one character's does)."""
    n, limit = 0, min(len(sa) - i, len(sb) - j)
    for step in (16, 8, 4, 2, 1):
        while n + step <= limit and sa[i + n : i + n + step] == sb[j + n : j + n + step]:
            n += step
    return n


def _resync(sa: str, sb: str, i: int, j: int, params: ReuseParams) -> tuple[int, int] | None:
    """Where the texts agree again after they part at ``(i, j)``: the nearest ``(i', j')``
    (fewest characters skipped on both sides) within the edit limits that starts ``ANCHOR``
    identical characters, or None."""
    if not _may_resync(sa, sb[j : j + params.max_gap + ANCHOR], i, params.max_gap):
        return None
    best = None
    for da in range(params.max_gap + 1):
        if best is not None and da >= best[0]:
            break
        piece = sa[i + da : i + da + ANCHOR]
        if len(piece) < ANCHOR:
            break
        low, high = max(0, da - params.max_indel), min(params.max_gap, da + params.max_indel)
        at = sb.find(piece, j + low, j + high + ANCHOR)
        if at >= 0 and (at > j or da):
            cost = da + at - j
            if best is None or cost < best[0]:
                best = (cost, i + da, at)
    return None if best is None else best[1:]


def _resync_left(sa: str, sb: str, i: int, j: int, params: ReuseParams) -> tuple[int, int] | None:
    """:func:`_resync` towards the start: the nearest ``(i', j')`` that *ends* ``ANCHOR``
    identical characters, before the texts part at ``(i, j)`` (exclusive ends)."""
    start = max(0, i - params.max_gap - ANCHOR)
    if not _may_resync(sa, sb[max(0, j - params.max_gap - ANCHOR) : j], start, params.max_gap):
        return None
    best = None
    for da in range(params.max_gap + 1):
        if best is not None and da >= best[0]:
            break
        if i - da - ANCHOR < 0:
            break
        piece = sa[i - da - ANCHOR : i - da]
        low, high = max(0, da - params.max_indel), min(params.max_gap, da + params.max_indel)
        if j - low < ANCHOR:  # no room before j (and a negative end would count from the end)
            break
        at = sb.rfind(piece, max(0, j - high - ANCHOR), j - low)
        if at >= 0 and (at + ANCHOR < j or da):
            cost = da + j - (at + ANCHOR)
            if best is None or cost < best[0]:
                best = (cost, i - da, at + ANCHOR)
    return None if best is None else best[1:]


def _may_resync(sa: str, window: str, i: int, max_gap: int) -> bool:
    """Whether any ``ANCHOR`` characters of ``sa`` starting at ``i .. i + max_gap`` occur in
    ``window``: a quick test :func:`_resync` and :func:`_resync_left` make first, since most
    passages end where the copy ends (their searches only look inside such windows)."""
    for d in range(i, i + max_gap + 1):
        if sa[d : d + ANCHOR] in window:
            return True
    return False


def _common_suffix(sa: str, sb: str, i: int, j: int) -> int:
    """How many characters before ``i`` in sa and ``j`` in sb are identical (as
    :func:`_common_prefix`)."""
    n, limit = 0, min(i, j)
    for step in (16, 8, 4, 2, 1):
        while n + step <= limit and sa[i - n - step : i - n] == sb[j - n - step : j - n]:
            n += step
    return n


def stretch(p: Passage, sa: str, sb: str, params: ReuseParams) -> None:
    """Carry passage ``p`` past small edits at its end, then at its start."""
    while True:
        found = _resync(sa, sb, p.a1, p.b1, params)
        if found is None:
            break
        i, j = found
        n = _common_prefix(sa, sb, i, j)
        p.runs.append((i, j, n))
        p.a1, p.b1 = i + n, j + n
    while True:
        found = _resync_left(sa, sb, p.a0, p.b0, params)
        if found is None:
            break
        i, j = found
        n = _common_suffix(sa, sb, i, j)
        p.a0, p.b0 = i - n, j - n
        p.runs.insert(0, (p.a0, p.b0, n))


def chain(runs: np.ndarray, params: ReuseParams) -> list[Passage]:
    """Runs chained across small edits (see the module docstring), in order of a."""
    done: list[Passage] = []
    open_: list[Passage] = []
    for i, j, n in runs.tolist():
        still = []
        for p in open_:
            (done if p.a1 + params.max_gap < i else still).append(p)
        open_ = still
        best = None
        for p in open_:
            if p.a0 <= i and i + n <= p.a1 and p.b0 <= j and j + n <= p.b1:
                best = (p, -1)  # a repeat inside a passage already found
                break
            shift = max(p.a1 - i, p.b1 - j, 0)
            if shift >= n:
                continue
            ga, gb = i + shift - p.a1, j + shift - p.b1
            fits = (
                ga <= params.max_gap and gb <= params.max_gap and abs(ga - gb) <= params.max_indel
            )
            if fits and (best is None or p.a1 > best[0].a1):
                best = (p, shift)
        if best is None:
            open_.append(Passage(i, i + n, j, j + n, [(i, j, n)]))
        elif best[1] >= 0:
            p, shift = best
            p.runs.append((i + shift, j + shift, n - shift))
            p.a1, p.b1 = i + n, j + n
    return sorted(done + open_, key=lambda p: (p.a0, p.b0))


def merge(passages: list[Passage], a: Skeleton, b: Skeleton, params: ReuseParams) -> list[Passage]:
    """Passages stretched past edits at their ends; those that then overlap are one."""
    out: list[Passage] = []
    for p in passages:
        stretch(p, a.text, b.text, params)
    for p in sorted(passages, key=lambda p: (p.a0, p.b0)):
        last = out[-1] if out else None
        if last and p.a0 < last.a1 and p.b0 < last.b1 and p.a1 > last.a0 and p.b1 > last.b0:
            last.runs = sorted(set(last.runs + p.runs))
            last.a0, last.b0 = min(last.a0, p.a0), min(last.b0, p.b0)
            last.a1, last.b1 = max(last.a1, p.a1), max(last.b1, p.b1)
        else:
            out.append(p)
    return out


def similarity(a: Skeleton, b: Skeleton, p: Passage) -> float:
    """Normalized Indel similarity of the two spans' Han characters (names not folded)."""
    return Indel.normalized_similarity(a.han_span(p.a0, p.a1), b.han_span(p.b0, p.b1))


def align(
    a: Skeleton,
    b: Skeleton,
    fa: Fingerprints,
    fb: Fingerprints,
    params: ReuseParams,
    table: SharedTable | None = None,
) -> list[tuple[Passage, float]]:
    """The passages two reports share, each with its similarity (see the module docstring)."""
    out = []
    runs = seed_runs(fa, fb, a.text, b.text, params.k, table)
    for p in merge(chain(runs, params), a, b, params):
        if a.chars(p.a0, p.a1) < params.min_chars or b.chars(p.b0, p.b1) < params.min_chars:
            continue
        sim = similarity(a, b, p)
        if sim >= params.min_similarity:
            out.append((p, sim))
    return out
