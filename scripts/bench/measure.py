"""Measurements on one index: the govsearch build (in a child process), query latency and
exactness against brute force, and the baselines (naive Whoosh+jieba, tantivy) on the same
normalized texts."""

from __future__ import annotations

import collections
import json
import os
import shutil
import statistics
import time
from pathlib import Path

from .common import dir_size, dist, log, mb
from .data import is_phrase_query
from .oracle import BruteForce, compare_sets
from .procs import Phase, run_child


def generation_sizes(index: Path) -> tuple[int, int | None]:
    """Bytes of the live generation folder (named by ``index/CURRENT``) and of its Whoosh
    part (None if the layout has no ``whoosh`` folder)."""
    gen = index / (index / "CURRENT").read_text("utf-8").strip()
    whoosh = gen / "whoosh"
    return dir_size(gen), (dir_size(whoosh) if whoosh.exists() else None)


def part_build(corpus: Path, index: Path, label: str, wrap=None, extra=()) -> dict:
    shutil.rmtree(index, ignore_errors=True)
    load_before = os.getloadavg()[0]
    log(f"govsearch build [{label}] of {corpus} (load {load_before:.2f})")
    res = run_child(["build", str(corpus), str(index), *extra], wrap=wrap)
    s = res["summary"]
    total, whoosh_size = generation_sizes(index)
    out = {
        "label": label,
        "files": s["files"],
        "reports": s["reports"],
        "sections": s["sections"],
        "chars": s["chars"],
        "build_seconds": res["seconds"],
        "process_wall": res["process_wall"],
        "chars_per_s": s["chars"] / res["seconds"] if res["seconds"] else None,
        "cpu_seconds": res["rusage"]["cpu_seconds"],
        "build_cpu": res.get("build_cpu"),
        "load_before": load_before,
        "others_cores": res.get("others_cores"),
        "index_bytes": total,
        "whoosh_bytes": whoosh_size,
        "store_bytes": total - (whoosh_size or 0),
        "peak_rss_main": res["rusage"]["self_maxrss_kb"] * 1024,
        "peak_rss_child": res["rusage"]["children_maxrss_kb"] * 1024,
        "peak_rss_tree": res["peak_rss_tree"],
        "problems": s.get("problems", []),
        "warnings": len(s.get("warnings", [])),
        "phases": s.get("phases") or {},  # search.build.PHASES: wall and CPU seconds each
    }
    log(
        f"  {out['build_seconds']:.1f} s (CPU {out['build_cpu'] or 0:.1f} s, other processes "
        f"{out['others_cores']:.2f} cores), {out['chars_per_s']:,.0f} chars/s, index "
        f"{mb(total)}, peak RSS main {mb(out['peak_rss_main'])}, tree {mb(out['peak_rss_tree'])}"
    )
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


def _search_ms(engine, text: str) -> float:
    t = time.perf_counter()
    try:
        engine.search(text, limit=10)
    except Exception:
        pass
    return (time.perf_counter() - t) * 1000


def time_engine(
    engine, queries: list[dict], reps: int, warmup: int = 1, cached: bool = False
) -> dict[str, list[float]]:
    """Latency samples (ms) of ``engine.search(q, limit=10)`` per query, after warm-up passes.

    ``cached=False`` (the default, and what the targets are judged on) empties the engine's
    answer cache before every call, so each sample computes its answer; ``cached=True``
    measures a repeated query served from that cache.
    """
    for _ in range(warmup):
        for q in queries:
            _search_ms(engine, q["query"])
    samples = {q["query"]: [] for q in queries}
    for _ in range(reps):
        for q in queries:  # interleaved, so a slow moment spreads over all queries
            if not cached:
                clear_answer_caches(engine)
            samples[q["query"]].append(_search_ms(engine, q["query"]))
    return samples


def _engine_check(engine, text: str, truth: dict[str, int], row: dict) -> None:
    """The engine's answer to one query (first, uncached call) compared with brute force."""
    clear_answer_caches(engine)
    t = time.perf_counter()
    res = engine.search(text, limit=10)
    row["gov_ms_first"] = (time.perf_counter() - t) * 1000
    row["total"], row["hits"] = res["total"], res["hits"]
    top = {r["id"]: r["hits"] for r in res["results"]}
    row["top_count_mismatches"] = [
        (rid, truth.get(rid), h) for rid, h in top.items() if truth.get(rid) != h
    ]
    row["snippets_top10"] = sum(len(r.get("snippets", [])) for r in res["results"])
    if res.get("phrases"):
        st = engine.stats(text)
        row["check"] = compare_sets(truth, {r["report_id"]: r["occurrences"] for r in st["rows"]})
    else:  # filter-only query: compare the result count
        same = res["total"] == len(truth)
        low = min(res["total"], len(truth))
        row["check"] = {
            "truth": len(truth),
            "found": res["total"],
            "recall": 1.0 if same else low / max(len(truth), 1),
            "precision": 1.0 if same else low / max(res["total"], 1),
            "count_mismatches": 0,
            "missed": [],
            "extra": [],
        }


def check_query(engine, brute: BruteForce, q: dict) -> dict:
    """One row of the exactness table: brute-force truth, the engine's answer, verdict."""
    text = q["query"]
    t = time.perf_counter()
    truth = brute.run(text)
    row = {
        "category": q["category"],
        "query": text,
        "truth_reports": len(truth),
        "truth_hits": sum(truth.values()),
        "brute_ms_first": (time.perf_counter() - t) * 1000,
    }
    try:
        _engine_check(engine, text, truth, row)
    except Exception as error:  # a query the engine rejects is a failure, loudly
        row["error"] = f"{type(error).__name__}: {error}"
        row["check"] = {
            "truth": len(truth),
            "found": 0,
            "recall": 0.0 if truth else 1.0,
            "precision": 0.0,
            "count_mismatches": 0,
            "missed": [],
            "extra": [],
        }
    c = row["check"]
    row["exact"] = (
        c["recall"] == 1.0
        and c["precision"] == 1.0
        and not c.get("count_mismatches")
        and not row.get("top_count_mismatches")
        and "error" not in row
        and row.get("total") == len(truth)
        and row.get("hits") == sum(truth.values())
    )
    if not row["exact"]:
        log(f"  !!! MISMATCH for {text!r}: {json.dumps(row, ensure_ascii=False)[:600]}")
    return row


def time_brute(brute: BruteForce, queries: list[dict], reps: int) -> tuple[dict, float]:
    samples = {q["query"]: [] for q in queries}
    with Phase() as phase:
        for _ in range(reps):
            for q in queries:
                t = time.perf_counter()
                brute.run(q["query"])
                samples[q["query"]].append((time.perf_counter() - t) * 1000)
    return samples, phase.others


def _accuracy(rows: list[dict]) -> dict:
    total_truth = sum(r["check"]["truth"] for r in rows)
    total_hit = sum(r["check"]["truth"] * r["check"]["recall"] for r in rows)
    total_found = sum(r["check"]["found"] for r in rows)
    total_right = sum(r["check"]["found"] * r["check"]["precision"] for r in rows)
    return {
        "exact_queries": sum(1 for r in rows if r["exact"]),
        "recall_min": min(r["check"]["recall"] for r in rows),
        "precision_min": min(r["check"]["precision"] for r in rows),
        "recall_micro": total_hit / total_truth if total_truth else 1.0,
        "precision_micro": total_right / total_found if total_found else 1.0,
    }


def part_queries(engine, brute: BruteForce, queries: list[dict], reps: int) -> dict:
    """Latency of govsearch and brute force, and govsearch's correctness against brute force."""
    log(f"queries: correctness of {len(queries)} queries against brute force")
    rows = [check_query(engine, brute, q) for q in queries]
    log(f"queries: brute-force latency ({min(reps, 3)} reps)")
    brute_samples, others_brute = time_brute(brute, queries, min(reps, 3))
    log(f"queries: govsearch latency (1 warm-up pass + {reps} reps, limit=10 with snippets)")
    with Phase() as phase:
        gov_samples = time_engine(engine, queries, reps)
    log("queries: govsearch latency of repeated queries (answer cache on, 3 reps)")
    warm_samples = time_engine(engine, queries, 3, warmup=1, cached=True)
    for row in rows:
        row["gov_ms"] = statistics.median(gov_samples[row["query"]])
        row["brute_ms"] = statistics.median(brute_samples[row["query"]])

    def summarize(selected):
        gov = [x for q in selected for x in gov_samples[q["query"]]]
        bru = [x for q in selected for x in brute_samples[q["query"]]]
        return {"queries": len(selected), "govsearch": dist(gov), "brute": dist(bru)}

    phrase_q = [q for q in queries if is_phrase_query(q)]
    return {
        "rows": rows,
        "reps": reps,
        "others_cores_govsearch": phase.others,
        "others_cores_brute": others_brute,
        "categories": {
            cat: summarize([q for q in queries if q["category"] == cat])
            for cat in dict.fromkeys(q["category"] for q in queries)
        },
        "cached": dist([x for v in warm_samples.values() for x in v]),
        "cached_phrase": dist([x for q in phrase_q for x in warm_samples[q["query"]]]),
        "all": summarize(queries),
        "phrase": summarize(phrase_q),
        **_accuracy(rows),
    }


def _baseline_summary(res: dict, per: list[dict]) -> dict:
    total_truth = sum(p["truth"] for p in per)
    total_found = sum(p["found"] for p in per)
    tp = sum(p["truth"] * p["recall"] for p in per)
    return {
        "build_seconds": res["seconds"],
        "chars": res["chars"],
        "chars_per_s": res["chars"] / res["seconds"],
        "index_bytes": res["size"],
        "peak_rss_main": res["rusage"]["self_maxrss_kb"] * 1024,
        "cpu_seconds": res["rusage"]["cpu_seconds"],
        "build_cpu": res.get("build_cpu"),
        "cpu_chars_per_s": res["chars"] / res["build_cpu"] if res.get("build_cpu") else None,
        "others_cores": res.get("others_cores"),
        "recall_micro": tp / total_truth if total_truth else 1.0,
        "precision_micro": tp / total_found if total_found else 1.0,
        "recall_macro": statistics.fmean(p["recall"] for p in per) if per else None,
        "precision_macro": statistics.fmean(p["precision"] for p in per) if per else None,
        "queries_fully_recalled": sum(1 for p in per if p["recall"] == 1.0),
        "queries_fully_precise": sum(1 for p in per if p["precision"] == 1.0),
        "queries": len(per),
        "latency": dist([p["ms"] for p in per if p["ms"] is not None]),
        "per_query": per,
        "over_matched_reports": total_found - tp,
        "missed_reports": total_truth - tp,
    }


def part_baseline(
    kind: str,
    texts_path: Path,
    index: Path,
    phrases: list[str],
    truth: dict[str, dict],
    phrases_path: Path,
    variant: str | None = None,
) -> dict:
    label = kind if not variant else f"{kind}-{variant}"
    log(f"{label}: build + phrase queries")
    args = [kind, str(texts_path), str(index), str(phrases_path)] + ([variant] if variant else [])
    res = run_child(args)
    per = [
        {"phrase": p, **compare_sets(truth[p], res["found"][p]), "ms": res["latency_ms"].get(p)}
        for p in phrases
        if p in res["found"]
    ]
    out = {"label": label, **_baseline_summary(res, per)}
    if res.get("pattern"):
        out["pattern"] = res["pattern"]
    log(
        f"  {label}: {out['build_seconds']:.1f} s, {out['chars_per_s']:,.0f} chars/s, recall "
        f"{out['recall_micro']:.3f}, precision {out['precision_micro']:.3f}"
    )
    return out
