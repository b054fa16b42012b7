"""Run queries: Whoosh finds candidate sections, exact matching on the stored text decides.

Whoosh's character-bigram field finds every section that *can* contain a phrase (a superset:
its pieces are all there), ranks them with BM25F, and the report store then counts the real
occurrences with :mod:`search.matching`. So a result's ``hits`` is exactly what a substring
scan of the normalized text finds, and the result set is exactly the reports whose text
satisfies the query — never more, never fewer. Boolean queries are evaluated per report (a
report containing 园区整合 in one section and 镇江 in another matches ``园区整合 镇江``).
"""
from __future__ import annotations

import math
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound

from . import matching, params, store, vocabulary
from .analysis import exact_terms_query
from .cjk import is_cjk
from .display import shown
from .errors import QueryError, UnknownReportError
from .ingest.gazetteer import same_place
from .ingest.normalize import normalize_query
from .measures import per_10k
from .models import Report
from .query import And, Filters, Not, Or, Phrase, needs_phrase, parse, positive_terms
from .query import terms as term_rules  # HOOK(issue 14): patterns, wildcards, NEAR
from .snippets import best_snippets, find_positions, paragraph_at

MAX_LIMIT = params.MAX_LIMIT
CACHE_SIZE = 256  # query answers kept per index generation
CACHE_MATCHES = 20_000  # ... and matches in all (~0.3 KB each)
FACETS = ("city", "province", "year", "section")
T = TypeVar("T")


@dataclass
class Snapshot:
    """One generation of the index, opened once and shared by all requests until a swap."""

    generation: str
    reports: dict[str, Report]
    ix: object
    docs: list[str]  # docnum -> report id
    average_chars: float = 0.0
    titles: dict[str, str] = field(default_factory=dict)  # report id -> section titles
    kind_runs: dict[str, list] = field(default_factory=dict)  # report id -> [(kind, a, b)]
    local: threading.local = field(default_factory=threading.local)
    cache: OrderedDict = field(default_factory=OrderedDict)  # key -> (answer, weight)
    cache_weight: int = 0
    live: str = ""  # the CURRENT it was opened for (differs from generation on a fallback)
    note: str | None = None  # why a fallback generation is served
    memos: dict = field(default_factory=dict)  # name -> value, see memo()
    memo_locks: dict = field(default_factory=dict)  # name -> lock held while building it
    memo_lock: threading.Lock = field(default_factory=threading.Lock)

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """``build()`` once per snapshot under ``name``: per-index caches live and die with the
        generation they describe. Thread-safe; a failed build raises and is retried next time."""
        try:
            return self.memos[name]
        except KeyError:
            pass
        with self.memo_lock:
            lock = self.memo_locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self.memos:
                self.memos[name] = build()
            return self.memos[name]

    def searcher(self):
        """A Whoosh searcher per thread: searchers are not safe to share between threads."""
        searcher = getattr(self.local, "searcher", None)
        if searcher is None:
            searcher = self.local.searcher = self.ix.searcher()
        return searcher


def open_snapshot(index: Path) -> Snapshot:
    live = store.generation_id(index) or ""
    generation, note = store.open_generation(index)
    reports = {r.id: r for r in store.read_reports(generation)}
    ix = whoosh_index.open_dir(str(generation / store.WHOOSH))
    with ix.reader() as reader:
        size = reader.doc_count_all()
        docs = [""] * size
        for docnum, fields in reader.iter_docs():
            docs[docnum] = fields["report"]
    average = sum(r.chars for r in reports.values()) / max(1, len(reports))
    titles = {r.id: "\n".join(s.title for s in r.sections if s.title) for r in reports.values()}
    runs = {r.id: kind_runs(r) for r in reports.values()}
    return Snapshot(generation.name, reports, ix, docs, average, titles, runs, live=live,
                    note=note)


def runs_in(report: Report, runs: list, kinds: tuple) -> list[tuple[str | None, int, int]]:
    """The pieces a query counts in, each with its section kind: the kind runs for the whole
    text (they hold all of it but the newlines between sections, where no phrase can be),
    else the sections of the kinds asked for."""
    if kinds:
        return [(s.kind, s.start, s.end) for s in report.sections if s.kind in kinds]
    return runs or [(None, 0, len(report.text))]


def count_phrases(report: Report, phrases: list[str], indexed: dict, pieces: list,
                  terms: dict | None = None, spans=None) -> tuple[dict[str, int], set[str]]:
    """Exact count of each phrase, and the section kinds where the scanned ones occur.

    Counting piece by piece gives the section facet for free: no second scan. Counts read
    from the index (``indexed``) leave their kinds to :func:`kinds_hit`.
    """
    text, counts, kinds = report.text, {}, set()
    for p in phrases:
        table = indexed.get(p)
        if table is not None:
            counts[p] = table.get(report.id, 0)
            continue
        total = 0
        node = (terms or {}).get(p)
        if node is not None and not term_rules.is_phrase(node):
            counts[p] = _count_term(node, text, spans, pieces, kinds)  # HOOK(issue 14)
            continue
        for kind, a, b in pieces:
            n = matching.count(text, p, a, b)
            if n:
                total += n
                kinds.add(kind)
        counts[p] = total
    kinds.discard(None)
    return counts, kinds


def _count_term(node, text: str, spans, pieces: list, kinds: set) -> int:
    """HOOK(issue 14): hits of a pattern or NEAR in the searched spans (a match may cross a
    line, so it is found in the spans, not piece by piece); each hit's kind is the piece
    holding its start (or the next one, for a start on a newline between sections)."""
    starts = [a for _, a, _ in pieces]
    total = 0
    for a, b in spans or [(0, len(text))]:
        for start, _ in term_rules.term_hits(node, text, a, b):
            total += 1
            i = bisect_right(starts, start) - 1
            if i < 0 or start >= pieces[i][2]:
                i += 1
            if 0 <= i < len(pieces):
                kinds.add(pieces[i][0])
    return total


def kind_runs(report: Report) -> list[tuple[str, int, int]]:
    """Consecutive sections of one kind merged: the section facet searches each run once."""
    runs: list[tuple[str, int, int]] = []
    for s in report.sections:
        if runs and runs[-1][0] == s.kind:
            runs[-1] = (s.kind, runs[-1][1], s.end)
        else:
            runs.append((s.kind, s.start, s.end))
    return runs


_LATIN_RUN = re.compile(r"[A-Za-z0-9]+")


def indexed_term(phrase: str) -> str | None:
    """The exact-field term whose stored frequency *is* the phrase's count, if there is one.

    True for one CJK character, two different CJK characters (``str.count`` does not
    overlap, and ``AB`` with A ≠ B cannot overlap itself; 哈哈 can, so it is scanned) and
    one Latin/digit run (the field holds whole lowercased runs, which is exactly what
    :mod:`search.matching` counts: case-insensitive, at alphanumeric boundaries).
    """
    if _LATIN_RUN.fullmatch(phrase):
        return phrase.lower()
    if len(phrase) == 1 and is_cjk(phrase):
        return phrase
    if len(phrase) == 2 and phrase[0] != phrase[1] and is_cjk(phrase[0]) and is_cjk(phrase[1]):
        return phrase
    return None


class Bm25:
    """BM25 over exact phrase occurrences: each query phrase is one term.

    Term frequency is the verified count of the phrase in the report (not of its bigrams or
    of jieba's words), document frequency the number of reports that contain it, length the
    characters searched. A phrase that also stands in a section title counts half as much
    again (the F of BM25F: the title field weighs more). Computed from counts the verifier
    already has, so ranking costs no second pass over the index.
    """

    K1, B, TITLE_BOOST = 1.2, 0.75, 0.5

    def __init__(self, reports: int, average_chars: float, df: dict[str, int]):
        self.average = average_chars or 1.0
        self.idf = {p: math.log(1 + (reports - n + 0.5) / (n + 0.5)) for p, n in df.items()}

    def score(self, titles: str, spans, counts: dict[str, int]) -> float:
        """``titles``: the report's section titles, one per line (a phrase has no newline)."""
        length = (spans[0][1] - spans[0][0] if len(spans) == 1 else
                  sum(b - a for a, b in spans)) or 1
        norm = self.K1 * (1 - self.B + self.B * length / self.average)
        total = 0.0
        for phrase, tf in counts.items():
            if tf:
                weight = tf * (self.K1 + 1) / (tf + norm)
                if phrase in titles:
                    weight *= 1 + self.TITLE_BOOST
                total += self.idf[phrase] * weight
        return total


@dataclass
class Request:
    """A parsed query with every filter merged (search box and parameters alike)."""

    text: str
    expr: object
    filters: Filters
    phrases: list[str]  # keys of the positive terms (a phrase's key is its text)
    terms: dict = field(default_factory=dict)  # HOOK(issue 14): key -> term node

    @property
    def plain(self) -> list[str]:
        """The keys that are plain phrases (index counts and bigram candidates apply)."""
        return [k for k in self.phrases if term_rules.is_phrase(self.terms.get(k, Phrase(k)))]


def place_matches(value: str, name: str | None) -> bool:
    """City matching shared by filters and trends (rule: ingest.gazetteer.same_place)."""
    return same_place(value, name)


class Engine:
    """The search core used by the CLI and the web app alike."""

    def __init__(self, index: Path, cache_size: int = CACHE_SIZE):
        self.index = Path(index)
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self.snapshot = open_snapshot(self.index)

    # -- lifecycle -------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Switch to a newly published generation; True if it changed."""
        current = store.generation_id(self.index)
        if current is None or current == self.snapshot.live:
            return False
        with self._lock:
            if current != self.snapshot.live:
                self.snapshot = open_snapshot(self.index)
        return True

    # -- requests --------------------------------------------------------------------------
    def prepare(self, text: str | None, city=(), province=(), prefecture=(), year=None,
                section=(), allow_empty: bool = True, min_hits=None) -> Request:
        """Normalize and parse the search box, then merge the explicit filter parameters."""
        text = normalize_query(text or "")
        if text:
            parsed = parse(text)  # QuerySyntaxError is a QueryError
            expr, filters = parsed.expr, parsed.filters
        elif allow_empty:
            expr, filters = None, Filters()
        else:
            raise QueryError("empty query: type a word or phrase to search for",
                             "查询是空的，请输入要搜索的词或短语")
        filters = merge_filters(filters, city, province, prefecture, year, section, min_hits)
        terms = {node.key: node for node in positive_terms(expr)}
        return Request(text, expr, filters, list(terms), terms)

    def select(self, request: Request, snap: Snapshot | None = None) -> list[Report]:
        """Reports whose metadata passes the filters."""
        f = request.filters
        reports = (snap or self.snapshot).reports.values()
        if not (f.city or f.province or f.prefecture or f.section or f.year_from is not None
                or f.year_to is not None):
            return list(reports)
        out = []
        for report in reports:
            if f.city and not any(place_matches(v, report.city) for v in f.city):
                continue
            if f.province and not any(place_matches(v, report.province) for v in f.province):
                continue
            if f.prefecture and not any(place_matches(v, report.prefecture) or
                                        place_matches(v, report.city) for v in f.prefecture):
                continue
            if f.year_from is not None and (report.year is None or report.year < f.year_from):
                continue
            if f.year_to is not None and (report.year is None or report.year > f.year_to):
                continue
            if f.section and not any(s.kind in f.section for s in report.sections):
                continue
            out.append(report)
        return out

    def matches(self, request: Request, snap: Snapshot | None = None) -> list[Match]:
        """Every report satisfying the request, with exact counts and BM25 scores.

        One snapshot serves the whole call, so a rebuild swapped in meanwhile never mixes
        two generations in one answer. Answers are cached per generation (a swapped-in index
        starts a new cache), so paging through results or reloading a page is cheap; callers
        must not modify the returned list.
        """
        snap = snap or self.snapshot
        key = (request.text, request.filters)
        cached = self._cached(snap, key)
        if cached is not None:
            return cached
        found = self._match(request, snap)
        self._remember(snap, key, found, len(found))
        return found

    def _cached(self, snap: Snapshot, key):
        with self._lock:
            entry = snap.cache.get(key)
            if entry is None:
                return None
            snap.cache.move_to_end(key)
            return entry[0]

    def _remember(self, snap: Snapshot, key, value, weight: int) -> None:
        """Keep an answer, evicting the least recently used ones beyond ``cache_size``
        answers or CACHE_MATCHES matches in all: a common phrase's answer holds a match per
        report, and a server process should not grow with every distinct query."""
        if not self.cache_size:
            return
        with self._lock:
            old = snap.cache.pop(key, None)
            snap.cache_weight -= old[1] if old else 0
            snap.cache[key] = (value, weight + 1)
            snap.cache_weight += weight + 1
            while len(snap.cache) > self.cache_size or (
                    snap.cache_weight > CACHE_MATCHES and len(snap.cache) > 1):
                _, (_, dropped) = snap.cache.popitem(last=False)
                snap.cache_weight -= dropped

    def _facets(self, request: Request, found: list[Match], snap: Snapshot) -> dict:
        """Facet counts of a result set, cached with it (they do not depend on page or sort)."""
        key = ("facets", request.text, request.filters)
        cached = self._cached(snap, key)
        if cached is None:
            cached = facets(found)
            self._remember(snap, key, cached, sum(len(v) for v in cached.values()) // 8)
        return cached

    def _match(self, request: Request, snap: Snapshot) -> list[Match]:
        allowed = self.select(request, snap)
        runs = snap.kind_runs
        if request.expr is None:
            return [Match(r, 0.0, {}, segments(r, request.filters.section), runs[r.id])
                    for r in allowed]
        # Whole-text counts of one-term phrases are in the index; a section filter needs
        # the text (the index counts per report, not per section).
        indexed = {} if request.filters.section else self._indexed_counts(snap, request.plain)
        candidates = self._candidates(snap, request, indexed)
        must = needs_phrase(request.expr)
        section = request.filters.section
        counted = []
        df = dict.fromkeys(request.phrases, 0)
        for report in allowed:
            if must and report.id not in candidates:
                continue
            spans = segments(report, section)
            counts, kinds = count_phrases(report, request.phrases, indexed,
                                          runs_in(report, runs[report.id], section),
                                          request.terms, spans)
            least = request.filters.min_hits  # HOOK(issue 14): min:N after counting
            if least and sum(counts.values()) < least:
                continue
            for phrase, n in counts.items():
                df[phrase] += n > 0
            if evaluate(request.expr, report, spans, counts):
                counted.append((report, spans, counts, kinds))
        rank = Bm25(len(snap.reports), snap.average_chars, df)
        titles = snap.titles
        return [Match(report, rank.score(titles[report.id], spans, counts), counts, spans,
                      runs[report.id], kinds, frozenset(indexed), request.terms)
                for report, spans, counts, kinds in counted]

    def _indexed_counts(self, snap: Snapshot, phrases: list[str]) -> dict[str, dict[str, int]]:
        """Per-report counts read from the exact field's postings (see :func:`indexed_term`).

        Reading 1,163 frequencies of 发展 from the postings takes ~1 ms; counting them in the
        texts ~20 ms. tests/test_search.py checks these counts against the scan.
        """
        reader = snap.searcher().reader()
        out: dict[str, dict[str, int]] = {}
        for phrase in phrases:
            term = indexed_term(phrase)
            if term is None:
                continue
            try:
                postings = reader.postings("exact", term)
            except TermNotFound:
                out[phrase] = {}
                continue
            docs = snap.docs
            out[phrase] = {docs[d]: int(f) for d, f in postings.items_as("frequency")}
        return out

    def _candidates(self, snap: Snapshot, request: Request, indexed: dict) -> set[str]:
        """Ids of the reports that may contain a positive phrase: all of its bigrams are there.

        Whoosh only narrows the search here (a superset of the true matches, no scoring);
        the exact counts then decide, and rank (see :class:`Bm25`).
        """
        searcher = snap.searcher()
        found: set[str] = set()

        def docs(phrase: str) -> set[str]:
            if phrase in indexed:
                return set(indexed[phrase])
            try:
                query = exact_terms_query("exact", phrase)
            except ValueError as error:
                raise QueryError(str(error)) from None
            return {snap.docs[docnum] for docnum in searcher.docs_for_query(query)}

        for key in request.phrases:
            node = request.terms.get(key)
            if node is None or term_rules.is_phrase(node):
                found.update(docs(key))
                continue
            # HOOK(issue 14): a pattern/NEAR can match only where all its literals are
            literals = term_rules.term_literals(node)
            if not literals:
                return {r for r in snap.reports}
            narrowed = docs(literals[0])
            for literal in literals[1:]:
                narrowed &= docs(literal)
            found.update(narrowed)
        return found

    def occurrences(self, text: str, **filters):
        """Every hit of the query's phrases in the matching reports, in report order:
        ``(report, start, end, phrase)`` — what a concordance or a collocation count reads."""
        request = self.prepare(text, allow_empty=False, **filters)
        found = sorted(self.matches(request), key=lambda m: (m.report.city or "",
                                                              m.report.year or 0, m.report.id))
        for m in found:
            spots = sorted((a, b, p) for p, spans in m.hit_spans(request.phrases).items()
                           for a, b in spans)
            for start, end, phrase in spots:
                yield m.report, start, end, phrase

    def group(self, text: str) -> list[Report]:
        """The reports a search-box text selects: its filters, and its phrases if it has any
        (keyness compares two such groups)."""
        request = self.prepare(text, allow_empty=False)
        if request.expr is None:
            return self.select(request)
        return [m.report for m in self.matches(request)]

    def word_frequencies(self, terms) -> tuple[dict[str, int], int]:
        """Corpus frequency of each word of the jieba words view, and the view's total number
        of tokens: the reference a collocation's expected count is computed from."""
        reader = self.snapshot.searcher().reader()
        return ({t: int(reader.frequency("words", t)) for t in terms},
                int(reader.field_length("words")))

    @property
    def generation(self) -> str:
        """The name of the index generation answering now (data sets say what made them)."""
        return self.snapshot.generation

    def filtered_reports(self, city=(), province=(), prefecture=(), year=None,
                         section=(), min_hits=None) -> list[Report]:
        """Every report passing the metadata filters, with or without hits (the zeros of a
        city × year table); ``min_hits`` is a condition on hits, so it does not apply."""
        return self.select(self.prepare(None, city, province, prefecture, year, section))

    @staticmethod
    def searched_chars(report: Report, section=()) -> int:
        """Characters a query searches in ``report``: all, or the sections of the kinds."""
        return sum(b - a for a, b in segments(report, tuple(section or ())))

    def report(self, report_id: str) -> Report:
        try:
            return self.snapshot.reports[report_id]
        except KeyError:
            raise UnknownReportError(
                f"no report with id {report_id!r}: list ids with `python -m search reports`"
            ) from None

    def build_info(self) -> dict:
        """What the live generation was built from (corpus folder, counts, problems)."""
        return store.read_build_info(self.index / self.snapshot.generation)

    def report_count(self) -> int:
        return len(self.snapshot.reports)

    def reports(self) -> list[Report]:
        return sorted(self.snapshot.reports.values(),
                      key=lambda r: (r.city or "", r.year or 0, r.id))

    # -- the three answers the interfaces show ----------------------------------------------
    def search(self, text: str | None, city=(), province=(), prefecture=(), year=None,
               section=(), sort: str = "relevance", page: int = 1, limit: int = 20,
               min_hits=None) -> dict:
        """Results grouped by report, with exact hit counts, snippets and facets."""
        sort = params.sort(sort)
        page, limit = params.page_and_limit(page, limit)
        request = self.prepare(text, city, province, prefecture, year, section,
                               min_hits=min_hits)
        snap = self.snapshot
        found = self.matches(request, snap)
        by_relevance = relevance_order(found, request.phrases)
        if sort == "year":
            found = sorted(found, key=lambda m: (-(m.report.year or 0), -m.score, m.report.id))
        else:
            found = by_relevance
        start = (page - 1) * limit
        results = [m.to_result(request.phrases) for m in found[start:start + limit]]
        return {
            "query": text or "",
            "normalized": request.text,
            "phrases": request.phrases,
            "filters": filters_dict(request.filters),
            "total": len(found),
            "hits": sum(m.hits for m in found),
            "page": page,
            "limit": limit,
            "pages": max(1, -(-len(found) // limit)),
            "sort": sort,
            "results": results,
            "facets": self._facets(request, found, snap),
            "related": vocabulary.related(snap, request.phrases, by_relevance),
        }

    def stats(self, text: str, city=(), province=(), prefecture=(), year=None,
              section=(), min_hits=None) -> dict:
        """Exact occurrences per report and per city × year: the numbers a researcher cites."""
        request = self.prepare(text, city, province, prefecture, year, section,
                               allow_empty=False, min_hits=min_hits)
        if not request.phrases:
            raise QueryError("stats needs a word or phrase to count",
                             "统计需要一个要计数的词或短语")
        found = sorted(self.matches(request),
                       key=lambda m: (m.report.city or "", m.report.year or 0, m.report.id))
        rows = [{
            "report_id": m.report.id, "title": m.report.title, "city": m.report.city,
            "province": m.report.province, "prefecture": m.report.prefecture,
            "year": m.report.year, "occurrences": m.hits, "chars": m.chars,
            "per_10k": per_10k(m.hits, m.chars),
        } for m in found]
        return {"query": text, "normalized": request.text, "phrases": request.phrases,
                "filters": filters_dict(request.filters), "total": sum(r["occurrences"] for r in rows),
                "rows": rows, "by_city_year": by_city_year(rows)}

    def show(self, report_id: str, text: str | None = None) -> dict:
        """One report's normalized text by section, with the offsets of ``text``'s hits."""
        report = self.report(report_id)
        data = report.metadata()
        request = self.prepare(text) if text else None
        phrases = request.phrases if request else []
        hits = sorted({span for node in (request.terms.values() if request else ())
                       for span in term_rules.term_marks(node, report.text)})
        data["phrases"] = phrases
        data["sections"] = [{
            "ordinal": s.ordinal, "title": s.title, "kind": s.kind, "start": s.start, "end": s.end,
            "paragraphs": [{"id": p.id, "start": p.start, "end": p.end,
                            "text": report.paragraph_text(p),
                            "shown": shown(report, p.start, p.end)}  # verbatim, issue 18
                           for p in report.paragraphs if p.section == s.ordinal],
        } for s in report.sections]
        data["hits"] = [{"start": a, "end": b} for a, b in hits]
        return data


@dataclass(slots=True)
class Match:
    """A report that satisfies the query: its exact counts per phrase and its BM25F score."""

    report: Report
    score: float
    counts: dict[str, int]
    spans: list[tuple[int, int]]
    runs: list[tuple[str, int, int]] = field(default_factory=list)  # see kind_runs
    kinds: set[str] = field(default_factory=set)  # kinds hit by the scanned phrases
    unscanned: frozenset = frozenset()  # phrases counted from the index: kinds unknown
    terms: dict = field(default_factory=dict)  # HOOK(issue 14): key -> term node

    @property
    def hits(self) -> int:
        return sum(self.counts.values())

    @property
    def chars(self) -> int:
        return sum(b - a for a, b in self.spans)

    def positions(self, phrases: list[str]) -> dict[str, list[int]]:
        """Start offsets of every phrase's hits in the searched spans: one scan per phrase,
        shared by snippets, the first-hit link and the sections hit."""
        plain = [p for p in phrases if term_rules.is_phrase(self.terms.get(p, Phrase(p)))]
        found = find_positions(self.report.text, plain, self.spans)
        for key, spans in self.hit_spans([p for p in phrases if p not in found]).items():
            found[key] = [a for a, _ in spans]  # HOOK(issue 14)
        return {p: found[p] for p in phrases}

    def hit_spans(self, phrases: list[str]) -> dict[str, list[tuple[int, int]]]:
        """(start, end) of every term's counted hits in the searched spans."""
        text, terms = self.report.text, self.terms
        return {p: [hit for a, b in self.spans
                    for hit in term_rules.term_hits(terms.get(p, Phrase(p)), text, a, b)]
                for p in phrases}

    def marks(self, phrases: list[str]) -> list[tuple[int, int]] | None:
        """What snippets highlight when a term is not a plain phrase (NEAR: both sides);
        None for plain phrases, whose marks the snippet code finds itself."""
        terms = self.terms
        if all(term_rules.is_phrase(terms.get(p, Phrase(p))) for p in phrases):
            return None
        return sorted({m for p in phrases for a, b in self.spans
                       for m in term_rules.term_marks(terms.get(p, Phrase(p)),
                                                      self.report.text, a, b)})

    def sections_hit(self, positions: dict[str, list[int]]) -> list[dict]:
        """Sections holding hits, with their counts. Sections are separated by a newline and
        a phrase holds none, so every hit lies inside exactly one section."""
        sections = self.report.sections
        starts = [s.start for s in sections]
        per = [0] * len(sections)
        for offsets in positions.values():
            for at in offsets:
                i = bisect_right(starts, at) - 1
                if i >= 0 and at < sections[i].end:
                    per[i] += 1
        return [{"ordinal": s.ordinal, "title": s.title, "kind": s.kind, "hits": n}
                for s, n in zip(sections, per) if n]

    def to_result(self, phrases: list[str]) -> dict:
        r = self.report
        positions = self.positions(phrases) if phrases else {}
        snippets = (best_snippets(r, phrases, self.spans, positions=positions,
                                  marks=self.marks(phrases)) if phrases else [])
        first = min((found[0] for found in positions.values() if found), default=None)
        paragraph = paragraph_at(r, first) if first is not None else None
        return {
            "id": r.id, "title": r.title, "city": r.city, "province": r.province,
            "prefecture": r.prefecture, "level": r.level, "year": r.year, "date": r.date,
            "hits": self.hits, "counts": self.counts, "score": round(self.score, 4),
            "snippets": [s["html"] for s in snippets],
            "first_paragraph": paragraph.id if paragraph else None,
            "passages": snippets,
            "sections": self.sections_hit(positions) if phrases else [],
        }


def in_title(report: Report, phrases: list[str]) -> bool:
    """Whether the report's own title holds one of the query's phrases (exact matching)."""
    title = report.title or ""
    return any(matching.contains(title, p) for p in phrases)


def relevance_order(found: list[Match], phrases: list[str]) -> list[Match]:
    """Reports whose title holds a query phrase first, then by BM25F score, hits, year, id."""
    return sorted(found, key=lambda m: (not in_title(m.report, phrases), -m.score, -m.hits,
                                        -(m.report.year or 0), m.report.id))


def segments(report: Report, kinds: tuple) -> list[tuple[int, int]]:
    """The parts of the text a query looks at: all of it, or the sections of the given kinds."""
    if not kinds:
        return [(0, len(report.text))]
    return [(s.start, s.end) for s in report.sections if s.kind in kinds]


def evaluate(expr, report: Report, spans, counts: dict[str, int]) -> bool:
    if isinstance(expr, term_rules.TERM_NODES) and not isinstance(expr, Phrase):
        if expr.key in counts:  # HOOK(issue 14): patterns and NEAR
            return counts[expr.key] > 0
        return any(term_rules.term_hits(expr, report.text, a, b) for a, b in spans)
    if isinstance(expr, Phrase):
        if expr.text in counts:
            return counts[expr.text] > 0
        return any(matching.contains(report.text, expr.text, a, b) for a, b in spans)
    if isinstance(expr, And):
        return all(evaluate(item, report, spans, counts) for item in expr.items)
    if isinstance(expr, Or):
        return any(evaluate(item, report, spans, counts) for item in expr.items)
    if isinstance(expr, Not):
        return not evaluate(expr.item, report, spans, counts)
    raise TypeError(f"unknown query node {expr!r}")


def _as_tuple(value) -> tuple:
    if value is None or value == "":
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(normalize_query(str(v)) for v in value if str(v).strip())
    return (normalize_query(str(value)),)


def merge_filters(filters: Filters, city, province, prefecture, year, section,
                  min_hits=None) -> Filters:
    sections = filters.section + params.sections(_as_tuple(section))
    low, high = params.year_range(year)
    return Filters(
        city=filters.city + _as_tuple(city),
        prefecture=filters.prefecture + _as_tuple(prefecture),
        province=filters.province + _as_tuple(province),
        year_from=low if low is not None else filters.year_from,
        year_to=high if high is not None else filters.year_to,
        section=sections,
        min_hits=params.min_hits(min_hits) or filters.min_hits,
    )


def filters_dict(filters: Filters) -> dict:
    return {"city": list(filters.city), "prefecture": list(filters.prefecture),
            "province": list(filters.province), "year_from": filters.year_from,
            "year_to": filters.year_to, "section": list(filters.section),
            "min_hits": filters.min_hits}


def facets(found: list[Match]) -> dict:
    """Counts of matching reports by city, province, year and by section kind hit."""
    out = {name: {} for name in FACETS}
    city, province, year, section = (out[name] for name in FACETS)
    latin: dict[str, bool] = {}
    for m in found:
        r = m.report
        key = "未知" if r.city is None else r.city
        city[key] = city.get(key, 0) + 1
        key = "未知" if r.province is None else r.province
        province[key] = province.get(key, 0) + 1
        key = "未知" if r.year is None else str(r.year)
        year[key] = year.get(key, 0) + 1
        for kind in kinds_hit(m, latin):
            section[kind] = section.get(kind, 0) + 1
    return {name: sorted(({"value": k, "count": v} for k, v in values.items()),
                         key=lambda x: (-x["count"], x["value"]))
            for name, values in out.items()}


def kinds_hit(m: Match, latin: dict[str, bool] | None = None) -> set[str]:
    """Section kinds holding a hit (every kind searched, for a query of filters only).

    Phrases counted in the text brought their kinds along (:func:`count_phrases`). For
    those counted from the index, each run of same-kind sections (:func:`kind_runs`) is
    searched at most once per phrase, stopping at its first hit.
    ``latin`` caches which phrases need :mod:`search.matching`'s boundary rules; the others
    are a plain ``str.find``. Runs this once per matching report: it is the facet's cost.
    """
    runs = m.runs
    text = m.report.text
    whole = len(m.spans) == 1 and m.spans[0] == (0, len(text))
    if not m.counts:
        return {kind for kind, start, end in runs
                if whole or any(a < end and b > start for a, b in m.spans)}
    present = [p for p, n in m.counts.items() if n and p in m.unscanned]
    kinds: set[str] = set(m.kinds)
    if not present:
        return kinds
    if whole and len({kind for kind, _, _ in runs}) == 1:
        return {runs[0][0]}  # a hit somewhere, and every section is of this kind
    latin = {} if latin is None else latin
    for p in present:
        if p not in latin:
            latin[p] = matching.needs_rules(p)
    find = text.find
    if whole and len(present) == 1 and not latin[present[0]]:
        p = present[0]  # the common case, kept tight: it runs for every matching report
        for kind, start, end in runs:
            if kind not in kinds and find(p, start, end) >= 0:
                kinds.add(kind)
        return kinds
    for kind, start, end in runs:
        if kind in kinds:
            continue
        pieces = [(start, end)] if whole else [
            (max(a, start), min(b, end)) for a, b in m.spans if a < end and b > start]
        for p in present:
            rules = latin[p]
            if any((matching.contains(text, p, a, b) if rules else find(p, a, b) >= 0)
                   for a, b in pieces):
                kinds.add(kind)
                break
    return kinds


def by_city_year(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for row in rows:
        key = (row["city"], row["year"])
        g = groups.setdefault(key, {"city": row["city"], "province": row["province"],
                                    "year": row["year"], "reports": 0, "occurrences": 0,
                                    "chars": 0})
        g["reports"] += 1
        g["occurrences"] += row["occurrences"]
        g["chars"] += row["chars"]
    for g in groups.values():
        g["per_10k"] = per_10k(g["occurrences"], g["chars"])
    return sorted(groups.values(), key=lambda g: (g["city"] or "", g["year"] or 0))
