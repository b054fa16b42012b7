"""The thresholds of reuse detection, in one place (their measured effect: docs/reuse.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ReuseParams:
    """What counts as a shared passage and what as a formula.

    ``min_chars``: Han characters a passage holds on both sides (issue 17: 30).
    ``k``: seed length in skeleton characters; ``window``: winnowing window, so any exact
    run of ``k + window - 1`` (19) characters two reports share is a candidate for sure.
    ``max_gap`` / ``max_indel``: an edit between two exact runs may replace up to
    ``max_gap`` characters on each side, the two sides differing in length by at most
    ``max_indel`` (inserted or dropped characters). ``min_similarity``: of the passage's
    Han characters, place names included. ``formula_reports`` (K): text found in more than
    K reports is a formula. ``min_seeds``: common fingerprints a pair needs to be aligned.
    """

    min_chars: int = 30
    k: int = 12
    window: int = 8
    max_gap: int = 10
    max_indel: int = 4
    min_similarity: float = 0.8
    formula_reports: int = 20
    min_seeds: int = 2

    def to_dict(self) -> dict:
        return asdict(self)
