"""Figures of docs/reuse.md from an index built with reuse data (e.g. of the bench corpus).

    python scripts/reuse_stats.py --index bench-data/index [--examples 5]

Prints, as Markdown: the number of aligned pairs and passages, formula share, how reuse
shares are distributed by the level of the reusing report and of the source, how many
formula characters each K would mark (from the fingerprints: no re-alignment), the largest
number of reports one province-year holds (what K must exceed), and the pairs worth a look.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.engine import Engine  # noqa: E402
from search.reuse import views  # noqa: E402
from search.reuse.candidates import fingerprint_df, formula_cover  # noqa: E402
from search.reuse.compute import prepare  # noqa: E402
from search.reuse.params import ReuseParams  # noqa: E402


def quantiles(values: list[float]) -> str:
    if not values:
        return "–"
    q = np.quantile(values, [0.25, 0.5, 0.75, 0.9, 1.0])
    return " / ".join(f"{100 * x:.1f}%" for x in q)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    engine = Engine(Path(args.index))
    data = views.stored(engine)
    reports = engine.reports()
    pairs, passages = data.pairs, data.passages
    print(
        f"reports: {len(reports)}; pairs with a shared passage: {len(data.totals['a'])}, "
        f"of which with non-formula text: "
        f"{int(((data.totals['a_chars'] > 0) | (data.totals['b_chars'] > 0)).sum())}; "
        f"pair passages: {len(pairs['a'])} ({int(pairs['formula'].sum())} formula)"
    )
    print(
        f"attributed passages: {len(passages['report'])} "
        f"({int(passages['formula'].sum())} formula)\n"
    )
    print(
        "| reusing report level | reports | share quartiles / p90 / max | national | "
        "province | city |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    by_level: dict[str, list[dict]] = {}
    for r in reports:
        by_level.setdefault(r.level or "unknown", []).append(views.report_reuse(engine, r.id))
    for level, rows in sorted(by_level.items()):
        mean = {
            k: np.mean([x["by_level"][k] for x in rows]) for k in ("national", "province", "city")
        }
        print(
            f"| {level} | {len(rows)} | {quantiles([x['share'] for x in rows])} | "
            f"{100 * mean['national']:.1f}% | {100 * mean['province']:.1f}% | "
            f"{100 * mean['city']:.1f}% |"
        )
    print("\n(national / province / city: mean share of the report taken from that level)\n")
    formula_by_k(engine, reports)
    per_province_year(reports)
    examples(engine, args.examples)


def formula_by_k(engine, reports) -> None:
    params = ReuseParams()
    prepared = [prepare(r, params) for r in reports]
    values, df = fingerprint_df([p.fp_hash for p in prepared])
    total = sum(len(p.sk) for p in prepared)
    print("| K | fingerprints held by more than K reports | skeleton characters in formulas |")
    print("| --- | --- | --- |")
    for k in (5, 10, 20, 40, 80, 160):
        kp = ReuseParams(formula_reports=k)
        covered = sum(
            int(formula_cover(len(p.sk), p.fp_pos, p.fp_hash, values, df, kp).sum())
            for p in prepared
        )
        print(f"| {k} | {int((df > k).sum())} of {len(df)} | {100 * covered / total:.1f}% |")
    print()


def per_province_year(reports) -> None:
    counts = Counter(
        (r.province, r.year)
        for r in reports
        if r.province and r.year and r.level not in ("national", "province")
    )
    top = counts.most_common(5)
    print(
        "most city reports in one province-year: "
        + ", ".join(f"{p} {y}: {n}" for (p, y), n in top)
        + "\n"
    )


def examples(engine, n: int) -> None:
    data = views.corpus_view(engine, limit=200)
    seen, shown = set(), 0
    print("| A (earlier) | B | B's characters shared | share of B |")
    print("| --- | --- | --- | --- |")
    for p in data["pairs"]:
        key = (p["a"]["level"], p["b"]["level"], p["a"]["city"] == p["b"]["city"])
        if key in seen:
            continue
        seen.add(key)
        print(
            f"| {p['a']['city']} {p['a']['year']} ({p['a']['id']}) | {p['b']['city']} "
            f"{p['b']['year']} ({p['b']['id']}) | {p['chars_b']} | {100 * p['share_b']:.1f}% |"
        )
        shown += 1
        if shown == n:
            break


if __name__ == "__main__":
    main()
