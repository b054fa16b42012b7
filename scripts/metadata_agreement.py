"""Metadata read from the texts alone vs a curated manifest: agreement, wrong vs null, evidence.

    python scripts/metadata_agreement.py REPORTS_DIR MANIFEST.csv [--json OUT]

REPORTS_DIR must not hold the manifest (ingest would apply it). Prints a Markdown section for
docs/benchmarks.md: per field (city, level, year) how many values agree, are null, or are
wrong, and every wrong value with the evidence that decided it. A district agrees in either
name form (东安区 = 牡丹江市东安区, see search.ingest.gazetteer.same_place).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.ingest.gazetteer import same_place  # noqa: E402 (after the path is set)
from search.ingest.pipeline import ingest_corpus_files  # noqa: E402

FIELDS = ("city", "level", "year")


def agreement(reports_dir: Path, manifest: Path) -> dict:
    with manifest.open(encoding="utf-8-sig") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    ingested = ingest_corpus_files(reports_dir)
    first: dict = {}
    for report in ingested.reports:
        first.setdefault(report.source, report)
    out = {f: {"right": 0, "null": 0, "wrong": []} for f in FIELDS}
    out["files"], out["problems"] = len(rows), ingested.problems
    for name, row in sorted(rows.items()):
        report = first.get(name)
        for field in FIELDS:
            truth, got = row.get(field) or None, getattr(report, field) if report else None
            if truth is None:
                continue
            if got is None:
                out[field]["null"] += 1
                continue
            ok = same_place(truth, got) if field == "city" else str(got) == str(truth)
            if ok:
                out[field]["right"] += 1
            else:
                out[field]["wrong"].append(
                    {
                        "file": name,
                        "manifest": truth,
                        "got": got,
                        "evidence": report.evidence.get(field),
                    }
                )
    return out


def markdown(result: dict, label: str) -> str:
    lines = [
        (f"### Metadata from the texts alone vs the manifest ({label}, {result['files']} files)"),
        "",
        "| field | agree | null | wrong | wrong % |",
        "|---|---:|---:|---:|---:|",
    ]
    for field in FIELDS:
        r = result[field]
        total = r["right"] + r["null"] + len(r["wrong"])
        lines.append(
            f"| {field} | {r['right']} ({100 * r['right'] / total:.1f} %) | "
            f"{r['null']} | {len(r['wrong'])} | {100 * len(r['wrong']) / total:.2f} % |"
        )
    for field in FIELDS:
        for w in result[field]["wrong"]:
            ev = w["evidence"] or {}
            lines.append(
                f"- **{field} wrong** `{w['file']}`: manifest {w['manifest']}, "
                f"text {w['got']} — rule `{ev.get('rule')}`, words "
                f"“{ev.get('text')}” at {ev.get('start')}"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path)
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--label", default="bench corpus")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = agreement(args.reports, args.manifest)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    print(markdown(result, args.label))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
