"""Chinese text analysis for govsearch: two views of one text, and the queries that read them.

Whoosh turns text into index terms with a pipeline.  A *tokenizer* cuts a string into a
stream of :class:`~whoosh.analysis.Token` objects; *filters* rewrite or drop tokens from that
stream; an *analyzer* is the two composed with ``|``::

    analyzer = WordTokenizer() | LowercaseFilter()
    [t.text for t in analyzer("推进园区整合,G312")]

Whoosh calls the analyzer with keyword flags (``positions``, ``chars``, ``start_pos``,
``start_char``, ``mode``, ``removestops``, ``tokenize``) and reads only the Token attributes
the flags ask for (``text, pos, startchar, endchar, boost``).  For speed a tokenizer yields the
*same* Token object over and over, so consumers copy attributes and never keep tokens.

Whoosh pickles the schema -- analyzers included -- into the index's table of contents, and
unpickles it whenever the index is opened.  So everything here is a module-level class holding
plain data only: no lambdas, no closures, no backend objects (the segmenter is looked up by
name on every call, so an index built with rjieba still opens where only jieba is installed).

Two views are indexed for every text:

*words* (:func:`word_analyzer`) -- jieba in search mode, HMM off, so segmentation is a pure
function of the dictionary.  Positions are **sequential in emission order**, the way Whoosh
expects: ``Phrase`` (slop 1) matches words whose positions differ by exactly one.  The
obvious ``jieba.analyse.ChineseAnalyzer`` gets this wrong: it stores the *character offset*
as ``pos``, so the adjacent words 园区 (offset 0) and 整合 (offset 2) sit two positions apart
and a phrase query for 园区整合 misses (tests/test_analysis.py measures it: 0 of the 3
paragraphs of corpus/001 containing 园区整合 are found).  This view is for ranking; its
recall depends on how jieba happens to cut the surrounding text.

*exact* (:func:`exact_analyzer`) -- recall independent of segmentation.  Every CJK character
is indexed as a unigram at its character offset, and, when the next character is also CJK,
the bigram starting there at the same position.  So any CJK run of n ≥ 3 characters occurs
in a text exactly when its n-1 bigrams occur at consecutive positions, which is what a Whoosh
``Phrase`` tests.  Runs of ASCII letters/digits become one lowercased
token each, so Latin matching is by whole run: ``G312`` finds ``g312`` but ``G31`` does not.

Segmentation (which backend, jieba or rjieba, and how each is called) is
:mod:`search.segment`; its names are re-exported here for the callers that import them.
"""

from __future__ import annotations

import operator
import re
from array import array
from collections import Counter
from collections.abc import Iterator
from typing import Any

from whoosh import formats
from whoosh.analysis import LowercaseFilter, Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.query import And, Query, Term
from whoosh.system import pack_uint

from .cjk import CJK_CHARS, is_cjk
from .segment import accurate_tokens, default_backend, is_word, search_words, segmenter

__all__ = [
    "CJK_CHARS",
    "CountedText",
    "exact_counts",
    "exact_terms",
    "exact_terms_query",
    "PackedCounts",
    "pack_counts",
    "term_counts",
    "word_counts",
    "ExactTokenizer",
    "WordTokenizer",
    "exact_analyzer",
    "exact_grams",
    "exact_pieces",
    "is_cjk",
    "segmenter",
    "accurate_tokens",
    "default_backend",
    "word_analyzer",
]

# A run is either all-CJK or all-ASCII-alnum; everything else only separates runs.
_RUN = re.compile(f"[{CJK_CHARS}]+|[A-Za-z0-9]+")

# Tokenizers


def _fill(t: Token, text: str, pos: int, startchar: int, endchar: int, original: bool):
    """Reuse the one Token, as Whoosh tokenizers do, setting only what was asked for."""
    t.text = text
    t.boost = 1.0
    t.stopped = False
    if original:
        t.original = text
    if t.positions:
        t.pos = pos
    if t.chars:
        t.startchar = startchar
        t.endchar = endchar
    return t


class _SpanTokenizer(Tokenizer):
    """Shared Whoosh tokenizer protocol: flags in, one reused Token out."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # tokenize=False: Whoosh wants the value as one term (e.g. range query endpoints).
        spans = self.spans(value) if tokenize else [(value, 0, 0, len(value))]
        for text, pos, start, end in spans:
            yield _fill(
                t, text, start_pos + pos, start_char + start, start_char + end, keeporiginal
            )

    def spans(self, value: str) -> Iterator[tuple[str, int, int, int]]:
        """Yield ``(text, pos, start, end)`` relative to the start of ``value``."""
        raise NotImplementedError


class WordTokenizer(_SpanTokenizer):
    """jieba words (search mode, HMM off) at sequential positions 0, 1, 2, ...

    Search mode also emits the dictionary sub-words of a long word, just before it
    (中华, 华人, 人民, 共和, 共和国, 中华人民共和国), so a query for a part still hits.
    They get positions of their own, in emission order: a query analysed the same way
    produces the same sequence, so phrases over it still line up.
    """

    def __init__(self, backend: str = "auto"):
        self.backend = backend

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.backend == other.backend

    def spans(self, value):
        words = (s for s in segmenter(self.backend)(value) if is_word(s[0]))
        for pos, (word, start, end) in enumerate(words):
            yield word, pos, start, end


def exact_grams(text: str) -> Iterator[tuple[str, int]]:
    """Yield the exact view's ``(term, char offset)`` pairs, before lowercasing.

    The unigram and bigram starting at one offset share that offset, so the bigrams of any
    phrase are at consecutive offsets whatever the segmentation.
    """
    for match in _RUN.finditer(text):
        run, offset = match.group(), match.start()
        if not is_cjk(run[0]):
            yield run, offset
            continue
        for i in range(len(run)):
            yield run[i], offset + i
            if i + 1 < len(run):
                yield run[i : i + 2], offset + i


class ExactTokenizer(_SpanTokenizer):
    """CJK unigrams and bigrams, and whole ASCII alnum runs, at character offsets.

    Several tokens share one position; Whoosh stores positions per term, so that is fine.
    """

    def spans(self, value):
        for gram, offset in exact_grams(value):
            yield gram, offset, offset, offset + len(gram)


# Analyzers


def word_analyzer():
    """The *words* view: for ranking, and for phrase queries over jieba words."""
    return WordTokenizer() | LowercaseFilter()


def exact_analyzer():
    """The *exact* view: for substring recall independent of segmentation."""
    return ExactTokenizer() | LowercaseFilter()


# Queries


def exact_pieces(text: str) -> list[str]:
    """Split a query into the runs the exact view can match: CJK runs, lowercased Latin runs.

    Everything between runs (punctuation, spaces) is dropped, so pieces say nothing about
    how they are separated; callers who need "text occurs verbatim" must check the stored
    text.
    """
    return [run.lower() for run in _RUN.findall(text)]


_LATIN = re.compile("[A-Za-z0-9]+")
_NON_CJK = re.compile(f"[^{CJK_CHARS}]+")


def exact_counts(text: str) -> Counter:
    """Term frequencies of the exact view, equal to counting :func:`exact_analyzer` tokens.

    Whole-text ``Counter``s, which count in C: every stretch of non-CJK characters becomes
    one ``\\n``, then characters and adjacent pairs (``map(operator.add, t, t[1:])``) are
    counted and the few keys holding the separator dropped, once per distinct character.
    Latin runs (disjoint from CJK, so the same runs ``_RUN`` finds) are counted lowercased.
    ~1.4× faster than a loop per run and ~20× faster than a token stream, which matters for
    20 M characters of reports.
    """
    joined = _NON_CJK.sub("\n", text)
    counts: Counter = Counter(joined)
    counts.pop("\n", None)
    if len(joined) > 1:
        pairs = Counter(map(operator.add, joined, joined[1:]))
        drop = pairs.pop
        drop("\n\n", None)
        for char in counts:
            drop(char + "\n", None)
            drop("\n" + char, None)
        dict.update(counts, pairs)  # keys are disjoint: no sums needed
    latin = _LATIN.findall(text)
    if latin:
        dict.update(counts, Counter(map(str.lower, latin)))
    return counts


#: segment -> its words-view term ("" for punctuation/space), remembered across texts.
_WORD_TERMS: dict[str, str] = {}
_WORD_TERMS_LIMIT = 1 << 20


def word_counts(text: str, backend: str = "auto") -> Counter:
    """Term frequencies of the words view, equal to counting :func:`word_analyzer` tokens.

    Raw segments are counted in C first; ``is_word`` and lowercasing then run once per
    distinct segment (and are remembered across texts), merging segments that lowercase
    alike.
    """
    words = search_words(backend)
    known = _WORD_TERMS
    if len(known) > _WORD_TERMS_LIMIT:
        known.clear()
    lookup = known.get
    counts: Counter = Counter()
    get = counts.get
    for word, n in Counter(words(text)).items():
        term = lookup(word)
        if term is None:
            term = known[word] = word.lower() if is_word(word) else ""
        if term:
            counts[term] = get(term, 0) + n
    return counts


_COUNTERS = {"exact": exact_counts, "words": word_counts}


def term_counts(view: str, text: str) -> dict[str, int]:
    """The term frequencies a :class:`CountedText` field of ``view`` indexes for ``text``."""
    return _COUNTERS[view](text)


class PackedCounts:
    """Term frequencies in two flat buffers: NUL-joined UTF-8 terms and uint32 frequencies.

    Pickles as two bytes objects instead of a dict of many small strings, so counts made in
    the ingest worker processes cost the index writer little to receive. It is a mapping
    as far as :class:`CountedText` is concerned (``items()``); a writer may instead read
    ``terms()`` (the encoded terms) and ``freqs`` directly.
    """

    __slots__ = ("blob", "freqs")

    def __init__(self, blob: bytes, freqs: bytes):
        self.blob = blob
        self.freqs = freqs

    def __getstate__(self):
        return self.blob, self.freqs

    def __setstate__(self, state):
        self.blob, self.freqs = state

    def terms(self) -> list[bytes]:
        return self.blob.split(b"\0") if self.blob or self.freqs else []

    def frequencies(self) -> array:
        return array("I", self.freqs)

    def items(self):
        return zip((t.decode("utf-8") for t in self.terms()), self.frequencies())

    def __len__(self):
        return len(self.freqs) // 4

    def __eq__(self, other):
        if isinstance(other, PackedCounts):
            return dict(self.items()) == dict(other.items())
        return NotImplemented


def pack_counts(counts: dict[str, int]) -> PackedCounts | dict[str, int]:
    """:class:`PackedCounts` of ``counts``, or ``counts`` itself if a term holds a NUL."""
    blob = "\0".join(counts).encode("utf-8")
    if blob.count(b"\0") != max(len(counts) - 1, 0):
        return counts
    return PackedCounts(blob, array("I", counts.values()).tobytes())


class CountedText(TEXT):
    """A TEXT field (term frequencies, no positions) indexed from a precomputed Counter.

    Whoosh's ``Format.word_values`` walks one Token per term occurrence in Python; for the
    exact view that is two tokens per character.  Counting the same terms in C first and
    handing Whoosh one entry per distinct term keeps the index identical and the build
    several times faster. ``counter`` names the view ("exact" or "words"), so the field
    pickles with the schema by name.

    The value is the text, or a mapping term -> frequency already counted with
    :func:`term_counts` (e.g. in the ingest worker processes).
    """

    def __init__(self, counter: str, field_boost: float = 1.0):
        analyzer = exact_analyzer() if counter == "exact" else word_analyzer()
        super().__init__(analyzer=analyzer, phrase=False, field_boost=field_boost)
        self.counter = counter
        self.format = formats.Frequency(field_boost=field_boost)

    def counts(self, value) -> dict[str, int]:
        """Term frequencies of ``value``: counted if it is text, as given if a mapping."""
        if isinstance(value, str):
            return _COUNTERS[self.counter](value)
        return value

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        for term, freq in self.counts(value).items():
            yield term.encode("utf-8"), freq, freq * boost, pack_uint(freq)


def exact_terms(text: str) -> list[str]:
    """The distinct exact-view terms every occurrence of ``text`` must bring with it.

    Bigrams of each CJK run (the character itself for a one-character run) and each
    lowercased Latin run. A document holding them all *may* contain ``text``; one lacking
    any cannot. Raises ValueError when nothing is searchable.
    """
    terms: list[str] = []
    for piece in exact_pieces(text):
        if is_cjk(piece[0]) and len(piece) > 1:
            terms.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        else:
            terms.append(piece)
    if not terms:
        raise ValueError(f"{text!r} has no searchable characters")
    return list(dict.fromkeys(terms))


def exact_terms_query(fieldname: str, text: str) -> Query:
    """Candidate query on a :class:`CountedText` exact field: all of :func:`exact_terms`."""
    terms = [Term(fieldname, term) for term in exact_terms(text)]
    return terms[0] if len(terms) == 1 else And(terms)
