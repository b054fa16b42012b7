"""Key phrases of a report: candidate terms from its text, scored against the rest of the corpus.

Candidates (:func:`candidates`) come from three sources, all read off the normalized text:

* **quoted** terms — reports put slogans and programme names in quotes (“四群八链”,
  “智改数转网联”), so the content of a “…” pair of 2-12 characters is a candidate even if
  used once;
* **words** — jieba words (accurate mode, HMM off: the same string always cuts the same way)
  of two or more characters;
* **n-grams** — runs of 2-5 adjacent words inside one clause (no punctuation between),
  3-10 characters long, that recur: jieba has no entry for coined policy terms and cuts them
  into pieces (园区/整合, 无/废/城市, 四/群/八/链), so the recurring run is the term.

A stop list removes function words, generic government vocabulary (发展, 建设, 推进, 加快,
全面, 工作 …), numbers and place names; an n-gram may not begin or end with a function word or
a generic verb (so 推进园区整合 and 园区整合的 give way to 园区整合). A candidate that only
ever occurs inside a longer candidate (same exact count) gives way to the longer one
(四群八 → 四群八链).  A candidate must also read as a term where it stands: two-character
words need three occurrences, most occurrences must start and end on jieba's cuts, and a
phrase always followed (or preceded) by the same content word is a piece of a longer name —
and, stricter (:mod:`.maximal`), one with the same character beside every occurrence gives way
to its maximal extension in the report when that reads as a term, else is dropped (磷酸 →
磷酸铁; 杠杆 of 去杠杆 dropped).
Across the whole corpus too (:mod:`.boundaries`, read off the index's suffix arrays): a word
or n-gram nearly always beside one word (经镇沅景东至 before 楚雄), ending on a word that
almost never ends a phrase (旅游市场综合) or opening with a scope word (全省危险废弃物) is a
fragment, not a term.

Modules: :mod:`.rules` (stop lists, shape rules), :mod:`.candidates` (one text),
:mod:`.maximal` (whole in its own report),
:mod:`.boundaries` (corpus neighbours), :mod:`.corpus` (df, TF-IDF, top-k, caches).

Every count is ``matching.count(report.text, phrase)`` — the exact, non-overlapping substring
count the search engine reports — and candidates are kept when that count is at least
:data:`MIN_COUNT` (quoted terms: at least 1).

Scoring is TF-IDF against the corpus of the current index snapshot::

    score = count × ln((N + 1) / df)

with ``count`` the exact count in the report, ``N`` the number of reports in the snapshot and
``df`` the exact number of reports whose text contains the phrase (``matching.contains``; the
report itself included, so ``df ≥ 1``).  A phrase every report uses scores almost nothing; a
phrase only this report uses scores ``count × ln(N + 1)``.  See docs/trends.md.

Document frequencies are exact but cheap: the index's *exact* field holds every character
bigram of every section, so the reports holding the phrase's rarest bigrams are a superset
of those holding the phrase, and only those texts are scanned.  Results are cached per index
generation (:func:`corpus_stats`), so a rebuilt index gets fresh numbers.
"""

from __future__ import annotations

from ..analysis import accurate_tokens as tokens
from ..stopwords import FUNCTION_WORDS, GENERIC_WORDS
from .candidates import candidates
from .corpus import CorpusStats, corpus_stats, key_phrases
from .rules import (
    GENERAL_FREQUENCY,
    MAX_NGRAM_WORDS,
    MIN_CHARS,
    MIN_COUNT,
    MIN_QUOTED,
    MIN_SHORT_COUNT,
    NGRAM_CHARS,
    NOUN_TAGS,
    QUOTED_CHARS,
    SUFFIX_CHARS,
    dictionary,
    place_names,
)

__all__ = [
    "FUNCTION_WORDS",
    "GENERAL_FREQUENCY",
    "GENERIC_WORDS",
    "MAX_NGRAM_WORDS",
    "MIN_CHARS",
    "MIN_COUNT",
    "MIN_QUOTED",
    "MIN_SHORT_COUNT",
    "NGRAM_CHARS",
    "NOUN_TAGS",
    "QUOTED_CHARS",
    "SUFFIX_CHARS",
    "CorpusStats",
    "candidates",
    "corpus_stats",
    "dictionary",
    "key_phrases",
    "place_names",
    "tokens",
]
