"""One generation of the index, opened once and shared by every request until a swap.

Opening is cheap whatever the corpus size: the report store and the suffix arrays are
memory-mapped (:mod:`search.reportstore`, :mod:`search.query.suffixes`), the metadata rows
become small objects, and per-report arrays for filters, facets and ranking are made on
first use and kept on the snapshot (:meth:`Snapshot.memo`), so they live exactly as long as
the generation they describe. The answer cache hangs here too, with its own lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from .. import store
from ..models import SECTION_KINDS
from ..reportstore import ReportStore, StoredReport
from .suffixes import SuffixIndex

CACHE_SIZE = 256  # query answers kept per index generation
CACHE_MATCHES = 20_000  # ... and matched reports in all


@dataclass
class Snapshot:
    """A generation: its report store, suffix arrays and Whoosh index, plus caches."""

    generation: str
    store: ReportStore
    suffixes: SuffixIndex
    ix: object
    reports: dict[str, StoredReport]
    local: threading.local = field(default_factory=threading.local)
    cache: OrderedDict = field(default_factory=OrderedDict)  # key -> (answer, weight)
    cache_weight: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)
    memos: dict = field(default_factory=dict)
    live: str = ""  # the CURRENT it was opened for (differs from generation on a fallback)
    note: str | None = None  # why a fallback generation is served
    derived: dict = field(default_factory=dict)  # tables read once per generation (targets)

    def searcher(self):
        """A Whoosh searcher per thread: searchers are not safe to share between threads."""
        searcher = getattr(self.local, "searcher", None)
        if searcher is None:
            searcher = self.local.searcher = self.ix.searcher()
        return searcher

    def memo(self, name, build):
        """``build()``'s value, made once per snapshot (thread-safe) and kept with it."""
        with self.lock:
            if name not in self.memos:
                self.memos[name] = build()
            return self.memos[name]

    @property
    def table(self) -> ReportTable:
        return self.memo("report-table", lambda: ReportTable(self.store))

    def cached(self, key):
        with self.lock:
            entry = self.cache.get(key)
            if entry is None:
                return None
            self.cache.move_to_end(key)
            return entry[0]

    def remember(self, key, value, weight: int, size: int = CACHE_SIZE) -> None:
        """Keep an answer, evicting the least recently used ones beyond ``size`` answers or
        CACHE_MATCHES matched reports in all: a server process should not grow with every
        distinct query."""
        if not size:
            return
        with self.lock:
            old = self.cache.pop(key, None)
            self.cache_weight -= old[1] if old else 0
            self.cache[key] = (value, weight + 1)
            self.cache_weight += weight + 1
            while len(self.cache) > size or (
                self.cache_weight > CACHE_MATCHES and len(self.cache) > 1
            ):
                _, (_, dropped) = self.cache.popitem(last=False)
                self.cache_weight -= dropped


def open_snapshot(index: Path) -> Snapshot:
    live = store.generation_id(index) or ""
    generation, note = store.open_generation(index)
    reports = ReportStore(generation)
    suffixes = SuffixIndex(generation)
    ix = whoosh_index.open_dir(str(generation / store.WHOOSH))
    return Snapshot(
        generation.name,
        reports,
        suffixes,
        ix,
        {r.id: r for r in reports.reports},
        live=live,
        note=note,
    )


def _codes(values: list) -> tuple[np.ndarray, list]:
    """Values as integer codes into a table of the distinct values (None included)."""
    table: dict = {}
    codes = np.array([table.setdefault(v, len(table)) for v in values], np.int32)
    return codes, list(table)


class ReportTable:
    """Per-report arrays (row = report number) for filters, facets, ranking and sorting."""

    def __init__(self, reports: ReportStore):
        rows = reports.reports
        n = len(rows)
        self.ids = [r.id for r in rows]
        self.id_rank = np.empty(n, np.int64)
        self.id_rank[sorted(range(n), key=self.ids.__getitem__)] = np.arange(n)
        self.year = np.array([-1 if r.year is None else r.year for r in rows], np.int64)
        self.city, self.cities = _codes([r.city for r in rows])
        self.province, self.provinces = _codes([r.province for r in rows])
        self.prefecture, self.prefectures = _codes([r.prefecture for r in rows])
        starts = np.asarray(reports.code_starts, np.int64)
        self.chars = np.diff(starts) - 1
        self.average_chars = float(self.chars.mean()) if n else 1.0
        sections = np.asarray(reports.arrays["sections"], np.int64)
        kinds = len(SECTION_KINDS)
        self.kind_chars = np.zeros((n, kinds), np.int64)
        np.add.at(
            self.kind_chars, (sections[:, 0], sections[:, 2]), sections[:, 4] - sections[:, 3]
        )
        self.kind_present = np.zeros((n, kinds), bool)
        self.kind_present[sections[:, 0], sections[:, 2]] = True
        titles = reports.titles()
        first = np.asarray(reports.arrays["section_first"])
        per = ["\n".join(t for t in titles[first[i] : first[i + 1]] if t) for i in range(n)]
        self.title_blob = "\0".join(per)
        self.title_starts = np.cumsum([0] + [len(t) + 1 for t in per])[:-1]
        own = [r.title or "" for r in rows]  # the reports' own titles ("titles first")
        self.own_title_blob = "\0".join(own)
        self.own_title_starts = np.cumsum([0] + [len(t) + 1 for t in own])[:-1]

    def titled(self, phrases: list[str]) -> np.ndarray:
        """Reports whose own title holds one of ``phrases`` (exact matching, as in the text):
        one search of all titles per phrase, not a loop over the matching reports."""
        from .. import matching

        out = np.zeros(len(self.ids), bool)
        for phrase in phrases:
            found = matching.find_all(self.own_title_blob, phrase)
            if found:
                out[np.searchsorted(self.own_title_starts, found, "right") - 1] = True
        return out

    def in_titles(self, phrase: str) -> np.ndarray:
        """Reports with ``phrase`` in a section title (plain substring, as ranking uses)."""
        out = np.zeros(len(self.ids), bool)
        blob, at = self.title_blob, self.title_blob.find(phrase)
        while at >= 0:
            report = int(np.searchsorted(self.title_starts, at, "right")) - 1
            out[report] = True
            nxt = self.title_starts[report + 1] if report + 1 < len(self.ids) else len(blob)
            at = blob.find(phrase, int(nxt))
        return out
