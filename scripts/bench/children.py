"""Heavy builds run in their own process (``python -m scripts.bench.children KIND …``), so
their wall time, CPU time and peak RSS are their own: the govsearch build, a naive Whoosh +
jieba index and tantivy. Each prints one ``BENCH-RESULT {json}`` line."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

from .common import build_function, cpu_now, dir_size, rusage_now

# Tantivy tokenizers. "chars": one token per CJK character, a token per ASCII alnum run,
# punctuation and spaces dropped (so a phrase may match across punctuation). "strict": the
# same, plus every other non-space character (punctuation) as a token of its own.
CJK_CLASS = r"\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}\x{20000}-\x{2FFFF}\x{3007}"
TANTIVY_PATTERNS = {
    "chars": rf"[{CJK_CLASS}]|[A-Za-z0-9]+",
    "strict": r"[A-Za-z0-9]+|[^\sA-Za-z0-9]",
}
PY_PATTERNS = {
    "chars": re.compile(
        "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\u3007]|[A-Za-z0-9]+"
    ),
    "strict": re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]"),
}


def read_texts(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [tuple(json.loads(line)) for line in handle if line.strip()]


def child_build(corpus: Path, index: Path, text_reuse: bool = True) -> dict:
    build = build_function()
    c0, t0 = cpu_now(), time.perf_counter()
    summary = build(corpus, index, force=True, progress=False, text_reuse=text_reuse)
    return {
        "seconds": time.perf_counter() - t0,
        "build_cpu": cpu_now() - c0,
        "summary": summary.to_dict(),
    }


def _answer(phrases, make_query, search, hit_ids) -> tuple[dict, dict]:
    """Per phrase (skipped where ``make_query`` gives None): the ids of every report found,
    sorted, and the latency (ms) of ``search(query, 10)``, the top ten."""
    found, latency = {}, {}
    for phrase in phrases:
        query = make_query(phrase)
        if query is None:
            continue
        latency[phrase] = _timed(lambda q: search(q, 10), query)
        found[phrase] = sorted(hit_ids(query))
    return found, latency


def _result(texts, index: Path, seconds: float, build_cpu: float, found, latency) -> dict:
    """What a baseline child reports: its build, its index and its answers."""
    return {
        "seconds": seconds,
        "build_cpu": build_cpu,
        "chars": sum(len(t) for _, t in texts),
        "docs": len(texts),
        "size": dir_size(index),
        "found": found,
        "latency_ms": latency,
    }


def _timed(search, query) -> float:
    """Median of three timed calls after one warm-up call (ms)."""
    search(query)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        search(query)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def child_naive(texts_path: Path, index: Path, phrases_path: Path) -> dict:
    """Whoosh + jieba.analyse.ChineseAnalyzer, one document per report, quoted phrase queries."""
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index as windex
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import QueryParser

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = read_texts(texts_path)
    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    c0, t0 = cpu_now(), time.perf_counter()
    schema = Schema(
        id=ID(stored=True, unique=True), text=TEXT(analyzer=ChineseAnalyzer(), phrase=True)
    )
    ix = windex.create_in(str(index), schema)
    writer = ix.writer(limitmb=256)
    for rid, text in texts:
        writer.add_document(id=rid, text=text)
    writer.commit()
    seconds, build_cpu = time.perf_counter() - t0, cpu_now() - c0
    phrases = json.loads(phrases_path.read_text("utf-8"))
    parser = QueryParser("text", ix.schema)
    with ix.searcher() as searcher:
        found, latency = _answer(
            phrases,
            lambda phrase: parser.parse('"' + phrase.replace('"', " ") + '"'),
            lambda q, limit: searcher.search(q, limit=limit),
            lambda q: [hit["id"] for hit in searcher.search(q, limit=None)],
        )
    return _result(texts, index, seconds, build_cpu, found, latency)


def _tantivy_index(texts, index: Path, variant: str):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", stored=False, tokenizer_name="percjk", index_option="position")
    schema = builder.build()
    ix = tantivy.Index(schema, path=str(index))
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(TANTIVY_PATTERNS[variant]))
        .filter(tantivy.Filter.lowercase())
        .build()
    )
    ix.register_tokenizer("percjk", analyzer)
    writer = ix.writer(heap_size=256_000_000, num_threads=os.cpu_count() or 1)
    for rid, text in texts:
        writer.add_document(tantivy.Document(id=rid, body=text))
    writer.commit()
    writer.wait_merging_threads()
    return ix, schema


def child_tantivy(texts_path: Path, index: Path, phrases_path: Path, variant: str) -> dict:
    import tantivy

    texts = read_texts(texts_path)
    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    c0, t0 = cpu_now(), time.perf_counter()
    ix, schema = _tantivy_index(texts, index, variant)
    seconds, build_cpu = time.perf_counter() - t0, cpu_now() - c0
    ix.reload()
    searcher = ix.searcher()
    phrases = json.loads(phrases_path.read_text("utf-8"))

    def make_query(phrase: str):
        tokens = [t.lower() for t in PY_PATTERNS[variant].findall(phrase)]
        if not tokens:
            return None
        if len(tokens) == 1:
            return tantivy.Query.term_query(schema, "body", tokens[0])
        return tantivy.Query.phrase_query(schema, "body", tokens)

    found, latency = _answer(
        phrases,
        make_query,
        searcher.search,
        lambda q: [searcher.doc(a)["id"][0] for _, a in searcher.search(q, len(texts) + 1).hits],
    )
    out = _result(texts, index, seconds, build_cpu, found, latency)
    return dict(out, pattern=TANTIVY_PATTERNS[variant])


def main(argv: list[str]) -> int:
    kind, paths = argv[0], [Path(a) for a in argv[1:4]]
    if kind == "build":
        out = child_build(*paths[:2], text_reuse="--no-reuse" not in argv)
    elif kind == "naive":
        out = child_naive(*paths)
    elif kind == "tantivy":
        out = child_tantivy(*paths, argv[4])
    else:
        raise SystemExit(f"unknown child {kind}")
    out["rusage"] = rusage_now()
    sys.stdout.write("\nBENCH-RESULT " + json.dumps(out, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
