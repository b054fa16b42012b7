"""A request: the search box parsed, the filter parameters merged in, bounds checked.

Pure functions of the query text and parameters (no index): what the engine runs, and what
the interfaces echo back as ``normalized``, ``phrases`` and ``filters``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import GovsearchError
from ..ingest.gazetteer import short_name
from ..ingest.normalize import normalize_query
from ..models import SECTION_KINDS
from ..querylang import And, Filters, Not, Or, Phrase, QuerySyntaxError, parse

MAX_LIMIT = 100


class QueryError(GovsearchError):
    """The query cannot be run; the message says why and what to write instead."""


@dataclass
class Request:
    """A parsed query with every filter merged (search box and parameters alike)."""

    text: str
    expr: object
    filters: Filters
    phrases: list[str]  # counted as hits: the phrases not under a NOT, in query order


def prepare(text: str | None, city=(), province=(), prefecture=(), year=None, section=(),
            allow_empty: bool = True) -> Request:
    """Normalize and parse the search box, then merge the explicit filter parameters."""
    text = normalize_query(text or "")
    if text:
        try:
            parsed = parse(text)
        except QuerySyntaxError as error:
            raise QueryError(str(error)) from None
        expr, filters = parsed.expr, parsed.filters
    elif allow_empty:
        expr, filters = None, Filters()
    else:
        raise QueryError("empty query: type a word or phrase to search for")
    filters = merge_filters(filters, city, province, prefecture, year, section)
    return Request(text, expr, filters, positive_phrases(expr))


def place_matches(value: str, name: str | None) -> bool:
    """City matching shared by filters and trends: 镇江 matches 镇江市, 相城区 苏州市相城区."""
    if not name:
        return False
    if name == value or short_name(name) == short_name(value):
        return True
    return len(value) >= 3 and value.endswith(("区", "县", "市", "旗")) and name.endswith(value)


def walk_phrases(expr, negated: bool = False):
    """(phrase, negated) for every phrase of the expression, in query order."""
    if isinstance(expr, Phrase):
        yield expr.text, negated
    elif isinstance(expr, (And, Or)):
        for item in expr.items:
            yield from walk_phrases(item, negated)
    elif isinstance(expr, Not):
        yield from walk_phrases(expr.item, not negated)


def positive_phrases(expr) -> list[str]:
    """Phrases that count as hits: every phrase not under a NOT, in query order."""
    out: list[str] = []
    for text, negated in walk_phrases(expr):
        if not negated and text not in out:
            out.append(text)
    return out


def _as_tuple(value) -> tuple:
    if value is None or value == "":
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(normalize_query(str(v)) for v in value if str(v).strip())
    return (normalize_query(str(value)),)


def parse_years(value) -> tuple[int | None, int | None]:
    """``2023`` or ``2020-2024`` (also 2020:2024, 2020–2024) into an inclusive range."""
    if value is None or value == "":
        return None, None
    text = str(value).strip().replace("–", "-").replace(":", "-").replace("~", "-")
    try:
        if "-" in text:
            low, high = (int(part) if part.strip() else None for part in text.split("-", 1))
        else:
            low = high = int(text)
    except ValueError:
        raise QueryError(f"year must be a year like 2023 or a range like 2020-2024, "
                         f"not {value!r}") from None
    if low is not None and high is not None and low > high:
        raise QueryError(f"year range {value!r} runs backwards: write {high}-{low}")
    return low, high


def merge_filters(filters: Filters, city, province, prefecture, year, section) -> Filters:
    sections = filters.section + _as_tuple(section)
    for kind in sections:
        if kind not in SECTION_KINDS:
            raise QueryError(f"unknown section kind {kind!r}: "
                             f"use one of {', '.join(SECTION_KINDS)}")
    low, high = parse_years(year)
    return Filters(
        city=filters.city + _as_tuple(city),
        prefecture=filters.prefecture + _as_tuple(prefecture),
        province=filters.province + _as_tuple(province),
        year_from=low if low is not None else filters.year_from,
        year_to=high if high is not None else filters.year_to,
        section=sections,
    )


def filters_dict(filters: Filters) -> dict:
    return {"city": list(filters.city), "prefecture": list(filters.prefecture),
            "province": list(filters.province), "year_from": filters.year_from,
            "year_to": filters.year_to, "section": list(filters.section)}


def bounds(page, limit) -> tuple[int, int]:
    try:
        page, limit = int(page), int(limit)
    except (TypeError, ValueError):
        raise QueryError("page and limit must be whole numbers") from None
    if page < 1 or page > 10000:
        raise QueryError("page must be between 1 and 10000")
    if limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    return page, limit
