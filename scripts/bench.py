#!/usr/bin/env python3
"""Benchmark govsearch on the bench corpus against brute force, a naive Whoosh+jieba index
and tantivy; measure query latency, web throughput, scaling and real-corpus quality.

Usage (``make bench``)::

    python scripts/bench.py --out docs/benchmarks.md --data bench-data [--quick]
        [--skip-web] [--skip-tantivy] [--skip-naive] [--skip-scaling] [--skip-profile]

Everything is measured in one run on the same normalized texts (the report store of the
govsearch build), and written to ``--out`` (Markdown) and ``--json`` (default: the same
name with ``.json``). Builds run in child processes (``bench.py _child …``) so that their
time, CPU time and peak RSS are their own. If ``DATA/reports`` is missing the corpus is
unpacked from ``../shared/corpus-bench/reports.tar.xz`` (relative to the repository), with
``manifest.csv`` put in ``DATA/`` — never inside ``DATA/reports``, where it would override the
metadata the ingest extracts from the text (part 8 measures exactly that extraction).
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import math
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PY = sys.executable
SCRIPT = str(Path(__file__).resolve())
QUERIES = ROOT / "scripts" / "bench_queries.txt"
PHRASE_CATEGORIES = ("phrase", "trad")

TARGETS = {
    "build_seconds": 240.0,        # full build <= 4 min
    "build_vs_naive": 3.0,         # >= 3x naive chars/s
    "phrase_p50_ms": 15.0,
    "phrase_p95_ms": 50.0,
    "web_rps": 150.0,
    "web_rss_mb": 400.0,
    "linear_tolerance": 0.25,      # seconds/char at full within 25 % of the smallest subset
}

# Noise the corpus README lists (matched on the *normalized* text, one line at a time).
NOISE_RULES = {
    "watermark / credit (马克数据网, macrodatas, 马克团队)":
        re.compile(r"马克数据网|macrodatas|马克团队|数据由.{0,10}整理", re.I),
    "web chrome (字体:大中小, 打印, 分享到)":
        re.compile(r"字[体号][:：]?\s*[\[【(（]?\s*大\s*中\s*小|^.{0,12}(打印|分享到).{0,12}$"),
    "document header (…会议文件(九), 文件之…)":
        re.compile(r"会议(文件|资料)\s*(之[一二三四五六七八九十\d]+|[(（][一二三四五六七八九十\d]+[)）])|"
                   r"^.{0,30}会议(文件|资料)$|^文件之[一二三四五六七八九十\d]+$"),
    "print line (秘书处…印)": re.compile(r"秘书处.{0,30}印(发|制)?\s*$"),
    "page number (- 7 -, —1—)": re.compile(r"^\s*[-—–－~]+\s*\d{1,3}\s*[-—–－~]+\s*$"),
    "licence footer (Public domain, 公有领域)":
        re.compile(r"Public domain|公有领域|本作品是中华人民共和国的法律", re.I),
    "web meta line (来源: … 时间: …)": re.compile(r"^(来源|发布时间|发布日期)[:：].{0,60}$"),
    "glyph-table garbage (ASCII run ≥ 20 with letters and $%&*#)":
        re.compile(r"(?=[\x21-\x7e]{20})(?=(?:[\x21-\x7e]*?[A-Za-z]){8})"
                   r"(?:[\x21-\x7e]*?[$%&*#]){2}"),
}
INVISIBLE_RULES = {
    "private-use chars (U+E000-F8FF)": re.compile("[\ue000-\uf8ff]"),
    "zero-width / BOM / soft hyphen": re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]"),
    "C0/C1 control chars": re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]"),
}
REPEAT_MIN = 20   # a repeated line / sentence of at least this many characters is a repeated block


# ------------------------------------------------------------------------------------------
# small helpers

def log(*parts) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float | None:
    """Percentile with linear interpolation (q in 0..100)."""
    if not values:
        return None
    data = sorted(values)
    k = (len(data) - 1) * q / 100
    f, c = math.floor(k), math.ceil(k)
    return data[f] + (data[c] - data[f]) * (k - f)


def dist(values_ms: list[float]) -> dict:
    return {"n": len(values_ms), "p50": pct(values_ms, 50), "p95": pct(values_ms, 95),
            "p99": pct(values_ms, 99), "mean": statistics.fmean(values_ms) if values_ms else None,
            "max": max(values_ms) if values_ms else None}


def dir_size(path: Path) -> int:
    total = 0
    for folder, _, names in os.walk(path):
        for name in names:
            p = Path(folder) / name
            if not p.is_symlink():
                try:
                    total += p.stat().st_size
                except OSError:
                    pass
    return total


def mb(n: float | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.1f} MB"


def fnum(x, digits=1, suffix="") -> str:
    if x is None:
        return "–"
    if isinstance(x, float) and math.isnan(x):
        return "–"
    return f"{x:,.{digits}f}{suffix}"


def ok(flag: bool | None) -> str:
    return "–" if flag is None else ("✅ met" if flag else "❌ NOT met")


def cpu_now() -> float:
    """CPU seconds of this process and its waited-for children (ingest workers …)."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def rusage_now() -> dict:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"self_maxrss_kb": s.ru_maxrss, "children_maxrss_kb": c.ru_maxrss,
            "cpu_seconds": s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime}


# ------------------------------------------------------------------------------------------
# children: each heavy build runs in its own process

def child_main(argv: list[str]) -> int:
    kind = argv[0]
    if kind == "build":
        corpus, index = Path(argv[1]), Path(argv[2])
        from search.build import build

        c0, t0 = cpu_now(), time.perf_counter()
        summary = build(corpus, index, force=True, progress=False)
        out = {"seconds": time.perf_counter() - t0, "build_cpu": cpu_now() - c0,
               "summary": summary.to_dict()}
    elif kind == "naive":
        out = child_naive(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    elif kind == "tantivy":
        out = child_tantivy(Path(argv[1]), Path(argv[2]), Path(argv[3]), argv[4])
    else:
        raise SystemExit(f"unknown child {kind}")
    out["rusage"] = rusage_now()
    sys.stdout.write("\nBENCH-RESULT " + json.dumps(out, ensure_ascii=False) + "\n")
    return 0


def read_texts(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [tuple(json.loads(line)) for line in handle if line.strip()]


def child_naive(texts_path: Path, index: Path, phrases_path: Path) -> dict:
    """Whoosh + jieba.analyse.ChineseAnalyzer, one document per report, quoted phrase queries."""
    from jieba.analyse import ChineseAnalyzer
    import jieba
    from whoosh import index as windex
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import QueryParser

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = read_texts(texts_path)
    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    c0, t0 = cpu_now(), time.perf_counter()
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=ChineseAnalyzer(), phrase=True))
    ix = windex.create_in(str(index), schema)
    writer = ix.writer(limitmb=256)
    for rid, text in texts:
        writer.add_document(id=rid, text=text)
    writer.commit()
    seconds, build_cpu = time.perf_counter() - t0, cpu_now() - c0
    phrases = json.loads(phrases_path.read_text("utf-8"))
    found, latency = {}, {}
    parser = QueryParser("text", ix.schema)
    with ix.searcher() as searcher:
        for phrase in phrases:
            query = parser.parse('"' + phrase.replace('"', " ") + '"')
            searcher.search(query, limit=10)  # warm
            times = []
            for _ in range(3):
                t = time.perf_counter()
                searcher.search(query, limit=10)
                times.append((time.perf_counter() - t) * 1000)
            results = searcher.search(query, limit=None)
            found[phrase] = sorted(hit["id"] for hit in results)
            latency[phrase] = statistics.median(times)
    return {"seconds": seconds, "build_cpu": build_cpu, "chars": sum(len(t) for _, t in texts),
            "docs": len(texts), "size": dir_size(index), "found": found, "latency_ms": latency}


# Tantivy tokenizers. "chars": one token per CJK character, a token per ASCII alnum run,
# punctuation and spaces dropped (so a phrase may match across punctuation). "strict": the same,
# plus every other non-space character (punctuation) as a token of its own.
CJK_CLASS = r"\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}\x{20000}-\x{2FFFF}\x{3007}"
TANTIVY_PATTERNS = {
    "chars": rf"[{CJK_CLASS}]|[A-Za-z0-9]+",
    "strict": r"[A-Za-z0-9]+|[^\sA-Za-z0-9]",
}
PY_PATTERNS = {
    "chars": re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\u3007]"
                        "|[A-Za-z0-9]+"),
    "strict": re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]"),
}


def child_tantivy(texts_path: Path, index: Path, phrases_path: Path, variant: str) -> dict:
    import tantivy

    texts = read_texts(texts_path)
    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    c0, t0 = cpu_now(), time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", stored=False, tokenizer_name="percjk", index_option="position")
    schema = builder.build()
    ix = tantivy.Index(schema, path=str(index))
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(TANTIVY_PATTERNS[variant])) \
        .filter(tantivy.Filter.lowercase()).build()
    ix.register_tokenizer("percjk", analyzer)
    writer = ix.writer(heap_size=256_000_000, num_threads=os.cpu_count() or 1)
    for rid, text in texts:
        writer.add_document(tantivy.Document(id=rid, body=text))
    writer.commit()
    writer.wait_merging_threads()
    seconds, build_cpu = time.perf_counter() - t0, cpu_now() - c0
    ix.reload()
    searcher = ix.searcher()
    phrases = json.loads(phrases_path.read_text("utf-8"))
    found, latency = {}, {}
    pattern = PY_PATTERNS[variant]
    for phrase in phrases:
        tokens = [t.lower() for t in pattern.findall(phrase)]
        if not tokens:
            continue
        if len(tokens) == 1:
            query = tantivy.Query.term_query(schema, "body", tokens[0])
        else:
            query = tantivy.Query.phrase_query(schema, "body", tokens)
        searcher.search(query, 10)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            searcher.search(query, 10)
            times.append((time.perf_counter() - t) * 1000)
        result = searcher.search(query, len(texts) + 1)
        found[phrase] = sorted(searcher.doc(addr)["id"][0] for _, addr in result.hits)
        latency[phrase] = statistics.median(times)
    return {"seconds": seconds, "build_cpu": build_cpu, "chars": sum(len(t) for _, t in texts),
            "docs": len(texts), "size": dir_size(index), "found": found, "latency_ms": latency,
            "pattern": TANTIVY_PATTERNS[variant]}


def system_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores), or NaN without psutil."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


class Phase:
    """Wall time of a phase and the CPU other processes used meanwhile (in cores)."""

    def __enter__(self):
        self.t0, self.busy0, self.cpu0 = time.perf_counter(), system_busy(), cpu_now()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        mine = cpu_now() - self.cpu0
        busy = system_busy() - self.busy0
        self.others = max(0.0, (busy - mine) / self.wall) if self.wall > 0 else float("nan")
        return False


class TreeSampler(threading.Thread):
    """Polls a process tree's RSS (sum over the tree, and the largest single process)."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_tree = 0
        self.peak_single = 0
        self.stop = threading.Event()

    def run(self):
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                rss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
                if rss:
                    self.peak_tree = max(self.peak_tree, sum(rss))
                    self.peak_single = max(self.peak_single, max(rss))
            except psutil.Error:
                break
            self.stop.wait(self.interval)


def run_child(args: list[str], wrap: list[str] | None = None, timeout: float = 3600) -> dict:
    """Run ``bench.py _child ARGS`` (optionally under ``wrap``, e.g. py-spy) and parse its result."""
    cmd = (wrap or []) + [PY, SCRIPT, "_child", *args]
    t0 = time.perf_counter()
    phase = Phase().__enter__()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(ROOT))
    sampler = TreeSampler(proc.pid)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        raise RuntimeError(f"child {args[0]} timed out after {timeout} s")
    finally:
        sampler.stop.set()
        sampler.join()
    wall = time.perf_counter() - t0
    phase.__exit__(None, None, None)
    marker = [line for line in stdout.splitlines() if line.startswith("BENCH-RESULT ")]
    if proc.returncode != 0 or not marker:
        raise RuntimeError(f"child {' '.join(args[:1])} failed (exit {proc.returncode}):\n"
                           f"{stderr[-3000:]}")
    out = json.loads(marker[-1][len("BENCH-RESULT "):])
    out["process_wall"] = wall
    out["others_cores"] = phase.others
    out["peak_rss_tree"] = sampler.peak_tree
    out["peak_rss_single"] = sampler.peak_single
    out["stderr_tail"] = stderr[-2000:]
    return out


# ------------------------------------------------------------------------------------------
# data

def ensure_data(data: Path) -> Path:
    """DATA/reports (unpacked from ../shared if missing); the manifest lives in DATA/."""
    reports = data / "reports"
    tarball = ROOT.parent / "shared" / "corpus-bench" / "reports.tar.xz"
    if not reports.is_dir() or not any(reports.glob("*.txt")):
        if not tarball.is_file():
            raise SystemExit(f"{reports} is missing and there is no tarball at {tarball}")
        log(f"unpacking {tarball} into {data}")
        data.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball, "r:xz") as tar:
            members = [m for m in tar.getmembers()
                       if m.name.startswith("reports/") and Path(m.name).name != "manifest.csv"]
            try:
                tar.extractall(data, members=members, filter="data")
            except TypeError:  # Python without extraction filters
                tar.extractall(data, members=members)
    manifest = data / "manifest.csv"
    if not manifest.is_file():
        shared = tarball.parent / "manifest.csv"
        if shared.is_file():
            shutil.copyfile(shared, manifest)
    stray = reports / "manifest.csv"
    if stray.is_file():
        log(f"WARNING: {stray} would override the extracted metadata; moving it to {manifest}")
        if manifest.is_file():
            stray.unlink()
        else:
            stray.replace(manifest)
    return reports


def subset(reports: Path, files: list[Path], folder: Path) -> Path:
    """A corpus folder of symlinks to ``files`` (deterministic subsets of the bench corpus)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for f in files:
        (folder / f.name).symlink_to(f.resolve())
    return folder


def load_manifest(path: Path) -> dict[str, dict]:
    import csv

    if not path.is_file():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


# ------------------------------------------------------------------------------------------
# queries and brute force

def load_queries(path: Path = QUERIES) -> list[dict]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        category, _, query = line.partition("\t")
        out.append({"category": category.strip(), "query": query.strip()})
    return out


def is_phrase_query(q: dict) -> bool:
    return q["category"].startswith(PHRASE_CATEGORIES)


class BruteForce:
    """The definition of right: a substring scan (``search.matching``) over every report."""

    def __init__(self, reports: list):
        from search.ingest import gazetteer

        self.reports = reports
        self.short = gazetteer.short_name

    def parse(self, text: str):
        from search.ingest.normalize import normalize_query
        from search.query import parse

        return parse(normalize_query(text))

    def _place(self, values, *names) -> bool:
        for v in values:
            for name in names:
                if not name:
                    continue
                if v == name or self.short(v) == self.short(name):
                    return True
                if len(v) >= 3 and v.endswith(("区", "县", "市", "旗")) and name.endswith(v):
                    return True
        return False

    def run(self, text: str) -> dict[str, int]:
        """report id -> hits (sum of the positive phrases' exact counts) for matching reports."""
        from search import matching
        from search.query import And, Not, Or, Phrase

        parsed = self.parse(text)
        f = parsed.filters
        positive = parsed.phrases() if parsed.expr is not None else []
        out = {}
        for r in self.reports:
            if f.city and not self._place(f.city, r.city):
                continue
            if f.province and not self._place(f.province, r.province):
                continue
            if f.prefecture and not self._place(f.prefecture, r.prefecture, r.city):
                continue
            if f.year_from is not None and (r.year is None or r.year < f.year_from):
                continue
            if f.year_to is not None and (r.year is None or r.year > f.year_to):
                continue
            if f.section:
                spans = [(s.start, s.end) for s in r.sections if s.kind in f.section]
                if not spans:
                    continue
            else:
                spans = [(0, len(r.text))]
            if parsed.expr is None:
                out[r.id] = 0
                continue
            cache: dict[str, int] = {}

            def count(p: str) -> int:
                if p not in cache:
                    cache[p] = sum(matching.count(r.text, p, a, b) for a, b in spans)
                return cache[p]

            def ev(node) -> bool:
                if isinstance(node, Phrase):
                    return count(node.text) > 0
                if isinstance(node, And):
                    return all(ev(i) for i in node.items)
                if isinstance(node, Or):
                    return any(ev(i) for i in node.items)
                if isinstance(node, Not):
                    return not ev(node.item)
                raise TypeError(node)

            if ev(parsed.expr):
                out[r.id] = sum(count(p) for p in positive)
        return out


def compare_sets(truth: dict[str, int], got: dict[str, int] | set | list) -> dict:
    got_ids = set(got)
    want = set(truth)
    tp = len(want & got_ids)
    recall = tp / len(want) if want else 1.0
    precision = tp / len(got_ids) if got_ids else (1.0 if not want else 0.0)
    out = {"truth": len(want), "found": len(got_ids), "recall": recall, "precision": precision,
           "missed": sorted(want - got_ids)[:5], "extra": sorted(got_ids - want)[:5]}
    if isinstance(got, dict):
        wrong = [rid for rid in want & got_ids if truth[rid] != got[rid]]
        out["count_mismatches"] = len(wrong)
        out["count_examples"] = [(rid, truth[rid], got[rid]) for rid in sorted(wrong)[:5]]
    return out


# ------------------------------------------------------------------------------------------
# the parts

def part_build(corpus: Path, index: Path, label: str, wrap=None) -> dict:
    shutil.rmtree(index, ignore_errors=True)
    load_before = os.getloadavg()[0]
    log(f"govsearch build [{label}] of {corpus} (load {load_before:.2f})")
    res = run_child(["build", str(corpus), str(index)], wrap=wrap)
    s = res["summary"]
    from search import store

    gen = store.current_generation(index)
    whoosh_size = dir_size(gen / store.WHOOSH) if (gen / store.WHOOSH).exists() else None
    total = dir_size(gen)
    out = {
        "label": label, "files": s["files"], "reports": s["reports"], "sections": s["sections"],
        "chars": s["chars"], "build_seconds": res["seconds"], "process_wall": res["process_wall"],
        "chars_per_s": s["chars"] / res["seconds"] if res["seconds"] else None,
        "cpu_seconds": res["rusage"]["cpu_seconds"], "build_cpu": res.get("build_cpu"),
        "load_before": load_before, "others_cores": res.get("others_cores"),
        "index_bytes": total, "whoosh_bytes": whoosh_size, "store_bytes": total - (whoosh_size or 0),
        "peak_rss_main": res["rusage"]["self_maxrss_kb"] * 1024,
        "peak_rss_child": res["rusage"]["children_maxrss_kb"] * 1024,
        "peak_rss_tree": res["peak_rss_tree"],
        "problems": s.get("problems", []), "warnings": len(s.get("warnings", [])),
    }
    log(f"  {out['build_seconds']:.1f} s (CPU {out['build_cpu'] or 0:.1f} s, other processes "
        f"{out['others_cores']:.2f} cores), {out['chars_per_s']:,.0f} chars/s, "
        f"index {mb(total)}, peak RSS main {mb(out['peak_rss_main'])}, tree {mb(out['peak_rss_tree'])}")
    return out


def clear_answer_caches(engine) -> int:
    """Empty the engine's answer caches (query -> results), so a timing measures the work.

    Low-level caches (per-report lowercased text, sentence boundaries, compiled patterns) are
    kept: a warm server has them too. Returns how many cached answers were dropped.
    """
    dropped = 0
    for owner in (engine, getattr(engine, "snapshot", None)):
        for name in dir(owner) if owner is not None else ():
            if "cache" not in name.lower() or name.startswith("__"):
                continue
            value = getattr(owner, name, None)
            if isinstance(value, (dict, collections.OrderedDict)):
                dropped += len(value)
                value.clear()
    return dropped


def time_engine(engine, queries: list[dict], reps: int, warmup: int = 1,
                cached: bool = False) -> dict[str, list[float]]:
    """Latency samples (ms) of ``engine.search(q, limit=10)`` per query, after warm-up passes.

    ``cached=False`` (the default, and what the targets are judged on) empties the engine's
    answer cache before every call, so each sample computes its answer; ``cached=True``
    measures a repeated query served from that cache.
    """
    for _ in range(warmup):
        for q in queries:
            try:
                engine.search(q["query"], limit=10)
            except Exception:
                pass
    samples = {q["query"]: [] for q in queries}
    for _ in range(reps):
        for q in queries:  # interleaved, so a slow moment spreads over all queries
            if not cached:
                clear_answer_caches(engine)
            t = time.perf_counter()
            try:
                engine.search(q["query"], limit=10)
            except Exception:
                pass
            samples[q["query"]].append((time.perf_counter() - t) * 1000)
    return samples


def part_queries(engine, brute: BruteForce, queries: list[dict], reps: int) -> dict:
    """Latency of govsearch and brute force, and govsearch's correctness against brute force."""
    log(f"queries: correctness of {len(queries)} queries against brute force")
    rows = []
    for q in queries:
        text = q["query"]
        t = time.perf_counter()
        truth = brute.run(text)
        brute_first = (time.perf_counter() - t) * 1000
        row = {"category": q["category"], "query": text, "truth_reports": len(truth),
               "truth_hits": sum(truth.values()), "brute_ms_first": brute_first}
        try:
            clear_answer_caches(engine)
            t = time.perf_counter()
            res = engine.search(text, limit=10)
            row["gov_ms_first"] = (time.perf_counter() - t) * 1000
            row["total"], row["hits"] = res["total"], res["hits"]
            top = {r["id"]: r["hits"] for r in res["results"]}
            row["top_count_mismatches"] = [(rid, truth.get(rid), h) for rid, h in top.items()
                                           if truth.get(rid) != h]
            row["snippets_top10"] = sum(len(r.get("snippets", [])) for r in res["results"])
            if res.get("phrases"):
                st = engine.stats(text)
                got = {r["report_id"]: r["occurrences"] for r in st["rows"]}
                row["check"] = compare_sets(truth, got)
            else:  # filter-only query: compare the result count
                row["check"] = {"truth": len(truth), "found": res["total"],
                                "recall": 1.0 if res["total"] == len(truth) else
                                min(res["total"], len(truth)) / max(len(truth), 1),
                                "precision": 1.0 if res["total"] == len(truth) else
                                min(res["total"], len(truth)) / max(res["total"], 1),
                                "count_mismatches": 0, "missed": [], "extra": []}
        except Exception as error:  # a query the engine rejects is a failure, loudly
            row["error"] = f"{type(error).__name__}: {error}"
            row["check"] = {"truth": len(truth), "found": 0, "recall": 0.0 if truth else 1.0,
                            "precision": 0.0, "count_mismatches": 0, "missed": [], "extra": []}
        c = row["check"]
        row["exact"] = (c["recall"] == 1.0 and c["precision"] == 1.0 and not c.get("count_mismatches")
                        and not row.get("top_count_mismatches") and "error" not in row
                        and row.get("total") == len(truth) and row.get("hits") == sum(truth.values()))
        if not row["exact"]:
            log(f"  !!! MISMATCH for {text!r}: {json.dumps(row, ensure_ascii=False)[:600]}")
        rows.append(row)
    log(f"queries: brute-force latency ({min(reps, 3)} reps)")
    brute_samples = {q["query"]: [] for q in queries}
    phase = Phase().__enter__()
    for _ in range(min(reps, 3)):
        for q in queries:
            t = time.perf_counter()
            brute.run(q["query"])
            brute_samples[q["query"]].append((time.perf_counter() - t) * 1000)
    phase.__exit__(None, None, None)
    others_brute = phase.others
    log(f"queries: govsearch latency (1 warm-up pass + {reps} reps, limit=10 with snippets)")
    with Phase() as phase:
        gov_samples = time_engine(engine, queries, reps)
    others_gov = phase.others
    log("queries: govsearch latency of repeated queries (answer cache on, 3 reps)")
    warm_samples = time_engine(engine, queries, 3, warmup=1, cached=True)
    for row in rows:
        row["gov_ms"] = statistics.median(gov_samples[row["query"]])
        row["brute_ms"] = statistics.median(brute_samples[row["query"]])
    out = {"rows": rows, "reps": reps, "categories": {}, "others_cores_govsearch": others_gov,
           "others_cores_brute": others_brute}

    def summarize(selected):
        gov = [x for q in selected for x in gov_samples[q["query"]]]
        bru = [x for q in selected for x in brute_samples[q["query"]]]
        return {"queries": len(selected), "govsearch": dist(gov), "brute": dist(bru)}

    warm_all = [x for v in warm_samples.values() for x in v]
    out["cached"] = dist(warm_all)
    out["cached_phrase"] = dist([x for q in queries if is_phrase_query(q)
                                 for x in warm_samples[q["query"]]])
    out["all"] = summarize(queries)
    out["phrase"] = summarize([q for q in queries if is_phrase_query(q)])
    for cat in dict.fromkeys(q["category"] for q in queries):
        out["categories"][cat] = summarize([q for q in queries if q["category"] == cat])
    exact = [r for r in rows if r["exact"]]
    out["exact_queries"] = len(exact)
    out["recall_min"] = min(r["check"]["recall"] for r in rows)
    out["precision_min"] = min(r["check"]["precision"] for r in rows)
    total_truth = sum(r["check"]["truth"] for r in rows)
    total_hit = sum(r["check"]["truth"] * r["check"]["recall"] for r in rows)
    total_found = sum(r["check"]["found"] for r in rows)
    total_right = sum(r["check"]["found"] * r["check"]["precision"] for r in rows)
    out["recall_micro"] = total_hit / total_truth if total_truth else 1.0
    out["precision_micro"] = total_right / total_found if total_found else 1.0
    return out


def part_baseline(kind: str, texts_path: Path, index: Path, phrases: list[str],
                  truth: dict[str, dict], phrases_path: Path, variant: str | None = None) -> dict:
    label = kind if not variant else f"{kind}-{variant}"
    log(f"{label}: build + phrase queries")
    args = [kind, str(texts_path), str(index), str(phrases_path)] + ([variant] if variant else [])
    res = run_child(args)
    per = []
    for phrase in phrases:
        if phrase not in res["found"]:
            continue
        c = compare_sets(truth[phrase], res["found"][phrase])
        per.append({"phrase": phrase, **c, "ms": res["latency_ms"].get(phrase)})
    total_truth = sum(p["truth"] for p in per)
    total_found = sum(p["found"] for p in per)
    tp = sum(p["truth"] * p["recall"] for p in per)
    lat = [p["ms"] for p in per if p["ms"] is not None]
    out = {
        "label": label, "build_seconds": res["seconds"], "chars": res["chars"],
        "chars_per_s": res["chars"] / res["seconds"], "index_bytes": res["size"],
        "peak_rss_main": res["rusage"]["self_maxrss_kb"] * 1024,
        "cpu_seconds": res["rusage"]["cpu_seconds"], "build_cpu": res.get("build_cpu"),
        "cpu_chars_per_s": res["chars"] / res["build_cpu"] if res.get("build_cpu") else None,
        "others_cores": res.get("others_cores"),
        "recall_micro": tp / total_truth if total_truth else 1.0,
        "precision_micro": tp / total_found if total_found else 1.0,
        "recall_macro": statistics.fmean(p["recall"] for p in per) if per else None,
        "precision_macro": statistics.fmean(p["precision"] for p in per) if per else None,
        "queries_fully_recalled": sum(1 for p in per if p["recall"] == 1.0),
        "queries_fully_precise": sum(1 for p in per if p["precision"] == 1.0),
        "queries": len(per), "latency": dist(lat), "per_query": per,
        "over_matched_reports": total_found - tp, "missed_reports": total_truth - tp,
    }
    if res.get("pattern"):
        out["pattern"] = res["pattern"]
    log(f"  {label}: {out['build_seconds']:.1f} s, {out['chars_per_s']:,.0f} chars/s, recall "
        f"{out['recall_micro']:.3f}, precision {out['precision_micro']:.3f}")
    return out


# ---- web --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def python_load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """Bounded closed-loop load: ``clients`` threads with keep-alive http.client, fixed time."""
    import http.client

    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "non200": 0, "lat": []}

    def worker(offset: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        lat, n, errs, bad = [], 0, 0, 0
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    bad += 1
            except Exception:
                errs += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            lat.append((time.perf_counter() - t) * 1000)
            n += 1
        with lock:
            stats["requests"] += n
            stats["errors"] += errs
            stats["non200"] += bad
            stats["lat"] += lat

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k * 7,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {"tool": f"python http.client, {clients} threads", "seconds": elapsed,
            "requests": stats["requests"], "rps": stats["requests"] / elapsed,
            "errors": stats["errors"], "non200": stats["non200"], "latency": dist(stats["lat"])}


WRK_LUA = r"""
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("WRK-JSON {\"requests\":%%d,\"duration_us\":%%d,\"connect\":%%d,\"read\":%%d,\"write\":%%d,\"status\":%%d,\"timeout\":%%d,\"p50\":%%d,\"p95\":%%d,\"p99\":%%d,\"mean\":%%f}\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def wrk_load(port: int, paths: list[str], clients: int, seconds: float, workdir: Path) -> dict:
    script = workdir / "bench_wrk.lua"
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(WRK_LUA % quoted, "utf-8")
    threads = max(1, min(2, clients))
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "30s",
           "-s", str(script), f"http://127.0.0.1:{port}/"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = [l for l in proc.stdout.splitlines() if l.startswith("WRK-JSON ")]
    if not line:
        raise RuntimeError(f"wrk failed: {proc.stdout[-1000:]} {proc.stderr[-1000:]}")
    d = json.loads(line[-1][len("WRK-JSON "):])
    secs = d["duration_us"] / 1e6
    return {"tool": f"wrk -t{threads} -c{clients}", "seconds": secs, "requests": d["requests"],
            "rps": d["requests"] / secs,
            "errors": d["connect"] + d["read"] + d["write"] + d["timeout"], "non200": d["status"],
            "latency": {"p50": d["p50"] / 1000, "p95": d["p95"] / 1000, "p99": d["p99"] / 1000,
                        "mean": d["mean"] / 1000}}


def fresh_queries(reports: list, n: int = 1500) -> list[str]:
    """``n`` distinct, deterministic CJK phrases (2, 3, 4 or 6 characters) cut from the texts."""
    run = re.compile("[\u4e00-\u9fff]{6,}")
    out: dict[str, None] = {}
    lengths = (2, 3, 4, 6)
    i = 0
    for r in reports:
        for k, m in enumerate(run.finditer(r.text)):
            if k % 37:
                continue
            size = lengths[i % len(lengths)]
            i += 1
            out.setdefault(m.group()[:size], None)
            if len(out) >= n:
                return list(out)
    return list(out)


def _over_tree(proc, read) -> list:
    """``read(p)`` for the server and each of its workers still alive."""
    import psutil

    out = []
    for p in [proc] + proc.children(recursive=True):
        try:
            out.append(read(p))
        except psutil.Error:
            pass
    return out


def tree_memory(proc) -> dict:
    """RSS summed over the server and its workers (shared pages counted in each, so an upper
    bound) and PSS (shared pages split between the processes sharing them: the real total)."""
    infos = _over_tree(proc, lambda p: p.memory_full_info())
    return {"rss": sum(i.rss for i in infos),
            "pss": sum(getattr(i, "pss", i.rss) for i in infos)}


def tree_cpu(proc) -> float:
    return sum(t.user + t.system for t in _over_tree(proc, lambda p: p.cpu_times()))


def tree_threads(proc) -> int:
    return sum(_over_tree(proc, lambda p: p.num_threads()))


def part_web(index: Path, engine, queries: list[dict], clients: int, seconds: float,
             workdir: Path, tool: str, fresh: list[str]) -> dict:
    import psutil

    port = free_port()
    log(f"web: serving {index} on 127.0.0.1:{port}")
    cmd = [PY, "-m", "search", "serve", "--index", str(index), "--host", "127.0.0.1",
           "--port", str(port)]
    server = subprocess.Popen(cmd, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, start_new_session=True)
    out: dict = {"port": port, "command": " ".join(cmd[1:])}
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 180
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"server exited: {server.stdout.read()[-2000:]}")
            try:
                status, body = http_get(base + "/api/search?q=" + urllib.parse.quote("发展") +
                                        "&limit=10", timeout=60)
                if status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("server did not answer within 180 s")
            time.sleep(0.5)
        proc = psutil.Process(server.pid)
        out["rss_idle"] = tree_memory(proc)["rss"]
        mix = [q for q in queries if is_phrase_query(q) or q["category"] in ("and", "filter")]
        paths = ["/api/search?q=" + urllib.parse.quote(q["query"]) + "&limit=10" for q in mix]
        # correctness through HTTP: the JSON totals equal the engine's (and brute force's)
        wrong = []
        for q, path in zip(mix, paths):
            status, body = http_get(base + path)
            if status != 200:
                wrong.append((q["query"], f"HTTP {status}"))
                continue
            data = json.loads(body)
            want = engine.search(q["query"], limit=10)
            if data.get("total") != want["total"] or data.get("hits") != want["hits"]:
                wrong.append((q["query"], f"total {data.get('total')} vs {want['total']}"))
        out["http_checked"], out["http_wrong"] = len(paths), wrong
        out["rss_warm"] = tree_memory(proc)["rss"]
        out["threads_before_load"] = tree_threads(proc)
        out["workers"] = len(proc.children(recursive=True))
        peak = [out["rss_warm"]]
        peak_pss = [tree_memory(proc)["pss"]]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    memory = tree_memory(proc)
                    peak.append(memory["rss"])
                    peak_pss.append(memory["pss"])
                except psutil.Error:
                    return
                stop.wait(0.2)

        cpu0 = tree_cpu(proc)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        use_wrk = tool == "wrk" or (tool == "auto" and shutil.which("wrk"))
        # Main load: distinct queries, more than any answer cache holds, so every request is
        # computed (round-robin over them never repeats within a cache's lifetime).
        distinct = ["/api/search?q=" + urllib.parse.quote(t) + "&limit=10" for t in fresh]
        log(f"web: {'wrk' if use_wrk else 'python'} load, {clients} clients, {seconds:.0f} s, "
            f"{len(distinct)} distinct queries (no repeats)")
        if use_wrk:
            load = wrk_load(port, distinct, clients, seconds, workdir)
        else:
            load = python_load(port, distinct, clients, seconds)
        out["distinct_queries"] = len(distinct)
        cpu_main = tree_cpu(proc)
        # Second load: the benchmark mix repeated (answers served from the cache if any).
        log(f"web: repeated mix of {len(paths)} queries, {clients} clients, {seconds:.0f} s")
        rep = (wrk_load(port, paths, clients, seconds, workdir) if use_wrk
               else python_load(port, paths, clients, seconds))
        out["repeated"] = {"rps": rep["rps"], "latency": rep["latency"], "requests": rep["requests"],
                           "errors": rep["errors"], "non200": rep["non200"]}
        stop.set()
        sampler.join()
        cpu1 = tree_cpu(proc)
        out.update(load)
        # the ceiling of the HTTP stack: one query with no hit (parse + one posting lookup)
        zero = ["/api/search?q=" + urllib.parse.quote("四群八链") + "&limit=10"]
        try:
            ceiling = (wrk_load(port, zero, clients, 5, workdir) if use_wrk
                       else python_load(port, zero, clients, 5))
            out["ceiling_rps"] = ceiling["rps"]
            out["ceiling_p50"] = ceiling["latency"]["p50"]
        except Exception as error:
            out["ceiling_error"] = str(error)
        out["server_cpu_seconds"] = cpu_main - cpu0
        out["rss_peak"] = max(peak)
        out["pss_peak"] = max(peak_pss)
        out["rss_after"] = tree_memory(proc)["rss"]
        out["threads"] = tree_threads(proc)
        out["mix"] = len(paths)
        log(f"  {out['rps']:.1f} req/s, p50 {out['latency']['p50']:.1f} ms, "
            f"RSS peak {mb(out['rss_peak'])}, errors {out['errors']}, non-200 {out['non200']}")
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return out


# ---- quality --------------------------------------------------------------------------------

def part_quality(reports: list, manifest: dict[str, dict]) -> dict:
    from search.ingest import gazetteer

    log("quality: extracted metadata vs manifest, noise left after ingest")
    kinds = collections.Counter()
    examples = collections.defaultdict(list)
    by_level = collections.defaultdict(collections.Counter)
    compared = 0
    for r in reports:
        row = manifest.get(Path(r.source).name)
        if not row:
            continue
        compared += 1
        level = row.get("level") or "?"
        city = row.get("city") or None
        if r.city == city:
            ck = "city ok"
        elif r.city and city and (gazetteer.short_name(r.city) == gazetteer.short_name(city)
                                  or (len(city) >= 2 and r.city.endswith(city))):
            ck = "city ok (other form of the name)"
        elif not r.city:
            ck = "city null"
        else:
            ck = "city wrong"
        year = int(row["year"]) if (row.get("year") or "").strip().isdigit() else None
        if r.year == year:
            yk = "year ok"
        elif r.year is None:
            yk = "year null"
        elif year is not None and abs(r.year - year) == 1:
            yk = "year wrong (off by one)"
        else:
            yk = "year wrong"
        for k in (ck, yk):
            kinds[k] += 1
            by_level[level][k] += 1
            if "ok" not in k and len(examples[k]) < 12:
                examples[k].append({"file": row["file"], "manifest": f"{city} {year}",
                                    "extracted": f"{r.city} {r.year}"})
        both = ck.startswith("city ok") and yk == "year ok"
        kinds["both ok"] += both
        by_level[level]["both ok"] += both
        by_level[level]["reports"] += 1
    noise = {}
    for name, rule in NOISE_RULES.items():
        lines, files, ex = 0, 0, []
        for r in reports:
            hit = [line for line in r.text.split("\n") if rule.search(line)]
            if hit:
                files += 1
                lines += len(hit)
                for line in hit[:1]:
                    if len(ex) < 4:
                        m = rule.search(line)
                        a, b = max(0, m.start() - 25), min(len(line), m.end() + 25)
                        ex.append(f"{r.source}: {'…' if a else ''}{line[a:b]}{'…' if b < len(line) else ''}")
        noise[name] = {"lines": lines, "reports": files, "examples": ex}
    for name, rule in INVISIBLE_RULES.items():
        chars, files, ex = 0, 0, []
        for r in reports:
            n = len(rule.findall(r.text))
            if n:
                files += 1
                chars += n
                if len(ex) < 4:
                    ex.append(f"{r.source}: {n}")
        noise[name] = {"chars": chars, "reports": files, "examples": ex}
    # repeated blocks: a line (paragraph) or sentence of >= REPEAT_MIN chars seen twice in a report
    rep_lines = rep_sent = rep_files = 0
    rep_ex = []
    rep_rows = []
    splitter = re.compile(r"(?<=[。！？!?；;])|\n")
    for r in reports:
        lines = [l for l in r.text.split("\n") if len(l) >= REPEAT_MIN]
        dup_l = sum(c - 1 for c in collections.Counter(lines).values() if c > 1)
        sents = [s.strip() for s in splitter.split(r.text) if len(s.strip()) >= REPEAT_MIN]
        cnt = collections.Counter(sents)
        dup_s = sum(c - 1 for c in cnt.values() if c > 1)
        if dup_l or dup_s:
            rep_files += 1
            rep_lines += dup_l
            rep_sent += dup_s
            s = next(s for s, c in cnt.items() if c > 1) if dup_s else ""
            rep_rows.append((dup_s, f"{r.source}: {dup_s} repeated sentences, e.g. {s[:50]}"))
    rep_ex = [text for _, text in sorted(rep_rows, key=lambda x: -x[0])[:6]]
    noise["repeated blocks (sentences ≥ 20 chars twice in a report)"] = {
        "lines": rep_sent, "repeated_paragraphs": rep_lines, "reports": rep_files,
        "examples": rep_ex}
    return {"compared": compared, "kinds": dict(kinds), "examples": dict(examples),
            "by_level": {k: dict(v) for k, v in by_level.items()}, "noise": noise,
            "reports": len(reports)}


# ---- profile --------------------------------------------------------------------------------

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _short_path(path: str) -> str:
    path = path.replace(str(ROOT) + "/", "")
    m = re.search(r"site-packages/(.*)", path)
    if m:
        return m.group(1)
    m = re.search(r"lib/python3\.\d+/(.*)", path)
    return m.group(1) if m else path


def parse_pyspy(path: Path, top: int = 18) -> dict:
    self_c, incl_c = collections.Counter(), collections.Counter()
    total = 0
    for line in path.read_text("utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        n = int(n)
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        keys = []
        for f in frames:
            m = _FRAME.match(f)
            keys.append(f"{m.group('func')} ({_short_path(m.group('file'))})" if m else f)
        if not keys:
            continue
        total += n
        self_c[keys[-1]] += n
        for k in set(keys):
            incl_c[k] += n
    return {"samples": total,
            "self": [(k, v / total) for k, v in self_c.most_common(top)] if total else [],
            "inclusive": [(k, v / total) for k, v in incl_c.most_common(top * 2)] if total else []}


def part_profile_build(corpus: Path, index: Path, workdir: Path) -> dict:
    spy = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    if not Path(spy).exists() and not shutil.which("py-spy"):
        return {"error": "py-spy not installed"}
    raw = workdir / "profile-build.txt"
    wrap = [spy, "record", "--subprocesses", "--nonblocking", "-r", "50", "--format", "raw",
            "-o", str(raw), "--"]
    build = part_build(corpus, index, "full corpus under py-spy", wrap=wrap)
    out = parse_pyspy(raw)
    out["build"] = build
    shutil.rmtree(index, ignore_errors=True)  # only the profile was wanted
    return out


def part_profile_queries(engine, rows: list[dict], top_queries: int = 8) -> dict:
    slow = sorted(rows, key=lambda r: -r["gov_ms"])[:top_queries]
    prof = cProfile.Profile()
    for _ in range(3):
        for r in slow:
            clear_answer_caches(engine)
            prof.enable()
            engine.search(r["query"], limit=10)
            prof.disable()
    st = pstats.Stats(prof)
    entries = []
    total = 0.0
    for (file, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
        entries.append({"func": f"{func} ({_short_path(file)}:{line})", "calls": nc,
                        "tottime": tt, "cumtime": ct})
        total += tt
    by_self = sorted(entries, key=lambda e: -e["tottime"])[:15]
    by_cum = sorted(entries, key=lambda e: -e["cumtime"])[:25]
    return {"queries": [r["query"] for r in slow], "total_seconds": total,
            "self": by_self, "cumulative": by_cum}


# ------------------------------------------------------------------------------------------
# machine

def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram = psutil.virtual_memory().total
    except ImportError:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"') + f" ({platform.release()})"
    except OSError:
        pass
    versions = {}
    try:
        from importlib.metadata import version

        for pkg in ("whoosh3", "jieba", "rjieba", "tantivy", "opencc", "waitress", "flask"):
            try:
                versions[pkg] = version(pkg)
            except Exception:
                pass
    except ImportError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_bytes": ram,
            "python": platform.python_version(), "os": os_name, "packages": versions,
            "commit": read_commit(), "load_start": os.getloadavg()}


def read_commit() -> str | None:
    """The checked-out commit, read from .git files (no git command)."""
    try:
        head = (ROOT / ".git" / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head[:12]
        ref = head.split(" ", 1)[1]
        path = ROOT / ".git" / ref
        if path.is_file():
            return path.read_text().strip()[:12] + f" ({ref.rsplit('/', 1)[-1]})"
        packed = ROOT / ".git" / "packed-refs"
        if packed.is_file():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0][:12]
    except OSError:
        pass
    return None


def other_load() -> float:
    """CPU percent used by processes other than this one and its children (rough contention)."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    me = psutil.Process()
    mine = {me.pid} | {p.pid for p in me.children(recursive=True)}
    procs = [p for p in psutil.process_iter() if p.pid not in mine]
    for p in procs:
        try:
            p.cpu_percent(None)
        except psutil.Error:
            pass
    time.sleep(1.0)
    total = 0.0
    for p in procs:
        try:
            total += p.cpu_percent(None)
        except psutil.Error:
            pass
    return total


# ------------------------------------------------------------------------------------------
# report

def render(res: dict) -> str:
    m = res["machine"]
    c = res["corpus"]
    L = []
    add = L.append
    add("# govsearch benchmarks\n")
    add(f"Generated by `scripts/bench.py` (`make bench`) on {res['date']}"
        f"{' — **quick mode (' + res['corpus']['source'] + ')**' if res['quick'] else ''}; raw numbers in "
        f"`docs/benchmarks.json`. Total run time {res['run_seconds'] / 60:.1f} min.\n")
    add("| machine | |\n|---|---|")
    add(f"| CPU | {m['cpu']}, {m['cores']} cores |")
    add(f"| RAM | {m['ram_bytes'] / 2**30:.1f} GiB |")
    add(f"| OS | {m['os']} |")
    add(f"| Python | {m['python']} |")
    add(f"| packages | {', '.join(f'{k} {v}' for k, v in m['packages'].items())} |")
    add(f"| commit | {m.get('commit') or '?'} |")
    add(f"| load | load average at start {', '.join(f'{x:.2f}' for x in m['load_start'])}; "
        f"other processes' CPU at start {fnum(m.get('other_cpu_start'), 0, ' %')}, "
        f"at end {fnum(m.get('other_cpu_end'), 0, ' %')} (of {m['cores'] * 100} %) |\n")
    add(f"**Corpus**: {c['files']:,} files, {c['reports']:,} reports, {c['raw_chars']:,} raw "
        f"characters → {c['chars']:,} normalized characters ({c['source']}). "
        "Every system below indexes the same normalized report texts (the govsearch report store).\n")

    add("## Targets\n")
    add("| target | measured | |\n|---|---|---|")
    for t in res["targets"]:
        add(f"| {t['target']} | {t['measured']} | {ok(t['met'])} |")
    add("")

    b = res["build"]
    add("## 1–4. Build and phrase search: govsearch vs naive Whoosh+jieba vs tantivy vs brute force\n")
    add("| system | build | chars/s | index on disk | peak RSS | CPU time | phrase query p50 / p95 "
        "| report recall | report precision | exact counts |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    q = res.get("queries", {})
    ph = q.get("phrase", {})
    g = ph.get("govsearch", {})
    add(f"| **govsearch** (Whoosh, char uni+bigrams, exact verify) | {b['build_seconds']:.1f} s | "
        f"{b['chars_per_s']:,.0f} | {mb(b['index_bytes'])} (Whoosh {mb(b['whoosh_bytes'])}, store "
        f"{mb(b['store_bytes'])}) | {mb(b['peak_rss_main'])} main, {mb(b['peak_rss_tree'])} all "
        f"processes | {(b.get('build_cpu') or b['cpu_seconds']):.0f} s (others {fnum(b.get('others_cores'), 2)}) | {fnum(g.get('p50'), 1)} / {fnum(g.get('p95'), 1)} ms"
        f" (with snippets) | {q.get('recall_micro', 0) * 100:.2f} % | "
        f"{q.get('precision_micro', 0) * 100:.2f} % | {q.get('exact_queries')}/{len(q.get('rows', []))} "
        f"queries exact |")
    for key in ("naive", "tantivy-chars", "tantivy-strict"):
        x = res.get("baselines", {}).get(key)
        if not x:
            continue
        name = {"naive": "naive Whoosh + `jieba.analyse.ChineseAnalyzer`, 1 doc/report",
                "tantivy-chars": "tantivy, 1 token per CJK char (punctuation dropped)",
                "tantivy-strict": "tantivy, 1 token per char incl. punctuation"}[key]
        add(f"| {name} | {x['build_seconds']:.1f} s | {x['chars_per_s']:,.0f} | {mb(x['index_bytes'])}"
            f" | {mb(x['peak_rss_main'])} | {(x.get('build_cpu') or x['cpu_seconds']):.0f} s (others {fnum(x.get('others_cores'), 2)}) | {fnum(x['latency']['p50'], 2)} / "
            f"{fnum(x['latency']['p95'], 2)} ms (top 10, no snippets) | {x['recall_micro'] * 100:.2f} % |"
            f" {x['precision_micro'] * 100:.2f} % | no counts |")
    br = ph.get("brute", {})
    add(f"| brute force (`search.matching.count` over every text) | – | – | – | – | – | "
        f"{fnum(br.get('p50'), 1)} / {fnum(br.get('p95'), 1)} ms | 100 % (definition) | 100 % | "
        f"definition |\n")
    add("Recall/precision are micro-averaged over the report sets of the single-phrase queries "
        f"({ph.get('queries', 0)} queries: categories `phrase-*` and `trad`); baselines are "
        "queried with the normalized phrase. Peak RSS: *main* = the building process "
        "(`getrusage`), *all processes* = sampled sum over the build's process tree "
        "(ingest workers, parallel Whoosh writers). CPU time = CPU seconds of the build itself "
        "(all its processes); *others* = average number of cores other processes on this shared "
        "machine used during that build — wall times above are inflated when it is high, CPU "
        "times are not.\n")
    for key in ("naive", "tantivy-chars", "tantivy-strict"):
        x = res.get("baselines", {}).get(key)
        if not x:
            continue
        bad = [p for p in x["per_query"] if p["recall"] < 1 or p["precision"] < 1]
        add(f"**{x['label']}**: {x['queries_fully_recalled']}/{x['queries']} phrase queries with "
            f"full recall, {x['queries_fully_precise']}/{x['queries']} with full precision; "
            f"{x['missed_reports']:,.0f} reports missed, {x['over_matched_reports']:,.0f} reports "
            f"returned that do not contain the phrase.")
        if bad:
            add("<details><summary>queries that differ from brute force</summary>\n")
            add("| phrase | true reports | returned | recall | precision |\n|---|---:|---:|---:|---:|")
            for p in sorted(bad, key=lambda p: (p["recall"], p["precision"]))[:40]:
                add(f"| {p['phrase']} | {p['truth']} | {p['found']} | {p['recall'] * 100:.1f} % | "
                    f"{p['precision'] * 100:.1f} % |")
            add("\n</details>\n")
        else:
            add("")
    if res.get("baselines", {}).get("tantivy-chars"):
        add("tantivy's built-in `ngram(1,1)` tokenizer cannot be used for phrases (every gram "
            "gets position 0, so phrase queries find nothing); the runs above use a regex "
            f"tokenizer emitting one token per character: `{res['baselines']['tantivy-chars'].get('pattern')}`.\n")

    if q:
        add("## 5. Query latency and exactness (govsearch `Engine.search(q, limit=10)`, snippets included)\n")
        add(f"{len(q['rows'])} queries from `scripts/bench_queries.txt`, one warm-up pass, then "
            f"{q['reps']} interleaved repetitions; percentiles over all samples. Brute force = "
            "the same query evaluated by scanning every normalized text. Other processes used "
            f"{fnum(q.get('others_cores_govsearch'), 2)} cores on average while govsearch was timed, "
            f"{fnum(q.get('others_cores_brute'), 2)} while brute force was (of {res['machine']['cores']}).\n")
        add("| queries | n | govsearch p50 | p95 | p99 | brute force p50 | p95 |")
        add("|---|---:|---:|---:|---:|---:|---:|")
        for name, d in [("**all**", q["all"]), ("**single phrase** (target)", q["phrase"])] + \
                [(k, v) for k, v in q["categories"].items()]:
            gg, bb = d["govsearch"], d["brute"]
            add(f"| {name} | {d['queries']} | {fnum(gg['p50'], 1)} ms | {fnum(gg['p95'], 1)} ms | "
                f"{fnum(gg['p99'], 1)} ms | {fnum(bb['p50'], 1)} ms | {fnum(bb['p95'], 1)} ms |")
        add("")
        if q.get("cached"):
            add(f"All latencies above are computed answers: the engine's answer cache is emptied "
                f"before every timed call. The same queries repeated with the cache on: p50 "
                f"{fnum(q['cached']['p50'], 2)} ms, p95 {fnum(q['cached']['p95'], 2)} ms.\n")
        misses = [r for r in q["rows"] if not r["exact"]]
        if misses:
            add(f"### ❌ {len(misses)} queries differ from brute force\n")
            add("| query | true reports / hits | govsearch reports / hits | recall | precision | "
                "count mismatches | error |\n|---|---|---|---:|---:|---:|---|")
            for r in misses:
                ch = r["check"]
                add(f"| `{r['query']}` | {r['truth_reports']} / {r['truth_hits']} | "
                    f"{r.get('total', '–')} / {r.get('hits', '–')} | {ch['recall'] * 100:.1f} % | "
                    f"{ch['precision'] * 100:.1f} % | {ch.get('count_mismatches', 0)} | "
                    f"{r.get('error', '')} |")
            add("")
        else:
            add(f"**Exactness: all {len(q['rows'])} queries return exactly the brute-force report "
                "set, and every report's hit count equals the brute-force count** "
                "(recall 100 %, precision 100 %).\n")
        add("<details><summary>per-query results</summary>\n")
        add("| category | query | reports | hits | govsearch ms (median) | first call ms | brute force ms | exact |")
        add("|---|---|---:|---:|---:|---:|---:|---|")
        for r in q["rows"]:
            add(f"| {r['category']} | `{r['query']}` | {r['truth_reports']} | {r['truth_hits']:,} | "
                f"{r['gov_ms']:.1f} | {fnum(r.get('gov_ms_first'), 1)} | {r['brute_ms']:.1f} | "
                f"{'✅' if r['exact'] else '❌'} |")
        add("\n</details>\n")

    w = res.get("web")
    if w:
        add("## 6. Web throughput (`python -m search serve`, waitress, `/api/search`)\n")
        if w.get("error"):
            add(f"Not measured: {w['error']}\n")
        else:
            add("| load | duration | requests | req/s | latency p50 / p95 / p99 | errors | "
                "non-200 | server RSS idle → peak (PSS peak) | server CPU |")
            add("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            lat = w["latency"]
            add(f"| {w['tool']}, {w.get('distinct_queries', w['mix'])} distinct queries, no repeats "
                f"(`limit=10`) | {w['seconds']:.1f} s | "
                f"{w['requests']:,} | **{w['rps']:.1f}** | {fnum(lat['p50'], 1)} / {fnum(lat['p95'], 1)}"
                f" / {fnum(lat['p99'], 1)} ms | {w['errors']} | {w['non200']} | {mb(w['rss_idle'])} → "
                f"**{mb(w['rss_peak'])}** ({mb(w.get('pss_peak'))}) | {w['server_cpu_seconds']:.1f} s |")
            if w.get("repeated"):
                rp = w["repeated"]
                add(f"| same, the {w['mix']} benchmark queries repeated round-robin (answers "
                    f"cached) | {w['seconds']:.0f} s | {rp['requests']:,} | {rp['rps']:.1f} | "
                    f"{fnum(rp['latency']['p50'], 1)} / {fnum(rp['latency']['p95'], 1)} / "
                    f"{fnum(rp['latency']['p99'], 1)} ms | {rp['errors']} | {rp['non200']} | | |")
            if w.get("ceiling_rps"):
                add(f"\nHTTP ceiling (same load, one query with no hit, 5 s): "
                    f"{w['ceiling_rps']:.1f} req/s, p50 {w['ceiling_p50']:.1f} ms. Server RSS after "
                    f"the first request {mb(w['rss_idle'])}, after one pass over the mix "
                    f"(sequential) {mb(w['rss_warm'])}; {w.get('workers', 0)} worker processes "
                    f"forked from one parent, {w.get('threads', '?')} threads in all. RSS is summed "
                    "over the parent and its workers, so pages they share are counted once per "
                    "process (an upper bound); PSS splits shared pages between them.")
            add(f"\nBefore the load, each of the {w['http_checked']} query URLs was fetched once and "
                f"its JSON `total`/`hits` compared with the engine: "
                f"{'all equal' if not w['http_wrong'] else 'DIFFERENCES: ' + str(w['http_wrong'])}. "
                "The load generator runs on the same 2-core machine as the server.\n")

    s = res.get("scaling")
    if s:
        add("## 7. Scaling (deterministic subsets: every 4th file, every 2nd file, all)\n")
        add("| subset | reports | chars | build (wall) | chars/s | wall s per M chars | CPU s | CPU s per M chars "
            "| other processes (cores) | peak RSS | index | phrase p50 | p95 |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in s["rows"]:
            cpu = row.get("build_cpu") or row["cpu_seconds"]
            add(f"| {row['label']} | {row['reports']:,} | {row['chars']:,} | {row['build_seconds']:.1f} s"
                f" | {row['chars_per_s']:,.0f} | {row['build_seconds'] / row['chars'] * 1e6:.2f} | "
                f"{cpu:.1f} | {cpu / row['chars'] * 1e6:.2f} | {fnum(row.get('others_cores'), 2)} | "
                f"{mb(row['peak_rss_main'])} | "
                f"{mb(row['index_bytes'])} | {fnum(row['phrase_p50'], 1)} ms | {fnum(row['phrase_p95'], 1)} ms |")
        add(f"\nLeast-squares fit: build ≈ {s['fit_a']:.1f} s + {s['fit_b'] * 1e6:.2f} s per M chars "
            f"(R² {s['fit_r2']:.3f}); time per character at full size ÷ at ¼: wall "
            f"{s['per_char_ratio']:.2f}, CPU {s['cpu_per_char_ratio']:.2f} → "
            f"**{'linear' if s['linear'] else 'NOT linear'}** (tolerance ±"
            f"{TARGETS['linear_tolerance'] * 100:.0f} % on both; CPU time is the build's own "
            "processes, so it is not inflated by other load on the machine).\n")

    qa = res.get("quality")
    if qa:
        add("## 8. Real-corpus quality\n")
        add(f"### Metadata extracted from the text vs `manifest.csv` ({qa['compared']} reports, no "
            "manifest used by the build)\n")
        k = qa["kinds"]
        n = qa["compared"] or 1
        add("| field | right | right (other name form) | null | wrong | wrong by one year |")
        add("|---|---:|---:|---:|---:|---:|")
        add(f"| city | {k.get('city ok', 0)} ({k.get('city ok', 0) / n * 100:.1f} %) | "
            f"{k.get('city ok (other form of the name)', 0)} | {k.get('city null', 0)} | "
            f"{k.get('city wrong', 0)} | – |")
        add(f"| year | {k.get('year ok', 0)} ({k.get('year ok', 0) / n * 100:.1f} %) | – | "
            f"{k.get('year null', 0)} | {k.get('year wrong', 0)} | {k.get('year wrong (off by one)', 0)} |")
        add(f"| both | {k.get('both ok', 0)} ({k.get('both ok', 0) / n * 100:.1f} %) | | | | |\n")
        add("| level | reports | city right | year right | both |\n|---|---:|---:|---:|---:|")
        for level, v in sorted(qa["by_level"].items(), key=lambda kv: -kv[1].get("reports", 0)):
            r = v.get("reports", 0) or 1
            cr = v.get("city ok", 0) + v.get("city ok (other form of the name)", 0)
            add(f"| {level} | {v.get('reports', 0)} | {cr / r * 100:.1f} % | "
                f"{v.get('year ok', 0) / r * 100:.1f} % | {v.get('both ok', 0) / r * 100:.1f} % |")
        add("")
        if qa["examples"]:
            add("<details><summary>disagreements, examples (manifest → extracted)</summary>\n")
            for kind, ex in qa["examples"].items():
                add(f"- **{kind}** ({k.get(kind, 0)}): " + "; ".join(
                    f"`{e['file']}` {e['manifest']} → {e['extracted']}" for e in ex[:8]))
            add("\n</details>\n")
        add(f"### Noise left in the normalized texts ({qa['reports']} reports)\n")
        add("| noise (corpus README) | lines / chars left | reports | examples |\n|---|---:|---:|---|")
        for name, v in qa["noise"].items():
            amount = v.get("lines", v.get("chars", 0))
            ex = "<br>".join(e.replace("|", "\\|") for e in v["examples"][:3])
            add(f"| {name} | {amount} | {v['reports']} | {ex} |")
        add("")

    p = res.get("profile")
    if p:
        add("## Profile\n")
        pb = p.get("build")
        if pb and not pb.get("error"):
            add(f"### Build ({pb['build']['label']}: {pb['build']['reports']} reports, "
                f"{pb['build']['chars']:,} chars, {pb['build']['build_seconds']:.1f} s under py-spy, "
                f"{pb['samples']:,} samples at 50 Hz over all processes, idle time excluded)\n")
            add("Self time (where the CPU is):\n")
            add("| function | share of CPU samples |\n|---|---:|")
            for name, share in pb["self"]:
                add(f"| `{name}` | {share * 100:.1f} % |")
            add("\nInclusive time (function and everything it calls):\n")
            add("| function | share |\n|---|---:|")
            for name, share in pb["inclusive"]:
                add(f"| `{name}` | {share * 100:.1f} % |")
            add("")
        elif pb:
            add(f"Build profile not taken: {pb.get('error')}\n")
        pq = p.get("queries")
        if pq:
            add(f"### Slowest queries (cProfile, 3 × the {len(pq['queries'])} slowest: "
                f"{', '.join('`' + x + '`' for x in pq['queries'])})\n")
            add("| function | calls | self s | cumulative s |\n|---|---:|---:|---:|")
            for e in pq["cumulative"]:
                add(f"| `{e['func']}` | {e['calls']:,} | {e['tottime']:.3f} | {e['cumtime']:.3f} |")
            add("\nTop self time:\n")
            add("| function | calls | self s |\n|---|---:|---:|")
            for e in pq["self"]:
                add(f"| `{e['func']}` | {e['calls']:,} | {e['tottime']:.3f} |")
            add("")
    add(NOTES_START)
    add(res.get("profile_notes") or "_(analysis notes: written by hand between these markers; "
        "bench.py keeps them when it rewrites this file)_")
    add(NOTES_END + "\n")
    add("## Reproduce\n")
    add("```\nmake bench            # = python scripts/bench.py --out docs/benchmarks.md --data bench-data\n"
        "python scripts/bench.py --quick --skip-web   # ¼ corpus, no scaling: a fast check\n"
        "python scripts/bench.py --update render      # re-render this file from the JSON (keeps the notes)\n"
        "```\n")
    return "\n".join(L)


NOTES_START = "<!-- notes:start -->"
NOTES_END = "<!-- notes:end -->"


def kept_notes(path: Path) -> str | None:
    """Hand-written analysis between the notes markers of the previous report, kept verbatim."""
    try:
        text = path.read_text("utf-8")
    except OSError:
        return None
    start, end = text.find(NOTES_START), text.find(NOTES_END)
    if start < 0 or end < start:
        return None
    return text[start + len(NOTES_START):end].strip() or None


def targets(res: dict) -> list[dict]:
    out = []
    b = res["build"]
    quick = res["quick"]
    scale_note = f" (quick: {res['corpus']['files']} files only)" if quick else ""

    def add(target, measured, met):
        out.append({"target": target, "measured": measured, "met": met})

    add("full build ≤ 4 min" + scale_note, f"{b['build_seconds']:.1f} s", b["build_seconds"] <= TARGETS["build_seconds"])
    naive = res.get("baselines", {}).get("naive")
    if naive:
        ratio = b["chars_per_s"] / naive["chars_per_s"]
        cpu_note = ""
        if b.get("build_cpu") and naive.get("build_cpu"):
            cpu_note = (f" (per CPU second: {b['chars'] / b['build_cpu']:,.0f} vs "
                        f"{naive['cpu_chars_per_s']:,.0f} = "
                        f"{b['chars'] / b['build_cpu'] / naive['cpu_chars_per_s']:.2f}×)")
        add("build ≥ 3× naive chars/s", f"{b['chars_per_s']:,.0f} vs {naive['chars_per_s']:,.0f} chars/s = "
            f"{ratio:.2f}×{cpu_note}", ratio >= TARGETS["build_vs_naive"])
    q = res.get("queries")
    if q:
        g = q["phrase"]["govsearch"]
        bru = q["phrase"]["brute"]
        add("phrase query p50 ≤ 15 ms (with snippets)", f"{g['p50']:.1f} ms", g["p50"] <= TARGETS["phrase_p50_ms"])
        add("phrase query p95 ≤ 50 ms (with snippets)", f"{g['p95']:.1f} ms", g["p95"] <= TARGETS["phrase_p95_ms"])
        add("phrase query p50 below brute force", f"{g['p50']:.1f} vs {bru['p50']:.1f} ms", g["p50"] < bru["p50"])
        ga, ba = q["all"]["govsearch"], q["all"]["brute"]
        add("(all queries) p50 below brute force", f"{ga['p50']:.1f} vs {ba['p50']:.1f} ms", ga["p50"] < ba["p50"])
        add("recall 100 % (report sets, all queries)", f"{q['recall_micro'] * 100:.3f} % (min per query "
            f"{q['recall_min'] * 100:.1f} %)", q["recall_micro"] == 1.0 and q["recall_min"] == 1.0)
        add("precision 100 %", f"{q['precision_micro'] * 100:.3f} % (min per query "
            f"{q['precision_min'] * 100:.1f} %)", q["precision_micro"] == 1.0 and q["precision_min"] == 1.0)
        add("exact per-report counts", f"{q['exact_queries']}/{len(q['rows'])} queries exact",
            q["exact_queries"] == len(q["rows"]))
    w = res.get("web")
    if w and not w.get("error"):
        add("`/api/search` ≥ 150 req/s", f"{w['rps']:.1f} req/s", w["rps"] >= TARGETS["web_rps"])
        add("serving RSS ≤ 400 MB", mb(w["rss_peak"]), w["rss_peak"] <= TARGETS["web_rss_mb"] * 1e6)
    s = res.get("scaling")
    if s:
        add("build time linear in corpus size", f"time per char, full ÷ ¼: wall {s['per_char_ratio']:.2f}, "
            f"CPU {s['cpu_per_char_ratio']:.2f}", s["linear"])
    return out


# ------------------------------------------------------------------------------------------
# main

def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "_child":
        return child_main(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="docs/benchmarks.md")
    ap.add_argument("--json", default=None, help="default: --out with .json")
    ap.add_argument("--data", default="bench-data")
    ap.add_argument("--work", default=None, help="scratch folder (default: DATA/work)")
    ap.add_argument("--quick", action="store_true", help="¼ of the corpus, no scaling, no profile")
    ap.add_argument("--skip-web", action="store_true")
    ap.add_argument("--skip-tantivy", action="store_true")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--skip-profile", action="store_true")
    ap.add_argument("--every", type=int, default=4,
                    help="with --quick: index every Nth file (default 4)")
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions per query")
    ap.add_argument("--web-seconds", type=float, default=15)
    ap.add_argument("--web-clients", type=int, default=8)
    ap.add_argument("--web-tool", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--update", choices=("render", "quality"), default=None,
                    help="no new measurement: re-render --out from --json (render), or also "
                         "recompute part 8 from the index of the last run (quality)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    os.chdir(ROOT)
    if args.update:
        return update(args)
    data = Path(args.data)
    work = Path(args.work) if args.work else data / "work"
    work.mkdir(parents=True, exist_ok=True)
    out_md = Path(args.out)
    out_json = Path(args.json) if args.json else out_md.with_suffix(".json")

    machine = machine_info()
    machine["other_cpu_start"] = other_load()
    log(f"machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load_start']}, "
        f"other processes {machine['other_cpu_start']:.0f} % CPU")
    reports_dir = ensure_data(data)
    files = sorted(p for p in reports_dir.iterdir() if p.is_file() and p.suffix == ".txt")
    if args.quick:
        chosen = files[::args.every]
        corpus = subset(reports_dir, chosen, work / f"corpus-1of{args.every}")
    else:
        corpus, chosen = reports_dir, files
    raw_chars = sum(len(p.read_text("utf-8", errors="replace")) for p in chosen)
    res: dict = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "quick": args.quick,
                 "machine": machine, "targets_definition": TARGETS}

    # 1. govsearch build (the report store it writes is the normalized text for everything else)
    index = work / ("index-quarter" if args.quick else "index-full")
    res["build"] = part_build(corpus, index, f"1/{args.every} corpus" if args.quick else "full corpus")
    from search.engine import Engine

    engine = Engine(index)
    reports = sorted(engine.snapshot.reports.values(), key=lambda r: r.id)
    res["corpus"] = {"files": len(chosen), "reports": len(reports), "raw_chars": raw_chars,
                     "chars": sum(len(r.text) for r in reports),
                     "source": f"every {args.every}th file of {reports_dir}" if args.quick
                     else "bench-data/reports (corpus-bench)"}
    texts_path = work / "texts.jsonl"
    with open(texts_path, "w", encoding="utf-8") as handle:
        for r in reports:
            handle.write(json.dumps([r.id, r.text], ensure_ascii=False) + "\n")

    queries = load_queries()
    brute = BruteForce(reports)
    # 3 + 5. brute force, govsearch latency and exactness
    res["queries"] = part_queries(engine, brute, queries, args.reps)

    # 2 + 4. baselines on the same texts, single-phrase queries
    from search.ingest.normalize import normalize_query

    phrase_q = [q for q in queries if is_phrase_query(q)]
    phrases = list(dict.fromkeys(normalize_query(q["query"]) for q in phrase_q))
    truth = {p: brute.run(p) for p in phrases}
    phrases_path = work / "phrases.json"
    phrases_path.write_text(json.dumps(phrases, ensure_ascii=False), "utf-8")
    res["baselines"] = {}
    if not args.skip_naive:
        try:
            res["baselines"]["naive"] = part_baseline("naive", texts_path, work / "naive-index",
                                                      phrases, truth, phrases_path)
        except Exception as error:
            log(f"naive baseline failed: {error}")
            res["baselines_error_naive"] = str(error)
    if not args.skip_tantivy:
        for variant in ("chars", "strict"):
            try:
                res["baselines"][f"tantivy-{variant}"] = part_baseline(
                    "tantivy", texts_path, work / f"tantivy-{variant}", phrases, truth,
                    phrases_path, variant)
            except Exception as error:
                log(f"tantivy {variant} failed: {error}")
                res[f"baselines_error_tantivy_{variant}"] = str(error)

    # 8. quality
    res["quality"] = part_quality(reports, load_manifest(data / "manifest.csv"))

    # 6. web
    if not args.skip_web:
        try:
            res["web"] = part_web(index, engine, queries, args.web_clients, args.web_seconds, work,
                                  args.web_tool, fresh_queries(reports))
        except Exception as error:
            log(f"web part failed: {error}")
            res["web"] = {"error": str(error)}

    # profile of the slowest queries (on the main index, before the scaling builds)
    res["profile"] = {}
    if not args.skip_profile:
        log("profile: slowest queries under cProfile")
        res["profile"]["queries"] = part_profile_queries(engine, res["queries"]["rows"])

    # 7. scaling
    if not args.quick and not args.skip_scaling:
        rows = []
        for label, step in (("¼ (every 4th file)", 4), ("½ (every 2nd file)", 2)):
            folder = subset(reports_dir, files[::step], work / f"corpus-1of{step}")
            b = part_build(folder, work / f"index-1of{step}", label)
            eng = Engine(work / f"index-1of{step}")
            samples = time_engine(eng, phrase_q, reps=3)
            lat = [x for v in samples.values() for x in v]
            b["phrase_p50"], b["phrase_p95"] = pct(lat, 50), pct(lat, 95)
            rows.append(b)
            del eng
        full = dict(res["build"])
        full["label"] = "all"
        full["phrase_p50"] = res["queries"]["phrase"]["govsearch"]["p50"]
        full["phrase_p95"] = res["queries"]["phrase"]["govsearch"]["p95"]
        rows.append(full)
        xs = [r["chars"] for r in rows]
        ys = [r["build_seconds"] for r in rows]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
        icpt = my - slope * mx
        ss_tot = sum((y - my) ** 2 for y in ys)
        ss_res = sum((y - (icpt + slope * x)) ** 2 for x, y in zip(xs, ys))
        ratio = (ys[-1] / xs[-1]) / (ys[0] / xs[0])
        cpus = [r.get("build_cpu") or r["cpu_seconds"] for r in rows]
        cpu_ratio = (cpus[-1] / xs[-1]) / (cpus[0] / xs[0])
        tol = TARGETS["linear_tolerance"]
        res["scaling"] = {"rows": rows, "fit_a": icpt, "fit_b": slope,
                          "fit_r2": 1 - ss_res / ss_tot if ss_tot else 1.0,
                          "per_char_ratio": ratio, "cpu_per_char_ratio": cpu_ratio,
                          "linear_wall": abs(ratio - 1) <= tol,
                          "linear_cpu": abs(cpu_ratio - 1) <= tol,
                          "linear": abs(ratio - 1) <= tol and abs(cpu_ratio - 1) <= tol}

    # profile of a build (¼ corpus under py-spy, after the timed builds so it does not disturb them)
    if not args.quick and not args.skip_profile:
        try:
            res["profile"]["build"] = part_profile_build(corpus, work / "index-profile", work)
        except Exception as error:
            log(f"build profile failed: {error}")
            res["profile"]["build"] = {"error": str(error)}

    machine["other_cpu_end"] = other_load()
    machine["load_end"] = os.getloadavg()
    res["run_seconds"] = time.perf_counter() - started
    res["targets"] = targets(res)
    res["profile_notes"] = kept_notes(out_md)
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text(render(res), "utf-8")
    tmp = out_json.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), "utf-8")
    tmp.replace(out_json)
    log(f"wrote {out_md} and {out_json} in {res['run_seconds'] / 60:.1f} min")
    for t in res["targets"]:
        log(f"  {'MET    ' if t['met'] else 'NOT MET'}  {t['target']}: {t['measured']}")
    misses = [r for r in res["queries"]["rows"] if not r["exact"]]
    if misses:
        log(f"!!! {len(misses)} QUERIES DIFFER FROM BRUTE FORCE: "
            + ", ".join(r["query"] for r in misses))
    return 0


def update(args) -> int:
    out_md = Path(args.out)
    out_json = Path(args.json) if args.json else out_md.with_suffix(".json")
    res = json.loads(out_json.read_text("utf-8"))
    if args.update == "quality":
        from search.engine import Engine

        data = Path(args.data)
        work = Path(args.work) if args.work else data / "work"
        index = work / ("index-quarter" if res.get("quick") else "index-full")
        engine = Engine(index)
        reports = sorted(engine.snapshot.reports.values(), key=lambda r: r.id)
        res["quality"] = part_quality(reports, load_manifest(data / "manifest.csv"))
        res["quality"]["updated"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    res["profile_notes"] = kept_notes(out_md)
    out_md.write_text(render(res), "utf-8")
    tmp = out_json.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), "utf-8")
    tmp.replace(out_json)
    log(f"re-rendered {out_md} ({args.update})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
