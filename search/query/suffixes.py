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

``prev-NNN.npy``   beside each suffix, 1 if the character before it is a Latin letter or
                   digit: the start-boundary rule of a Latin phrase, read as one slice.
``sample-NNN.npy`` every SAMPLE_EVERY-th suffix's first codes, held in memory by readers.

``pieces.npy`` holds per piece ``(report, kind, start, end)`` (kind -1: no section; global
offsets, ``end`` exclusive). The range of a phrase holds *every* occurrence, overlapping ones
included; :meth:`SuffixIndex.hits` then applies :mod:`search.matching`'s rules — Latin and
digit boundaries, and non-overlapping counting like ``str.count`` for phrases that can
overlap themselves (哈哈哈 in 哈哈哈哈) — so the counts equal ``matching.count``.
"""

from __future__ import annotations

import json
import os
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
_ALNUM_CHAR = re.compile(r"[A-Za-z0-9]")  # as search.matching: Latin boundary rules apply
_ALNUM = np.array([ord(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789"], np.uint32)


def _pieces(generation: Path) -> np.ndarray:
    """(report, kind, start, end) of every piece, in text order, covering every report."""
    starts = np.load(array_path(generation, "code_starts"))
    sections = np.load(array_path(generation, "sections")).astype(np.int64)
    rows = []
    first = np.load(array_path(generation, "section_first"))
    for r in range(len(starts) - 1):
        base, end = int(starts[r]), int(starts[r + 1]) - 1
        own = sections[first[r] : first[r + 1]]
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
        part = sa[i : i + _CHUNK]
        even = part[(part & 1) == 0] >> 1
        out[k : k + len(even)] = even
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
        offsets < len(codes)
    )


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
    alnum = np.isin(np.load(generation / ALPHABET), _ALNUM)
    for n, (lo, hi) in enumerate(segments):
        raw = np.array(codes[lo:hi])
        sa = _suffix_array(raw)
        np.save(generation / f"sa-{n:03d}.npy", sa)
        np.save(generation / f"prev-{n:03d}.npy", alnum[raw[sa - 1]].astype(np.uint8))
        del raw
        a = int(np.searchsorted(bounds, lo, "right")) - 1
        b = int(np.searchsorted(bounds, hi, "left"))
        lengths = np.minimum(bounds[a + 1 : b + 1], hi) - np.maximum(bounds[a:b], lo)
        local = np.repeat(np.arange(a, b, dtype=np.int32), np.maximum(lengths, 0))
        np.save(generation / f"piece-{n:03d}.npy", local[sa])
        np.save(generation / f"sample-{n:03d}.npy", _sample(codes, sa, lo))
        del sa, local
    (generation / SEGMENTS).write_text(
        json.dumps({"segments": segments, "sample_every": SAMPLE_EVERY}), "utf-8"
    )


class _Array:
    """A 1-d .npy file read with ``pread``: slices are copied out, nothing is mapped.

    Every worker reads through the same page cache, but a process holds only the slices it
    is working on: a binary search that touched pages of a memory map would fault in their
    neighbours too, and the resident set would grow with the corpus, not with the hits."""

    def __init__(self, path: Path, raw_dtype: str | None = None):
        """A .npy file, or with ``raw_dtype`` a headerless file of that dtype."""
        with open(path, "rb") as handle:
            if raw_dtype:
                self.dtype, self.offset = np.dtype(raw_dtype), 0
                shape: tuple[int, ...] = (os.fstat(handle.fileno()).st_size // self.dtype.itemsize,)
            else:
                version = np.lib.format.read_magic(handle)
                read = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, _, self.dtype = read(handle)
                self.offset = handle.tell()
        self.size = self.dtype.itemsize
        self.length = int(np.prod(shape))
        self.fd = os.open(path, os.O_RDONLY)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: slice) -> np.ndarray:
        a, b, _ = key.indices(self.length)
        data = os.pread(self.fd, max(0, b - a) * self.size, self.offset + a * self.size)
        return np.frombuffer(data, self.dtype)

    def item(self, i: int) -> int:
        return int.from_bytes(
            os.pread(self.fd, self.size, self.offset + i * self.size),
            "little",
            signed=self.dtype.kind == "i",
        )

    def __del__(self):
        try:
            os.close(self.fd)
        except (AttributeError, OSError):
            pass


def _sample_keys(sample: np.ndarray) -> list[bytes]:
    """Sample rows as big-endian bytes, comparable with a pattern like the suffixes are."""
    raw = sample.astype(">u2").tobytes()
    width = 2 * sample.shape[1] if sample.ndim == 2 else 0
    return [raw[i : i + width] for i in range(0, len(raw), width)] if width else []


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
        count = range(len(self.segments))
        self.sa = [_Array(generation / f"sa-{n:03d}.npy") for n in count]
        self.piece_of = [_Array(generation / f"piece-{n:03d}.npy") for n in count]
        self.prev = [_Array(generation / f"prev-{n:03d}.npy") for n in count]
        self.samples = [
            _sample_keys(np.load(generation / f"sample-{n:03d}.npy"))
            for n in range(len(self.segments))
        ]
        pieces = np.load(generation / PIECES)
        self.piece_report = pieces[:, 0].astype(np.int32)
        self.piece_kind = pieces[:, 1].astype(np.int8)
        self.piece_end = pieces[:, 3]
        self.alphabet: list[int] = np.load(generation / ALPHABET).tolist()  # code → code point
        self.code = {int(p): c for c, p in enumerate(self.alphabet) if c}
        self.alnum_codes = [
            np.array([self.code[p]], ">u2").tobytes() for p in _ALNUM.tolist() if p in self.code
        ]
        self.codes = _Array(generation / CODES, ">u2")

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

    def _range(self, n: int, pat: bytes, window: tuple[int, int] | None = None) -> tuple[int, int]:
        """The suffixes of segment ``n`` starting with ``pat``, searched in ``window``."""
        sa, base, fd, size = self.sa[n], self.segments[n][0], self.codes.fd, len(pat)
        first, last = window or self._window(n, pat)
        lo, hi = first, last
        while lo < hi:
            mid = (lo + hi) // 2
            if os.pread(fd, size, 2 * (base + sa.item(mid))) < pat:
                lo = mid + 1
            else:
                hi = mid
        left, hi = lo, last
        while lo < hi:
            mid = (lo + hi) // 2
            if os.pread(fd, size, 2 * (base + sa.item(mid))) <= pat:
                lo = mid + 1
            else:
                hi = mid
        return left, lo

    def ranges(self, pat: bytes):
        """``(segment, base, a, b)`` for each segment whose suffixes ``[a, b)`` start with
        ``pat`` (segments without one are left out)."""
        for n, (base, _) in enumerate(self.segments):
            a, b = self._range(n, pat)
            if a < b:
                yield n, base, a, b

    def positions(self, phrase: str) -> np.ndarray:
        """Global code offsets of every suffix starting with ``phrase``, segment by segment
        (no Latin-boundary rule: what :meth:`hits` counts is a subset)."""
        pat = self.pattern(phrase)
        found = (
            []
            if pat is None
            else [self.sa[n][a:b].astype(np.int64) + base for n, base, a, b in self.ranges(pat)]
        )
        return np.concatenate(found) if found else np.empty(0, np.int64)

    def hits(self, phrase: str, kinds: tuple = ()) -> Hits:
        """Every occurrence :mod:`search.matching` counts, restricted to sections of ``kinds``."""
        pat = self.pattern(phrase)
        if pat is None:
            return Hits(np.empty(0, np.int32))
        lowered = phrase.translate(_LOWER)
        border = has_border(lowered)
        need = bool(kinds) or border
        pieces, positions = [], []
        for n, base, a, b in self.ranges(pat):
            keep = self._boundaries(n, pat, a, b, phrase)
            piece = self.piece_of[n][a:b]
            pieces.append(piece if keep is None else piece[keep])
            if need:
                pos = self.sa[n][a:b].astype(np.int64) + base
                positions.append(pos if keep is None else pos[keep])
        if not pieces:
            return Hits(np.empty(0, np.int32))
        piece = np.concatenate(pieces)
        if not need:
            return Hits(piece)
        return self._exact(len(phrase), border, piece, np.concatenate(positions), kinds)

    def _boundaries(self, n: int, pat: bytes, a: int, b: int, phrase: str) -> np.ndarray | None:
        """Which suffixes of ``[a, b)`` sit at letter/digit boundaries, for a Latin phrase.

        Before: the stored bit of each suffix. After: the suffixes continuing with a letter
        or digit are, per such character, one sub-range of ``[a, b)`` — found by binary
        search, so no text is read at the hits themselves."""
        before, after = _ALNUM_CHAR.match(phrase[0]), _ALNUM_CHAR.match(phrase[-1])
        if not (before or after):
            return None
        keep = np.ones(b - a, bool)
        if before:
            keep &= self.prev[n][a:b] == 0
        if after:
            for code in self.alnum_codes:
                lo, hi = self._range(n, pat + code, (a, b))
                keep[lo - a : hi - a] = False
        return keep

    def _exact(self, size: int, border: bool, piece, pos, kinds: tuple) -> Hits:
        """Hits inside sections of ``kinds``, then without overlaps (``str.count``)."""
        if kinds:
            wanted = np.array([SECTION_KINDS.index(k) for k in kinds], np.int8)
            keep = np.isin(self.piece_kind[piece], wanted) & (pos + size <= self.piece_end[piece])
            piece, pos = piece[keep], pos[keep]
        if border and len(pos) > 1:
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
