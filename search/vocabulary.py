"""The corpus vocabulary of the index's *words* field: suggestions and related terms.

The words field holds, per report, the jieba words of its text (search mode, HMM off: see
:mod:`search.analysis`). Its term list is the corpus vocabulary and each term's document
frequency the number of reports in which that word occurs *as a word* (where the segmenter
cut it out; a report may also hold the characters inside a longer word, which a search
counts and this does not).

* :func:`suggest` — words starting with what the user typed, most reports first.
* :func:`related` — words used in the sentences holding a query's hits in several of its top
  matching reports, weighed against how common they are in the whole corpus.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

from . import (
    matching,  # noqa: I001
    params,
)
from .analysis import accurate_tokens
from .errors import QueryError
from .ingest.normalize import normalize_query
from .snippets import sentence_around
from .stopwords import FUNCTION_WORDS, GENERIC_WORDS

__all__ = ["suggest", "related", "MAX_PREFIX", "SUGGEST_LIMIT", "RELATED_LIMIT"]

FIELD = "words"
MAX_PREFIX = 50
SUGGEST_LIMIT, MAX_SUGGEST_LIMIT = 10, 50
RELATED_LIMIT = 10
RELATED_REPORTS = 10  # top matching reports whose hit sentences are read
HITS_PER_REPORT = 10  # ... the sentences of their first hits
COMMON_SHARE = 0.5  # a word in more than this share of all reports is corpus-common
RELATED_CACHE = 512  # answers kept per snapshot


def suggest(engine, prefix: str, limit=SUGGEST_LIMIT) -> dict:
    """``{"prefix", "suggestions": [{"text", "reports"}]}``: corpus words starting with
    ``prefix`` (itself included when it is a word), by number of reports (most first),
    then by word."""
    limit = params.whole_number(limit, "limit", 1, MAX_SUGGEST_LIMIT, SUGGEST_LIMIT)
    given = (prefix or "").strip()
    if len(given) > MAX_PREFIX:
        raise QueryError(
            f"the prefix is {len(given)} characters long; the limit is {MAX_PREFIX}",
            f"前缀有 {len(given)} 个字符，最多 {MAX_PREFIX} 个",
        )
    key = normalize_query(given).lower()  # the field holds normalized, lowercased words
    if not key:
        raise QueryError("give a prefix to complete, e.g. 园区", "请给出要补全的前缀，例如 园区")
    reader = engine.snapshot.searcher().reader()
    found = []
    for term in reader.expand_prefix(FIELD, key):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        found.append((reader.doc_frequency(FIELD, text), text))
    found.sort(key=lambda x: (-x[0], x[1]))
    return {
        "prefix": given,
        "suggestions": [{"text": text, "reports": n} for n, text in found[:limit]],
    }


class _Answers:
    """A small LRU of related-terms answers, one per snapshot (see Snapshot.memo)."""

    def __init__(self, size: int = RELATED_CACHE):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def hit_sentences(report, phrases: list[str]) -> str:
    """The sentences holding a report's first HITS_PER_REPORT hits, one per line."""
    text = report.text
    hits = sorted((at, at + len(p)) for p in phrases for at in matching.find_all(text, p))[
        :HITS_PER_REPORT
    ]
    spans = sorted({sentence_around(text, a, b) for a, b in hits})
    return "\n".join(text[a:b] for a, b in spans)


def usable(word: str, phrases: list[str]) -> bool:
    """A content word of two or more letters (no digits, no punctuation), not a stop word
    and not part of (or containing) one of the query's own phrases."""
    if len(word) < 2 or not word.isalpha() or word in FUNCTION_WORDS or word in GENERIC_WORDS:
        return False
    return not any(word in p or p in word for p in phrases)


def related(snapshot, phrases: list[str], matches: list, limit: int = RELATED_LIMIT) -> list:
    """``[{"text", "reports"}]``: words of the sentences around the hits of ``matches`` (the
    matching reports, best first; the first RELATED_REPORTS are read).

    ``reports`` is the number of those reports using the word (a jieba word, accurate mode)
    in a sentence with a hit; a word must be used so in two of them (when two or more were
    read). Words rank by ``reports × ln(N / df)`` (df: the reports of the whole corpus using
    the word, from the words field), so words most reports use sink; words in more than half
    the corpus, the query's own phrases, stop words and numbers are left out.
    """
    top = matches[:RELATED_REPORTS]
    if not phrases or not top:
        return []
    key = (tuple(phrases), tuple(r.id for r in top), limit)
    answers = snapshot.memo("vocabulary.related", _Answers)
    known = answers.get(key)
    if known is not None:
        return known
    used: dict[str, int] = {}
    for report in top:
        for word in {w.lower() for w, _, _ in accurate_tokens(hit_sentences(report, phrases))}:
            used[word] = used.get(word, 0) + 1
    reader = snapshot.searcher().reader()
    total = max(1, reader.doc_count())
    least = min(2, len(top))
    scored = []
    known_df = snapshot.memo("vocabulary.df", dict)  # word -> reports using it (words field)
    for word, n in used.items():
        if n < least or not usable(word, phrases):
            continue
        df = known_df.get(word)
        if df is None:
            df = known_df[word] = reader.doc_frequency(FIELD, word)
        if df > COMMON_SHARE * total:
            continue
        scored.append((-n * math.log(total / max(1, df)), -n, word))
    scored.sort()
    answer = [{"text": word, "reports": -n} for _, n, word in scored[:limit]]
    answers.put(key, answer)
    return answer
