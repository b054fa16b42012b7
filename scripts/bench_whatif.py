#!/usr/bin/env python3
"""What-if experiments behind the recommendations in docs/benchmarks.md (Profile notes).

They measure alternatives without changing ``search/``: the Whoosh write step with other
writer settings, and one-term phrase counts taken from the index instead of the texts.
Both depend on engine internals of 2026-11-23 and may need adjusting when those change.

    python scripts/bench_whatif.py write VARIANT [CORPUS]   # VARIANT: pool1024, pool4096, termpool,
                                                             #   mp2, mp2big, each optionally -noword
    python scripts/bench_whatif.py counts [INDEX]            # default: bench-data/work/index-full
"""
from __future__ import annotations

import json
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


class TermPool:
    """Postings grouped by term as they arrive (docnums ascend): no run files, no big sort."""

    def __init__(self):
        self.d, self.fieldnames = {}, set()

    def add(self, item):
        fn, tb, docnum, w, v = item
        lst = self.d.get((fn, tb))
        if lst is None:
            self.d[(fn, tb)] = [(docnum, w, v)]
        else:
            lst.append((docnum, w, v))

    def iter_postings(self):
        for key in sorted(self.d):
            for docnum, w, v in self.d[key]:
                yield key[0], key[1], docnum, w, v

    def save(self):
        pass

    def cleanup(self):
        pass


def write(variant: str, corpus: Path) -> dict:
    """Ingest ``corpus`` (2 workers), then write the Whoosh index one way; one commit."""
    from whoosh import index as whoosh_index
    from search.indexer import make_schema, report_document
    from search.ingest.pipeline import ingest_corpus_files

    c0, t0 = cpu(), time.perf_counter()
    reports = ingest_corpus_files(corpus, workers=2).reports
    c1, t1 = cpu(), time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix=f"whatif-{variant}-"))
    try:
        schema = make_schema()
        noword = variant.endswith("-noword")
        base = variant.replace("-noword", "")
        if noword:
            schema.remove("words")
        ix = whoosh_index.create_in(str(folder), schema)
        if base in ("mp2", "mp2big"):
            writer = ix.writer(procs=2, multisegment=True, limitmb=512 if base == "mp2" else 1100,
                               compound=False)
        else:
            writer = ix.writer(limitmb=4096 if base == "pool4096" else 1024, compound=False)
        if base == "termpool":
            writer.pool = TermPool()
        c2, t2 = cpu(), time.perf_counter()
        for r in reports:
            doc = report_document(r)
            if noword:
                doc.pop("words")
            writer.add_document(**doc)
        writer.commit()
        c3, t3 = cpu(), time.perf_counter()
        size = sum(p.stat().st_size for p in folder.iterdir())
        segments = len(whoosh_index.open_dir(str(folder)).reader().leaf_readers())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return dict(variant=variant, ingest_wall=t1 - t0, ingest_cpu=c1 - c0, write_wall=t3 - t2,
                write_cpu=c3 - c2, whoosh_bytes=size, segments=segments,
                maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                children_maxrss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


_LATIN = re.compile(r"[A-Za-z0-9]+")


def counts(index: Path) -> None:
    """Search latency with one-term phrase counts read from the ``exact`` postings."""
    from search import engine as E, matching
    from search.analysis import is_cjk
    from bench import BruteForce, clear_answer_caches, load_queries

    def one_term(p):
        if len(p) == 1 and is_cjk(p):
            return p
        if len(p) == 2 and is_cjk(p[0]) and is_cjk(p[1]) and p[0] != p[1]:
            return p  # XX pairs may overlap: str.count and the bigram frequency differ
        if _LATIN.fullmatch(p):
            return p.lower()  # the field holds whole lowercased runs: frequency = count
        return None

    def postings_counts(snap, phrase):
        term = one_term(phrase)
        if term is None:
            return None
        reader = snap.searcher().reader()
        if ("exact", term) not in reader:
            return {}
        return {snap.docs[d]: int(f)
                for d, f in reader.postings("exact", term).items_as("frequency")}

    original = E.Engine._match

    def fast_match(self, request, snap):
        if request.expr is None or request.filters.section:
            return original(self, request, snap)
        fast = {p: c for p in request.phrases if (c := postings_counts(snap, p)) is not None}
        if not fast:
            return original(self, request, snap)
        real = matching.count
        ids = {id(r.text): r.id for r in snap.reports.values()}

        def count(text, p, a=0, b=None):
            if p in fast and a == 0 and (b is None or b == len(text)):
                return fast[p].get(ids[id(text)], 0)
            return real(text, p, a, b)

        matching.count = count
        try:
            return original(self, request, snap)
        finally:
            matching.count = real

    engine = E.Engine(index)
    queries = [q for q in load_queries()
               if q["category"] in ("phrase-2", "phrase-1", "phrase-latin", "and")]
    brute = BruteForce(list(engine.snapshot.reports.values()))

    def timeit():
        for q in queries:
            engine.search(q["query"], limit=10)
        samples = {}
        for _ in range(5):
            for q in queries:
                clear_answer_caches(engine)
                t = time.perf_counter()
                engine.search(q["query"], limit=10)
                samples.setdefault(q["query"], []).append((time.perf_counter() - t) * 1000)
        return {k: statistics.median(v) for k, v in samples.items()}

    before = timeit()
    E.Engine._match = fast_match
    after = timeit()
    kinds = E.kinds_hit
    E.kinds_hit = lambda m: set()  # sizing only: what the section facet's rescan costs
    nofacet = timeit()
    E.kinds_hit = kinds
    bad = 0
    for q in queries:
        got = {r["report_id"]: r["occurrences"] for r in engine.stats(q["query"])["rows"]}
        exact = got == brute.run(q["query"])
        bad += not exact
        print(f"{q['category']:12s} {q['query']:14s} {before[q['query']]:6.1f} ms -> postings counts "
              f"{after[q['query']]:6.1f} ms -> and no facet rescan {nofacet[q['query']]:6.1f} ms  "
              f"exact={exact}")
    print(f"median: {statistics.median(before.values()):.1f} -> {statistics.median(after.values()):.1f}"
          f" -> {statistics.median(nofacet.values()):.1f} ms; {bad} queries not exact")


def main(argv: list[str]) -> int:
    if argv[:1] == ["write"] and len(argv) >= 2:
        corpus = Path(argv[2]) if len(argv) > 2 else ROOT / "bench-data" / "reports"
        print(json.dumps(write(argv[1], corpus)))
        return 0
    if argv[:1] == ["counts"]:
        counts(Path(argv[1]) if len(argv) > 1 else ROOT / "bench-data" / "work" / "index-full")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
