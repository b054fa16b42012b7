"""Pass 1 of the parser: search-box text → tokens.

Three small passes over the cleaned text, because whether a character is syntax depends on
its neighbours: quotes open only at a word start (:func:`find_quotes`); a parenthesis groups
only at a word edge, which can depend on another pair (:class:`ParenRoles`); then
:class:`Lexer` cuts words, keywords, filters and operators. Token kinds are listed in
:data:`TOKEN_KINDS`; to add an operator, add its kind there, teach :meth:`Lexer.classify`
(a word) or :meth:`Lexer.run` (a symbol) to emit it, and give the parser a rule for it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import syntax_error
from .near import MAX_DISTANCE
from .patterns import PatternError, check_narrowable, is_wildcard, wildcard_pattern

__all__ = ["Token", "TOKEN_KINDS", "KEYWORDS", "FILTER_NAMES", "tokenize", "is_searchable"]

#: Every token kind the lexer emits, with what it stands for.
TOKEN_KINDS = {
    "PHRASE": "a word or quoted text to find exactly",
    "FILTER": "name:value restricting the reports searched",
    "LP": "a grouping '('",
    "RP": "a grouping ')'",
    "OR": "OR or |",
    "AND": "AND (a space means the same)",
    "NOT": "NOT before a term",
    "NEG": "'-' at the start of a word",
    "PATTERN": "/regex/ (RE2) or a wildcard word 园区*整合, matched as a pattern",
    "NEAR": "NEAR/n, NEAR/s or NEAR/p between two terms",
}
#: Capitalised words that are operators (in lower case they are ordinary words).
KEYWORDS = ("OR", "AND", "NOT")
FILTER_NAMES = ("city", "prefecture", "province", "year", "section", "min")
SLASH = "/"
_NEAR = re.compile(r"NEAR(?:/(.*))?\Z", re.S)
_NEAR_ARG = re.compile(r"(\d{1,4}|s|p)\Z")

_QUOTES = {'"': '"', "“": "”"}
_NAMES = "|".join(FILTER_NAMES)
_FILTER_TERM = re.compile(rf"({_NAMES}):(.*)\Z", re.I | re.S)
_FILTER_PREFIX = re.compile(rf"(?:{_NAMES}):\Z", re.I)


@dataclass(frozen=True)
class Token:
    """One lexical item; ``kind`` is a key of :data:`TOKEN_KINDS`."""

    kind: str
    pos: int
    text: str = ""  # phrase text, or filter name
    value: str = ""  # filter value
    raw: str = ""  # what the user typed, for messages


def is_searchable(text: str) -> bool:
    """True if text has a letter, digit or CJK character (any script).

    Punctuation-only phrases would match nearly everything or nothing useful,
    so they are rejected rather than silently searched.
    """
    return any(ch.isalnum() for ch in text)


def clean(text: str) -> str:
    """Turn control, invisible-format and lone-surrogate characters into spaces.

    They are invisible in the box, so treating them as separators is what the
    user sees; the mapping is one-to-one, so positions stay valid.
    """
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in text)


# -- quotes ------------------------------------------------------------------------------------
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
        text[start - 1] == "-" and _quote_context(text, start - 1, ends)
    )


def _slash_can_open(text: str, i: int, ends: set[int]) -> bool:
    """A '/' opens a pattern only at a word start (optionally after '-'): ``http://`` and
    ``1/2`` stay ordinary words."""
    return _quote_context(text, i, ends) or (
        i > 0 and text[i - 1] == "-" and _quote_context(text, i - 1, ends)
    )


def _closing_slash(text: str, i: int) -> int:
    """Index of the '/' closing the pattern opened at i (``\\/`` is an escaped slash), or -1."""
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == SLASH:
            return j
        j += 1
    return -1


def find_quotes(text: str) -> dict[int, tuple[int, bool]]:
    """Map each opening quote position to (end index, closed?).

    An unclosed quote runs to the end of the query: the user most likely
    forgot the closing mark, and everything after it is what they meant.
    """
    spans: dict[int, tuple[int, bool]] = {}
    ends: set[int] = set()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == SLASH and _slash_can_open(text, i, ends):
            close = _closing_slash(text, i)
            end = len(text) if close < 0 else close + 1
            spans[i] = (end, close >= 0)
            ends.add(end)
            i = end
        elif ch in _QUOTES and _quote_can_open(text, i, ends):
            close = text.find(_QUOTES[ch], i + 1)
            end = len(text) if close < 0 else close + 1
            spans[i] = (end, close >= 0)
            ends.add(end)
            i = end
        else:
            i += 1
    return spans


# -- parentheses -------------------------------------------------------------------------------
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


class ParenRoles:
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
        return (
            p == 0
            or text[p - 1].isspace()
            or text[p - 1] == "|"
            or (p - 1) in self.group
            or p in self.ends
        )

    def opens(self, o: int) -> bool:
        """Can the '(' at o group? It must start a word, or follow a leading '-'."""
        return self.word_starts_at(o) or (self.text[o - 1] == "-" and self.word_starts_at(o - 1))

    def closes(self, c: int) -> bool:
        """Can the ')' at c group? It must end a word."""
        text, nxt = self.text, c + 1
        return (
            nxt == len(text)
            or text[nxt].isspace()
            or text[nxt] == "|"
            or nxt in self.group
            or nxt in self.starts
        )

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
                raise syntax_error(
                    "'(' is never closed; add a ')' or put the text in quotes",
                    "“(”没有配对的“)”，请补上“)”或把这段文字放进引号",
                    u,
                )
            if self.text[u] == ")" and self.closes(u):
                raise syntax_error(
                    "')' has no matching '('; remove it or put the text in quotes",
                    "“)”没有配对的“(”，请删去它或把这段文字放进引号",
                    u,
                )
        return self.group


# -- tokens ------------------------------------------------------------------------------------
def _quoted_inner(text: str, start: int, end: int, closed: bool) -> str:
    """Text between the quote marks, edge spaces removed."""
    return text[start + 1 : end - 1 if closed else end].strip()


def _phrase_token(phrase: str, pos: int, raw: str, quoted: bool) -> Token:
    """Validate a phrase now, while we still know where the user typed it."""
    if not is_searchable(phrase):
        if phrase == "-" and not quoted:
            raise syntax_error(
                "'-' on its own excludes nothing; write it directly before a word, like -开发区",
                "单独的“-”不排除任何内容，请紧贴在词前，如 -开发区",
                pos,
            )
        raise syntax_error(
            f"'{raw}' has no searchable characters; use words with letters, "
            "digits or Chinese characters",
            f"“{raw}”里没有可搜索的字符，请使用含汉字、字母或数字的词",
            pos,
        )
    return Token("PHRASE", pos, phrase, raw=raw)


def _checked_pattern(source: str, pos: int, raw: str, label: str = "") -> Token:
    """A PATTERN token, once RE2 compiles it and the index can narrow it (its required
    Chinese literals); the pattern's own error, pointing at where it was typed."""
    try:
        check_narrowable(source)
    except PatternError as error:
        raise syntax_error(str(error), error.zh, pos) from None
    return Token("PATTERN", pos, source, label, raw)


def _pattern_token(text: str, start: int, end: int, closed: bool) -> Token:
    """``/…/``: the pattern between the slashes, ``\\/`` read as a slash."""
    if not closed:
        raise syntax_error(
            "the pattern is never closed; end it with '/' (write /增长\\d+%/), "
            "or put a slash you want to find in quotes",
            "正则表达式缺少结尾的“/”，请在末尾补上“/”（如 /增长\\d+%/）；"
            "要搜索斜杠本身，请把它放进引号",
            start,
        )
    source = text[start + 1 : end - 1].replace("\\/", "/")
    if not source.strip():
        raise syntax_error(
            "the slashes are empty; write a pattern between them, like /增长\\d+%/",
            "两个“/”之间是空的，请写上正则表达式，如 /增长\\d+%/",
            start,
        )
    return _checked_pattern(source, start, text[start:end])


def _near_token(raw: str, pos: int) -> Token:
    """``NEAR/5``, ``NEAR/s``, ``NEAR/p``; anything else after NEAR is explained."""
    arg = _NEAR.match(raw).group(1)
    if arg is None or not _NEAR_ARG.match(arg):
        raise syntax_error(
            f"'{raw}': write NEAR/n (at most n characters apart, e.g. "
            "园区 NEAR/5 整合), NEAR/s (same sentence) or NEAR/p (same "
            "paragraph)",
            f"“{raw}”写法有误：请写 NEAR/数字（相隔不超过几个字，如 园区 NEAR/5 整合）、"
            "NEAR/s（同一句）或 NEAR/p（同一段）",
            pos,
        )
    if arg.isdigit() and int(arg) > MAX_DISTANCE:
        raise syntax_error(
            f"NEAR/{arg}: the distance can be at most {MAX_DISTANCE}",
            f"NEAR/{arg}：距离最多为 {MAX_DISTANCE} 个字",
            pos,
        )
    return Token("NEAR", pos, arg, raw=raw)


class Lexer:
    """Splits cleaned text into tokens using the known quote spans and paren roles."""

    def __init__(self, text: str, spans: dict[int, tuple[int, bool]], group: set[int]):
        self.text, self.spans, self.group = text, spans, group
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        """Scan left to right; each loop turn starts at a word boundary."""
        text, i, after_neg = self.text, 0, False
        while i < len(text):
            ch, negated, after_neg = text[i], after_neg, False
            if ch.isspace():
                i += 1
            elif i in self.group:
                self.tokens.append(Token("LP" if ch == "(" else "RP", i))
                i += 1
            elif ch == "|":
                self.tokens.append(Token("OR", i))
                while i < len(text) and text[i] == "|":
                    i += 1
            elif i in self.spans:
                i = self._quoted(i)
            elif ch == "-" and not negated and self._can_negate(i):
                self.tokens.append(Token("NEG", i))
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
        """A quoted phrase (or a /pattern/) standing as its own word."""
        end, closed = self.spans[start]
        if self.text[start] == SLASH:
            self.tokens.append(_pattern_token(self.text, start, end, closed))
            return end
        inner = _quoted_inner(self.text, start, end, closed)
        if not inner and closed:
            raise syntax_error(
                "the quotes are empty; put the words to find between them",
                "引号里是空的，请在引号中写上要找的词",
                start,
            )
        if not inner:
            raise syntax_error(
                "the quote mark has nothing after it; remove it or add words",
                "引号后面没有内容，请删去引号或补上要找的词",
                start,
            )
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
                i = self.spans[i][0]  # quote inside a word: verbatim text
                continue
            i += 1
        raw = text[start:i].rstrip()  # an unclosed inner quote may end in spaces
        self.tokens.append(self.classify(raw, start, negated))
        return i

    def _quoted_filter(self, start: int, quote: int) -> int:
        """A filter whose value is quoted: city:"镇江市"."""
        end, closed = self.spans[quote]
        name = self.text[start : quote - 1].lower()
        value = _quoted_inner(self.text, quote, end, closed)
        self.tokens.append(Token("FILTER", start, name, value, self.text[start:end]))
        return end

    @staticmethod
    def classify(raw: str, pos: int, negated: bool) -> Token:
        """Keywords count only as whole capitalised words not preceded by '-'."""
        if raw in KEYWORDS and not negated:
            return Token(raw, pos, raw=raw)
        if not negated and _NEAR.match(raw):
            return _near_token(raw, pos)
        if is_wildcard(raw):
            return _checked_pattern(wildcard_pattern(raw), pos, raw, raw)
        match = _FILTER_TERM.fullmatch(raw)
        if match:
            return Token("FILTER", pos, match.group(1).lower(), match.group(2), raw)
        return _phrase_token(raw, pos, raw, False)


def tokenize(cleaned: str) -> list[Token]:
    """All three passes over text already passed through :func:`clean`."""
    spans = find_quotes(cleaned)
    group = ParenRoles(cleaned, spans).resolve()
    return Lexer(cleaned, spans, group).run()
