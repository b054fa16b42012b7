"""Formulas: text found in more than K reports is a set phrase, not reuse.

A shared passage is cut where it enters or leaves formula text (skeleton positions covered
by a fingerprint held by more than K reports, :func:`candidates.formula_cover`). A formula
stretch shorter than ``min_chars`` inside a copied paragraph stays part of the copy (a
paragraph copied whole that quotes 坚持以人民为中心的发展思想 is still copied), and a
non-formula stretch shorter than ``min_chars`` between formulas is grey with them (it is not
a shared passage by itself). K (``formula_reports``, default 20) was chosen on the bench
corpus; see docs/reuse.md.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from .align import Passage
from .skeleton import Skeleton


def split(
    p: Passage, cover: np.ndarray, sk: Skeleton, min_chars: int
) -> list[tuple[int, int, bool]]:
    """``(a0, a1, formula)`` stretches of passage ``p`` on its side a (see the module)."""
    flags = cover[p.a0 : p.a1]
    cuts = np.flatnonzero(flags[1:] != flags[:-1]) + 1
    bounds = [p.a0, *(p.a0 + cuts).tolist(), p.a1]
    pieces = [[a, b, bool(cover[a])] for a, b in pairwise(bounds)]
    for short_formula in (True, False):  # first absorb short formulas, then short copies
        for piece in pieces:
            if piece[2] is short_formula and sk.chars(piece[0], piece[1]) < min_chars:
                piece[2] = not short_formula
        pieces = _merge(pieces)
    return [(a, b, f) for a, b, f in pieces]


def _merge(pieces: list[list]) -> list[list]:
    out: list[list] = []
    for piece in pieces:
        if out and out[-1][2] == piece[2]:
            out[-1][1] = piece[1]
        else:
            out.append(list(piece))
    return out
