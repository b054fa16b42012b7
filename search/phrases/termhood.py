"""Which listed candidates read as terms: evidence beyond the shape rules, to pick a list by.

The shape and corpus rules (:mod:`.candidates`, :mod:`.boundaries`) drop what is clearly a
fragment, but every slot they free goes to the next phrase by TF-IDF, which is a term only
about 6 times in 10 (docs/trends.md, "Are the listed phrases terms?"). In 550 blind-judged
listed phrases (seeds 18 and 19 on the bench corpus) three plain features separated terms
from the rest, each with a reason:

* **quoted** in the report (“四群八链”): the report itself marks the string as a name — 91 %
  were terms, against 56 % of words and n-grams; yet a quoted term used once scored half of
  a fragment used twice, so most of them sat below the cut;
* **one dictionary word** (生猪, 库存, 杠杆, 校车): jieba's dictionary holds it, so it is
  ordinary vocabulary, not a coined term — 34 % were terms;
* **ends in a verb or verbal noun** (能源建设, …管理, …服务): an activity on a topic, more often
  a description than a name — 39 % were terms (ends in a noun: 65 %).

:func:`rank_terms` ranks by ``TF-IDF × weight``; the rows keep their TF-IDF ``score``.
"""

from __future__ import annotations

from functools import lru_cache

from ..analysis import accurate_tokens as tokens
from .rules import _VERB_TAGS, SUFFIX_CHARS, dictionary, tag_of

QUOTED_WEIGHT = 3.0  # a quoted term used once ranks with a word or n-gram used three times
WEAK_WEIGHT = 0.5  # one dictionary word, or a verb (or verbal noun) at the end
_ACTIVITY_TAGS = _VERB_TAGS | {"vn"}


@lru_cache(maxsize=65536)  # pure function of the phrase and jieba's static dictionary
def _weak(phrase: str) -> bool:
    """True for one dictionary word, or a phrase whose last word is a verb or verbal noun."""
    entries = dictionary()
    if phrase in entries:
        return True
    words = [t[0] for t in tokens(phrase)]
    if not words:
        return False
    last = words[-1]
    if last in SUFFIX_CHARS:  # 都市圈, 产业园: a noun-forming suffix, whatever jieba says
        return False
    return tag_of(last, entries) in _ACTIVITY_TAGS


def weight(phrase: str, origin: str | None) -> float:
    """How much the evidence says ``phrase`` is a term: 3 quoted, ½ weak, else 1."""
    if origin == "quoted":
        return QUOTED_WEIGHT
    return WEAK_WEIGHT if _weak(phrase) else 1.0


def origin_of(phrase: str, *found: dict) -> str | None:
    """The phrase's origin among candidate dicts; ``quoted`` when any report quotes it."""
    origins = {f[phrase]["origin"] for f in found if phrase in f}
    if "quoted" in origins:
        return "quoted"
    return next(iter(sorted(origins)), None)


def rank_terms(stats, counts: dict[str, int], limit: int | None, *found: dict) -> list:
    """The ``limit`` best ``(phrase, score)`` by ``score × weight`` (:func:`weight`), best
    first; ``score`` is the phrase's plain TF-IDF (``count × idf``). ``found``: the candidate
    dicts the phrases come from (their origins, :func:`origin_of`)."""
    weighted = {p: c * weight(p, origin_of(p, *found)) for p, c in counts.items()}
    return [(p, stats.score(p, counts[p])) for p, _ in stats.rank(weighted, limit)]
