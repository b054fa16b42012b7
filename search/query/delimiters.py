"""Passes 1a and 1b of the lexer: which quotes, slashes and parentheses are syntax.

Whether a character is syntax depends on its neighbours: a quote or a ``/`` opens a phrase or
pattern only at a word start (:func:`find_quotes`); a parenthesis groups only at a word edge,
which can depend on another pair (:class:`ParenRoles`). Elsewhere they are ordinary text, so
pasted report text such as “…” or ``1/2`` is searched as written.
"""

from __future__ import annotations

import re

from .errors import syntax_error

__all__ = ["FILTER_NAMES", "FILTER_PREFIX", "SLASH", "find_quotes", "ParenRoles"]

#: The filter names of the search box (``city:镇江``); a quote may open after ``city:``.
FILTER_NAMES = ("city", "prefecture", "province", "year", "section", "min")
FILTER_PREFIX = re.compile(rf"(?:{'|'.join(FILTER_NAMES)}):\Z", re.I)
SLASH = "/"
_QUOTES = {'"': '"', "“": "”"}


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
    match = FILTER_PREFIX.search(text, 0, i)
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
