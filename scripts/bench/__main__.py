"""``python -m scripts.bench`` (``make bench``): benchmark govsearch on the bench corpus
against brute force, a naive Whoosh+jieba index and tantivy; measure query latency, web
throughput, scaling and real-corpus quality.

    python -m scripts.bench --out docs/benchmarks.md --data bench-data [--quick]
        [--skip-web] [--skip-tantivy] [--skip-naive] [--skip-scaling] [--skip-profile]

Everything is measured in one run on the same normalized texts (the report store of the
govsearch build) and written to ``--out`` (Markdown) and ``--json`` (default: the same
name with ``.json``). Builds run in child processes (``scripts.bench.children``) so that
their time, CPU time and peak RSS are their own. If ``DATA/reports`` is missing the corpus
is unpacked from ``../shared/corpus-bench/reports.tar.xz``. The scale section
(``make bench-scale``) and the hand-written notes of the previous report are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from .common import ROOT, TARGETS, log, pct
from .data import SHARED, ensure_data, is_phrase_query, load_manifest, load_queries, subset
from .measure import part_baseline, part_build, part_queries, time_engine
from .oracle import BruteForce, full_reports
from .procs import machine_info, other_load
from .profile import part_profile_build, part_profile_queries
from .quality import part_quality
from .report import targets, write
from .web import fresh_queries, part_web


def parse_args(argv) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="docs/benchmarks.md")
    ap.add_argument("--json", default=None, help="default: --out with .json")
    ap.add_argument("--data", default="bench-data")
    ap.add_argument("--work", default=None, help="scratch folder (default: DATA/work)")
    ap.add_argument(
        "--shared",
        default=str(SHARED),
        help="the shared folder holding corpus-bench/ (default: ../shared)",
    )
    ap.add_argument("--quick", action="store_true", help="¼ of the corpus, no scaling, no profile")
    for part in ("web", "tantivy", "naive", "scaling", "profile"):
        ap.add_argument(f"--skip-{part}", action="store_true")
    ap.add_argument(
        "--every", type=int, default=4, help="with --quick: index every Nth file (default 4)"
    )
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions per query")
    ap.add_argument("--web-seconds", type=float, default=15)
    ap.add_argument("--web-clients", type=int, default=8)
    ap.add_argument("--web-tool", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument(
        "--update",
        choices=("render", "quality"),
        default=None,
        help="no new measurement: re-render --out from --json (render), or also "
        "recompute part 8 from the index of the last run (quality)",
    )
    args = ap.parse_args(argv)
    args.out = Path(args.out)
    args.json = Path(args.json) if args.json else args.out.with_suffix(".json")
    args.data, args.shared = Path(args.data), Path(args.shared).resolve()
    args.work = Path(args.work) if args.work else args.data / "work"
    return args


def write_texts(reports: list, path: Path) -> Path:
    """The normalized texts every baseline indexes (``[id, text]`` per line)."""
    with open(path, "w", encoding="utf-8") as handle:
        for r in reports:
            handle.write(json.dumps([r.id, r.text], ensure_ascii=False) + "\n")
    return path


def run_baselines(args, brute: BruteForce, queries: list[dict], texts_path: Path) -> dict:
    """Naive Whoosh+jieba and tantivy on the same texts, single-phrase queries."""
    from search.ingest.normalize import normalize_query

    phrases = list(
        dict.fromkeys(normalize_query(q["query"]) for q in queries if is_phrase_query(q))
    )
    truth = {p: brute.run(p) for p in phrases}
    phrases_path = args.work / "phrases.json"
    phrases_path.write_text(json.dumps(phrases, ensure_ascii=False), "utf-8")
    runs = [] if args.skip_naive else [("naive", None)]
    runs += [] if args.skip_tantivy else [("tantivy", "chars"), ("tantivy", "strict")]
    out, errors = {}, {}
    for kind, variant in runs:
        label = kind if not variant else f"{kind}-{variant}"
        folder = args.work / ("naive-index" if kind == "naive" else label)
        try:
            out[label] = part_baseline(
                kind, texts_path, folder, phrases, truth, phrases_path, variant
            )
        except Exception as error:
            log(f"{label} baseline failed: {error}")
            errors["baselines_error_" + label.replace("-", "_")] = str(error)
    return {"baselines": out, **errors}


def linear_fit(rows: list[dict]) -> dict:
    """Least-squares build time against characters, and time per character full ÷ smallest."""
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
    return {
        "rows": rows,
        "fit_a": icpt,
        "fit_b": slope,
        "fit_r2": 1 - ss_res / ss_tot if ss_tot else 1.0,
        "per_char_ratio": ratio,
        "cpu_per_char_ratio": cpu_ratio,
        "linear_wall": abs(ratio - 1) <= tol,
        "linear_cpu": abs(cpu_ratio - 1) <= tol,
        "linear": abs(ratio - 1) <= tol and abs(cpu_ratio - 1) <= tol,
    }


def run_scaling(
    args, reports_dir: Path, files: list[Path], res: dict, phrase_q: list[dict]
) -> dict:
    """Builds of ¼ and ½ of the files beside the full build, with phrase latency each."""
    from search.engine import Engine

    rows = []
    for label, step in (("¼ (every 4th file)", 4), ("½ (every 2nd file)", 2)):
        folder = subset(reports_dir, files[::step], args.work / f"corpus-1of{step}")
        b = part_build(folder, args.work / f"index-1of{step}", label)
        samples = time_engine(Engine(args.work / f"index-1of{step}"), phrase_q, reps=3)
        lat = [x for v in samples.values() for x in v]
        b["phrase_p50"], b["phrase_p95"] = pct(lat, 50), pct(lat, 95)
        rows.append(b)
    full = dict(res["build"], label="all")
    full["phrase_p50"] = res["queries"]["phrase"]["govsearch"]["p50"]
    full["phrase_p95"] = res["queries"]["phrase"]["govsearch"]["p95"]
    return linear_fit(rows + [full])


def keep_previous(args, res: dict) -> None:
    """The scale section of the previous run (``make bench-scale``) stays in the report."""
    try:
        previous = json.loads(args.json.read_text("utf-8"))
    except (OSError, ValueError):
        return
    if previous.get("scale"):
        res["scale"] = previous["scale"]


def measure(args, res: dict, corpus: Path, reports_dir: Path, files: list[Path]) -> None:
    """Every part on one build, in the order that keeps later parts from disturbing earlier."""
    from search.engine import Engine

    index = args.work / ("index-quarter" if args.quick else "index-full")
    res["build"] = part_build(
        corpus, index, f"1/{args.every} corpus" if args.quick else "full corpus"
    )
    engine = Engine(index)
    reports = full_reports(engine)
    res["corpus"].update(reports=len(reports), chars=sum(len(r.text) for r in reports))
    queries = load_queries()
    brute = BruteForce(reports)
    res["queries"] = part_queries(engine, brute, queries, args.reps)
    res.update(run_baselines(args, brute, queries, write_texts(reports, args.work / "texts.jsonl")))
    res["quality"] = part_quality(reports, load_manifest(args.data / "manifest.csv"))
    if not args.skip_web:
        try:
            res["web"] = part_web(
                index,
                engine,
                queries,
                args.web_clients,
                args.web_seconds,
                args.work,
                args.web_tool,
                fresh_queries(reports),
            )
        except Exception as error:
            log(f"web part failed: {error}")
            res["web"] = {"error": str(error)}
    res["profile"] = {}
    if not args.skip_profile:
        log("profile: slowest queries under cProfile")
        res["profile"]["queries"] = part_profile_queries(engine, res["queries"]["rows"])
    if not args.quick and not args.skip_scaling:
        res["scaling"] = run_scaling(
            args, reports_dir, files, res, [q for q in queries if is_phrase_query(q)]
        )
    if not args.quick and not args.skip_profile:  # after the timed builds: no disturbance
        try:
            res["profile"]["build"] = part_profile_build(
                corpus, args.work / "index-profile", args.work
            )
        except Exception as error:
            log(f"build profile failed: {error}")
            res["profile"]["build"] = {"error": str(error)}


def run(args) -> int:
    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    machine["other_cpu_start"] = other_load()
    log(
        f"machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load_start']}, "
        f"other processes {machine['other_cpu_start']:.0f} % CPU"
    )
    reports_dir = ensure_data(args.data, args.shared)
    files = sorted(p for p in reports_dir.iterdir() if p.is_file() and p.suffix == ".txt")
    chosen = files[:: args.every] if args.quick else files
    corpus = (
        subset(reports_dir, chosen, args.work / f"corpus-1of{args.every}")
        if args.quick
        else reports_dir
    )
    res: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "quick": args.quick,
        "machine": machine,
        "targets_definition": TARGETS,
        "corpus": {
            "files": len(chosen),
            "raw_chars": sum(len(p.read_text("utf-8", errors="replace")) for p in chosen),
            "source": f"every {args.every}th file of {reports_dir}"
            if args.quick
            else "bench-data/reports (corpus-bench)",
        },
    }
    measure(args, res, corpus, reports_dir, files)
    machine["other_cpu_end"] = other_load()
    machine["load_end"] = os.getloadavg()
    res["run_seconds"] = time.perf_counter() - started
    res["targets"] = targets(res)
    keep_previous(args, res)
    write(res, args.out, args.json)
    log(f"wrote {args.out} and {args.json} in {res['run_seconds'] / 60:.1f} min")
    for t in res["targets"]:
        log(f"  {'MET    ' if t['met'] else 'NOT MET'}  {t['target']}: {t['measured']}")
    misses = [r["query"] for r in res["queries"]["rows"] if not r["exact"]]
    if misses:
        log(f"!!! {len(misses)} QUERIES DIFFER FROM BRUTE FORCE: " + ", ".join(misses))
    return 0


def update(args) -> int:
    res = json.loads(args.json.read_text("utf-8"))
    if args.update == "quality":
        from search.engine import Engine

        index = args.work / ("index-quarter" if res.get("quick") else "index-full")
        reports = full_reports(Engine(index))
        res["quality"] = part_quality(reports, load_manifest(args.data / "manifest.csv"))
        res["quality"]["updated"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    write(res, args.out, args.json)
    log(f"re-rendered {args.out} ({args.update})")
    return 0


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.chdir(ROOT)
    return update(args) if args.update else run(args)


if __name__ == "__main__":
    sys.exit(main())
