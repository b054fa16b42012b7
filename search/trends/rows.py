"""The rows every trends answer is made of: exact counts in two reports, G², one context line."""

from __future__ import annotations

import math

from .. import matching, params
from ..measures import per_10k
from ..models import Report
from ..snippets import paragraph_at, sentence_around, trim, verbatim

#: G² (one degree of freedom) above which a change of rate between two reports is taken as
#: real: 3.84 is the 95% point of χ²(1).
SIGNIFICANT_G2 = 3.84
MAX_LIMIT = 1000  # rows per list of diff and compare


def g2(a: int, b: int, chars_a: int, chars_b: int) -> float:
    """Dunning's log-likelihood G² that ``a`` per ``chars_a`` and ``b`` per ``chars_b`` differ."""
    total, size = a + b, chars_a + chars_b
    if not total or not chars_a or not chars_b:
        return 0.0
    out = 0.0
    for observed, chars in ((a, chars_a), (b, chars_b)):
        expected = total * chars / size
        if observed:
            out += observed * math.log(observed / expected)
    return round(2 * out, 4)


def _limit(limit, name: str = "limit", high: int = MAX_LIMIT) -> int:
    return params.whole_number(limit, name, 1, high)


def context(report: Report, phrase: str) -> dict | None:
    """The sentence of the phrase's first occurrence in ``report``, for one line of context.

    ``{"text", "start", "end", "paragraph"}``: ``text`` is the sentence as the report shows
    it — its own punctuation and full-width forms (:func:`search.snippets.verbatim`, issue
    18) — a long one cut to ``snippets.MAX_CHARS`` around the phrase; ``text[start:end]`` is
    the phrase as shown (the phrase itself unless NFKC changed its characters), and
    ``paragraph`` the id of its paragraph (``p-12``). None when the report lacks the phrase.
    """
    hits = matching.find_all(report.text, phrase)
    if not hits:
        return None
    at, end = hits[0], hits[0] + len(phrase)
    left, right = trim(*sentence_around(report.text, at, end), at, end)
    paragraph = paragraph_at(report, at)
    text, [(start, stop)] = verbatim(report, left, right, [(at, end)])
    return {
        "text": text,
        "start": start,
        "end": stop,
        "paragraph": paragraph.id if paragraph else None,
    }


def _change(phrase: str, now: Report, before: Report, count=None, previous=None) -> dict:
    count = matching.count(now.text, phrase) if count is None else count
    previous = matching.count(before.text, phrase) if previous is None else previous
    return {
        "phrase": phrase,
        "count": count,
        "previous_count": previous,
        "rate": per_10k(count, now.chars),
        "previous_rate": per_10k(previous, before.chars),
        "g2": g2(count, previous, now.chars, before.chars),
    }


def _paired_counts(stats, a: Report, b: Report):
    """Candidates of two reports, and the exact count of every candidate of either in each."""
    pa, pb = stats.candidates(a), stats.candidates(b)
    ca = {p: info["count"] for p, info in pa.items()}
    cb = {p: info["count"] for p, info in pb.items()}
    for phrase in pa:
        if phrase not in cb:
            cb[phrase] = matching.count(b.text, phrase)
    for phrase in pb:
        if phrase not in ca:
            ca[phrase] = matching.count(a.text, phrase)
    return pa, pb, ca, cb
