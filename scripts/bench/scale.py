"""``python -m scripts.bench.scale`` (``make bench-scale``): govsearch against brute force on
the 1× and 10× scale corpora (issue 13), in one run, as its own section of
``docs/benchmarks.md`` / ``.json``.

For each size N: the corpus is written by ``SHARED/corpus-bench/scale.py N OUT`` (kept in
``DATA/scaleN`` and reused), built with the public build (a child process: wall time and
the peak RSS summed over all its processes), then measured through the public API and the
CLI only: ``Engine(index)`` open + first answer; each phrase query of
``scripts/bench_queries.txt`` asked once (cold: distinct queries, exact counts, top-10
snippets and all facets); ``stats`` of common phrases; every query's report set and
per-report counts against the brute-force scan (``oracle.BruteForce`` over
``Engine.reports()``); then ``python -m search serve --workers 2`` on a free port: start to
first HTTP answer, every query once over ``/api/search``, and the memory of all server
processes (RSS summed, PSS). ``--fraction F`` keeps every 1/F-th file of each corpus, to
check the harness quickly without the full 10× build.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .common import PY, ROOT, dist, log, mb
from .data import SHARED, is_phrase_query, load_queries
from .measure import check_query, clear_answer_caches, part_build
from .oracle import BruteForce, full_reports
from .procs import machine_info, other_load, tree_memory
from .web import MemorySampler, Server, api_path

COMMON_PHRASES = ("生产总值", "城乡居民", "义务教育")
SCALE_TARGETS = {
    "p50_ms": 10.0,
    "p95_ms": 50.0,
    "p95_growth": 2.0,
    "rss_bytes": 1e9,
    "ready_seconds": 3.0,
    "build_seconds": 360.0,
    "build_rss_bytes": 2e9,
    "per_char_tolerance": 0.25,
    "stats_ms": 200.0,
}


def make_corpus(shared: Path, n: int, folder: Path) -> Path:
    """The N× corpus, written once by the shared ``scale.py`` (reused when complete)."""
    manifest = folder / "manifest.csv"
    if manifest.is_file():
        with open(manifest, encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
        if rows == sum(1 for p in folder.glob("*.txt")):
            return folder
    script = shared / "corpus-bench" / "scale.py"
    if not script.is_file():
        raise SystemExit(
            f"no scale script at {script}: pass --shared (or SHARED=) to the "
            "folder holding corpus-bench/"
        )
    log(f"scale corpus {n}×: {script} {n} {folder}")
    subprocess.run([PY, str(script), str(n), str(folder)], check=True)
    return folder


def fraction_of(corpus: Path, fraction: float, folder: Path) -> Path:
    """Every 1/fraction-th file of ``corpus`` (hard links: the build never follows symlinks)
    with the matching manifest rows."""
    if fraction >= 1:
        return corpus
    step = max(1, round(1 / fraction))
    with open(corpus / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chosen = rows[::step]
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for row in chosen:
        os.link((corpus / row["file"]).resolve(), folder / row["file"])
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(chosen)
    return folder


def build_once(corpus: Path, index: Path, label: str, reuse: bool) -> dict:
    """The build figures; with ``reuse`` an index built by an earlier run is kept."""
    index.parent.mkdir(parents=True, exist_ok=True)
    saved = index.parent / (index.name + ".build.json")
    if reuse and saved.is_file() and (index / "CURRENT").is_file():
        log(f"reusing {index} (built {time.ctime(saved.stat().st_mtime)})")
        return json.loads(saved.read_text("utf-8"))
    # The scale corpus holds 10 rotated copies of each report: text reuse would align every
    # copy with the 9 others (issue 17's figures come from make bench on real reports).
    out = part_build(corpus, index, label, extra=["--no-reuse"])
    saved.write_text(json.dumps(out, ensure_ascii=False), "utf-8")
    return out


def engine_figures(index: Path, phrase_q: list[dict]) -> tuple[object, dict]:
    """Open + first answer, each phrase query once (cold), stats of common phrases."""
    from search.engine import Engine

    t0 = time.perf_counter()
    engine = Engine(index)
    engine.search("发展", limit=10)
    out = {"open_first_answer_s": time.perf_counter() - t0}
    times, rows = [], []
    for q in phrase_q:
        t = time.perf_counter()
        res = engine.search(q["query"], limit=10)
        ms = (time.perf_counter() - t) * 1000
        times.append(ms)
        rows.append({"query": q["query"], "ms": ms, "total": res["total"], "hits": res["hits"]})
    out["phrase"] = dist(times)
    out["phrase_rows"] = rows
    out["stats"] = []
    for phrase in COMMON_PHRASES:
        clear_answer_caches(engine)
        t = time.perf_counter()
        st = engine.stats(phrase)
        out["stats"].append(
            {
                "phrase": phrase,
                "ms": (time.perf_counter() - t) * 1000,
                "rows": len(st["rows"]),
                "occurrences": sum(r["occurrences"] for r in st["rows"]),
            }
        )
    return engine, out


def exactness(engine, queries: list[dict]) -> dict:
    """Every query against the brute-force scan of the texts ``Engine.reports()`` gives."""
    log(f"exactness: {len(queries)} queries against brute force")
    brute = BruteForce(full_reports(engine))
    rows = [check_query(engine, brute, q) for q in queries]
    phrase = [r for r in rows if is_phrase_query(r)]
    stats_truth = {p: brute.run(p) for p in COMMON_PHRASES}
    return {
        "queries": len(rows),
        "exact": sum(1 for r in rows if r["exact"]),
        "not_exact": [r["query"] for r in rows if not r["exact"]],
        "brute_phrase": dist([r["brute_ms_first"] for r in phrase]),
        "stats_truth": {
            p: {"rows": len(t), "occurrences": sum(t.values())} for p, t in stats_truth.items()
        },
    }


def serving(index: Path, queries: list[dict]) -> dict:
    """``serve --workers 2``: start to first answer, every query once over HTTP, memory."""
    import http.client

    with Server(index, ["--workers", "2"], timeout=900) as server:
        out = {"ready_s": server.ready_seconds, "command": " ".join(server.cmd[1:])}
        sampler = MemorySampler(server.proc)
        sampler.start()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        times, phrase, bad = [], [], 0
        for q in queries:
            t = time.perf_counter()
            conn.request("GET", api_path(q["query"]))
            resp = conn.getresponse()
            resp.read()
            ms = (time.perf_counter() - t) * 1000
            bad += resp.status != 200
            times.append(ms)
            if is_phrase_query(q):
                phrase.append(ms)
        conn.close()
        sampler.stop.set()
        sampler.join()
        after = tree_memory(server.proc)
        out.update(
            all=dist(times),
            phrase=dist(phrase),
            non200=bad,
            processes=1 + len(server.proc.children(recursive=True)),
            rss_peak=max(sampler.rss + [after["rss"]]),
            pss_peak=max(sampler.pss + [after["pss"]]),
            rss_after=after["rss"],
        )
    return out


def measure_size(args, n: int, queries: list[dict]) -> dict:
    corpus = make_corpus(args.shared, n, args.data / f"scale{n}")
    label = f"{n}×" + (f" × {args.fraction:g}" if args.fraction < 1 else "")
    if args.fraction < 1:
        corpus = fraction_of(corpus, args.fraction, args.data / f"scale{n}-f{args.fraction:g}")
    suffix = f"-f{args.fraction:g}" if args.fraction < 1 else ""
    index = args.data / "work" / f"scale-index-{n}x{suffix}"
    out = {"n": n, "label": label, "build": build_once(corpus, index, label, args.reuse)}
    b = out["build"]
    out["seconds_per_mchar"] = b["build_seconds"] / b["chars"] * 1e6
    log(f"{label}: engine figures")
    engine, figures = engine_figures(index, [q for q in queries if is_phrase_query(q)])
    out["engine"] = figures
    out["exactness"] = exactness(engine, queries)
    del engine
    log(f"{label}: serving with 2 workers")
    out["serve"] = serving(index, queries)
    e, s = out["engine"], out["serve"]
    log(
        f"{label}: phrase p50 {e['phrase']['p50']:.1f} / p95 {e['phrase']['p95']:.1f} ms, "
        f"exact {out['exactness']['exact']}/{out['exactness']['queries']}, serving RSS "
        f"{mb(s['rss_peak'])} (PSS {mb(s['pss_peak'])}), ready {s['ready_s']:.2f} s"
    )
    return out


def scale_targets(small: dict, big: dict) -> list[dict]:
    """Issue 13's targets, judged on the largest size (``big``) and the 1× size (``small``)."""
    out = []

    def add(target, measured, met):
        out.append({"target": target, "measured": measured, "met": bool(met)})

    _query_scale_targets(small, big, add)
    _serve_build_targets(small, big, add)
    return out


def _query_scale_targets(small: dict, big: dict, add) -> None:
    """Phrase latency at both sizes and exactness."""
    t, ke = SCALE_TARGETS, big["engine"]
    lb, ls = big["label"], small["label"]
    add(
        f"{lb}: phrase p50 ≤ 10 ms",
        f"{ke['phrase']['p50']:.1f} ms",
        ke["phrase"]["p50"] <= t["p50_ms"],
    )
    add(
        f"{lb}: phrase p95 ≤ 50 ms",
        f"{ke['phrase']['p95']:.1f} ms",
        ke["phrase"]["p95"] <= t["p95_ms"],
    )
    growth = ke["phrase"]["p95"] / small["engine"]["phrase"]["p95"]
    add(
        f"p95 {lb} ≤ 2 × p95 {ls}",
        f"{ke['phrase']['p95']:.1f} vs {small['engine']['phrase']['p95']:.1f} ms = {growth:.2f}×",
        growth <= t["p95_growth"],
    )
    for size in (big, small):
        x = size["exactness"]
        add(
            f"{size['label']}: 100 % exact report sets and per-report counts",
            f"{x['exact']}/{x['queries']} queries exact",
            x["exact"] == x["queries"],
        )
    sp = small["engine"]["phrase"]
    add(
        f"{ls}: no slower than before (p50 ≤ 10 ms, p95 ≤ 22 ms)",
        f"p50 {sp['p50']:.1f} ms, p95 {sp['p95']:.1f} ms",
        sp["p50"] <= 10 and sp["p95"] <= 22,
    )


def _serve_build_targets(small: dict, big: dict, add) -> None:
    """Serving memory and start, build time and memory, linearity, ``stats`` of a phrase."""
    t, ke, se, bb = SCALE_TARGETS, big["engine"], big["serve"], big["build"]
    lb, ls = big["label"], small["label"]
    add(
        f"{lb}: all server processes ≤ 1 GB RSS (2 workers)",
        f"{mb(se['rss_peak'])} RSS summed, {mb(se['pss_peak'])} PSS, {se['processes']} processes",
        se["rss_peak"] <= t["rss_bytes"],
    )
    add(
        f"{lb}: index open + first answer ≤ 3 s",
        f"serve {se['ready_s']:.2f} s (Engine in process {ke['open_first_answer_s']:.2f} s)",
        se["ready_s"] <= t["ready_seconds"],
    )
    add(
        f"{lb}: build ≤ 6 min wall",
        f"{bb['build_seconds']:.0f} s",
        bb["build_seconds"] <= t["build_seconds"],
    )
    ratio = big["seconds_per_mchar"] / small["seconds_per_mchar"]
    add(
        f"time per character {lb} within 25 % of {ls}",
        f"{big['seconds_per_mchar']:.2f} vs "
        f"{small['seconds_per_mchar']:.2f} s per M chars = {ratio:.2f}×",
        abs(ratio - 1) <= t["per_char_tolerance"],
    )
    add(
        f"{lb}: build peak RSS (all processes) ≤ 2 GB",
        mb(bb["peak_rss_tree"]),
        bb["peak_rss_tree"] <= t["build_rss_bytes"],
    )
    worst = max(ke["stats"], key=lambda s: s["ms"])
    right = all(
        s["rows"] == big["exactness"]["stats_truth"][s["phrase"]]["rows"]
        and s["occurrences"] == big["exactness"]["stats_truth"][s["phrase"]]["occurrences"]
        for s in ke["stats"]
    )
    add(
        f"{lb}: `stats` of a common phrase ≤ 200 ms, exact",
        f"{worst['ms']:.0f} ms ({worst['phrase']}, {worst['rows']:,} rows); "
        f"{'exact' if right else 'NOT exact'}",
        worst["ms"] <= t["stats_ms"] and right,
    )


def parse_args(argv) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m scripts.bench.scale", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--sizes", default="1,10", help="corpus multiples, smallest first")
    ap.add_argument(
        "--fraction",
        type=float,
        default=1.0,
        help="keep every 1/F-th file of each corpus (a quick check of the harness)",
    )
    ap.add_argument("--shared", default=str(SHARED), help="folder holding corpus-bench/")
    ap.add_argument("--data", default="bench-data")
    ap.add_argument("--out", default="docs/benchmarks.md")
    ap.add_argument("--json", default=None, help="default: --out with .json")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="keep indexes an earlier run built (their build figures are reused)",
    )
    args = ap.parse_args(argv)
    args.sizes = [int(x) for x in args.sizes.split(",")]
    args.shared, args.data = Path(args.shared).resolve(), Path(args.data).resolve()
    args.out = Path(args.out).resolve()
    args.json = Path(args.json).resolve() if args.json else args.out.with_suffix(".json")
    return args


def main(argv=None) -> int:
    from .report import write

    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.chdir(ROOT)
    try:
        res = json.loads(args.json.read_text("utf-8"))
    except OSError:
        raise SystemExit(
            f"{args.json} is missing: run `make bench` first (the scale section "
            "is added to its report)"
        ) from None
    started = time.perf_counter()
    machine = machine_info()
    machine["other_cpu_start"] = other_load()
    queries = load_queries()
    sizes = [measure_size(args, n, queries) for n in args.sizes]
    machine["other_cpu_end"] = other_load()
    res["scale"] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine,
        "fraction": args.fraction,
        "queries": len(queries),
        "phrase_queries": sum(1 for q in queries if is_phrase_query(q)),
        "run_seconds": time.perf_counter() - started,
        "sizes": sizes,
        "targets": scale_targets(sizes[0], sizes[-1]),
        "targets_definition": SCALE_TARGETS,
    }
    write(res, args.out, args.json)
    log(f"wrote the scale section of {args.out} and {args.json}")
    for t in res["scale"]["targets"]:
        log(f"  {'MET    ' if t['met'] else 'NOT MET'}  {t['target']}: {t['measured']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
