"""What the engine asks about one term (Phrase, Pattern, Near), whatever engine it is.

Three questions, one function each, independent of how texts and indexes are stored:

- :func:`term_hits` — the term's occurrences in ``text[start:end]``, as (start, end): what is
  counted. A phrase's are :func:`search.matching.find_all`'s, a pattern's the non-empty
  leftmost non-overlapping RE2 matches, a NEAR's the occurrences of its left side that have
  a partner of its right side (:func:`search.query.near.near`).
- :func:`term_marks` — what a snippet or concordance line highlights: the hits, and for
  NEAR their partners too.
- :func:`term_literals` — strings a report must contain for the term to match there, so an
  engine narrows candidates to reports holding all of them and scans only those.
"""

from __future__ import annotations

from .. import matching
from .near import near
from .nodes import TERMS, Near, Pattern, Phrase
from .patterns import hits as pattern_hits
from .patterns import required_literals

__all__ = ["term_hits", "term_marks", "term_literals", "is_phrase", "TERM_NODES"]

TERM_NODES = TERMS  # the node types these functions accept

Span = tuple[int, int]


def is_phrase(node) -> bool:
    """Plain phrases keep the engine's fast paths (index counts, str.count)."""
    return isinstance(node, Phrase)


def _side_hits(node, text: str, start: int, end: int) -> list[Span]:
    if isinstance(node, Phrase):
        size = len(node.text)
        return [(at, at + size) for at in matching.find_all(text, node.text, start, end)]
    if isinstance(node, Pattern):
        return pattern_hits(node.source, text, start, end)
    raise TypeError(f"not a term: {node!r}")


def _near(node: Near, text: str, start: int, end: int) -> tuple[list[Span], list[Span]]:
    a = _side_hits(node.left, text, start, end)
    b = _side_hits(node.right, text, start, end) if a else []
    return near(text, a, b, node.distance, node.unit, (start, end))


def term_hits(node, text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The term's counted occurrences in ``text[start:end]``, sorted."""
    end = len(text) if end is None else end
    if isinstance(node, Near):
        return _near(node, text, start, end)[0]
    return _side_hits(node, text, start, end)


def term_marks(node, text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Spans to highlight: the hits, and for NEAR the partners they pair with; sorted."""
    end = len(text) if end is None else end
    if isinstance(node, Near):
        found, partners = _near(node, text, start, end)
        return sorted(set(found) | set(partners))
    return _side_hits(node, text, start, end)


def term_literals(node) -> tuple[str, ...]:
    """Strings every report where the term matches contains (empty: cannot narrow)."""
    if isinstance(node, Phrase):
        return (node.text,)
    if isinstance(node, Pattern):
        return required_literals(node.source)
    if isinstance(node, Near):
        return tuple(dict.fromkeys(term_literals(node.left) + term_literals(node.right)))
    raise TypeError(f"not a term: {node!r}")
