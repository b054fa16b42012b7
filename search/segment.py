"""Chinese word segmentation: which backend, and how each is called (the one place).

jieba in search mode with HMM off, so segmentation is a pure function of the dictionary:
the same string always segments the same way, whatever surrounds it. The *words* view of
the index (:mod:`search.analysis`), key phrases, related terms and collocations all segment
through here.

Backend (:func:`segmenter`): rjieba is jieba's algorithm and dictionary in Rust.
On the five reports in corpus/ (104,953 characters) it yields the identical stream of
``(word, start, end)`` triples as ``jieba.tokenize(text, mode="search", HMM=False)`` --
74,664 tokens, 0 differences, both per file and over all 793 lines one by one -- in about
30 ms instead of 200-300 ms (dictionaries already loaded).  So it is used when installed.
It does not see ``jieba.add_word`` or ``jieba.load_userdict``; pass ``backend="jieba"`` if
the dictionary is ever customised. Backends are looked up by name on every call, so an
index built with rjieba still opens where only jieba is installed.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Iterable

__all__ = ["Segment", "accurate_tokens", "default_backend", "is_word", "search_words", "segmenter"]

Segment = tuple[str, int, int]


def _jieba_search(text: str) -> Iterable[Segment]:
    import jieba

    return jieba.tokenize(text, mode="search", HMM=False)


def _rjieba_search(text: str) -> Iterable[Segment]:
    import rjieba

    return rjieba.tokenize(text, mode="search", hmm=False)


def _rjieba_words(text: str) -> Iterable[str]:
    import rjieba

    # Same multiset of words as rjieba.tokenize(mode="search") (the analyzer's stream),
    # without building offset triples; tests/test_build_fast.py checks the equality.
    return rjieba.cut_for_search(text, hmm=False)


def _jieba_words(text: str) -> Iterable[str]:
    return (word for word, _, _ in _jieba_search(text))


#: backend -> (text -> (word, start, end)..., text -> word...), both in search mode.
_BACKENDS = {"jieba": (_jieba_search, _jieba_words), "rjieba": (_rjieba_search, _rjieba_words)}


@functools.cache
def default_backend() -> str:
    """The segmentation backend ``"auto"`` means: rjieba when installed, else jieba.

    The one place the choice is made (the index's words field and key phrases alike).
    """
    return "rjieba" if importlib.util.find_spec("rjieba") else "jieba"


def _backend(backend: str) -> tuple:
    name = default_backend() if backend == "auto" else backend
    try:
        return _BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown segmentation backend {backend!r}") from None


def segmenter(backend: str = "auto") -> Callable[[str], Iterable[Segment]]:
    """Return ``text -> (word, start, end)...`` in jieba search mode with HMM off.

    HMM is off so that unknown words are never guessed: the same string always segments
    the same way, whatever surrounds it.  ``"auto"`` prefers rjieba, which the module
    docstring shows to be token-for-token identical and 7-10x faster.
    """
    return _backend(backend)[0]


def search_words(backend: str = "auto") -> Callable[[str], Iterable[str]]:
    """Return ``text -> word...``: the words of :func:`segmenter` without their offsets (the
    same multiset, cheaper to make), for counting."""
    return _backend(backend)[1]


def accurate_tokens(text: str) -> list[Segment]:
    """``(word, start, end)`` in jieba's *accurate* mode with HMM off: each character in one
    word (search mode also emits the words inside longer ones). For key phrases and related
    terms, where 无人机 must not also count as 无人 and 人机.
    """
    if default_backend() == "rjieba":
        import rjieba

        return rjieba.tokenize(text, mode="default", hmm=False)
    import jieba

    return [tuple(t) for t in jieba.tokenize(text, mode="default", HMM=False)]


def is_word(segment: str) -> bool:
    """False for the whitespace and punctuation segments (",", "。", "“") jieba also emits:
    they must neither be indexed nor take up a position, or phrases across them would
    break."""
    return any(ch.isalnum() for ch in segment)
