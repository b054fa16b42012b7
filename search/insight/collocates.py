"""Collocates: the words that stand near a query's hits more often than chance.

Words are the jieba words view the index holds (search mode, HMM off: a long word also
yields its dictionary sub-words), found by segmenting each hit's neighbourhood: ``window`` +
:data:`MARGIN` characters each side, inside the hit's own paragraph (a line), neighbourhoods
that touch segmented as one. A word is *in the window* of a hit when its whole span lies
within ``window`` characters before the hit's start or after its end, inside the paragraph;
a word in the windows of two hits counts once. The reference is the whole
corpus's words view (Whoosh's ``words`` field: corpus frequency per word, token total).
Measures: :mod:`search.insight.association`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass

from .. import params
from ..analysis import segmenter
from ..models import Report
from .association import log_dice, log_likelihood, mutual_information

MEASURES = ("ll", "mi", "logdice")
MAX_WINDOW = 50
#: Characters segmented beyond each window so that words at its edge are cut as in context.
MARGIN = 8


@dataclass(slots=True)
class Collocate:
    word: str
    count: int  # O11: in the windows
    frequency: int  # C1: in the corpus
    expected: float
    ll: float
    mi: float
    logdice: float

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("expected", "ll", "mi", "logdice"):
            data[key] = round(data[key], 3) if math.isfinite(data[key]) else None
        return data


def regions(text: str, hits: list[tuple[int, int]], window: int) -> list[tuple[int, int, list]]:
    """Merged neighbourhoods of the hits: ``window`` + MARGIN characters each side, inside the
    hit's paragraph; each with the hits it holds."""
    out: list[tuple[int, int, list]] = []
    for start, end in hits:
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", end)
        b = len(text) if b < 0 else b
        lo, hi = max(a, start - window - MARGIN), min(b, end + window + MARGIN)
        if out and lo < out[-1][1] and out[-1][0] >= a:
            out[-1] = (out[-1][0], max(out[-1][1], hi), out[-1][2] + [(start, end, a, b)])
        else:
            out.append((lo, hi, [(start, end, a, b)]))
    return out


def window_words(text: str, hits: list[tuple[int, int]], window: int) -> Counter:
    """Words of the windows around ``hits`` (sorted spans in ``text``), each position once."""
    seen: set[tuple[int, int, str]] = set()
    segment = segmenter()
    for lo, hi, inside in regions(text, hits, window):
        words = [
            (w.lower(), lo + s, lo + e)
            for w, s, e in segment(text[lo:hi])
            if any(ch.isalnum() for ch in w)
        ]
        for start, end, a, b in inside:
            left, right = max(a, start - window), min(b, end + window)
            for word, s, e in words:
                if left <= s and e <= start or end <= s and e <= right:
                    seen.add((s, e, word))
    return Counter(word for _, _, word in seen)


def collocates(
    engine,
    text: str,
    window: int = 10,
    minimum: int = 3,
    measure: str = "ll",
    limit: int = 100,
    **filters,
) -> dict:
    """The collocates of ``text``'s hits in the reports passing ``filters``."""
    params.choice(measure, "measure", tuple(MEASURES))
    window = params.whole_number(window, "window", 1, MAX_WINDOW)
    by_report: dict[str, tuple[Report, list]] = {}
    for report, start, end, _ in engine.occurrences(text, **filters):
        by_report.setdefault(report.id, (report, []))[1].append((start, end))
    counts: Counter = Counter()
    for report, hits in by_report.values():
        counts.update(window_words(report.text, sorted(hits), window))
    node = sum(len(h) for _, h in by_report.values())
    r1 = sum(counts.values())
    frequency, total = engine.word_frequencies(list(counts))
    rows = []
    for word, o11 in counts.items():
        c1 = max(frequency.get(word, 0), o11)
        if o11 < minimum or not total:
            continue
        expected = r1 * c1 / total
        rows.append(
            Collocate(
                word,
                o11,
                c1,
                expected,
                log_likelihood(o11, r1, c1, total),
                mutual_information(o11, r1, c1, total),
                log_dice(o11, node, c1),
            )
        )
    rows.sort(key=lambda c: (-getattr(c, measure), -c.count, c.word))
    return {
        "query": text,
        "window": window,
        "min": minimum,
        "measure": measure,
        "hits": node,
        "reports": len(by_report),
        "window_tokens": r1,
        "corpus_tokens": total,
        "total": len(rows),
        "collocates": [c.to_dict() for c in rows[:limit]],
    }
