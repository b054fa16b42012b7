"""Is a candidate a whole term or a piece of a longer one? Its neighbours across the corpus say.

Within one report a phrase used twice says little about where it ends; the whole corpus says
more. A term stands between *varied* neighbours — 园区整合 is followed by 的, 工作, 、, 提升 …
— while a piece of a longer name has one neighbour nearly always: 旅游市场综合 is followed
by 整治, 经镇沅景东至 by 楚, 数据国家工程实验室 preceded by 大 (大数据). This is the
accessor-variety / branching-entropy idea of unsupervised word segmentation (Feng et al.
2004; Jin & Tanaka-Ishii 2006), read off the index's suffix arrays: the occurrences of a
phrase in every report are one range of the suffix array, and the characters around them
are read from the report store's codes.

A side is **closed** when one character follows (precedes) at least :data:`DOMINANT` of the
phrase's corpus occurrences, and at least two of them. Punctuation, digits, Latin letters and
the ends of texts are each a distinct context, and so are grammar that may follow or precede
any term: particles and conjunctions (的, 和, 等 …), a generic word after (建设, 项目, 制度:
美丽普洱 before 建设 is still a term), a verb, adverb, numeral or measure word before
(推进, 4 类). A candidate closed on either side is a fragment and gives way to the longer
candidates that hold it. Quoted terms are exempt: their quotes are their boundary.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from ..analysis import accurate_tokens as tokens
from ..reportstore import CODES
from ..stopwords import FUNCTION_WORDS, GENERIC_WORDS
from .rules import _CJK_WORD, PARTICLES, tag_of

#: Share of a phrase's corpus occurrences one neighbouring character must reach to close a
#: side ("nearly always"; below it the neighbours vary).
DOMINANT = 0.8
#: Occurrences read per phrase: a frequent phrase is judged on an even sample of its suffix
#: range (its neighbours' shares, not their exact counts, are what matter).
SAMPLE = 400
#: Single characters that may follow a term anywhere: particles and conjunctions.
OPEN_AFTER = PARTICLES
#: Tags of a word before a term that leave the term whole: verbs, adverbs, prepositions,
#: numerals, measure words, pronouns, conjunctions, particles, localisers.
_OPEN_BEFORE_TAGS = frozenset("v vd vi vg d p m q r c u uj f mq".split())
#: A term ends on a word that can end a noun phrase: one followed by punctuation, a particle
#: or a text's end in at least this share of its corpus occurrences, unless it is a noun.
#: 综合 (0.5 %), 危险 (6 %) are modifiers waiting for their head; 整合 (30 %) ends terms.
MIN_END_SHARE = 0.05
#: Tags of a last word taken as a head whatever its neighbours: nouns, names, abbreviations.
NOUN_HEADS = frozenset("n nz nt nr ns nw j l i eng".split())
MIN_END_EVIDENCE = 20  # corpus occurrences of a last word needed to judge it
#: A first word that scopes what follows to the speaker's place (全省危险废弃物, 我市旅游):
#: the term is what follows.
SCOPE = re.compile("[全本我该各][省市区县州镇乡]")


class Neighbours:
    """The characters around every corpus occurrence of a phrase, from one snapshot.

    The occurrences come from :meth:`~search.query.suffixes.SuffixIndex.positions`; the
    neighbouring codes are gathered from a read-only memory map of ``codes.u16`` — a few hundred scattered reads per
    phrase, which ``pread`` one by one would make ~10× slower. Its pages are file-backed and
    shared through the page cache."""

    def __init__(self, snapshot):
        generation = snapshot.store.generation
        self.suffixes = snapshot.suffixes
        self.codes = np.memmap(generation / CODES, dtype=">u2", mode="r")
        self.chars = self.suffixes.alphabet  # code → code point (0: gap)
        # Per code: is it a CJK character (content), and may it follow any term (open)?
        shown = [chr(p) if c else "" for c, p in enumerate(self.chars)]
        self.content = np.array([_content(ch) for ch in shown], bool)
        self.opens = ~self.content | np.array([ch in OPEN_AFTER for ch in shown], bool)
        self.ends: dict[str, bool] = {}  # word → whether it can end a phrase (cached)

    def positions(self, phrase: str) -> np.ndarray:
        """Global code offsets of (up to :data:`SAMPLE`, evenly drawn) corpus occurrences."""
        every = self.suffixes.positions(phrase)
        if len(every) > SAMPLE:
            every = every[np.linspace(0, len(every) - 1, SAMPLE).astype(np.int64)]
        return every

    def around(self, phrase: str) -> tuple[np.ndarray, np.ndarray]:
        """The two codes before and after each occurrence, one row each; code 0 where a text
        ends (the report separator ends them)."""
        at = self.positions(phrase)
        end = len(self.codes) - 1
        left = np.array(self.codes[np.clip(at[:, None] + np.array([-2, -1]), 0, end)])
        right = np.array(self.codes[np.clip(at[:, None] + np.array([0, 1]) + len(phrase), 0, end)])
        left[at < 2, 0] = 0  # before the corpus start
        left[left[:, 1] == 0, 0] = 0  # a report separator right before: nothing further
        right[right[:, 0] == 0, 1] = 0  # …and after
        return left.reshape(-1, 2), right.reshape(-1, 2)

    def words(self, pairs: np.ndarray, entries: dict, last: bool) -> Counter:
        """How often each word (:func:`_word`) stands in the rows of two codes."""
        keys = pairs[:, 0].astype(np.int64) << 16 | pairs[:, 1]
        unique, counts = np.unique(keys, return_counts=True)
        chars, out = self.chars, Counter()
        for key, n in zip(unique.tolist(), counts.tolist()):
            pair = "".join(chr(chars[c]) for c in (key >> 16, key & 0xFFFF) if c)
            out[_word(pair, entries, last)] += n
        return out

    def can_end(self, word: str) -> bool:
        """False for a word that, across the corpus, almost never ends a phrase (综合)."""
        known = self.ends.get(word)
        if known is None:
            first = self.around(word)[1][:, 0]
            known = len(first) < MIN_END_EVIDENCE or self.opens[first].mean() >= MIN_END_SHARE
            if len(self.ends) > 100_000:
                self.ends.clear()
            self.ends[word] = known
        return known

    def closed(self, pairs: np.ndarray, entries: dict, last: bool) -> str | None:
        """The one word beside nearly every occurrence (the touching character's column of
        ``pairs`` first: when no character dominates, no word does), or None."""
        touching = pairs[:, 1 if last else 0]
        counts = np.bincount(touching)
        top = int(counts.argmax())
        if counts[top] < max(2, DOMINANT * len(touching)) or not self.content[top]:
            return None
        word, n = self.words(pairs[touching == top], entries, last).most_common(1)[0]
        return word if n >= DOMINANT * len(touching) else None


def _word(pair: str, entries: dict, last: bool) -> str:
    """The word next to a phrase: both characters when they are a dictionary word (工业 before
    增加值), else the one character touching the phrase (大 of 首个大)."""
    if len(pair) == 2 and (pair in entries or pair in GENERIC_WORDS):
        return pair
    return pair[-1:] if last else pair[:1]


def _content(char: str) -> bool:
    return bool(char) and bool(_CJK_WORD.fullmatch(char))


def closed_after(word: str | None) -> bool:
    """A word after that makes the phrase a piece (经镇沅景东至 → 楚雄), not grammar or a
    generic word a term may take (的, 建设, 项目)."""
    return bool(word) and not (
        word in OPEN_AFTER or word in GENERIC_WORDS or word in FUNCTION_WORDS
    )


def closed_before(word: str | None, entries: dict) -> bool:
    """A word before that makes the phrase a piece (大 → 数据国家工程实验室), not a verb,
    adverb, numeral, measure or generic word that may precede any term (推进, 4 类)."""
    if not word or word in GENERIC_WORDS or word in FUNCTION_WORDS:
        return False
    return tag_of(word, entries) not in _OPEN_BEFORE_TAGS


def fragment(neighbours: Neighbours, phrase: str, entries: dict) -> bool:
    """True if ``phrase`` is, across the corpus, a piece of a longer string: nearly always
    beside one word, ending on a word that does not end phrases, or opening with a scope
    word."""
    words = [w for w, _, _ in tokens(phrase)]
    if len(words) > 1 and SCOPE.fullmatch(words[0]):
        return True
    before, after = neighbours.around(phrase)
    if len(before) >= 2 and (
        closed_after(neighbours.closed(after, entries, last=False))
        or closed_before(neighbours.closed(before, entries, last=True), entries)
    ):
        return True
    last = words[-1] if len(words[-1]) > 1 else phrase[-2:]  # 详/规: judge 详规
    if entries.get(last, ("x",))[0] in NOUN_HEADS:
        return False  # a noun ends a term even where it often modifies (污染物排放)
    return not neighbours.can_end(last)
