"""Is a candidate whole in its own report? The characters around all its occurrences say.

A phrase every one of whose occurrences in *this* report has the same character before it
(去 before 杠杆, 民营 before 经济转型升级) or after it (铁 after 磷酸) is not a maximal repeat of
the report: it is a piece of a longer string, and a reader of the diff sees that piece cut out
of a name. Extending it while every occurrence agrees gives its maximal extension, which has
the same exact count (every occurrence of the extension holds one of the phrase, and every
occurrence of the phrase is extended). The candidate gives way to that extension when the
extension reads as a term (the same shape rules as any proposal), and is dropped otherwise
(杠杆 → 去杠杆 is no n-gram of the rules: dropped; 磷酸 → 磷酸铁 is: replaced).

Only grammar ends a side early: punctuation, digits, Latin letters and text ends (not CJK),
particles and conjunctions (的, 和, 等 …), single-character grammar verbs and localisers (达,
占, 在, 中, 内 …) and measure words after a number (20 所) — and, on the left, a jieba word of
two or more characters that is a verb, adverb, preposition or generic verb (推进 园区整合,
大力发展 …), on the right a generic or function word (… 建设, … 工作) unless the same name goes
on behind it (定西绿色 发展 讲堂). Different jieba words on one side leave it open even when
they end in the same character (工业园区 / 园区 before 石材产业园). These are fewer exceptions
than the word-level rule of :func:`.candidates._cut_short`, which lets any single verb,
adjective, numeral or measure word before a phrase pass (去/杠杆, 新/材料产业园 slipped through).
A single adjective or distinguishing character that every occurrence has in front (新, 全, 大)
joins the term (新材料产业园, 全社会固定资产投资); a verb does not (去杠杆 is dropped with
杠杆). And a phrase right after a digit at every occurrence opens with the number's unit
(103 线兰白…): no term.
"""

from __future__ import annotations

from ..stopwords import FUNCTION_WORDS, GENERIC_WORDS
from .rules import _CJK_WORD, _NUMERAL, OPEN_CHARS, tag_of

#: Tags of a (two or more character) jieba word before a phrase that leave it whole.
_OPEN_LEFT_TAGS = frozenset("v vd vi vg d p c r m q f t ad".split())
#: …and of a single-character word before it: numerals, measures, prepositions, pronouns.
_OPEN_SINGLE_TAGS = frozenset("p c r m q f mq u uj".split())


def _closes(char: str, word: bool = False) -> bool:
    """A character that, beside every occurrence, makes the phrase a piece of a longer one;
    ``word``: it begins (ends) a longer jieba word there, so grammar characters close too."""
    return bool(char) and bool(_CJK_WORD.fullmatch(char)) and (word or char not in OPEN_CHARS)


def _shared(text: str, hits: list[int], offset: int) -> str:
    """The one character at ``at + offset`` for every hit, or "" when they differ or run out."""
    chars = {text[at + offset] if 0 <= at + offset < len(text) else "" for at in hits}
    return chars.pop() if len(chars) == 1 else ""


def _grow(text: str, hits: list[int], start: int, step: int, word: bool) -> int:
    """Characters every occurrence shares from ``start`` on (``step`` ±1), up to 12."""
    n = 0
    while n < 12 and _closes(_shared(text, hits, start + n * step), word and n == 0):
        n += 1
    return n


def after_number(text: str, term: str, hits: list[int]) -> bool:
    """True if every occurrence directly follows a digit: the phrase opens with the unit or
    suffix of a number (省道 103 线 …: 线兰白沿黄快速通道 is no term)."""
    return bool(_CJK_WORD.match(term)) and all(at > 0 and text[at - 1].isdigit() for at in hits)


def _counted(text: str, at: int) -> bool:
    """True if a digit or Chinese numeral stands at ``at`` (the measure word after it is
    grammar)."""
    return at >= 0 and bool(_NUMERAL.fullmatch(text[at]))


def open_left(word: str, entries: dict) -> bool:
    """A word before the phrase that may precede any term: a verb, adverb or preposition of
    two or more characters, or a set phrase ending in a generic verb (推进, 加快, 通过, 建设,
    大力发展), or a single numeral, measure word, preposition or pronoun (20 所, 对, 该). A noun
    does not, generic or not (规划 展览馆, 高原 特色农产业), nor a single verb or adjective (去
    杠杆, 大 数据)."""
    tag = tag_of(word, entries)
    if len(word) == 1:  # 去 is a function word, but 去杠杆 is one term
        return word in OPEN_CHARS or tag in _OPEN_SINGLE_TAGS
    if word in FUNCTION_WORDS:
        return True
    tail = tag_of(word[-2:], entries)
    return (
        tag in _OPEN_LEFT_TAGS
        or (word in GENERIC_WORDS and tag == "vn")  # 建设 智慧城市
        or (len(word) > 2 and word[-2:] in GENERIC_WORDS and tail in ("v", "vn"))  # 大力发展
    )


def open_right(word: str) -> bool:
    """A word of two or more characters after the phrase that may follow any term (建设,
    工作, 项目, 以来): the phrase's right side stays open."""
    return len(word) > 1 and (word in GENERIC_WORDS or word in FUNCTION_WORDS)


def maximal(
    text: str, term: str, hits: list[int], after: dict, before: dict, entries: dict
) -> tuple[int, int]:
    """(left, right) characters every occurrence shares beyond ``term`` — (0, 0) when it is
    maximal in ``text``. ``after``/``before``: the jieba word starting/ending at each offset.
    Where jieba cuts beside every occurrence the neighbouring *words* decide the first step:
    different words leave the side open (工业园区 / 园区 before 石材产业园 share only 区);
    one word opens it when it is grammar (:func:`open_left`, :func:`open_right`) and closes
    it otherwise, even if it begins with a grammar character (有 of 有机, 增 of 增加值)."""
    if len(hits) < 2:
        return 0, 0  # one occurrence has no repeat to be a piece of
    sides = []
    for words, opens, start, step in (
        ({before.get(at) for at in hits}, lambda w: open_left(w, entries), -1, -1),
        ({after.get(at + len(term)) for at in hits}, open_right, len(term), 1),
    ):
        word = next(iter(words)) if len(words) == 1 else None
        if len(words) > 1 and None not in words:
            sides.append(0)  # different words on this side: it branches
        elif word and _CJK_WORD.fullmatch(word) and opens(word):
            # …unless the same name goes on behind a generic word (定西绿色 发展 讲堂)
            beyond = 0 if step < 0 else _grow(text, hits, start + len(word), step, False)
            sides.append(_grow(text, hits, start, step, True) if beyond else 0)
        elif step < 0 and word and len(word) == 1 and all(_counted(text, at - 2) for at in hits):
            sides.append(0)  # 20 所, 十 条: a measure word after a number
        else:
            long = bool(word) and len(word) > 1 and bool(_CJK_WORD.fullmatch(word))
            sides.append(_grow(text, hits, start, step, long))
    return sides[0], sides[1]
