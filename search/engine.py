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
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound

from . import matching, store
from .analysis import exact_terms_query, is_cjk
from .errors import GovsearchError, UnknownReportError
from .ingest.gazetteer import short_name
from .ingest.normalize import normalize_query
from .models import SECTION_KINDS, Report
from . import querylang
from .querylang import And, Filters, Not, Phrase, QuerySyntaxError, parse
from .snippets import best_snippets, find_positions, paragraph_at

MAX_LIMIT = 100
CACHE_SIZE = 256  # query answers kept per index generation
CACHE_MATCHES = 20_000  # ... and matches in all (~0.3 KB each)
FACETS = ("city", "province", "year", "section")


class QueryError(GovsearchError):
    """The query cannot be run; the message says why and what to write instead."""


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
    derived: dict = field(default_factory=dict)  # per-generation data of other modules

    def searcher(self):
        """A Whoosh searcher per thread: searchers are not safe to share between threads."""
        searcher = getattr(self.local, "searcher", None)
        if searcher is None:
            searcher = self.local.searcher = self.ix.searcher()
        return searcher


def open_snapshot(index: Path) -> Snapshot:
    generation = store.current_generation(index)
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
    return Snapshot(generation.name, reports, ix, docs, average, titles, runs)


def runs_in(report: Report, runs: list, kinds: tuple) -> list[tuple[str | None, int, int]]:
    """The pieces a query counts in, each with its section kind: the kind runs for the whole
    text (they hold all of it but the newlines between sections, where no phrase can be),
    else the sections of the kinds asked for."""
    if kinds:
        return [(s.kind, s.start, s.end) for s in report.sections if s.kind in kinds]
    return runs or [(None, 0, len(report.text))]


def count_phrases(report: Report, phrases: list[str], indexed: dict,
                  pieces: list) -> tuple[dict[str, int], set[str]]:
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
        for kind, a, b in pieces:
            n = matching.count(text, p, a, b)
            if n:
                total += n
                kinds.add(kind)
        counts[p] = total
    kinds.discard(None)
    return counts, kinds


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
    phrases: list[str]


def place_matches(value: str, name: str | None) -> bool:
    """City matching shared by filters and trends: 镇江 matches 镇江市, 相城区 苏州市相城区."""
    if not name:
        return False
    if name == value or short_name(name) == short_name(value):
        return True
    return len(value) >= 3 and value.endswith(("区", "县", "市", "旗")) and name.endswith(value)


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
        if current is None or current == self.snapshot.generation:
            return False
        with self._lock:
            if current != self.snapshot.generation:
                self.snapshot = open_snapshot(self.index)
        return True

    # -- requests --------------------------------------------------------------------------
    def prepare(self, text: str | None, city=(), province=(), prefecture=(), year=None,
                section=(), allow_empty: bool = True) -> Request:
        """Normalize and parse the search box, then merge the explicit filter parameters."""
        text = normalize_query(text or "")
        if text:
            try:
                parsed = parse(text)
            except QuerySyntaxError as error:
                raise QueryError(str(error)) from None
            expr, filters = parsed.expr, parsed.filters
        elif allow_empty:
            expr, filters = None, Filters()
        else:
            raise QueryError("empty query: type a word or phrase to search for")
        filters = merge_filters(filters, city, province, prefecture, year, section)
        phrases = positive_phrases(expr)
        return Request(text, expr, filters, phrases)

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

    def matches(self, request: Request, snap: Snapshot | None = None) -> list["Match"]:
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

    def _facets(self, request: Request, found: list["Match"], snap: Snapshot) -> dict:
        """Facet counts of a result set, cached with it (they do not depend on page or sort)."""
        key = ("facets", request.text, request.filters)
        cached = self._cached(snap, key)
        if cached is None:
            cached = facets(found)
            self._remember(snap, key, cached, sum(len(v) for v in cached.values()) // 8)
        return cached

    def _match(self, request: Request, snap: Snapshot) -> list["Match"]:
        allowed = self.select(request, snap)
        runs = snap.kind_runs
        if request.expr is None:
            return [Match(r, 0.0, {}, segments(r, request.filters.section), runs[r.id])
                    for r in allowed]
        # Whole-text counts of one-term phrases are in the index; a section filter needs
        # the text (the index counts per report, not per section).
        indexed = {} if request.filters.section else self._indexed_counts(snap, request.phrases)
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
                                          runs_in(report, runs[report.id], section))
            for phrase, n in counts.items():
                df[phrase] += n > 0
            if evaluate(request.expr, report, spans, counts):
                counted.append((report, spans, counts, kinds))
        rank = Bm25(len(snap.reports), snap.average_chars, df)
        titles = snap.titles
        return [Match(report, rank.score(titles[report.id], spans, counts), counts, spans,
                      runs[report.id], kinds, frozenset(indexed))
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
        for phrase in request.phrases:
            if phrase in indexed:
                found.update(indexed[phrase])
                continue
            try:
                query = exact_terms_query("exact", phrase)
            except ValueError as error:
                raise QueryError(str(error)) from None
            found.update(snap.docs[docnum] for docnum in searcher.docs_for_query(query))
        return found

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

    def reports(self) -> list[Report]:
        return sorted(self.snapshot.reports.values(),
                      key=lambda r: (r.city or "", r.year or 0, r.id))

    # -- the three answers the interfaces show ----------------------------------------------
    def search(self, text: str | None, city=(), province=(), prefecture=(), year=None,
               section=(), sort: str = "relevance", page: int = 1, limit: int = 20) -> dict:
        """Results grouped by report, with exact hit counts, snippets and facets."""
        if sort not in ("relevance", "year"):
            raise QueryError(f"sort must be 'relevance' or 'year', not {sort!r}")
        page, limit = _bounds(page, limit)
        request = self.prepare(text, city, province, prefecture, year, section)
        snap = self.snapshot
        found = self.matches(request, snap)
        if sort == "year":
            found = sorted(found, key=lambda m: (-(m.report.year or 0), -m.score, m.report.id))
        else:
            found = sorted(found, key=lambda m: (-m.score, -m.hits, -(m.report.year or 0),
                                                 m.report.id))
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
        }

    def stats(self, text: str, city=(), province=(), prefecture=(), year=None,
              section=()) -> dict:
        """Exact occurrences per report and per city × year: the numbers a researcher cites."""
        request = self.prepare(text, city, province, prefecture, year, section,
                               allow_empty=False)
        if not request.phrases:
            raise QueryError("stats needs a word or phrase to count")
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
        phrases = self.prepare(text).phrases if text else []
        hits = sorted((at, at + len(p)) for p in phrases for at in matching.find_all(report.text, p))
        data["phrases"] = phrases
        data["sections"] = [{
            "ordinal": s.ordinal, "title": s.title, "kind": s.kind, "start": s.start, "end": s.end,
            "paragraphs": [{"id": p.id, "start": p.start, "end": p.end,
                            "text": report.paragraph_text(p)}
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

    @property
    def hits(self) -> int:
        return sum(self.counts.values())

    @property
    def chars(self) -> int:
        return sum(b - a for a, b in self.spans)

    def positions(self, phrases: list[str]) -> dict[str, list[int]]:
        """Start offsets of every phrase's hits in the searched spans: one scan per phrase,
        shared by snippets, the first-hit link and the sections hit."""
        return find_positions(self.report.text, phrases, self.spans)

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
        snippets = best_snippets(r, phrases, self.spans, positions=positions) if phrases else []
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


def segments(report: Report, kinds: tuple) -> list[tuple[int, int]]:
    """The parts of the text a query looks at: all of it, or the sections of the given kinds."""
    if not kinds:
        return [(0, len(report.text))]
    return [(s.start, s.end) for s in report.sections if s.kind in kinds]


def evaluate(expr, report: Report, spans, counts: dict[str, int]) -> bool:
    if isinstance(expr, Phrase):
        if expr.text in counts:
            return counts[expr.text] > 0
        return any(matching.contains(report.text, expr.text, a, b) for a, b in spans)
    if isinstance(expr, And):
        return all(evaluate(item, report, spans, counts) for item in expr.items)
    if isinstance(expr, querylang.Or):
        return any(evaluate(item, report, spans, counts) for item in expr.items)
    if isinstance(expr, Not):
        return not evaluate(expr.item, report, spans, counts)
    raise TypeError(f"unknown query node {expr!r}")


def needs_phrase(expr) -> bool:
    """True if only a report containing some positive phrase can match (``A OR -B`` cannot)."""
    if isinstance(expr, Phrase):
        return True
    if isinstance(expr, And):
        return any(needs_phrase(item) for item in expr.items)
    if isinstance(expr, querylang.Or):
        return all(needs_phrase(item) for item in expr.items)
    return False


def positive_phrases(expr) -> list[str]:
    """Phrases that count as hits: every phrase not under a NOT, in query order."""
    out: list[str] = []

    def walk(node, negated):
        if isinstance(node, Phrase):
            if not negated and node.text not in out:
                out.append(node.text)
        elif isinstance(node, (And, querylang.Or)):
            for item in node.items:
                walk(item, negated)
        elif isinstance(node, Not):
            walk(node.item, not negated)

    if expr is not None:
        walk(expr, False)
    return out


def _as_tuple(value) -> tuple:
    if value is None or value == "":
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(normalize_query(str(v)) for v in value if str(v).strip())
    return (normalize_query(str(value)),)


def parse_years(value) -> tuple[int | None, int | None]:
    """``2023`` or ``2020-2024`` (also 2020:2024, 2020–2024) into an inclusive range."""
    if value is None or value == "":
        return None, None
    text = str(value).strip().replace("–", "-").replace(":", "-").replace("~", "-")
    try:
        if "-" in text:
            low, high = (int(part) if part.strip() else None for part in text.split("-", 1))
        else:
            low = high = int(text)
    except ValueError:
        raise QueryError(f"year must be a year like 2023 or a range like 2020-2024, "
                         f"not {value!r}") from None
    if low is not None and high is not None and low > high:
        raise QueryError(f"year range {value!r} runs backwards: write {high}-{low}")
    return low, high


def merge_filters(filters: Filters, city, province, prefecture, year, section) -> Filters:
    sections = filters.section + _as_tuple(section)
    for kind in sections:
        if kind not in SECTION_KINDS:
            raise QueryError(f"unknown section kind {kind!r}: use one of {', '.join(SECTION_KINDS)}")
    low, high = parse_years(year)
    return Filters(
        city=filters.city + _as_tuple(city),
        prefecture=filters.prefecture + _as_tuple(prefecture),
        province=filters.province + _as_tuple(province),
        year_from=low if low is not None else filters.year_from,
        year_to=high if high is not None else filters.year_to,
        section=sections,
    )


def filters_dict(filters: Filters) -> dict:
    return {"city": list(filters.city), "prefecture": list(filters.prefecture),
            "province": list(filters.province), "year_from": filters.year_from,
            "year_to": filters.year_to, "section": list(filters.section)}


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


def per_10k(count: int, chars: int) -> float:
    return round(count * 10000 / chars, 3) if chars else 0.0


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


def _bounds(page, limit) -> tuple[int, int]:
    try:
        page, limit = int(page), int(limit)
    except (TypeError, ValueError):
        raise QueryError("page and limit must be whole numbers") from None
    if page < 1 or page > 10000:
        raise QueryError("page must be between 1 and 10000")
    if limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    return page, limit
