"""Pass 1 of the parser: search-box text → tokens.

Three small passes over the cleaned text, because whether a character is syntax depends on
its neighbours: the first two (:mod:`search.query.delimiters`) find the quotes and slashes
that open a phrase or pattern and the parentheses that group; then :class:`Lexer` cuts words,
keywords, filters and operators. Token kinds are listed in :data:`TOKEN_KINDS`; to add an
operator, add its kind there, teach :meth:`Lexer.classify` (a word) or :meth:`Lexer.run`
(a symbol) to emit it, and give the parser a rule for it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .delimiters import FILTER_NAMES, FILTER_PREFIX, SLASH, ParenRoles, find_quotes
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
_NEAR = re.compile(r"NEAR(?:/(.*))?\Z", re.S)
_NEAR_ARG = re.compile(r"(\d{1,4}|s|p)\Z")

_FILTER_TERM = re.compile(rf"({'|'.join(FILTER_NAMES)}):(.*)\Z", re.I | re.S)


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
    matched = _NEAR.match(raw)
    assert matched is not None  # the caller only hands over words that start with NEAR
    arg = matched.group(1)
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
                if FILTER_PREFIX.fullmatch(text[start:i]):
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
