"""Association measures of a 2 × 2 contingency table, defined once (docs/measurement.md).

For a collocate: ``o11`` its count in the windows around the hits, ``r1`` all word tokens in
those windows, ``c1`` its corpus frequency, ``n`` all tokens of the corpus. For keyness: the
word's count in group A and in group B, and the groups' token totals.
"""

from __future__ import annotations

import math


def _xlogx(o: float, e: float) -> float:
    return o * math.log(o / e) if o > 0 and e > 0 else 0.0


def log_likelihood(o11: float, r1: float, c1: float, n: float) -> float:
    """Dunning's G² over the four cells; negative when the pair occurs less than expected."""
    o12, o21 = r1 - o11, c1 - o11
    o22 = n - r1 - c1 + o11
    r2, c2 = n - r1, n - c1
    cells = ((o11, r1 * c1 / n), (o12, r1 * c2 / n), (o21, r2 * c1 / n), (o22, r2 * c2 / n))
    g2 = 2 * sum(_xlogx(o, e) for o, e in cells)
    return g2 if o11 >= r1 * c1 / n else -g2


def mutual_information(o11: float, r1: float, c1: float, n: float) -> float:
    """log2(observed / expected): how much more often than chance."""
    expected = r1 * c1 / n
    return math.log2(o11 / expected) if o11 > 0 and expected > 0 else float("-inf")


def log_dice(o11: float, node: float, c1: float) -> float:
    """14 + log2(2·O11 / (f(node) + f(collocate))) (Rychlý 2008), at most 14."""
    return 14 + math.log2(2 * o11 / (node + c1)) if o11 > 0 else float("-inf")


def keyness_g2(a: float, b: float, total_a: float, total_b: float) -> float:
    """G² of a word's counts in two corpora (Rayson & Garside 2000)."""
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    return 2 * (_xlogx(a, expected_a) + _xlogx(b, expected_b))


def p_value(g2: float) -> float:
    """P(χ² with 1 degree of freedom ≥ G²)."""
    return math.erfc(math.sqrt(max(g2, 0.0) / 2))


def log_ratio(a: float, b: float, total_a: float, total_b: float) -> float:
    """Hardie's effect size: log2 of the ratio of relative frequencies, a zero count taken
    as 0.5 so the ratio stays finite."""
    return math.log2(((a or 0.5) / total_a) / ((b or 0.5) / total_b))
