"""Request parameters, checked once for the CLI, the engine, trends and the web alike.

Each checker takes the raw value (a string from a URL or the command line, or a number from
Python), returns the clean value, and raises :class:`ParamError` carrying an English message
(the CLI prints it) and a Chinese one (the web shows it). The one year grammar of the product
lives here too: the ``year=`` parameter and the ``year:`` filter of the search box both call
:func:`year_range`.
"""

from __future__ import annotations

import re

from .errors import QueryError
from .models import SECTION_KINDS

__all__ = [
    "ParamError",
    "YEAR_MIN",
    "YEAR_MAX",
    "MAX_PAGE",
    "MAX_LIMIT",
    "SORTS",
    "whole_number",
    "page_and_limit",
    "year",
    "year_range",
    "sections",
    "sort",
    "choice",
    "min_hits",
    "MAX_MIN_HITS",
]

YEAR_MIN, YEAR_MAX = 1900, 2100
MAX_PAGE = 10_000
MAX_LIMIT = 100  # results per search page
SORTS = ("relevance", "year")
#: 2023, 2023年, 2020-2024, 2020:2024, 2020–2024, 2020~2024, 2020至2024, 2020-, -2015.
_YEAR_RANGE = re.compile(r"\s*([0-9]{4})?\s*年?\s*(?:([-~–—:至到])\s*([0-9]{4})?\s*年?\s*)?\Z")
_ONE_YEAR = re.compile(r"\s*([0-9]{4})\s*年?\s*")
_WHOLE = re.compile(r"\s*[+-]?[0-9]{1,9}\s*\Z")


class ParamError(QueryError):
    """A parameter value that cannot be used (``str()`` English, ``zh`` Chinese)."""


def _shown(value) -> str:
    return str(value)[:50]


def whole_number(value, name: str, low: int, high: int, default: int | None = None) -> int:
    """``value`` as an int in ``low..high``; blank or None gives ``default`` if there is one."""
    if (value is None or str(value).strip() == "") and default is not None:
        return default
    if isinstance(value, bool) or not _WHOLE.fullmatch(str(value)):
        raise ParamError(
            f"{name} must be a whole number, not {_shown(value)!r}",
            f"参数 {name} 应为整数，不是“{_shown(value)}”。",
        )
    number = int(str(value))
    if not low <= number <= high:
        raise ParamError(
            f"{name} must be between {low} and {high}", f"参数 {name} 应在 {low} 到 {high} 之间。"
        )
    return number


MAX_MIN_HITS = 1_000_000


def min_hits(value) -> int | None:
    """``min_hits=N`` / ``min:N``: at least N hits (1..MAX_MIN_HITS); blank means no limit."""
    if value is None or str(value).strip() == "":
        return None
    return whole_number(value, "min_hits", 1, MAX_MIN_HITS)


def page_and_limit(page, limit) -> tuple[int, int]:
    """A results page (1..MAX_PAGE) and page size (1..MAX_LIMIT)."""
    return (whole_number(page, "page", 1, MAX_PAGE), whole_number(limit, "limit", 1, MAX_LIMIT))


def _in_range(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ParamError(
            f"year {year} is out of range ({YEAR_MIN}-{YEAR_MAX})",
            f"年份 {year} 超出范围（{YEAR_MIN}–{YEAR_MAX}）。",
        )
    return year


def year(value) -> int:
    """One four-digit year (``2024``, ``2024年``) in YEAR_MIN..YEAR_MAX."""
    match = _ONE_YEAR.fullmatch(str(value if value is not None else ""))
    if not match:
        raise ParamError(
            f"year must be a year like 2024, not {_shown(value)!r}",
            f"参数 year 应为四位数的年份，例如 2024，不是“{_shown(value)}”。",
        )
    return _in_range(int(match.group(1)))


def year_range(value) -> tuple[int | None, int | None]:
    """An inclusive ``(from, to)``; None/blank is ``(None, None)``, open ends are None.

    ``2023`` is ``(2023, 2023)``; ``2020-2024`` (or ``:``, ``–``, ``—``, ``~``, 至, 到, and 年
    after a year) a range; ``2020-`` and ``-2015`` are open-ended.
    """
    if value is None or str(value).strip() == "":
        return None, None
    match = _YEAR_RANGE.fullmatch(str(value))
    first, sep, last = match.groups() if match else (None, None, None)
    if first is None and last is None:
        raise ParamError(
            f"year {_shown(value)!r} is not a year; write it like 2023 or 2020-2024",
            f"年份“{_shown(value)}”无法识别，应写作 2023 或 2020-2024 这样的形式。",
        )
    low = _in_range(int(first)) if first else None
    high = _in_range(int(last)) if last else None
    if sep is None:
        return low, low
    if low is not None and high is not None and low > high:
        raise ParamError(
            f"year range {low}-{high} is reversed; write {high}-{low}",
            f"年份区间 {low}-{high} 前后颠倒了，应写作 {high}-{low}。",
        )
    return low, high


def sections(values) -> tuple[str, ...]:
    """Section kinds (case-insensitive), each one of SECTION_KINDS."""
    out = []
    for value in values:
        kind = str(value).strip().lower()
        if kind not in SECTION_KINDS:
            raise ParamError(
                f"unknown section {_shown(value)!r}; use one of: {', '.join(SECTION_KINDS)}",
                f"没有“{_shown(value)}”这种章节，可用：{'、'.join(SECTION_KINDS)}。",
            )
        out.append(kind)
    return tuple(out)


def choice(value, name: str, choices) -> str:
    """``value`` if it is one of ``choices`` (a sort order, a measure …)."""
    if value not in choices:
        raise ParamError(
            f"{name} must be one of {', '.join(choices)}, not {_shown(value)!r}",
            f"参数 {name} 应为 {'、'.join(choices)} 之一，不是“{_shown(value)}”。",
        )
    return value


def sort(value) -> str:
    """``relevance`` (blank) or ``year``."""
    value = str(value or "").strip() or "relevance"
    if value not in SORTS:
        raise ParamError(
            f"sort must be 'relevance' or 'year', not {_shown(value)!r}",
            f"参数 sort 应为 relevance（相关度）或 year（年份），不是“{_shown(value)}”。",
        )
    return value
