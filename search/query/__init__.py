"""The search-box query language.

Searching
---------
Every word you type is searched for **exactly as written**, as a piece of
text inside a report. Chinese needs no spaces: ``园区整合`` finds reports that
contain the four characters 园区整合 next to each other.

- ``园区整合 镇江`` — both texts must appear (``AND`` may be written but is
  optional).
- ``园区整合 OR 项目招引`` — either text; ``|`` works too: ``园区整合|项目招引``.
- ``园区整合 -开发区`` or ``园区整合 NOT 开发区`` — leave out reports that
  contain 开发区.
- ``(园区整合 OR 项目招引) 镇江`` — parentheses group words.
- ``"数字 经济"`` — text containing spaces or symbols, exactly as written;
  Chinese quotes work too: ``“四群八链”``.

``NOT``/``-`` binds tightest, then AND (spaces), then ``OR``:
``a b OR c`` means "(a and b) or c". ``OR``, ``AND`` and ``NOT`` must be
written in capitals; in lower case they are ordinary words. The minus sign
excludes only at the start of a word (``增长-5%`` is one word); to search for
a word that starts with ``-``, put it in quotes. Outside quotes ``|`` always
means OR, even inside a word. Control and invisible characters count as
spaces.

Parentheses inside a word are part of the word, so text pasted from a report
is searched as it stands: ``中日(苏州)地方发展合作示范区`` and
``十四五规划纲要(草案)`` are each a single word, parentheses included. A
parenthesis groups only when it stands at the edge of a word: ``(`` after a
space (or at the start, or after ``-`` or another grouping parenthesis) and
its partner ``)`` before a space (or at the end, or before another grouping
parenthesis). So ``(十四五规划纲要(草案) OR 园区整合)`` is an OR of two words.

Quotes open only at the start of a word. A closing quote ends the word, and
spaces at the edges inside quotes are ignored. A quote that is never closed
runs to the end of the search. Quote marks inside a word
(``提出“四群八链”工作``) are ordinary text and are searched for.

- ``园区 NEAR/5 整合`` — 园区 with 整合 at most 5 characters away, in either order;
  ``NEAR/s`` same sentence, ``NEAR/p`` same paragraph. Binds tighter than AND; capitals only.
- ``/增长\\d+(\\.\\d+)?%左右/`` — an RE2 regular expression containing a fixed Chinese word.
- ``园区*整合`` — ``*`` between Chinese characters stands for up to 4 of them.

Narrowing the search (filters)
------------------------------
- ``city:镇江市`` — reports of this city, county or district itself.
- ``prefecture:镇江市`` — a prefecture-level city together with its counties
  and districts.
- ``province:江苏省`` — all reports from the province.
- ``year:2023`` — one year; ``year:2020-2024`` a range (``2020:2024``,
  ``2020–2024``, ``2020至2024`` too); ``year:2020-`` and ``year:-2015`` are
  open-ended. The ``year=`` parameter takes the same forms.
- ``min:2`` — only reports where the query has at least 2 hits.
- ``section:plan`` — only this part of a report: ``review`` (last year's
  work), ``plan`` (this year's tasks), ``government`` (the government's own
  work), ``notes``, ``other``.

Filters apply to the whole search wherever they are typed, so they cannot be
used inside an ``OR`` or after ``NOT``/``-``. Several values of the same
filter mean "any of them": ``city:镇江市 city:苏州市`` or
``city:镇江市,苏州市`` (or ``、``). Values may be quoted: ``city:"镇江市"``. Only one
``year:`` filter is allowed (use a range). A search made only of filters lists
all matching reports. Text such as ``http://…`` or ``注:`` whose part before
the colon is not a filter name is an ordinary word.

Limits: at most 500 characters and 32 words; at most 20 levels of nested
parentheses. Every word needs at least one letter, digit or Chinese character,
and a search must contain at least one word that is not excluded.

For developers
--------------
The package is split by pass, as lunr.py does: :mod:`.lexer` (text → tokens:
quotes, grouping parentheses, words), :mod:`.parser` (tokens → tree, one
method per precedence level), :mod:`.filters` (filter values, with the year
grammar and section kinds of :mod:`search.params`) and :mod:`.nodes` (the
tree and the rules read off it). The execution modules of the engine live
beside them in this package.

``parse(text) -> ParsedQuery`` is pure (no index, no I/O). The caller
normalises the text first (simplified Chinese, NFKC). ``parse`` raises only
:class:`QuerySyntaxError`, whose ``str()`` is meant for the user (``zh`` is
the same in Chinese, for the web) and whose ``position`` (0-based, or None)
points at the problem. The expression is normalised: nested AND/OR of the
same kind are flattened, duplicate items dropped, one-item groups unwrapped
and double negation removed. The expression is *positive*
(:func:`needs_phrase`): every report it matches contains at least one of
``ParsedQuery.phrases()``, so the caller may start from the union of those
phrases' matches.
"""

from __future__ import annotations

from ..models import SECTION_KINDS
from .errors import MAX_NESTING, MAX_PHRASES, MAX_QUERY_LENGTH, QuerySyntaxError
from .lexer import FILTER_NAMES, is_searchable
from .nodes import (
    And,
    Filters,
    Near,
    Not,
    Or,
    ParsedQuery,
    Pattern,
    Phrase,
    needs_phrase,
    positive_phrases,
    positive_terms,
    walk_terms,
)
from .parser import parse

__all__ = [
    "QuerySyntaxError",
    "Phrase",
    "Pattern",
    "Near",
    "positive_terms",
    "walk_terms",
    "And",
    "Or",
    "Not",
    "Filters",
    "ParsedQuery",
    "parse",
    "needs_phrase",
    "positive_phrases",
    "MAX_QUERY_LENGTH",
    "MAX_PHRASES",
    "MAX_NESTING",
    "SECTION_KINDS",
    "FILTER_NAMES",
    "is_searchable",
]
