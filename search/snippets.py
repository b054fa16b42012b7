"""Snippets: whole sentences around hits, every hit marked whole, everything else escaped.

Snippets are cut from the normalized text, so the marked characters are exactly the normalized
query. Hits are found with :mod:`search.matching` over the whole text (Whoosh's highlighter
stops at 32 KB and marks tokens, which would split 园区整合 into 园区 + 整合).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from . import matching
from .models import Report

MAX_CHARS = 180
MAX_SNIPPETS = 3


def find_positions(text: str, phrases: list[str], spans) -> dict[str, list[int]]:
    """Start offsets of every phrase's hits within the allowed spans, phrase by phrase."""
    return {p: [at for a, b in spans for at in matching.find_all(text, p, a, b)] for p in phrases}


def hit_spans(
    text: str,
    phrases: list[str],
    spans,
    positions: dict[str, list[int]] | None = None,
    marks: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Merged (start, end) of every occurrence of any phrase within the allowed spans.

    ``positions`` (phrase -> start offsets) saves the scan when the caller has already found
    the hits; ``marks`` (spans) replaces it for terms that are not plain phrases (patterns,
    NEAR with both its sides: see search.query.terms).
    """
    if marks is not None:
        found = sorted(marks)
    else:
        if positions is None:
            positions = find_positions(text, phrases, spans)
        found = sorted((at, at + len(p)) for p in phrases for at in positions.get(p, ()))
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


SENTENCE_ENDS = "。!?！？;；\n"
_END = re.compile(f"[{SENTENCE_ENDS}]")
_LAST_END = re.compile(f".*[{SENTENCE_ENDS}]", re.DOTALL)  # greedy: up to the last one
_WINDOW = 64


def _last_end_before(text: str, at: int) -> int:
    """Offset just after the last sentence end before ``at`` (0 if none).

    Searched backwards window by window: a regex over the whole text per snippet costs more
    than the rest of a search for a report of 20,000 characters.
    """
    high = at
    while high > 0:
        low = max(0, high - _WINDOW)
        found = _LAST_END.match(text, low, high)
        if found:
            return found.end()
        high = low
    return 0


def _first_end_from(text: str, at: int) -> int:
    """Offset just after the first sentence end at or after ``at`` (len(text) if none)."""
    found = _END.search(text, at)
    return found.end() if found else len(text)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """(left, right) of the sentence holding text[start:end], right just after its end."""
    return _last_end_before(text, start), _first_end_from(text, end)


def _shown_end(text: str, right: int) -> int:
    """A sentence shown ends after its punctuation, but not after a line break."""
    return right - 1 if text[right - 1 : right] == "\n" else right


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end], ending after its punctuation."""
    left, right = _sentence(text, start, end)
    return left, _shown_end(text, right)


def group_by_sentence(
    text: str, hits: list[tuple[int, int]], phrases: list[str]
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Sorted hits grouped by the sentence around them (as :func:`sentence_around` says).

    When no phrase holds a sentence end, the text between a sentence's start and its
    final punctuation holds none either, so a hit starting before that punctuation is in
    the same sentence: bounds are searched once per sentence, not once per hit.
    """
    simple = not any(c in p for p in phrases for c in SENTENCE_ENDS)
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    key, limit = None, -1
    for start, end in hits:
        if not (simple and key is not None and start < limit):
            left, limit = _sentence(text, start, end)
            key = (left, _shown_end(text, limit))
            limit -= 1  # the offset of the sentence's final punctuation
        groups.setdefault(key, []).append((start, end))
    return groups


def trim(left: int, right: int, start: int, end: int) -> tuple[int, int]:
    """Keep a long sentence to MAX_CHARS around its first hit."""
    if right - left <= MAX_CHARS:
        return left, right
    room = max(0, MAX_CHARS - (end - start))
    new_left = max(left, start - room // 2)
    new_right = min(right, new_left + max(MAX_CHARS, end - new_left))
    return new_left, new_right


@dataclass
class Passage:
    """A shown sentence: ``text`` is the report's ``text[start:end]``, ``marks`` the hits in
    it (offsets into ``text``). Rendered as HTML for the web and JSON, as plain text with
    brackets for the terminal: the hits are data, not markup to strip again."""

    text: str
    start: int
    end: int
    marks: list[tuple[int, int]]
    cut_left: bool
    cut_right: bool
    paragraph: str | None
    section: int | None

    @property
    def hits(self) -> int:
        return len(self.marks)

    def render(self, escape=html.escape, open_: str = "<mark>", close: str = "</mark>") -> str:
        parts, at = [], 0
        for start, end in self.marks:
            parts.append(escape(self.text[at:start]))
            parts.append(open_ + escape(self.text[start:end]) + close)
            at = end
        parts.append(escape(self.text[at:]))
        return ("…" if self.cut_left else "") + "".join(parts) + ("…" if self.cut_right else "")

    @property
    def html(self) -> str:
        return self.render()

    def plain(self) -> str:
        """For the terminal: hits in 【】, nothing escaped."""
        return self.render(str, "【", "】")

    def to_dict(self) -> dict:
        return {
            "html": self.html,
            "start": self.start,
            "end": self.end,
            "hits": self.hits,
            "paragraph": self.paragraph,
            "section": self.section,
        }


def paragraph_at(report: Report, offset: int):
    """The first paragraph with ``start <= offset <= end``, or None. Paragraphs are sorted
    and disjoint, so a stored report answers by binary search (``report.paragraph_at``)."""
    if hasattr(report, "paragraph_at"):
        return report.paragraph_at(offset)
    for paragraph in report.paragraphs:
        if paragraph.start <= offset <= paragraph.end:
            return paragraph
    return None


def best_snippets(
    report: Report,
    phrases: list[str],
    spans,
    limit: int = MAX_SNIPPETS,
    positions: dict[str, list[int]] | None = None,
    marks: list[tuple[int, int]] | None = None,
) -> list[Passage]:
    """Up to ``limit`` sentences with the most distinct phrases, then the most hits."""
    text = report.text
    hits = hit_spans(text, phrases, spans, positions, marks)
    sentences = group_by_sentence(text, hits, phrases)
    ranked = sorted(
        sentences.items(),
        key=lambda item: (-len({text[a:b] for a, b in item[1]}), -len(item[1]), item[0][0]),
    )
    out = []
    for (left, right), inside in ranked[:limit]:
        first_start, first_end = inside[0]
        l2, r2 = trim(left, right, first_start, first_end)
        visible = [(a, b) for a, b in inside if a >= l2 and b <= r2]
        paragraph = paragraph_at(report, first_start)
        shown, marks = verbatim(report, l2, r2, visible)
        out.append(
            Passage(
                shown,
                l2,
                r2,
                marks,
                l2 > left,
                r2 < right,
                paragraph.id if paragraph else None,
                paragraph.section if paragraph else None,
            )
        )
    return out


def verbatim(
    report: Report, start: int, end: int, hits: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """The shown text of ``[start, end)`` — the report's own characters (issue 18) — and the
    hits as offsets into it, mapped through the report's display map (search.display)."""
    from .display import display_span

    a0, b0 = display_span(report, start, end)
    marks = []
    for a, b in hits:
        x, y = display_span(report, a, b)
        marks.append((x - a0, y - a0))
    text = report.display[a0:b0] if report.display else report.text[start:end]
    return text, marks
