"""A request: the search box parsed, the filter parameters merged in, bounds checked.

Pure functions of the query text and parameters (no index): what the engine runs, and what
the interfaces echo back as ``normalized``, ``phrases`` and ``filters``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import params
from ..errors import QueryError
from ..ingest.gazetteer import same_place
from ..ingest.normalize import normalize_query
from .nodes import Filters, Phrase, positive_terms, walk_terms
from .parser import parse

MAX_LIMIT = params.MAX_LIMIT
__all__ = [
    "QueryError",
    "Request",
    "prepare",
    "place_matches",
    "walk_phrases",
    "merge_filters",
    "filters_dict",
    "bounds",
]


@dataclass
class Request:
    """A parsed query with every filter merged (search box and parameters alike)."""

    text: str
    expr: object
    filters: Filters
    phrases: list[str]  # counted as hits: keys of the terms not under a NOT, in query order
    terms: dict = field(default_factory=dict)  # key -> term node (Phrase, Pattern, Near)

    @property
    def plain_phrases(self) -> list[str]:
        """The positive terms that are plain phrases (a pattern's key is not its text)."""
        return [k for k in self.phrases if isinstance(self.terms.get(k, Phrase(k)), Phrase)]


def prepare(
    text: str | None,
    city=(),
    province=(),
    prefecture=(),
    year=None,
    section=(),
    allow_empty: bool = True,
    min_hits=None,
) -> Request:
    """Normalize and parse the search box, then merge the explicit filter parameters."""
    text = normalize_query(text or "")
    if text:
        parsed = parse(text)  # QuerySyntaxError is a QueryError
        expr, filters = parsed.expr, parsed.filters
    elif allow_empty:
        expr, filters = None, Filters()
    else:
        raise QueryError(
            "empty query: type a word or phrase to search for", "查询是空的，请输入要搜索的词或短语"
        )
    filters = merge_filters(filters, city, province, prefecture, year, section, min_hits)
    terms = {node.key: node for node in positive_terms(expr)}
    return Request(text, expr, filters, list(terms), terms)


def place_matches(value: str, name: str | None) -> bool:
    """City matching shared by filters and trends (the rule: ingest.gazetteer.same_place)."""
    return same_place(value, name)


def walk_phrases(expr, negated: bool = False):
    """(term node, negated) for every term of the expression, in query order."""
    return walk_terms(expr, negated)


def _as_tuple(value) -> tuple:
    if value is None or value == "":
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(normalize_query(str(v)) for v in value if str(v).strip())
    return (normalize_query(str(value)),)


def merge_filters(
    filters: Filters, city, province, prefecture, year, section, min_hits=None
) -> Filters:
    sections = filters.section + params.sections(_as_tuple(section))
    low, high = params.year_range(year)
    return Filters(
        city=filters.city + _as_tuple(city),
        prefecture=filters.prefecture + _as_tuple(prefecture),
        province=filters.province + _as_tuple(province),
        year_from=low if low is not None else filters.year_from,
        year_to=high if high is not None else filters.year_to,
        section=sections,
        min_hits=params.min_hits(min_hits) or filters.min_hits,
    )


def filters_dict(filters: Filters) -> dict:
    return {
        "city": list(filters.city),
        "prefecture": list(filters.prefecture),
        "province": list(filters.province),
        "year_from": filters.year_from,
        "year_to": filters.year_to,
        "section": list(filters.section),
        "min_hits": filters.min_hits,
    }


def bounds(page, limit) -> tuple[int, int]:
    """Page and limit within their bounds (the rule: search.params)."""
    return params.page_and_limit(page, limit)
