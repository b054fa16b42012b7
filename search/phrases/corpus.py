"""Per-snapshot corpus statistics of key phrases: exact document frequencies, TF-IDF, top-k.

See the package docstring and docs/trends.md ("Score", "Speed").
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

from .. import matching
from ..measures import per_10k
from ..models import Report
from .boundaries import Neighbours, fragment
from .candidates import candidates
from .rules import _CJK_WORD, dictionary

CANDIDATE_CACHE = 256  # reports whose candidates are kept per snapshot
BIGRAM_CACHE = 20_000  # bigram → reports sets kept per snapshot
DF_CACHE = 200_000  # phrase document frequencies kept per snapshot
# Below this many characters in the whole corpus, scanning every text is as fast as the
# bigram prefilter (and the prefilter is skipped).
PREFILTER_MIN_CHARS = 2_000_000
PREFILTER_BIGRAMS = 3  # rarest bigrams of a phrase intersected by the prefilter
_EPSILON = 1e-3  # scores are rounded to 4 decimals; prune only clearly lower ones


class CorpusStats:
    """Per-snapshot candidates, document frequencies and scores, computed lazily and cached.

    Ranking needs a phrase's df, and a df costs a scan of the texts the bigram prefilter
    leaves, so :meth:`rank` computes scores best-bound-first and stops as soon as no
    remaining phrase can enter the top ``limit`` (a score is at most ``count × ln(N + 1)``).
    """

    def __init__(self, snapshot, prefilter: bool | None = None, boundaries: bool = True):
        self.snapshot = snapshot
        self.reports: list[Report] = list(snapshot.reports.values())
        self.position = {r.id: i for i, r in enumerate(self.reports)}
        self.n = len(self.reports)
        total = sum(r.chars for r in self.reports)
        self.use_prefilter = total >= PREFILTER_MIN_CHARS if prefilter is None else prefilter
        self.max_idf = math.log(self.n + 1)
        self._df: dict[str, int] = {}
        self._df_min: dict[str, int] = {}  # lower bounds left by a df() that stopped early
        self._bigrams: OrderedDict[str, int] = OrderedDict()
        self._candidates: OrderedDict[str, dict] = OrderedDict()
        self._docmap: list[tuple[int, int, int]] | None = None
        self._lock = threading.Lock()
        self._neighbours = Neighbours(snapshot) if boundaries else None
        self._fragments: dict[str, bool] = {}

    # -- document frequency ------------------------------------------------------------------
    def df(self, phrase: str, enough: int | None = None) -> int:
        """Exact number of reports whose text contains ``phrase`` (cached).

        With ``enough``, counting may stop once ``enough`` reports are found: the answer is
        then only a lower bound (≥ ``enough``), which is all :meth:`rank` needs to know that
        a phrase cannot make the cut.
        """
        known = self._df.get(phrase)
        if known is not None:
            return known
        if enough is not None and self._df_min.get(phrase, 0) >= enough:
            return self._df_min[phrase]
        spans = self._possible(phrase)
        if spans is None:
            spans = [(i, 0, r.chars) for i, r in enumerate(self.reports)]
        seen: set[int] = set()
        for position, start, end in spans:
            if position not in seen and matching.contains(
                self.reports[position].text, phrase, start, end
            ):
                seen.add(position)
                if enough is not None and len(seen) >= enough:
                    self._df_min[phrase] = len(seen)
                    return len(seen)
        if len(self._df) > DF_CACHE:
            self._df.clear()
            self._df_min.clear()
        self._df[phrase] = len(seen)
        return len(seen)

    def idf(self, phrase: str) -> float:
        """``ln((N + 1) / df)``: ln(N + 1) for a phrase only one report uses, ≈0 for all."""
        return math.log((self.n + 1) / max(1, self.df(phrase)))

    def score(self, phrase: str, count: int) -> float:
        return round(count * self.idf(phrase), 4)

    def _possible(self, phrase: str) -> list[tuple[int, int, int]] | None:
        """``(report position, start, end)`` of the sections that may hold ``phrase``.

        A superset: a section holding the phrase holds each of its bigrams, and the index's
        *exact* field has every CJK bigram of every section.  None means "scan everything"
        (small corpus, no CJK bigram in the phrase, or an index laid out otherwise).
        """
        if not self.use_prefilter:
            return None
        bigrams = self._bigrams_of(phrase)
        if not bigrams:
            return None
        try:
            reader = self.snapshot.searcher().reader()
            sections = self._sections(reader)
            ranked = self._bigram_counts(reader, bigrams)
            if ranked[0][0] == 0:
                return []
            found = None
            for size, bigram in ranked[:PREFILTER_BIGRAMS]:
                if found is not None and size > 4 * found.bit_count():
                    break  # reading a long posting list would cost more than it saves
                here = self._bigram_sections(reader, bigram)
                found = here if found is None else found & here
        except Exception:  # any surprise in the index layout: scan everything (still exact)
            return None
        out = []
        while found:
            low = found & -found
            out.append(sections[low.bit_length() - 1])
            found ^= low
        return out

    @staticmethod
    def _bigrams_of(phrase: str) -> set[str]:
        return {
            phrase[i : i + 2]
            for i in range(len(phrase) - 1)
            if _CJK_WORD.fullmatch(phrase[i : i + 2])
        }

    @staticmethod
    def _bigram_counts(reader, bigrams) -> list[tuple[int, str]]:
        """``(sections holding it, bigram)``, rarest first (a term-table look-up each)."""
        return sorted((reader.doc_frequency("exact", b), b) for b in bigrams)

    def _df_bound(self, phrase: str) -> int:
        """An upper bound on ``df(phrase)`` that reads no posting list (exact if known)."""
        known = self._df.get(phrase)
        if known is not None:
            return known
        bigrams = self._bigrams_of(phrase) if self.use_prefilter else ()
        if not bigrams:
            return self.n
        try:
            ranked = self._bigram_counts(self.snapshot.searcher().reader(), bigrams)
        except Exception:  # as above: no bound, so every report may hold it
            return self.n
        return min(self.n, ranked[0][0])

    def _bigram_sections(self, reader, bigram: str) -> int:
        """Bitset of the Whoosh documents (sections) holding ``bigram`` (LRU-cached)."""
        with self._lock:
            known = self._bigrams.get(bigram)
            if known is not None:
                self._bigrams.move_to_end(bigram)
                return known
        bits = bytearray((reader.doc_count_all() + 8) // 8)
        for docnum in _posting_ids(reader.postings("exact", bigram)):
            bits[docnum >> 3] |= 1 << (docnum & 7)
        known = int.from_bytes(bits, "little")
        with self._lock:
            self._bigrams[bigram] = known
            while len(self._bigrams) > BIGRAM_CACHE:
                self._bigrams.popitem(last=False)
        return known

    def _sections(self, reader) -> list[tuple[int, int, int]]:
        """Whoosh docnum → (report position, start, end) of its section; once per snapshot."""
        if self._docmap is None:
            docmap = [(0, 0, 0)] * reader.doc_count_all()
            for docnum, fields in reader.iter_docs():
                position = self.position[fields["report"]]
                report = self.reports[position]
                span = next(
                    (
                        (s.start, s.end)
                        for s in report.sections
                        if s.ordinal == fields.get("ordinal")
                    ),
                    (0, report.chars),
                )
                docmap[docnum] = (position, *span)
            self._docmap = docmap
        return self._docmap

    # -- key phrases -------------------------------------------------------------------------
    def candidates(self, report: Report) -> dict[str, dict]:
        """:func:`candidates` of one report: phrase → ``{"count", "origin"}`` (cached)."""
        with self._lock:
            known = self._candidates.get(report.id)
            if known is not None:
                self._candidates.move_to_end(report.id)
                return known
        known = candidates(report.text, self._whole)
        with self._lock:
            self._candidates[report.id] = known
            while len(self._candidates) > CANDIDATE_CACHE:
                self._candidates.popitem(last=False)
        return known

    def _whole(self, phrase: str) -> bool:
        """False for a piece of a longer string across the corpus (:mod:`.boundaries`)."""
        if self._neighbours is None:
            return True
        known = self._fragments.get(phrase)
        if known is None:
            if len(self._fragments) > DF_CACHE:
                self._fragments.clear()
            known = self._fragments[phrase] = fragment(self._neighbours, phrase, dictionary())
        return not known

    def rank(self, weights: dict[str, int], limit: int | None) -> list[tuple[str, float]]:
        """The ``limit`` best ``(phrase, weight × idf)``, best first (ties: weight, phrase).

        ``weights`` maps phrase → its count (or summed counts).  With a limit, phrases are
        scored in order of their upper bound ``weight × ln(N + 1)`` and scoring stops once
        that bound falls below the ``limit``-th best score found.
        """
        order = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        scored: list[tuple[float, int, str]] = []
        floor = None
        if limit is not None and len(order) > limit:
            # A first floor from lower bounds: the rarest bigram's section count bounds df
            # from above, so at least ``limit`` phrases score no less than this.
            lows = sorted(
                (
                    w * math.log((self.n + 1) / max(1, min(self.n, self._df_bound(p))))
                    for p, w in order
                ),
                reverse=True,
            )
            floor = round(lows[limit - 1], 4) - _EPSILON if lows[limit - 1] > 0 else None
        for phrase, weight in order:
            if floor is not None:
                if weight * self.max_idf < floor - _EPSILON:
                    break
                # df at which the score falls below the floor: no need to count further.
                enough = int((self.n + 1) * math.exp(-(floor - _EPSILON) / weight)) + 1
                df = self.df(phrase, enough)
                if df >= enough:
                    continue
            scored.append((round(weight * self.idf(phrase), 4), weight, phrase))
            if limit is not None and len(scored) >= limit:
                scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
                del scored[limit:]
                floor = max(floor or 0.0, scored[-1][0])
        scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
        return [(phrase, score) for score, _, phrase in scored[:limit]]

    def top(self, report: Report, limit: int | None = 30, among=None) -> list[dict]:
        """The best key phrases of ``report`` (optionally only those in ``among``) as rows."""
        found = self.candidates(report)
        pool = found if among is None else {p: found[p] for p in among if p in found}
        ranked = self.rank({p: info["count"] for p, info in pool.items()}, limit)
        return [self.row(report, phrase, score) for phrase, score in ranked]

    def row(self, report: Report, phrase: str, score: float | None = None) -> dict:
        """One key phrase of ``report`` as JSON: exact count, rate, df, score, origin."""
        info = self.candidates(report).get(phrase)
        count = info["count"] if info else matching.count(report.text, phrase)
        if score is None:
            score = self.score(phrase, count)
        return {
            "phrase": phrase,
            "count": count,
            "rate": per_10k(count, report.chars),
            "df": self.df(phrase),
            "score": score,
            "origin": info["origin"] if info else None,
        }


def _posting_ids(matcher):
    """The document numbers of a Whoosh posting list, a block at a time when possible.

    ``Matcher.all_ids`` costs a few microseconds per posting in Python; whoosh3's leaf
    matcher holds each block's ids as one tuple, read here directly.  Any other matcher
    (or a changed whoosh) falls back to ``all_ids``.
    """
    try:
        read, step = matcher._read_ids, matcher._next_block
        ids = []
        while matcher.is_active():
            if matcher._ids is None:
                read()
            ids.extend(matcher._ids)
            step()
        return ids
    except AttributeError:
        return list(matcher.all_ids())


def corpus_stats(engine) -> CorpusStats:
    """The :class:`CorpusStats` of the engine's current snapshot, kept on the snapshot (it
    lives and dies with the index generation it describes)."""
    snapshot = engine.snapshot
    return snapshot.memo("phrases.corpus_stats", lambda: CorpusStats(snapshot))


def key_phrases(engine, report_id: str, limit: int = 30) -> dict:
    """The ``limit`` best key phrases of one report, JSON-ready."""
    report = engine.report(report_id)
    stats = corpus_stats(engine)
    phrases = stats.top(report, max(1, int(limit)))
    return {
        "report_id": report.id,
        "title": report.title,
        "city": report.city,
        "year": report.year,
        "chars": report.chars,
        "reports_in_corpus": stats.n,
        "candidates": len(stats.candidates(report)),
        "phrases": phrases,
    }
