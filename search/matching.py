"""Exact occurrences of a phrase in normalized text: the definition every count must meet.

A phrase matches where it occurs as a substring, with two refinements that make Latin and
digits behave as words: ASCII letters match case-insensitively, and a phrase that begins or
ends with a letter/digit only matches at a letter/digit boundary (G312 is not found inside
G3125, 2.5 not inside 12.5). A phrase of Chinese characters is plain ``str.count`` — the
brute-force baseline the index is tested against. Occurrences never overlap (like
``str.count``).
"""

from __future__ import annotations

import re
from functools import lru_cache

_ALNUM = re.compile(r"[A-Za-z0-9]")


@lru_cache(maxsize=512)
def _pattern(phrase: str) -> re.Pattern | None:
    """A regex for phrases with Latin letters or digits; None where plain find suffices."""
    if not _ALNUM.search(phrase):
        return None
    before = r"(?<![A-Za-z0-9])" if _ALNUM.match(phrase[0]) else ""
    after = r"(?![A-Za-z0-9])" if _ALNUM.match(phrase[-1]) else ""
    return re.compile(before + re.escape(phrase) + after, re.IGNORECASE | re.ASCII)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ALNUM_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")


@lru_cache(maxsize=2048)
def _skeleton(text: str) -> bytes:
    """``text`` as one byte per character: ASCII lowercased, anything else ``?``.

    Offsets are the text's. Made in C (``encode`` with ``replace``, ``bytes.lower`` touches
    ASCII only): ~0.03 ms for a report of 17,000 characters, half the size of a lowercased
    copy of the text. Kept for the reports searched with Latin phrases, up to 2,048 of them
    (the whole bench corpus in ~20 MB): a scan over every report must not evict its own
    skeletons before it reaches them again.
    """
    return text.encode("ascii", "replace").lower()


def find_all(text: str, phrase: str, start: int = 0, end: int | None = None) -> list[int]:
    """Start offsets of the non-overlapping occurrences of ``phrase`` in ``text[start:end]``."""
    end = len(text) if end is None else end
    if _pattern(phrase) is not None:
        return _find_latin(text, phrase, start, end)
    found, size = [], len(phrase)
    at = text.find(phrase, start, end)
    while at >= 0:
        found.append(at)
        at = text.find(phrase, at + size, end)
    return found


def _find_latin(text: str, phrase: str, start: int, end: int) -> list[int]:
    """Occurrences, ASCII letters folded, that sit at letter/digit boundaries.

    Searched in the text's skeleton; where the phrase has characters the skeleton blurs
    (non-ASCII ones, or ``?``) each candidate is compared with the text itself.
    """
    skeleton = _skeleton(text)
    needle = phrase.encode("ascii", "replace").lower()
    blurred = b"?" in needle
    folded = phrase.translate(_ASCII_LOWER)
    size = len(needle)
    check_before = needle[0] in _ALNUM_BYTES
    check_after = needle[-1] in _ALNUM_BYTES
    found = []
    at = skeleton.find(needle, start, end)
    while at >= 0:
        after = at + size
        if (
            (not check_before or at == 0 or skeleton[at - 1] not in _ALNUM_BYTES)
            and (not check_after or after >= end or skeleton[after] not in _ALNUM_BYTES)
            and (not blurred or text[at:after].translate(_ASCII_LOWER) == folded)
        ):
            found.append(at)
            at = skeleton.find(needle, after, end)
        else:
            at = skeleton.find(needle, at + 1, end)
    return found


def count(text: str, phrase: str, start: int = 0, end: int | None = None) -> int:
    """Number of occurrences; equals ``text.count(phrase)`` for phrases without Latin/digits."""
    if _pattern(phrase) is None:
        return text.count(phrase, start, len(text) if end is None else end)
    return len(find_all(text, phrase, start, end))


def needs_rules(phrase: str) -> bool:
    """True if ``phrase`` has Latin letters or digits, so plain ``str.find`` is not enough."""
    return _pattern(phrase) is not None


def contains(text: str, phrase: str, start: int = 0, end: int | None = None) -> bool:
    end = len(text) if end is None else end
    if _pattern(phrase) is None:
        return text.find(phrase, start, end) >= 0
    return bool(find_all(text, phrase, start, end))
