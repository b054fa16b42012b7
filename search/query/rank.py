"""Ranking: BM25F over exact phrase counts, and the orders results are listed in.

Each query phrase is one term. Term frequency is the verified count of the phrase in the
report (not of its bigrams or of jieba's words), document frequency the number of reports
passing the filters that contain it, length the characters searched. A phrase that also
stands in a section title counts half as much again (the F of BM25F: the title field weighs
more). Computed on whole arrays from counts the engine already has.
"""

from __future__ import annotations

import math

import numpy as np

from .snapshot import ReportTable

K1, B, TITLE_BOOST = 1.2, 0.75, 0.5


def bm25(
    table: ReportTable,
    counts: dict[str, np.ndarray],
    df: dict[str, int],
    lengths: np.ndarray,
    numbers: np.ndarray,
) -> np.ndarray:
    """Scores of the reports ``numbers``; ``counts`` and ``lengths`` are per report."""
    reports = len(table.ids)
    average = table.average_chars
    length = np.where(lengths[numbers] > 0, lengths[numbers], 1)
    norm = K1 * (1 - B + B * length / (average or 1.0))
    total = np.zeros(len(numbers))
    for phrase, per_report in counts.items():
        tf = per_report[numbers].astype(np.float64)
        if not tf.any():
            continue
        idf = math.log(1 + (reports - df[phrase] + 0.5) / (df[phrase] + 0.5))
        weight = tf * (K1 + 1) / (tf + norm)
        weight *= np.where(table.in_titles(phrase)[numbers], 1 + TITLE_BOOST, 1.0)
        total += idf * weight
    return total


def order(
    table: ReportTable,
    numbers: np.ndarray,
    scores: np.ndarray,
    hits: np.ndarray,
    sort: str,
    titled: np.ndarray | None = None,
) -> np.ndarray:
    """Positions into ``numbers`` in listing order: by relevance (reports whose own title
    holds a query phrase first, then score, hits, newest, id) or by year (newest, score, id).
    """
    year = np.maximum(table.year[numbers], 0)
    ids = table.id_rank[numbers]
    if sort == "year":
        return np.lexsort((ids, -scores, -year))
    first = np.zeros(len(numbers), bool) if titled is None else titled
    return np.lexsort((ids, -year, -hits, -scores, ~first))


def titled(table: ReportTable, numbers: np.ndarray, phrases: list[str]) -> np.ndarray:
    """Which of the reports ``numbers`` have a query phrase in their own title."""
    return table.titled([p for p in phrases if p])[numbers] if len(numbers) else np.zeros(0, bool)


def by_place(table: ReportTable, numbers: np.ndarray) -> np.ndarray:
    """Positions into ``numbers`` ordered by city, year and id (how stats lists rows)."""
    names = table.cities
    rank = {name: i for i, name in enumerate(sorted(names, key=lambda c: c or ""))}
    city = np.array([rank[name] for name in names], np.int64)[table.city[numbers]]
    year = np.maximum(table.year[numbers], 0)
    return np.lexsort((table.id_rank[numbers], year, city))
