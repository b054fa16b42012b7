"""Which pairs of reports to align, and which text is a formula — from fingerprints only.

Each report contributes its winnowed k-gram fingerprints (distinct per report). Sorting all
of them once groups every fingerprint with the reports that hold it (its *df*):

* df between 2 and K: every pair of its reports gets one vote;
* df above K: the text is a formula; only the pair (report, earliest holder) gets a vote,
  so a formula in 600 reports costs 599 votes, not 179,700 — enough to show where it came
  from, and formulas stay out of the reuse figures anyway.

A pair with at least ``min_seeds`` votes is aligned. Memory is the fingerprints (about a
quarter of the characters) and the votes; there is no report × report matrix.
"""

from __future__ import annotations

import numpy as np

from .params import ReuseParams


def fingerprint_df(fingerprints: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct fingerprint values of the corpus, sorted, and how many reports hold each."""
    allh = (
        np.concatenate([np.unique(f) for f in fingerprints])
        if fingerprints
        else np.zeros(0, np.uint64)
    )
    values, df = np.unique(allh, return_counts=True)
    return values, df


def candidate_pairs(
    fingerprints: list[np.ndarray], rank: np.ndarray, params: ReuseParams
) -> np.ndarray:
    """Rows ``(a, b)`` with a < b of the report pairs to align (see the module docstring).

    ``fingerprints[r]`` are report r's fingerprint hashes; ``rank[r]`` orders reports from
    earliest (the holder a formula is attributed to).
    """
    n = len(fingerprints)
    uniq = [np.unique(f) for f in fingerprints]
    hashes = np.concatenate(uniq) if uniq else np.zeros(0, np.uint64)
    owners = np.repeat(np.arange(n, dtype=np.int64), [len(u) for u in uniq])
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    if not len(hashes):
        return np.zeros((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    lengths = np.diff(np.r_[starts, len(hashes)])
    votes = []
    for d in range(2, params.formula_reports + 1):
        group = starts[lengths == d]
        if not len(group):
            continue
        members = owners[group[:, None] + np.arange(d)]  # ascending within a row
        for x in range(d - 1):
            for y in range(x + 1, d):
                votes.append(members[:, x] * n + members[:, y])
    big = lengths > params.formula_reports
    if big.any():
        votes.append(_hub_votes(owners, starts[big], lengths[big], rank, n))
    if not votes:
        return np.zeros((0, 2), dtype=np.int64)
    keys, counts = np.unique(np.concatenate(votes), return_counts=True)
    keys = keys[counts >= params.min_seeds]
    return np.stack([keys // n, keys % n], axis=1)


def _hub_votes(owners, starts, lengths, rank, n) -> np.ndarray:
    """For each formula fingerprint, the pairs (earliest holder, other holder)."""
    idx = np.repeat(starts, lengths) + (
        np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    members = owners[idx]
    group = np.repeat(np.arange(len(starts)), lengths)
    ranks = rank[members]
    best = np.minimum.reduceat(ranks, np.r_[0, np.cumsum(lengths)[:-1]])
    hub_rank = best[group]
    # the member holding the group's best rank (first such one)
    is_hub = ranks == hub_rank
    hub_of_group = np.full(len(starts), -1, dtype=np.int64)
    first = np.flatnonzero(is_hub)
    hub_of_group[group[first[::-1]]] = members[first[::-1]]
    hubs = hub_of_group[group]
    keep = members != hubs
    a, b = np.minimum(hubs[keep], members[keep]), np.maximum(hubs[keep], members[keep])
    return a * n + b


def holders(distinct: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray], int]:
    """For each report's sorted distinct fingerprint values: how many reports hold each
    (one sort of the corpus, no per-report search of the corpus's values), and the number
    of each value among the corpus's values held by two reports or more (-1: held by one);
    and how many such values there are."""
    lengths = [len(d) for d in distinct]
    allh = np.concatenate(distinct) if distinct else np.zeros(0, np.uint64)
    _, inverse, df = np.unique(allh, return_inverse=True, return_counts=True)
    shared_number = np.cumsum(df > 1) - 1
    shared_number[df < 2] = -1
    bounds = np.cumsum([0, *lengths])
    counts = [df[inverse[x:y]] for x, y in zip(bounds[:-1], bounds[1:])]
    numbers = [shared_number[inverse[x:y]] for x, y in zip(bounds[:-1], bounds[1:])]
    return counts, numbers, int(shared_number.max(initial=-1)) + 1


def formula_cover(
    length: int,
    positions: np.ndarray,
    hashes: np.ndarray,
    values: np.ndarray,
    df: np.ndarray,
    params: ReuseParams,
) -> np.ndarray:
    """Skeleton positions of one report covered by a fingerprint held by more than K
    reports (each fingerprint at p covers ``p:p+k``)."""
    if not len(positions):
        return np.zeros(length, dtype=bool)
    counts = df[np.searchsorted(values, hashes)]
    return cover(length, positions[counts > params.formula_reports], params.k)


def cover(length: int, formula: np.ndarray, k: int) -> np.ndarray:
    """Positions ``p:p+k`` of each formula fingerprint position p, as a mask."""
    size = length + k + 1
    delta = np.bincount(formula, minlength=size) - np.bincount(formula + k, minlength=size)
    return np.cumsum(delta)[:length] > 0
