"""Candidate key phrases of one text: quoted terms, jieba words and recurring runs, counted exactly.

Proposals come from jieba's cut and the shape rules of :mod:`.rules`; each is then counted
with ``matching.find_all`` on the text and kept only if it reads as a term where it stands
(enough occurrences, on jieba's cuts, not always beside the same word).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from .. import matching
from ..analysis import accurate_tokens as tokens
from .maximal import after_number, maximal
from .rules import (
    _CJK_WORD,
    _EDGE_BAD,
    _NUMERAL,
    _QUOTED,
    _QUOTED_OK,
    _VERB_TAGS,
    FUNCTION_WORDS,
    MAX_NGRAM_WORDS,
    MIN_CHARS,
    MIN_COUNT,
    MIN_QUOTED,
    MIN_SHORT_COUNT,
    _ngram_ok,
    _quoted_ok,
    _stop,
    _word_ok,
    dictionary,
    tag_of,
)

#: Tags of a single character that may begin a term as a prefix: adjectives and
#: distinguishing words (新材料, 全社会, 大数据, 总部; not 去 of 去杠杆, nor 市 of X市Y).
_PREFIX_TAGS = frozenset(("a", "b"))


def candidates(text: str, keep: Callable[[str], bool] | None = None) -> dict[str, dict]:
    """Candidate key phrases of ``text``: phrase → ``{"count", "origin"}``, counts exact.

    ``origin`` is ``quoted``, ``word`` or ``ngram`` (the first that proposed it, in that
    order).  Only candidates with an exact count of at least :data:`MIN_COUNT`
    (:data:`MIN_QUOTED` for quoted terms) are returned, and a candidate whose every
    occurrence lies inside a longer candidate (same count) is dropped for the longer one.
    ``keep`` (a word or n-gram → bool; quoted terms are exempt) is a further test applied
    before that last step: the corpus's term boundaries (:mod:`.boundaries`).
    """
    entries = dictionary()
    cuts = tokens(text)
    after = {start: word for word, start, _ in cuts}  # the word starting at each cut
    before = {end: word for word, _, end in cuts}  # …and the word ending at it
    found = {}
    for term, origin in _proposals(text, cuts, entries).items():
        hits = matching.find_all(text, term)
        if len(hits) < _least(term, origin) or not _on_cuts(term, hits, after, before):
            continue
        if origin != "quoted":
            left, right = maximal(text, term, hits, after, before, entries)
            if left or right:  # a piece of a longer string here: the longer one, if a term
                term = text[hits[0] - left : hits[0] + len(term) + right]
                hits = matching.find_all(text, term)  # the same occurrences, counted exactly
                if term in found or not _reads_as_term(term, hits, after, before, entries):
                    continue
        if origin != "quoted" and after_number(text, term, hits):
            continue
        if not _cut_short(term, hits, after, before, entries) and (
            keep is None or origin == "quoted" or keep(term)
        ):
            found.setdefault(term, {"count": len(hits), "origin": origin})
    return _longest(found)


def _reads_as_term(term: str, hits: list[int], after: dict, before: dict, entries: dict) -> bool:
    """The shape rules of a proposal, for a maximal extension (磷酸 → 磷酸铁), on its own cut.

    A single leading character that is not grammar (新 of 新材料产业园, 全 of 全社会固定资产
    投资) joins the word after it: the extension grew over it because every occurrence has it.
    """
    words = [w for w, _, _ in tokens(term)]
    if not all(_CJK_WORD.fullmatch(w) for w in words):
        return False  # punctuation cannot be inside; digits/Latin make no n-gram either
    if len(words) > 1 and len(words[0]) == 1:
        if entries.get(words[0], ("n",))[0] in _PREFIX_TAGS:
            words[:2] = [words[0] + words[1]]
    ok = _word_ok(term, entries) if len(words) == 1 else _ngram_ok(tuple(words), entries)
    return ok and _on_cuts(term, hits, after, before)


def _proposals(text: str, cuts: list, entries: dict) -> dict[str, str]:
    """Quoted terms, jieba words and runs of words that pass the shape rules → origin."""
    proposed: dict[str, str] = {}
    for m in _QUOTED.finditer(text):
        term = m.group(1).strip()
        if _quoted_ok(term):
            proposed.setdefault(term, "quoted")
    grams: Counter = Counter()
    words: Counter = Counter()
    clause: list[str] = []
    for word, _, _ in [*cuts, ("。", 0, 0)]:  # a final stop flushes the last clause
        if _CJK_WORD.fullmatch(word):
            clause.append(word)
            words[word] += 1
            continue
        for i in range(len(clause)):
            for n in range(2, min(MAX_NGRAM_WORDS, len(clause) - i) + 1):
                grams[tuple(clause[i : i + n])] += 1
        clause.clear()
    for word in words:
        if _word_ok(word, entries):
            proposed.setdefault(word, "word")
    for gram, n in grams.items():
        # A run seen once as words may still occur twice in the text (cut differently
        # elsewhere); but a run jieba saw only once is rarely a term, and counting every
        # such run would cost more than it finds.
        if n >= MIN_COUNT and _ngram_ok(gram, entries):
            proposed.setdefault("".join(gram), "ngram")
    return proposed


def _longest(found: dict[str, dict]) -> dict[str, dict]:
    """Drop a term that only occurs inside a longer candidate (equal exact counts)."""
    covered = set()
    for term, info in found.items():
        for size in range(2, len(term)):
            for i in range(len(term) - size + 1):
                part = term[i : i + size]
                if part in found and found[part]["count"] == info["count"]:
                    covered.add(part)
    return {t: info for t, info in found.items() if t not in covered}


def _least(term: str, origin: str) -> int:
    """Exact occurrences a candidate needs: quoted terms once; short words more often."""
    if origin == "quoted":
        return MIN_QUOTED
    return MIN_COUNT if len(term) >= MIN_CHARS else MIN_SHORT_COUNT


def _on_cuts(term: str, hits: list[int], starts: dict, ends: dict) -> bool:
    """True if at least half of the occurrences start and end where jieba cuts the text.

    ``starts``/``ends``: offsets where a jieba word starts/ends.  A string that mostly
    begins or ends inside a word (能源汽车 in 新能源/汽车) is a piece of something else.
    """
    aligned = sum(1 for at in hits if at in starts and at + len(term) in ends)
    return aligned > 0 and 2 * aligned >= len(hits)


def _cut_short(
    term: str, hits: list[int], after: dict[int, str], before: dict[int, str], entries: dict
) -> bool:
    """True if every occurrence has the same content word next to it: the term is longer.

    旅游市场综合 always followed by 整治, 筑牢中华民族共同体 by 意识, 综合试验区核心区 always
    after 数据: a piece of a longer name.  Punctuation, a function or generic word after it
    (的, 制度, 项目) and a verb, numeral or measure word before it (举办, 推进, 4 类) do not
    count: 国家公务员制度 and 举办三亚国际花卉旅游节 leave the term whole.
    """
    if len(hits) < 2:
        return False
    right = {after.get(at + len(term)) for at in hits}
    left = {before.get(at) for at in hits}
    if len(right) == 1:
        word = right.pop()
        if word and _QUOTED_OK.fullmatch(word) and not _stop(word) and not _NUMERAL.fullmatch(word):
            return True
    if len(left) == 1:
        word = left.pop()
        tag = tag_of(word, entries) if word else None
        if (
            word
            and _CJK_WORD.fullmatch(word)
            and word not in FUNCTION_WORDS
            and tag not in _VERB_TAGS
            and tag not in _EDGE_BAD
            and tag != "vn"
        ):
            return True
    return False
