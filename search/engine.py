"""The search core used by the CLI and the web app alike: a thin facade over search.query.

Exactness: a phrase's hits are its occurrences in the suffix arrays of the normalized texts
(:mod:`search.query.suffixes`), filtered by :mod:`search.matching`'s rules, so a result's
``hits`` is exactly what a substring scan of the normalized text finds and the result set is
exactly the reports whose text satisfies the query — never more, never fewer. Boolean
queries are evaluated per report (a report containing 园区整合 in one section and 镇江 in
another matches ``园区整合 镇江``). The package holds the parts:

``query.request``   parse and merge filters      ``query.execute``  counts, filters, booleans
``query.snapshot``  a generation and its caches  ``query.rank``     BM25F and listing orders
``query.suffixes``  suffix arrays                ``query.results``  result dataclasses, facets
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import params, store, vocabulary
from .display import shown
from .errors import UnknownReportError
from .models import Report
from .query import execute, rank, results
from .query import terms as term_rules
from .query.execute import Found
from .query.request import (
    QueryError,
    Request,
    bounds,
    filters_dict,
    place_matches,
    prepare,
)
from .query.results import Result
from .query.snapshot import CACHE_SIZE, Snapshot, open_snapshot

__all__ = ["Engine", "QueryError", "SearchPage", "place_matches"]  # what callers import here


@dataclass
class SearchPage:
    """One page of results, with totals and facets over the whole result set."""

    query: str
    request: Request
    total: int
    hits: int
    page: int
    limit: int
    sort: str
    results: list[Result]
    facets: dict

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "normalized": self.request.text,
            "phrases": self.request.phrases,
            "filters": filters_dict(self.request.filters),
            "total": self.total,
            "hits": self.hits,
            "page": self.page,
            "limit": self.limit,
            "pages": max(1, -(-self.total // self.limit)),
            "sort": self.sort,
            "results": [r.to_dict() for r in self.results],
            "facets": self.facets,
        }


class Engine:
    """Opens the live generation of an index and answers search, stats and show."""

    def __init__(self, index: Path, cache_size: int = CACHE_SIZE):
        self.index = Path(index)
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self.snapshot: Snapshot = open_snapshot(self.index)

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
    #: The search box and filter parameters as one :class:`Request` (the rule lives there).
    prepare = staticmethod(prepare)

    def found(self, request: Request, snap: Snapshot | None = None) -> Found:
        """Every report satisfying the request, with exact counts and BM25 scores.

        One snapshot serves the whole call, so a rebuild swapped in meanwhile never mixes
        two generations in one answer. Answers are cached per generation (with their
        facets): paging or reloading is cheap. Callers must not modify the arrays.
        """
        return self._answer(request, snap or self.snapshot)[0]

    def _answer(self, request: Request, snap: Snapshot) -> tuple[Found, dict]:
        """The matches and their facets (which do not depend on page or sort), cached."""
        key = (request.text, request.filters)
        cached = snap.cached(key)
        if cached is None:
            found = execute.run(request, snap)
            cached = (found, results.facets(snap.table, found))
            snap.remember(key, cached, len(found), self.cache_size)
        return cached

    def select(self, request: Request) -> list[Report]:
        """Reports whose metadata passes the request's filters, in store order."""
        snap = self.snapshot
        return [
            snap.store.reports[i]
            for i in np.flatnonzero(execute.allowed(snap.table, request)).tolist()
        ]

    def occurrences(self, text: str, **filters):
        """Every hit of the query's phrases in the matching reports, in report order:
        ``(report, start, end, phrase)`` — what a concordance or a collocation count reads."""
        request = self.prepare(text, allow_empty=False, **filters)
        snap = self.snapshot
        found = self.found(request, snap)
        for i in rank.by_place(snap.table, found.numbers).tolist():
            report = snap.store.reports[int(found.numbers[i])]
            spans = results.spans_of(report, request.filters.section)
            spots = sorted(
                (a, b, key)
                for key in request.phrases
                for x, y in spans
                for a, b in term_rules.term_hits(request.terms[key], report.text, x, y)
            )
            for start, end, phrase in spots:
                yield report, start, end, phrase

    def group(self, text: str) -> list[Report]:
        """The reports a search-box text selects: its filters, and its phrases if it has any
        (keyness compares two such groups)."""
        request = self.prepare(text, allow_empty=False)
        if request.expr is None:
            return self.select(request)
        snap = self.snapshot
        return [snap.store.reports[i] for i in self.found(request, snap).numbers.tolist()]

    def word_frequencies(self, terms) -> tuple[dict[str, int], int]:
        """Corpus frequency of each word of the jieba words view, and the view's total number
        of tokens: the reference a collocation's expected count is computed from."""
        reader = self.snapshot.searcher().reader()
        return (
            {t: int(reader.frequency("words", t)) for t in terms},
            int(reader.field_length("words")),
        )

    @property
    def generation(self) -> str:
        """The name of the index generation answering now (data sets say what made them)."""
        return self.snapshot.generation

    def filtered_reports(
        self, city=(), province=(), prefecture=(), year=None, section=(), min_hits=None
    ) -> list[Report]:
        """Every report passing the metadata filters, with or without hits (the zeros of a
        city × year table)."""
        return self.select(self.prepare(None, city, province, prefecture, year, section))

    @staticmethod
    def searched_chars(report: Report, section=()) -> int:
        """Characters a query searches in ``report``: all, or the sections of the kinds."""
        return sum(b - a for a, b in results.spans_of(report, tuple(section or ())))

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
        return sorted(
            self.snapshot.reports.values(), key=lambda r: (r.city or "", r.year or 0, r.id)
        )

    # -- the three answers the interfaces show ----------------------------------------------
    def query(
        self,
        text: str | None,
        sort: str = "relevance",
        page: int = 1,
        limit: int = 20,
        **filters,
    ) -> SearchPage:
        """Results grouped by report, with exact hit counts, snippets and facets; ``filters``
        are :func:`prepare`'s (city, province, prefecture, year, section, min_hits)."""
        sort = params.sort(sort)
        page, limit = bounds(page, limit)
        request = self.prepare(text, **filters)
        snap = self.snapshot
        found, facets = self._answer(request, snap)
        hits = found.hits
        titled = rank.titled(snap.table, found.numbers, request.plain_phrases)
        order = rank.order(snap.table, found.numbers, found.scores, hits, sort, titled)
        listed = []
        for i in order[(page - 1) * limit : page * limit].tolist():
            report = snap.store.reports[int(found.numbers[i])]
            counts = {p: int(c[i]) for p, c in found.counts.items()}
            listed.append(
                results.make_result(
                    report,
                    float(found.scores[i]),
                    counts,
                    request.phrases,
                    request.filters.section,
                    request.terms,
                )
            )
        return SearchPage(
            text or "", request, len(found), int(hits.sum()), page, limit, sort, listed, facets
        )

    def related(self, text: str | None, **filters) -> dict:
        """``{"query", "phrases", "related": [{"text", "reports"}]}``: words co-occurring with
        the query in its best reports (:func:`search.vocabulary.related`). Its own answer, so
        a search does not pay for it: the search page asks for both, ``/api/search`` not."""
        request = self.prepare(text, **filters)
        snap = self.snapshot
        found, _ = self._answer(request, snap)
        titled = rank.titled(snap.table, found.numbers, request.plain_phrases)
        best = rank.order(snap.table, found.numbers, found.scores, found.hits, "relevance", titled)
        top = [
            snap.store.reports[int(found.numbers[i])]
            for i in best[: vocabulary.RELATED_REPORTS].tolist()
        ]
        words = vocabulary.related(snap, request.plain_phrases, top)
        return {"query": text or "", "phrases": request.phrases, "related": words}

    def search(self, *args, **kwargs) -> dict:
        """:meth:`query` (the same parameters) as the README's JSON shape."""
        return self.query(*args, **kwargs).to_dict()

    def stats(self, text: str, **filters) -> dict:
        """Exact occurrences per report and per city × year: the numbers a researcher cites."""
        request = self.prepare(text, allow_empty=False, **filters)
        if not request.phrases:
            raise QueryError(
                "stats needs a word or phrase to count", "统计需要一个要计数的词或短语"
            )
        snap = self.snapshot
        found = self.found(request, snap)
        order = rank.by_place(snap.table, found.numbers)
        rows = results.stats_rows(snap.store.reports, found, order)
        return {
            "query": text,
            "normalized": request.text,
            "phrases": request.phrases,
            "filters": filters_dict(request.filters),
            "total": sum(r["occurrences"] for r in rows),
            "rows": rows,
            "by_city_year": results.by_city_year(rows),
        }

    def show(self, report_id: str, text: str | None = None) -> dict:
        """One report's normalized text by section, with the offsets of ``text``'s hits."""
        report = self.report(report_id)
        data = report.metadata()
        request = self.prepare(text) if text else None
        phrases = request.phrases if request else []
        full = report.text
        paragraphs = report.paragraphs
        data["phrases"] = phrases
        data["sections"] = [
            {
                "ordinal": s.ordinal,
                "title": s.title,
                "kind": s.kind,
                "start": s.start,
                "end": s.end,
                "paragraphs": [
                    {
                        "id": p.id,
                        "start": p.start,
                        "end": p.end,
                        "text": full[p.start : p.end],
                        "shown": shown(report, p.start, p.end),
                    }  # verbatim, issue 18
                    for p in paragraphs
                    if p.section == s.ordinal
                ],
            }
            for s in report.sections
        ]
        data["hits"] = [
            {"start": a, "end": b}
            for a, b in results.hit_offsets(report, phrases, request and request.terms)
        ]
        return data
