"""The text reuse is measured on: a report's Han characters, place names folded, hashed.

Punctuation, digits and Latin letters are dropped (a changed number or a full stop turned
into a comma is then no difference at all), and the names a report uses for its own place
(本市, 我市, 全市, 全省, its city's, prefecture's and province's names, full or short) become
one placeholder character, so "镇江市要…" copied as "句容市要…" is an exact match. Every
skeleton position remembers the span of normalized text it stands for, so passages found on
the skeleton are reported in offsets of the normalized text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from ..analysis import CJK_CHARS
from ..ingest.gazetteer import short_name

#: Stands for any name of the report's own place in the skeleton (a private-use character:
#: it never occurs in normalized text, which drops them).
PLACE = "\ue000"
#: Words every report uses for its own jurisdiction.
GENERIC_PLACES = tuple(f"{a}{b}" for a in "本我全" for b in "市省区县") + ("全国",)

_CJK_RANGES = [
    tuple(ord(c) for c in part.split("-")) if "-" in part else (ord(part),) * 2
    for part in re.findall(r".-.|.", CJK_CHARS)
]
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(0x100000001B3)


@dataclass(slots=True)
class Skeleton:
    """``text[i]`` is skeleton character i; ``han`` the report's Han characters, names not
    folded. Position i stands for ``han[raw(i):raw(i + 1)]``: a
    placeholder at skeleton position ``places[m]`` stands for ``1 + extra[m] - extra[m-1]``
    characters. Kept small (no per-character offsets): the text offsets of a few positions
    are found with :func:`han_offsets` when a result is written.
    """

    text: str
    han: str
    places: np.ndarray  # int64 skeleton positions of placeholders, ascending
    extra: np.ndarray  # int64 cumulative extra characters up to and including each
    cache: tuple | None = None

    def __len__(self) -> int:
        return len(self.text)

    @property
    def codes(self) -> np.ndarray:
        """Code points of the skeleton (for hashing)."""
        return np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)

    def raw(self, i: int) -> int:
        """Index in ``han`` of skeleton position ``i``."""
        places, extra = self.cache or self._lists()  # called per passage end: no properties
        if not places:
            return i
        m = bisect_left(places, i)
        return i + (extra[m - 1] if m else 0)

    def _lists(self) -> tuple[list[int], list[int]]:
        """``places`` and ``extra`` as lists, made once (bisect on a list beats numpy for
        one number at a time)."""
        if self.cache is None:
            self.cache = (self.places.tolist(), self.extra.tolist())
        return self.cache

    def han_span(self, a: int, b: int) -> str:
        """The Han characters (names not folded) of skeleton positions ``a:b``."""
        return self.han[int(self.raw(a)) : int(self.raw(b))]

    def chars(self, a: int, b: int) -> int:
        return int(self.raw(b) - self.raw(a))

    def text_span(self, where: np.ndarray, a: int, b: int) -> tuple[int, int]:
        """Text offsets of skeleton positions ``a:b`` (``where = han_offsets(text)``)."""
        return int(where[int(self.raw(a))]), int(where[int(self.raw(b)) - 1]) + 1


def own_names(city: str | None, prefecture: str | None, province: str | None) -> list[str]:
    """The names a report uses for its own place, longest first (longest match wins)."""
    names = set(GENERIC_PLACES)
    for name in (city, prefecture, province):
        if name and name != "全国":
            names.add(name)
            short = short_name(name)
            if len(short) >= 2:
                names.add(short)
    return sorted(names, key=lambda n: (-len(n), n))


def _is_cjk(codes: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(codes), dtype=bool)
    for a, b in _CJK_RANGES:
        mask |= (codes >= a) & (codes <= b)
    return mask


def han_offsets(text: str) -> np.ndarray:
    """Text offset of each Han character of ``text`` (what :class:`Skeleton` counts)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.flatnonzero(_is_cjk(codes))


def skeleton(text: str, names: list[str]) -> Skeleton:
    """The skeleton of ``text`` with ``names`` (see :func:`own_names`) folded to PLACE."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    han_codes = codes[_is_cjk(codes)]
    han = han_codes.tobytes().decode("utf-32-le")
    if not names or not han:
        return Skeleton(han, han, np.zeros(0, np.int64), np.zeros(0, np.int64))
    keep = np.ones(len(han), dtype=bool)
    out = han_codes.copy()
    starts, widths = [], []
    for m in re.finditer("|".join(map(re.escape, names)), han):
        a, b = m.start(), m.end()
        out[a] = ord(PLACE)
        keep[a + 1 : b] = False
        starts.append(a)
        widths.append(b - a - 1)
    raw_starts = np.array(starts, dtype=np.int64)
    extra = np.cumsum(np.array(widths, dtype=np.int64))
    places = raw_starts - np.r_[0, extra[:-1]] if len(extra) else raw_starts
    return Skeleton(out[keep].tobytes().decode("utf-32-le"), han, places, extra)


def kgram_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """64-bit hash of every k-gram (position i: ``codes[i:i+k]``), mixed for winnowing."""
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    codes = codes.astype(np.uint64)
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for j in range(k):
            h = h * _BASE + codes[j : j + n]
        h ^= h >> np.uint64(29)
        h *= _MIX
        h ^= h >> np.uint64(32)
    return h


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions of the fingerprints: the smallest hash of every ``window`` consecutive ones.

    Any run the two texts share of at least ``window + k - 1`` characters holds a common
    fingerprint (Schleimer et al., "Winnowing", 2003).
    """
    n = len(hashes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n <= window:
        return np.flatnonzero(hashes == hashes.min())
    m = n - window + 1
    mins = hashes[:m].copy()
    for s in range(1, window):
        np.minimum(mins, hashes[s : s + m], out=mins)
    chosen = np.zeros(n, dtype=bool)
    for s in range(window):  # hashes[p] is the minimum of the window starting at p - s
        chosen[s : s + m] |= hashes[s : s + m] == mins
    return np.flatnonzero(chosen)
