"""Exact occurrences from suffix arrays: the cost of a count follows the hits, not the corpus.

Built over the report store's ``codes.u16`` (every text, ASCII lowercased, one big-endian
uint16 per character, reports separated by code 0), in segments of whole reports of about
SEGMENT_CHARS characters so the build's memory stays bounded. Per segment:

``sa-NNN.npy``     the suffix array: character offsets (local to the segment) of every
                   suffix, sorted by their bytes. A phrase's occurrences are one contiguous
                   range, found by binary search on the memory-mapped codes.
``piece-NNN.npy``  beside each suffix, the *piece* it starts in: a section, or the text of a
                   report before its first section. So the reports and section kinds of a
                   phrase's hits are one slice away, without a search per hit.

``pieces.npy`` holds per piece ``(report, kind, start, end)`` (kind -1: no section; global
offsets, ``end`` exclusive). The range of a phrase holds *every* occurrence, overlapping ones
included; :meth:`SuffixIndex.hits` then applies :mod:`search.matching`'s rules — Latin and
digit boundaries, and non-overlapping counting like ``str.count`` for phrases that can
overlap themselves (哈哈哈 in 哈哈哈哈) — so the counts equal ``matching.count``.
"""
from __future__ import annotations

import json
import mmap
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..models import SECTION_KINDS
from ..reportstore import ALPHABET, CODES, array_path, ascii_lower

SEGMENT_CHARS = 1 << 25  # ~33 M characters: the build peaks near 15 bytes per character
SEGMENTS = "suffixes.json"
SAMPLE_EVERY = 1024  # suffixes per in-memory sample entry
SAMPLE_CODES = 8  # codes kept per sample entry
PIECES = "pieces.npy"
_CHUNK = 1 << 22
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_RULES = re.compile(r"[A-Za-z0-9]")  # the same test as search.matching: Latin rules apply
_ALNUM_CHAR = _RULES
_ALNUM = np.array([ord(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789"], np.uint32)


def _pieces(generation: Path) -> np.ndarray:
    """(report, kind, start, end) of every piece, in text order, covering every report."""
    starts = np.load(array_path(generation, "code_starts"))
    sections = np.load(array_path(generation, "sections")).astype(np.int64)
    rows = []
    first = np.load(array_path(generation, "section_first"))
    for r in range(len(starts) - 1):
        base, end = int(starts[r]), int(starts[r + 1]) - 1
        own = sections[first[r]:first[r + 1]]
        if not len(own) or own[0, 3] > 0:
            rows.append((r, -1, base, base + (int(own[0, 3]) if len(own) else end - base)))
        rows.extend((r, int(k), base + int(s), base + int(e)) for _, _, k, s, e in own)
    return np.array(rows, np.int64).reshape(-1, 4)


def _segments(starts: np.ndarray, total: int) -> list[tuple[int, int]]:
    """Cuts at report separators, each segment at most SEGMENT_CHARS (or one report)."""
    seps = starts - 1  # separator before each report, and the final one
    out, lo = [], 0
    while lo < total - 1:
        i = int(np.searchsorted(seps, lo + SEGMENT_CHARS, "right")) - 1
        hi = int(seps[i]) if seps[i] > lo else int(seps[np.searchsorted(seps, lo, "right")])
        out.append((lo, hi + 1))
        lo = hi
    return out


def _suffix_array(raw: np.ndarray) -> np.ndarray:
    """Character suffix array of big-endian uint16 codes, via the byte suffix array: the
    byte suffixes at even offsets are the character suffixes, in the same order."""
    from pydivsufsort import divsufsort

    sa = divsufsort(raw.view(np.uint8))
    out = np.empty(len(raw), np.int32)
    k = 0
    for i in range(0, len(sa), _CHUNK):
        part = sa[i:i + _CHUNK]
        even = part[(part & 1) == 0] >> 1
        out[k:k + len(even)] = even
        k += len(even)
    del sa
    return out


def _sample(codes: np.ndarray, sa: np.ndarray, base: int) -> np.ndarray:
    """The first SAMPLE_CODES codes of every SAMPLE_EVERY-th suffix (0-padded past the end).

    Kept in memory by every reader, it narrows a binary search to one window of the suffix
    array before any page of the big files is touched: without it the first steps of every
    search fault in pages spread over the whole suffix array and text, and each worker's
    resident memory grows with the corpus instead of with the hits."""
    starts = np.asarray(sa[::SAMPLE_EVERY], np.int64) + base
    offsets = starts[:, None] + np.arange(SAMPLE_CODES)
    return np.asarray(codes[np.minimum(offsets, len(codes) - 1)], np.uint16) * (
        offsets < len(codes))


def build_suffixes(generation: Path) -> None:
    """Write the suffix arrays of a generation whose report store is complete."""
    generation = Path(generation)
    starts = np.load(array_path(generation, "code_starts"))
    pieces = _pieces(generation)
    np.save(generation / PIECES, pieces)
    codes = np.memmap(generation / CODES, dtype=">u2", mode="r")
    bounds = np.append(pieces[:, 2], len(codes))
    bounds[0] = 0
    segments = _segments(starts, len(codes))
    for n, (lo, hi) in enumerate(segments):
        sa = _suffix_array(np.array(codes[lo:hi]))
        np.save(generation / f"sa-{n:03d}.npy", sa)
        a = int(np.searchsorted(bounds, lo, "right")) - 1
        b = int(np.searchsorted(bounds, hi, "left"))
        lengths = np.minimum(bounds[a + 1:b + 1], hi) - np.maximum(bounds[a:b], lo)
        local = np.repeat(np.arange(a, b, dtype=np.int32), np.maximum(lengths, 0))
        np.save(generation / f"piece-{n:03d}.npy", local[sa])
        np.save(generation / f"sample-{n:03d}.npy", _sample(codes, sa, lo))
        del sa, local
    (generation / SEGMENTS).write_text(json.dumps({"segments": segments,
                                                   "sample_every": SAMPLE_EVERY}), "utf-8")


def _map(path: Path, random: bool = True) -> np.ndarray:
    """A read-only memory map of a .npy file. ``random``: accessed by binary search or at
    scattered offsets, so the kernel should not read ahead (which would fill the page cache
    and the workers' resident sets with pages no query asked for)."""
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                else np.lib.format.read_array_header_2_0)
        shape, _, dtype = read(handle)
        offset = handle.tell()
        buf = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if random:
        buf.madvise(mmap.MADV_RANDOM)
    return np.frombuffer(buf, dtype, int(np.prod(shape)), offset).reshape(shape)


def _sample_keys(sample: np.ndarray) -> list[bytes]:
    """Sample rows as big-endian bytes, comparable with a pattern like the suffixes are."""
    raw = sample.astype(">u2").tobytes()
    width = 2 * sample.shape[1] if sample.ndim == 2 else 0
    return [raw[i:i + width] for i in range(0, len(raw), width)] if width else []


def has_border(phrase: str) -> bool:
    """True if a proper prefix of ``phrase`` is also its suffix: occurrences can overlap."""
    return any(phrase[:k] == phrase[-k:] for k in range(1, len(phrase)))


@dataclass
class Hits:
    """The counted occurrences of one phrase: the piece of each, and its global offset when
    it had to be looked at (boundaries, overlaps, section ends)."""

    pieces: np.ndarray
    positions: np.ndarray | None = None


class SuffixIndex:
    """The read side: all files memory-mapped, shared by every worker through the page cache."""

    def __init__(self, generation: Path):
        generation = Path(generation)
        layout = json.loads((generation / SEGMENTS).read_text("utf-8"))
        self.segments, self.every = layout["segments"], layout["sample_every"]
        self.sa = [_map(generation / f"sa-{n:03d}.npy") for n in range(len(self.segments))]
        self.piece_of = [_map(generation / f"piece-{n:03d}.npy", random=False)
                         for n in range(len(self.segments))]
        self.samples = [_sample_keys(np.load(generation / f"sample-{n:03d}.npy"))
                        for n in range(len(self.segments))]
        pieces = np.load(generation / PIECES)
        self.piece_report = pieces[:, 0].astype(np.int32)
        self.piece_kind = pieces[:, 1].astype(np.int8)
        self.piece_end = pieces[:, 3]
        alphabet = np.load(generation / ALPHABET)
        self.code = {int(p): c for c, p in enumerate(alphabet.tolist()) if c}
        self.alnum = np.isin(alphabet, _ALNUM)
        with open(generation / CODES, "rb") as handle:
            self.buf = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self.buf.madvise(mmap.MADV_RANDOM)
        self.codes = np.frombuffer(self.buf, ">u2")

    def pattern(self, phrase: str) -> bytes | None:
        """The phrase as codes (ASCII lowercased), or None if a character never occurs."""
        points = ascii_lower(np.frombuffer(phrase.encode("utf-32-le"), "<u4").astype(np.int64))
        codes = [self.code.get(int(p)) for p in points]
        if not codes or None in codes:
            return None
        return np.array(codes, ">u2").tobytes()

    def _window(self, n: int, pat: bytes) -> tuple[int, int]:
        """The part of segment ``n``'s suffix array that can hold ``pat``, from the sample."""
        keys, width = self.samples[n], 2 * SAMPLE_CODES
        key = pat[:width]
        low = max(0, bisect_left(keys, key) - 1)
        high = bisect_right(keys, key + b"\xff" * (width - len(key)))
        return low * self.every, min(len(self.sa[n]), high * self.every)

    def _range(self, n: int, pat: bytes) -> tuple[int, int]:
        sa, base, buf, size = self.sa[n], self.segments[n][0], self.buf, len(pat)
        first, last = self._window(n, pat)
        lo, hi = first, last
        while lo < hi:
            mid = (lo + hi) // 2
            at = 2 * (base + int(sa[mid]))
            if buf[at:at + size] < pat:
                lo = mid + 1
            else:
                hi = mid
        left, hi = lo, last
        while lo < hi:
            mid = (lo + hi) // 2
            at = 2 * (base + int(sa[mid]))
            if buf[at:at + size] <= pat:
                lo = mid + 1
            else:
                hi = mid
        return left, lo

    def hits(self, phrase: str, kinds: tuple = ()) -> Hits:
        """Every occurrence :mod:`search.matching` counts, restricted to sections of ``kinds``."""
        pat = self.pattern(phrase)
        if pat is None:
            return Hits(np.empty(0, np.int32))
        lowered = phrase.translate(_LOWER)
        rules = bool(_RULES.search(phrase))
        need = rules or bool(kinds) or has_border(lowered)
        pieces, positions = [], []
        for n, (base, _) in enumerate(self.segments):
            a, b = self._range(n, pat)
            if a < b:
                pieces.append(np.asarray(self.piece_of[n][a:b]))
                if need:
                    positions.append(np.asarray(self.sa[n][a:b], np.int64) + base)
        if not pieces:
            return Hits(np.empty(0, np.int32))
        piece = np.concatenate(pieces)
        if not need:
            return Hits(piece)
        return self._exact(phrase, lowered, piece, np.concatenate(positions), kinds)

    def _exact(self, phrase: str, lowered: str, piece, pos, kinds: tuple) -> Hits:
        size = len(phrase)
        keep = np.ones(len(pos), bool)
        if _ALNUM_CHAR.match(phrase[0]):
            keep &= ~self.alnum[np.asarray(self.codes[pos - 1], np.int64)]
        if _ALNUM_CHAR.match(phrase[-1]):
            keep &= ~self.alnum[np.asarray(self.codes[pos + size], np.int64)]
        if kinds:
            wanted = np.array([SECTION_KINDS.index(k) for k in kinds], np.int8)
            keep &= np.isin(self.piece_kind[piece], wanted)
            keep &= pos + size <= self.piece_end[piece]
        piece, pos = piece[keep], pos[keep]
        if has_border(lowered) and len(pos) > 1:
            order = np.argsort(pos, kind="stable")
            piece, pos = piece[order], pos[order]
            kept = _thin(pos, size)
            piece, pos = piece[kept], pos[kept]
        return Hits(piece, pos)


def _thin(pos: np.ndarray, size: int) -> np.ndarray:
    """Indexes of the occurrences ``str.count`` counts: leftmost first, none overlapping.
    Sorted ``pos``; only runs of overlapping ones are walked in Python."""
    keep = np.ones(len(pos), bool)
    close = np.flatnonzero(np.diff(pos) < size)
    last = -1
    for i in close.tolist():
        if i > last:  # a new run: its first occurrence is kept
            kept_at = int(pos[i])
        j = i + 1
        if int(pos[j]) < kept_at + size:
            keep[j] = False
        else:
            kept_at = int(pos[j])
        last = j
    return np.flatnonzero(keep)

