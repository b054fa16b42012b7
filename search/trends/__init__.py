"""Beyond search: what changed in a city's reports, where a phrase spread, how two reports differ.

Every function takes an :class:`~search.engine.Engine` and returns plain JSON-ready dicts,
for the CLI (``python -m search diff|timeline|spread|compare|phrases``) and web pages alike.
Every count is an exact occurrence count of the normalized text (:func:`search.matching.count`,
the definition the search results meet); rates are per 10,000 characters of the report.
Key phrases and their scores come from :mod:`search.phrases`; the methods and the choices
made at the edges (no earlier report, reports without a year) are in docs/trends.md.
"""

from __future__ import annotations

from ..phrases import key_phrases
from .cities import (
    TrendsError,
    UnknownCityError,
    UnknownYearError,
    city_index,
    city_reports,
    previous_of,
    previous_report,
    previous_reports,
)
from .diff import (
    DEFAULT_LIMIT,
    MAX_TOP,
    MIN_CHANGE_COUNT,
    TIMELINE_TOP,
    city_report,
    diff,
    timeline,
)
from .rows import MAX_LIMIT, SIGNIFICANT_G2, context, g2
from .spread import compare, spread

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_TOP",
    "MIN_CHANGE_COUNT",
    "SIGNIFICANT_G2",
    "TIMELINE_TOP",
    "TrendsError",
    "UnknownCityError",
    "UnknownYearError",
    "city_index",
    "city_report",
    "city_reports",
    "compare",
    "context",
    "diff",
    "g2",
    "key_phrases",
    "previous_of",
    "previous_report",
    "previous_reports",
    "spread",
    "timeline",
]
