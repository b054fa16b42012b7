"""Snippets: whole sentences around hits, every hit marked whole, everything else escaped.

Snippets are cut from the normalized text, so the marked characters are exactly the normalized
query. Hits are found with :mod:`search.matching` over the whole text (Whoosh's highlighter
stops at 32 KB and marks tokens, which would split 园区整合 into 园区 + 整合).
"""
from __future__ import annotations

import html

from . import matching
from .models import Report

MAX_CHARS = 180
MAX_SNIPPETS = 3


def hit_spans(text: str, phrases: list[str], spans,
              positions: dict[str, list[int]] | None = None) -> list[tuple[int, int]]:
    """Merged (start, end) of every occurrence of any phrase within the allowed spans.

    ``positions`` (phrase -> start offsets, as :meth:`search.engine.Match.positions` gives)
    saves the scan when the caller has already found the hits.
    """
    if positions is None:
        positions = {p: [at for a, b in spans for at in matching.find_all(text, p, a, b)]
                     for p in phrases}
    found = sorted((at, at + len(p)) for p in phrases for at in positions.get(p, ()))
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


SENTENCE_ENDS = "。!?！？;；\n"
_WINDOW = 256


def _last_end_before(text: str, at: int) -> int:
    """Offset just after the last sentence end before ``at`` (0 if none).

    Searched backwards window by window: a regex over the whole text per snippet costs more
    than the rest of a search for a report of 20,000 characters.
    """
    high = at
    while high > 0:
        low = max(0, high - _WINDOW)
        found = max(text.rfind(c, low, high) for c in SENTENCE_ENDS)
        if found >= 0:
            return found + 1
        high = low
    return 0


def _first_end_from(text: str, at: int) -> int:
    """Offset just after the first sentence end at or after ``at`` (len(text) if none)."""
    low, size = at, len(text)
    while low < size:
        high = min(size, low + _WINDOW)
        found = [i for i in (text.find(c, low, high) for c in SENTENCE_ENDS) if i >= 0]
        if found:
            return min(found) + 1
        low = high
    return size


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end], ending after its punctuation."""
    left = _last_end_before(text, start)
    right = _first_end_from(text, end)
    if text[right - 1:right] == "\n":
        right -= 1
    return left, right


def trim(left: int, right: int, start: int, end: int) -> tuple[int, int]:
    """Keep a long sentence to MAX_CHARS around its first hit."""
    if right - left <= MAX_CHARS:
        return left, right
    room = max(0, MAX_CHARS - (end - start))
    new_left = max(left, start - room // 2)
    new_right = min(right, new_left + max(MAX_CHARS, end - new_left))
    return new_left, new_right


def render(text: str, left: int, right: int, hits: list[tuple[int, int]],
           cut_left: bool, cut_right: bool) -> str:
    parts, at = [], left
    for start, end in hits:
        start, end = max(start, left), min(end, right)
        if start >= end:
            continue
        parts.append(html.escape(text[at:start]))
        parts.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        at = end
    parts.append(html.escape(text[at:right]))
    return ("…" if cut_left else "") + "".join(parts) + ("…" if cut_right else "")


def paragraph_at(report: Report, offset: int):
    for paragraph in report.paragraphs:
        if paragraph.start <= offset <= paragraph.end:
            return paragraph
    return None


def best_snippets(report: Report, phrases: list[str], spans, limit: int = MAX_SNIPPETS,
                  positions: dict[str, list[int]] | None = None) -> list[dict]:
    """Up to ``limit`` sentences with the most distinct phrases, then the most hits."""
    text = report.text
    hits = hit_spans(text, phrases, spans, positions)
    sentences: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for start, end in hits:
        sentences.setdefault(sentence_around(text, start, end), []).append((start, end))
    ranked = sorted(sentences.items(), key=lambda item: (
        -len({text[a:b] for a, b in item[1]}), -len(item[1]), item[0][0]))
    out = []
    for (left, right), inside in ranked[:limit]:
        first_start, first_end = inside[0]
        l2, r2 = trim(left, right, first_start, first_end)
        visible = [(a, b) for a, b in inside if a >= l2 and b <= r2]
        paragraph = paragraph_at(report, first_start)
        out.append({
            "html": render(text, l2, r2, visible, l2 > left, r2 < right),
            "start": l2, "end": r2,
            "hits": len(visible),
            "paragraph": paragraph.id if paragraph else None,
            "section": paragraph.section if paragraph else None,
        })
    return out
