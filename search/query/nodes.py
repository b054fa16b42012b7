"""The parsed query: expression nodes, filters and the rules read off a tree.

The parser (:mod:`search.query.parser`) builds these; the engine only reads them. Every rule
about what a tree *means* lives here once: which phrases count as hits
(:meth:`ParsedQuery.phrases`) and whether a report must contain one of them
(:func:`needs_phrase`). New node kinds (NEAR/n, regular expressions, wildcards) go here, with
their case in both functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Phrase",
    "Pattern",
    "Near",
    "TERMS",
    "And",
    "Or",
    "Not",
    "Filters",
    "ParsedQuery",
    "needs_phrase",
    "positive_phrases",
    "positive_terms",
    "walk_terms",
    "term_key",
    "make_and",
    "make_or",
    "negate",
    "dedupe",
]


@dataclass(frozen=True)
class Phrase:
    """A literal string to find as a substring of the report text."""

    text: str

    @property
    def key(self) -> str:
        """The term's label in ``counts``: the phrase itself."""
        return self.text


@dataclass(frozen=True)
class Pattern:
    """An RE2 pattern (``/增长\\d+%/``), or the pattern a wildcard word stands for
    (``园区*整合``, then ``label`` is the word as typed)."""

    source: str
    label: str = ""

    @property
    def key(self) -> str:
        return self.label or f"/{self.source}/"


@dataclass(frozen=True)
class Near:
    """``left NEAR/n right`` (``distance`` = n) or ``NEAR/s`` / ``NEAR/p`` (``unit``);
    the sides are Phrase or Pattern nodes."""

    left: Phrase | Pattern
    right: Phrase | Pattern
    distance: int | None = None
    unit: str | None = None

    @property
    def key(self) -> str:
        return f"{self.left.key} NEAR/{self.unit or self.distance} {self.right.key}"


#: The node types that are terms (counted, highlighted); everything else combines them.
TERMS = (Phrase, Pattern, Near)


def term_key(node) -> str:
    """The label of a term node in ``counts`` (a phrase's text)."""
    return node.key


@dataclass(frozen=True)
class And:
    """All items must match (at least two items, none of them an And)."""

    items: tuple


@dataclass(frozen=True)
class Or:
    """At least one item must match (at least two items, none an Or)."""

    items: tuple


@dataclass(frozen=True)
class Not:
    """The item must not match; never the whole query on its own."""

    item: object


@dataclass(frozen=True)
class Filters:
    """Restrictions on which reports are searched; empty tuple = no restriction.

    Several values in one tuple mean "any of them".
    """

    city: tuple = ()
    prefecture: tuple = ()
    province: tuple = ()
    year_from: int | None = None
    year_to: int | None = None
    section: tuple = ()
    min_hits: int | None = None  # min:N — only reports where the query has ≥ N hits


@dataclass(frozen=True)
class ParsedQuery:
    """The parsed search box: an expression (None = list every report) and filters."""

    expr: object | None
    filters: Filters = field(default_factory=Filters)

    def phrases(self) -> list[str]:
        """Positive phrases in query order, deduplicated: the hits counted and highlighted."""
        return positive_phrases(self.expr)

    @property
    def needs_phrase(self) -> bool:
        """True if every matching report contains one of :meth:`phrases`."""
        return self.expr is not None and needs_phrase(self.expr)


def positive_phrases(expr) -> list[str]:
    """Keys of the positive terms (:func:`positive_terms`); a plain phrase's key is its text."""
    return [node.key for node in positive_terms(expr)]


def positive_terms(expr) -> list:
    """Term nodes under an even number of NOTs, in query order, deduplicated by key."""
    found = {node.key: node for node, negated in walk_terms(expr) if not negated}
    return list(found.values())


def walk_terms(node, negated: bool = False):
    """Yield (term node, under an odd number of NOTs?) for every term, in query order."""
    if isinstance(node, TERMS):
        yield node, negated
    elif isinstance(node, Not):
        yield from walk_terms(node.item, not negated)
    elif isinstance(node, (And, Or)):
        for item in node.items:
            yield from walk_terms(item, negated)


def needs_phrase(node) -> bool:
    """True if only a report containing some positive phrase can match (``A OR -B`` cannot).

    The parser refuses queries where this is false (they could only be answered by scanning
    every report), and the engine starts from the union of the phrases' candidates.
    """
    if isinstance(node, TERMS):
        return True
    if isinstance(node, And):
        return any(needs_phrase(item) for item in node.items)
    if isinstance(node, Or):
        return all(needs_phrase(item) for item in node.items)
    return False


# -- building normalised trees -------------------------------------------------------------------
def dedupe(items: list) -> list:
    """Drop repeated items, keeping the first; frozen nodes are hashable."""
    return list(dict.fromkeys(items))


def make_and(items: list):
    """And with nested Ands flattened; None if empty, the item if single."""
    flat: list = []
    for item in items:
        flat.extend(item.items if isinstance(item, And) else [item])
    flat = dedupe(flat)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def make_or(items: list):
    """Or with nested Ors flattened; the item itself if only one remains."""
    flat: list = []
    for item in items:
        flat.extend(item.items if isinstance(item, Or) else [item])
    flat = dedupe(flat)
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def negate(item):
    """NOT NOT x is x."""
    return item.item if isinstance(item, Not) else Not(item)
