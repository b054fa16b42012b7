"""Keyness: the words that set one group of reports apart from another.

A group is what a search-box text selects (``province:江苏 year:2018-2022``; phrases may narrow
it further). Each report's words view (jieba search mode, HMM off — the index's words field)
is counted; a word's G² (with its p-value, χ² with 1 df) and log ratio compare its frequency in
A with B. Rates per 10,000 characters are given for reading. Measures:
:mod:`search.insight.association`.
"""

from __future__ import annotations

from collections import Counter

from ..analysis import word_counts
from ..measures import per_10k
from .association import keyness_g2, log_ratio, p_value


def group_counts(reports) -> tuple[Counter, int]:
    counts: Counter = Counter()
    for report in reports:
        counts.update(word_counts(report.text))
    return counts, sum(r.chars for r in reports)


def keyness(engine, a: str, b: str, minimum: int = 5, limit: int = 100) -> dict:
    """Words over-represented in A against B (``a_over_b``) and in B against A."""
    from ..engine import QueryError

    groups = {}
    for name, text in (("a", a), ("b", b)):
        if not (text or "").strip():
            raise QueryError(f"group {name.upper()} is empty: give filters such as province:江苏")
        reports = engine.group(text)
        if not reports:
            raise QueryError(f"group {name.upper()} ({text}) selects no report")
        groups[name] = (reports, *group_counts(reports))
    (ra, ca, chars_a), (rb, cb, chars_b) = groups["a"], groups["b"]
    total_a, total_b = sum(ca.values()), sum(cb.values())
    rows = []
    for word in ca.keys() | cb.keys():
        x, y = ca.get(word, 0), cb.get(word, 0)
        if x + y < minimum:
            continue
        g2 = keyness_g2(x, y, total_a, total_b)
        rows.append(
            {
                "word": word,
                "count_a": x,
                "count_b": y,
                "per_10k_a": per_10k(x, chars_a),
                "per_10k_b": per_10k(y, chars_b),
                "g2": round(g2, 3),
                "p": p_value(g2),
                "log_ratio": round(log_ratio(x, y, total_a, total_b), 3),
            }
        )
    rows.sort(key=lambda r: (-r["g2"], r["word"]))
    over_a = [r for r in rows if r["count_a"] / total_a > r["count_b"] / total_b]
    over_b = [r for r in rows if r["count_a"] / total_a < r["count_b"] / total_b]

    def side(text, reports, chars, tokens):
        return {"query": text, "reports": len(reports), "chars": chars, "tokens": tokens}

    return {
        "a": side(a, ra, chars_a, total_a),
        "b": side(b, rb, chars_b, total_b),
        "min": minimum,
        "a_over_b": over_a[:limit],
        "b_over_a": over_b[:limit],
    }
