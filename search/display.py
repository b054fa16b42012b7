"""The report as shown: its own punctuation and full-width forms, mapped to the normalized text.

Matching and counting run on the normalized text (NFKC turns ，：（二）…… into ,:(二)......);
what a reader sees and quotes is the report's own characters. ``Report.display`` holds that
text — the normalized text with every character NFKC changed put back as the file wrote it —
and ``Report.display_map`` the offsets where the two differ in length (``……`` is 2 characters
shown, 6 normalized; ㈠ is 1 shown, 3 normalized). Everything else the ingest does to make a
report readable (noise lines dropped, OCR spaces joined, traditional → simplified) is kept,
because the display text is built *from* the normalized text.

How it is built (:func:`build`): the file's text after the deleting stages that run before
NFKC (invisible characters, pinyin, note markers) is normalized character by character,
remembering which file character each normalized character came from; the final normalized
text is then aligned with it line by line (a kept line is found whole; a line the later stages
changed — spaces joined, markdown stripped, broken lines joined — character by character).
A character that cannot be aligned is shown as normalized. Compatibility ideographs and Kangxi
radicals (OCR artefacts) and spaces are always shown normalized.

The map is a flat list ``[n0, d0, n1, d1, …]`` of breakpoints: normalized offset ``n`` starts
display offset ``d``; between breakpoints offsets advance together, and inside an expanded
character they stay on it (:func:`display_offset`). One place for every caller:
:func:`shown` (the shown characters of a normalized span) and :func:`display_span`.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

WINDOW = 400  # how far a character may be looked for past the last aligned one
HOP = 8  # how far a character is looked for when its next characters differ
# What later stages drop inside a line (any space, the note sentinel) or between two joined.
_DROPPED = frozenset([*(chr(c) for c in range(0x3001) if chr(c).isspace()), "\x1a"])


_TOP = 0x30000  # code points above (planes 3+) are never changed by NFKC in report text


@lru_cache(maxsize=1)
def _tables():
    """(translate table, NFKC length per code point or 0 when unchanged) of the characters NFKC
    changes and a reader should see as written — not ideograph variants, radicals or spaces,
    which are shown normalized."""
    import numpy as np

    keep_normalized = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f\s]")
    table, lengths = {}, np.zeros(_TOP, dtype=np.int64)
    for code in range(_TOP):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        normal = unicodedata.normalize("NFKC", char)
        if normal != char and not keep_normalized.match(char):
            table[code] = normal
            lengths[code] = len(normal)
    return table, lengths


def _expand(source: str):
    """NFKC of ``source`` character by character, and for each changed character its start
    in the result, its length there and its index in ``source`` (three numpy arrays)."""
    import numpy as np

    from .ingest.normalize import to_simplified

    table, lengths = _tables()
    codes = np.frombuffer(source.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
        np.int64
    )
    codes[codes >= _TOP] = 0
    grown = lengths[codes]
    where = np.flatnonzero(grown)
    sizes = grown[where]
    starts = where + np.concatenate(([0], np.cumsum(sizes - 1)[:-1])) if len(where) else where
    expanded = source.translate(table) if len(where) else source
    simple = to_simplified(expanded)
    if len(simple) != len(expanded):
        lines = expanded.split("\n")
        simple = "\n".join(
            s if len(s) == len(o) else o for s, o in zip(map(to_simplified, lines), lines)
        )
    return simple, (starts, sizes, where)


def _align(normal: str, expanded: str) -> list[int]:
    """For each character of ``normal``, its index in ``expanded`` or -1.

    A line found whole re-anchors the alignment; a line the later stages changed is walked
    character by character (:func:`_align_chars`).
    """
    aligned, q, safe, at = [-1] * len(normal), 0, 0, 0
    for line in normal.split("\n"):
        found = expanded.find(line, q) if len(line) >= 4 else -1
        if found < 0 and len(line) >= 8:
            found = expanded.find(line, safe)
        if found >= 0:
            aligned[at : at + len(line)] = range(found, found + len(line))
            q = safe = found + len(line)
        else:
            q = _align_chars(line, expanded, q, aligned, at)
        at += len(line) + 1
        if at - 1 < len(normal):  # the line break itself
            j = expanded.find("\n", q, q + WINDOW)
            if j >= 0:
                aligned[at - 1], q = j, j + 1
    return aligned


def _align_chars(line: str, expanded: str, q: int, aligned: list[int], at: int) -> int:
    """Walk a changed line and its source together: equal characters align, a space or note
    sentinel the line dropped is skipped, anything else resynchronizes on the next few
    characters (four within :data:`WINDOW`, else eight anywhere further on) or leaves the
    character unaligned."""
    k, end = 0, len(expanded)
    while k < len(line):
        if q < end and expanded[q] == line[k]:
            aligned[at + k] = q
            q, k = q + 1, k + 1
        elif q < end and expanded[q] in _DROPPED:
            q += 1
        else:
            gram = line[k : k + 4]
            j = expanded.find(gram, q, q + WINDOW) if len(gram) >= 2 else -1
            if j < 0 and len(line) - k >= 8:  # a moved or deduplicated part: look further
                j = expanded.find(line[k : k + 8], q)
            if j < 0 and len(gram) >= 2:
                j = expanded.find(gram[:2], q, q + 4 * HOP)
            if j < 0:
                j = expanded.find(line[k], q, q + HOP)
            if j >= 0:
                q = j
            else:
                k += 1
    return q


def build(source: str, normal: str) -> tuple[str, list[int]]:
    """(display text, map) of a report whose normalized text ``normal`` came from ``source``
    (a file's text after the deleting pre-NFKC stages); ``("", [])`` when nothing differs.

    Vectorized: only the normalized characters that come from a changed file character are
    visited in Python (a report's ，and ：, not its every character).
    """
    import numpy as np

    expanded, (starts, sizes, where) = _expand(source)
    if not len(where) or not normal:
        return "", []
    change_of = np.full(len(expanded) + 1, -1, dtype=np.int64)
    inside = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    change_of[np.repeat(starts, sizes) + inside] = np.repeat(np.arange(len(sizes)), sizes)
    aligned = np.array(_align(normal, expanded), dtype=np.int64)
    ids = change_of[aligned]  # -1 aligns to the sentinel slot at the end
    ids[aligned < 0] = -1
    rest = np.zeros(len(normal), dtype=bool)
    rest[1:] = (ids[1:] >= 0) & (ids[1:] == ids[:-1])  # inside an expansion
    chars = list(normal)
    for i in np.flatnonzero((ids >= 0) & ~rest).tolist():
        chars[i] = source[where[ids[i]]]
    for i in np.flatnonzero(rest).tolist()[::-1]:
        del chars[i]
    display = "".join(chars)
    if display == normal:
        return "", []
    shown_at = np.cumsum(~rest) - 1
    delta = np.arange(len(normal)) - shown_at
    at = np.flatnonzero(np.diff(delta)) + 1
    return display, np.column_stack((at, shown_at[at])).ravel().tolist()


def display_text(report) -> str:
    return report.display or report.text


def display_offset(report, n: int) -> int:
    """The display offset of the character at normalized offset ``n`` (or of the end)."""
    points = report.display_map
    lo, hi = 0, len(points) // 2
    while lo < hi:  # the last breakpoint at or before n
        mid = (lo + hi) // 2
        if points[2 * mid] <= n:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return n
    n0, d0 = points[2 * lo - 2], points[2 * lo - 1]
    return d0 + (n - n0)


def display_span(report, start: int, end: int) -> tuple[int, int]:
    """The display span covering normalized ``[start, end)`` (whole original characters)."""
    a = display_offset(report, start)
    if end <= start:
        return a, a
    return a, display_offset(report, end - 1) + 1


def shown(report, start: int, end: int) -> str:
    """What the reader sees for the normalized span ``[start, end)``."""
    if not report.display:
        return report.text[start:end]
    a, b = display_span(report, start, end)
    return report.display[a:b]


if __name__ == "__main__":  # python -m search.display FILE: the display text of a file
    from .ingest.formats import read_text
    from .ingest.pipeline import ingest_text

    for r in ingest_text(read_text(sys.argv[1]).text):
        print(display_text(r))
