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

Narrowing the search (filters)
------------------------------
- ``city:镇江市`` — reports of this city, county or district itself.
- ``prefecture:镇江市`` — a prefecture-level city together with its counties
  and districts.
- ``province:江苏省`` — all reports from the province.
- ``year:2023`` — one year; ``year:2020-2024`` a range; ``year:2020-`` and
  ``year:-2015`` are open-ended.
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
``parse(text) -> ParsedQuery`` is pure (no index, no I/O). The caller
normalises the text first (simplified Chinese, NFKC). ``parse`` raises only
:class:`QuerySyntaxError`, whose ``str()`` is meant for the user and whose
``position`` (0-based, or None) points at the problem. The expression is
normalised: nested AND/OR of the same kind are flattened, duplicate items
dropped, one-item groups unwrapped and double negation removed. The
expression is *positive*: every report it matches contains at least one of
``ParsedQuery.phrases()``, so the caller may start from the union of those
phrases' matches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "QuerySyntaxError", "Phrase", "And", "Or", "Not", "Filters", "ParsedQuery",
    "parse", "MAX_QUERY_LENGTH", "MAX_PHRASES", "MAX_NESTING", "SECTION_KINDS",
    "FILTER_NAMES", "is_searchable",
]

MAX_QUERY_LENGTH = 500
MAX_PHRASES = 32
MAX_NESTING = 20
SECTION_KINDS = ("review", "plan", "government", "notes", "other")
FILTER_NAMES = ("city", "prefecture", "province", "year", "section")
YEAR_MIN, YEAR_MAX = 1900, 2100

_QUOTES = {'"': '"', "“": "”"}
_KEYWORDS = ("OR", "AND", "NOT")
_NAMES = "|".join(FILTER_NAMES)
_FILTER_TERM = re.compile(rf"({_NAMES}):(.*)\Z", re.I | re.S)
_FILTER_PREFIX = re.compile(rf"(?:{_NAMES}):\Z", re.I)
_VALUE_SEPARATORS = re.compile(r"[,、]")
_YEAR_VALUE = re.compile(
    r"\s*([0-9]{4})?\s*年?\s*(?:([-~–—至到])\s*([0-9]{4})?\s*年?\s*)?\Z")


class QuerySyntaxError(ValueError):
    """The search box text cannot be parsed; str(e) is shown to the user.

    ``position`` is the 0-based index of the offending character (None when
    the problem is the query as a whole), so a UI can point at it.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Phrase:
    """A literal string to find as a substring of the report text."""
    text: str


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


@dataclass(frozen=True)
class ParsedQuery:
    """The parsed search box: an expression (None = list every report) and filters."""
    expr: object | None
    filters: Filters = field(default_factory=Filters)

    def phrases(self) -> list[str]:
        """Positive phrases in query order, deduplicated, for highlighting.

        A phrase under an even number of NOTs counts as positive.
        """
        found: list[str] = []
        _collect_phrases(self.expr, False, found)
        return list(dict.fromkeys(found))


def _collect_phrases(node, negated: bool, out: list[str]) -> None:
    """Walk the tree, tracking NOT parity, appending positive phrase texts."""
    if isinstance(node, Phrase):
        if not negated:
            out.append(node.text)
    elif isinstance(node, Not):
        _collect_phrases(node.item, not negated, out)
    elif isinstance(node, (And, Or)):
        for item in node.items:
            _collect_phrases(item, negated, out)


def is_searchable(text: str) -> bool:
    """True if text has a letter, digit or CJK character (any script).

    Punctuation-only phrases would match nearly everything or nothing useful,
    so they are rejected rather than silently searched.
    """
    return any(ch.isalnum() for ch in text)


def _at(pos: int | None) -> str:
    """Human position suffix; users count characters from 1."""
    return "" if pos is None else f" (character {pos + 1})"


def _error(message: str, pos: int | None = None) -> QuerySyntaxError:
    """Build a QuerySyntaxError whose message ends with the position."""
    return QuerySyntaxError(message + _at(pos), pos)


# ---------------------------------------------------------------- pass 0: clean

def _clean(text: str) -> str:
    """Turn control, invisible-format and lone-surrogate characters into spaces.

    They are invisible in the box, so treating them as separators is what the
    user sees; the mapping is one-to-one, so positions stay valid.
    """
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in text)


# ---------------------------------------------------------------- pass 1: quotes

def _quote_context(text: str, p: int, ends: set[int]) -> bool:
    """Could a word start at p, judging by characters only (paren roles unknown)?"""
    return p == 0 or text[p - 1].isspace() or text[p - 1] in "|()" or p in ends


def _quote_can_open(text: str, i: int, ends: set[int]) -> bool:
    """A quote opens a phrase only at a word start (optionally after '-' or 'city:').

    Quote marks in the middle of a word are ordinary text, because Chinese
    report text is full of “…” and pasted passages must match as written.
    """
    if _quote_context(text, i, ends):
        return True
    if text[i - 1] == "-" and _quote_context(text, i - 1, ends):
        return True
    match = _FILTER_PREFIX.search(text, 0, i)
    if match is None:
        return False
    start = match.start()
    return _quote_context(text, start, ends) or (
        text[start - 1] == "-" and _quote_context(text, start - 1, ends))


def _find_quotes(text: str) -> dict[int, tuple[int, bool]]:
    """Map each opening quote position to (end index, closed?).

    An unclosed quote runs to the end of the query: the user most likely
    forgot the closing mark, and everything after it is what they meant.
    """
    spans: dict[int, tuple[int, bool]] = {}
    ends: set[int] = set()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _QUOTES and _quote_can_open(text, i, ends):
            close = text.find(_QUOTES[ch], i + 1)
            end = len(text) if close < 0 else close + 1
            spans[i] = (end, close >= 0)
            ends.add(end)
            i = end
        else:
            i += 1
    return spans


# ---------------------------------------------------------------- pass 2: parens

def _match_parens(text: str, quoted: set[int]) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair parentheses outside quotes by nesting; return pairs and leftovers."""
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if i in quoted:
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")":
            if stack:
                pairs.append((stack.pop(), i))
            else:
                unmatched.append(i)
    return pairs, sorted(unmatched + stack)


class _ParenRoles:
    """Decides which parentheses group and which are literal text.

    A pair groups only if its '(' starts a word and its ')' ends one; whether
    a neighbour is a word edge can depend on another pair, so we start by
    assuming every pair groups and demote failing pairs until nothing changes
    (the largest consistent set of grouping pairs).
    """

    def __init__(self, text: str, spans: dict[int, tuple[int, bool]]):
        self.text = text
        self.starts = set(spans)
        self.ends = {end for end, _ in spans.values()}
        quoted: set[int] = set()
        for start, (end, _) in spans.items():
            quoted.update(range(start, end))
        self.pairs, self.unmatched = _match_parens(text, quoted)
        self.group = {p for pair in self.pairs for p in pair}

    def word_starts_at(self, p: int) -> bool:
        """Is p the first character of a word, given the current paren roles?"""
        text = self.text
        return (p == 0 or text[p - 1].isspace() or text[p - 1] == "|"
                or (p - 1) in self.group or p in self.ends)

    def opens(self, o: int) -> bool:
        """Can the '(' at o group? It must start a word, or follow a leading '-'."""
        return self.word_starts_at(o) or (
            self.text[o - 1] == "-" and self.word_starts_at(o - 1))

    def closes(self, c: int) -> bool:
        """Can the ')' at c group? It must end a word."""
        text, nxt = self.text, c + 1
        return (nxt == len(text) or text[nxt].isspace() or text[nxt] == "|"
                or nxt in self.group or nxt in self.starts)

    def resolve(self) -> set[int]:
        """Return grouping paren positions; raise on an unbalanced grouping paren."""
        changed = True
        while changed:
            changed = False
            for o, c in self.pairs:
                if o in self.group and not (self.opens(o) and self.closes(c)):
                    self.group -= {o, c}
                    changed = True
        for u in self.unmatched:
            if self.text[u] == "(" and self.opens(u):
                raise _error("'(' is never closed; add a ')' or put the text in quotes", u)
            if self.text[u] == ")" and self.closes(u):
                raise _error("')' has no matching '('; remove it or put the text in quotes", u)
        return self.group


# ---------------------------------------------------------------- pass 3: tokens

@dataclass(frozen=True)
class _Token:
    """One lexical item; kind is PHRASE, FILTER, LP, RP, OR, AND, NOT or NEG."""
    kind: str
    pos: int
    text: str = ""        # phrase text, or filter name
    value: str = ""       # filter value
    raw: str = ""         # what the user typed, for messages


def _quoted_inner(text: str, start: int, end: int, closed: bool) -> str:
    """Text between the quote marks, edge spaces removed."""
    return text[start + 1:end - 1 if closed else end].strip()


def _phrase_token(phrase: str, pos: int, raw: str, quoted: bool) -> _Token:
    """Validate a phrase now, while we still know where the user typed it."""
    if not is_searchable(phrase):
        if phrase == "-" and not quoted:
            raise _error("'-' on its own excludes nothing; write it directly before "
                         "a word, like -开发区", pos)
        raise _error(f"'{raw}' has no searchable characters; use words with letters, "
                     "digits or Chinese characters", pos)
    return _Token("PHRASE", pos, phrase, raw=raw)


class _Lexer:
    """Splits cleaned text into tokens using the known quote spans and paren roles."""

    def __init__(self, text: str, spans: dict[int, tuple[int, bool]], group: set[int]):
        self.text, self.spans, self.group = text, spans, group
        self.tokens: list[_Token] = []

    def run(self) -> list[_Token]:
        """Scan left to right; each loop turn starts at a word boundary."""
        text, i, after_neg = self.text, 0, False
        while i < len(text):
            ch, negated, after_neg = text[i], after_neg, False
            if ch.isspace():
                i += 1
            elif i in self.group:
                self.tokens.append(_Token("LP" if ch == "(" else "RP", i))
                i += 1
            elif ch == "|":
                self.tokens.append(_Token("OR", i))
                while i < len(text) and text[i] == "|":
                    i += 1
            elif i in self.spans:
                i = self._quoted(i)
            elif ch == "-" and not negated and self._can_negate(i):
                self.tokens.append(_Token("NEG", i))
                after_neg = True
                i += 1
            else:
                i = self._word(i, negated)
        return self.tokens

    def _can_negate(self, i: int) -> bool:
        """'-' excludes only if something it can apply to follows directly."""
        nxt = i + 1
        if nxt >= len(self.text):
            return False
        ch = self.text[nxt]
        return not (ch.isspace() or ch == "|" or (ch == ")" and nxt in self.group))

    def _quoted(self, start: int) -> int:
        """A quoted phrase standing as its own word."""
        end, closed = self.spans[start]
        inner = _quoted_inner(self.text, start, end, closed)
        if not inner and closed:
            raise _error("the quotes are empty; put the words to find between them", start)
        if not inner:
            raise _error("the quote mark has nothing after it; remove it or add words", start)
        self.tokens.append(_phrase_token(inner, start, self.text[start:end], True))
        return end

    def _word(self, start: int, negated: bool) -> int:
        """Read one unquoted word: a keyword, a filter or a phrase."""
        text, i = self.text, start
        while i < len(text):
            if text[i].isspace() or text[i] == "|" or i in self.group:
                break
            if i in self.spans:
                if _FILTER_PREFIX.fullmatch(text[start:i]):
                    return self._quoted_filter(start, i)
                i = self.spans[i][0]          # quote inside a word: verbatim text
                continue
            i += 1
        raw = text[start:i].rstrip()           # an unclosed inner quote may end in spaces
        self.tokens.append(self._classify(raw, start, negated))
        return i

    def _quoted_filter(self, start: int, quote: int) -> int:
        """A filter whose value is quoted: city:"镇江市"."""
        end, closed = self.spans[quote]
        name = self.text[start:quote - 1].lower()
        value = _quoted_inner(self.text, quote, end, closed)
        self.tokens.append(_Token("FILTER", start, name, value, self.text[start:end]))
        return end

    @staticmethod
    def _classify(raw: str, pos: int, negated: bool) -> _Token:
        """Keywords count only as whole capitalised words not preceded by '-'."""
        if raw in _KEYWORDS and not negated:
            return _Token(raw, pos, raw=raw)
        match = _FILTER_TERM.fullmatch(raw)
        if match:
            return _Token("FILTER", pos, match.group(1).lower(), match.group(2), raw)
        return _phrase_token(raw, pos, raw, False)


# ---------------------------------------------------------------- parser

@dataclass(frozen=True)
class _FilterNode:
    """A filter still sitting in the tree; lifted out before returning."""
    token: _Token


_UNARY_START = ("PHRASE", "FILTER", "LP", "NOT", "NEG")
_PRIMARY_START = ("PHRASE", "FILTER", "LP")


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*;
    unary := (NOT|-)* primary; primary := phrase | filter | ( or ).
    Recursion depth is bounded by MAX_NESTING, so no RecursionError.
    """

    def __init__(self, tokens: list[_Token]):
        self.tokens, self.i, self.depth = tokens, 0, 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def starts(self, kinds: tuple) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind in kinds

    def parse(self):
        expr = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise _error("unexpected ')'", tok.pos)
        return expr

    def or_expr(self):
        items = [self.and_expr()]
        while self.starts(("OR",)):
            op = self.tokens[self.i]
            self.i += 1
            if not self.starts(_UNARY_START):
                raise _error("OR needs a term on each side", op.pos)
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self):
        items = [self.unary()]
        while True:
            if self.starts(("AND",)):
                op = self.tokens[self.i]
                self.i += 1
                if not self.starts(_UNARY_START):
                    raise _error("AND needs a term on each side", op.pos)
            elif not self.starts(_UNARY_START):
                break
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self):
        negations, last = 0, None
        while self.starts(("NOT", "NEG")):
            last = self.tokens[self.i]
            negations += 1
            self.i += 1
        if last is not None and not self.starts(_PRIMARY_START):
            raise _error("NOT needs a term after it", last.pos)
        node = self.primary()
        return Not(node) if negations % 2 else node

    def primary(self):
        tok = self.peek()
        if tok is None:
            raise _error("the query has nothing to search for")
        self.i += 1
        if tok.kind == "PHRASE":
            return Phrase(tok.text)
        if tok.kind == "FILTER":
            return _FilterNode(tok)
        if tok.kind == "LP":
            return self.group(tok)
        if tok.kind in ("OR", "AND"):
            raise _error(f"{tok.kind} needs a term on each side", tok.pos)
        raise _error("unexpected ')'", tok.pos)

    def group(self, open_tok: _Token):
        if self.starts(("RP",)):
            raise _error("the parentheses are empty; put words inside or remove them",
                         open_tok.pos)
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _error(f"too many nested parentheses (the limit is {MAX_NESTING})",
                         open_tok.pos)
        expr = self.or_expr()
        if not self.starts(("RP",)):
            raise _error("'(' is never closed; add a ')' or put the text in quotes",
                         open_tok.pos)
        self.i += 1
        self.depth -= 1
        return expr


# ---------------------------------------------------------------- normalising

def _dedupe(items: list) -> list:
    """Drop repeated items, keeping the first; frozen nodes are hashable."""
    return list(dict.fromkeys(items))


def _make_and(items: list):
    """And with nested Ands flattened; None if empty, the item if single."""
    flat: list = []
    for item in items:
        flat.extend(item.items if isinstance(item, And) else [item])
    flat = _dedupe(flat)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _make_or(items: list):
    """Or with nested Ors flattened; the item itself if only one remains."""
    flat: list = []
    for item in items:
        flat.extend(item.items if isinstance(item, Or) else [item])
    flat = _dedupe(flat)
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _negate(item):
    """NOT NOT x is x."""
    return item.item if isinstance(item, Not) else Not(item)


def _lift(node, found: list[_Token], context: str | None):
    """Remove filters from the tree into `found`, normalising as we rebuild.

    Filters restrict the whole query, so one under OR/NOT has no meaning
    and is reported instead of guessed at.
    """
    if isinstance(node, _FilterNode):
        if context is not None:
            raise _error(f"filters apply to the whole query, so '{node.token.raw}' cannot "
                         f"be used {context}; put it next to the other words instead",
                         node.token.pos)
        found.append(node.token)
        return None
    if isinstance(node, Not):
        return _negate(_lift(node.item, found, "after NOT or -"))
    if isinstance(node, Or):
        return _make_or([_lift(item, found, context or "inside an OR") for item in node.items])
    if isinstance(node, And):
        lifted = [_lift(item, found, context) for item in node.items]
        return _make_and([item for item in lifted if item is not None])
    return node


def _has_positive(node) -> bool:
    """True if every report matching node contains one of its positive phrases."""
    if isinstance(node, Phrase):
        return True
    if isinstance(node, And):
        return any(_has_positive(item) for item in node.items)
    if isinstance(node, Or):
        return all(_has_positive(item) for item in node.items)
    return False


def _check_positive(expr) -> None:
    """Reject queries that could only be answered by scanning every report."""
    if _has_positive(expr):
        return
    if isinstance(expr, Or) and any(_has_positive(item) for item in expr.items):
        raise _error("each side of OR needs a word to search for; NOT/- only excludes "
                     "(write 园区 -开发区, not 园区 OR -开发区)")
    raise _error("add at least one word to search for; NOT/- only excludes")


# ---------------------------------------------------------------- filters

def _split_values(tok: _Token) -> list[str]:
    """Comma (or 、) separated values of one filter, blanks dropped."""
    values = [v.strip() for v in _VALUE_SEPARATORS.split(tok.value)]
    values = [v for v in values if v]
    if not values:
        raise _error(f"{tok.text}: needs a value right after the colon, "
                     f"e.g. {_EXAMPLES[tok.text]}", tok.pos)
    return values


_EXAMPLES = {"city": "city:镇江市", "prefecture": "prefecture:镇江市",
             "province": "province:江苏省", "year": "year:2023 or year:2020-2024",
             "section": "section:plan"}


def _place_values(tok: _Token) -> list[str]:
    """City/prefecture/province names: any text with a searchable character."""
    values = _split_values(tok)
    for value in values:
        if not is_searchable(value):
            raise _error(f"{tok.text}:{value} is not a place name", tok.pos)
    return values


def _section_values(tok: _Token) -> list[str]:
    """Section kinds, case-insensitive, checked against SECTION_KINDS."""
    values = [v.lower() for v in _split_values(tok)]
    for value in values:
        if value not in SECTION_KINDS:
            raise _error(f"unknown section '{value}'; use one of: "
                         + ", ".join(SECTION_KINDS), tok.pos)
    return values


def _year(text: str | None, tok: _Token) -> int | None:
    """A four-digit year within YEAR_MIN..YEAR_MAX, or None if absent."""
    if text is None:
        return None
    year = int(text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _error(f"year {year} is out of range ({YEAR_MIN}-{YEAR_MAX})", tok.pos)
    return year


def _year_range(tok: _Token) -> tuple[int | None, int | None]:
    """Parse 2023, 2020-2024, 2020-, -2015 (年 and ~/至/到/– also accepted)."""
    if not tok.value.strip():
        _split_values(tok)                     # raises "needs a value"
    match = _YEAR_VALUE.fullmatch(tok.value)
    first, sep, last = match.groups() if match else (None, None, None)
    if first is None and last is None:         # no match, "-", or "年"
        raise _error(f"year:{tok.value} is not a year; write it like "
                     "year:2023 or year:2020-2024", tok.pos)
    year_from, year_to = _year(first, tok), _year(last, tok)
    if sep is None:
        return year_from, year_from
    if year_from is not None and year_to is not None and year_from > year_to:
        raise _error(f"year range {year_from}-{year_to} is reversed; write "
                     f"year:{year_to}-{year_from}", tok.pos)
    return year_from, year_to


def _build_filters(tokens: list[_Token]) -> Filters:
    """Combine filter tokens: same filter twice = any of the values."""
    places: dict[str, list[str]] = {"city": [], "prefecture": [], "province": [],
                                    "section": []}
    years = None
    for tok in tokens:
        if tok.text == "year":
            if years is not None:
                raise _error("use only one year: filter; for several years give a "
                             "range like year:2020-2024", tok.pos)
            years = _year_range(tok)
        elif tok.text == "section":
            places["section"].extend(_section_values(tok))
        else:
            places[tok.text].extend(_place_values(tok))
    year_from, year_to = years or (None, None)
    return Filters(**{k: tuple(_dedupe(v)) for k, v in places.items()},
                   year_from=year_from, year_to=year_to)


# ---------------------------------------------------------------- entry point

def _check_input(text) -> str:
    """Reject non-text, over-long and blank input before any parsing."""
    if not isinstance(text, str):
        raise QuerySyntaxError("the query must be text")
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"the query is {len(text)} characters long; the limit "
                               f"is {MAX_QUERY_LENGTH}")
    cleaned = _clean(text)
    if not cleaned.strip():
        raise QuerySyntaxError("the search box is empty; type a word to search for")
    return cleaned


def parse(text: str) -> ParsedQuery:
    """Parse search-box text (already normalised) into a ParsedQuery.

    Raises QuerySyntaxError, and nothing else, when the text cannot be used.
    """
    cleaned = _check_input(text)
    spans = _find_quotes(cleaned)
    group = _ParenRoles(cleaned, spans).resolve()
    tokens = _Lexer(cleaned, spans, group).run()
    count = sum(tok.kind == "PHRASE" for tok in tokens)
    if count > MAX_PHRASES:
        raise QuerySyntaxError(f"the query has {count} search words; the limit is "
                               f"{MAX_PHRASES}")
    found: list[_Token] = []
    expr = _lift(_Parser(tokens).parse(), found, None)
    if expr is not None:
        _check_positive(expr)
    return ParsedQuery(expr, _build_filters(found))
