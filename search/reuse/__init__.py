"""Text reuse: the passages a report shares with others, and who wrote them first (issue 17).

At build time :func:`build_into` aligns every pair of reports worth aligning and stores the
result in the new index generation (``reuse.npz``); the CLI (``python -m search reuse``) and
the web pages read it through :mod:`.views`. Method and thresholds: docs/reuse.md.

``skeleton`` (the text compared) → ``candidates`` (pairs, formula text) → ``align`` (seeds,
chains, edits) → ``formula`` (cutting formulas out) → ``direction`` (earliest source) →
``compute`` (the whole corpus) → ``storage`` → ``views``.
"""

from __future__ import annotations

from pathlib import Path

from .params import ReuseParams

__all__ = ["ReuseParams", "build_into", "finish_into", "start"]


def build_into(
    generation: Path, reports: list, params: ReuseParams | None = None, workers: int | None = None
) -> None:
    """Compute the reuse of ``reports`` (Report objects) and store it in ``generation``."""
    finish_into(generation, start(reports, params, workers))


def start(reports: list, params: ReuseParams | None = None, workers: int | None = None):
    """Begin the reuse of ``reports``: skeletons and pairs now, the alignments in worker
    processes that run on (a :class:`.compute.Pending`; give it to :func:`finish_into`, or
    ``close()`` it)."""
    from .compute import Pending

    return Pending(reports, params, workers)


def finish_into(generation: Path, pending) -> None:
    """Wait for the alignments of ``pending`` and store the reuse in ``generation``."""
    from .storage import write

    write(Path(generation), pending.finish())
