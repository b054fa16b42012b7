"""A blind judgment of diff "new" phrases before and after a change, and its result.

docs/trends.md ("Are the listed phrases terms?") measures whether the year-over-year diff lists
terms a reader recognizes.  Two samples drawn with ``scripts/diff_sample.py`` (same seed, same
procedure) — one from the code before a change, one after — are merged into one file a judge
labels without knowing which sample a row came from:

    PYTHONPATH=$PWD python scripts/diff_judge.py blind --index INDEX \\
        --before before.tsv --after after.tsv \\
        --out docs/trends-judge-blind.tsv --key /tmp/diffq-key.tsv

``blind`` writes the rows shuffled with a fixed seed, columns ``n, phrase, sentence`` (the
sentence is the phrase's context line as the diff shows it — the report's own characters —
with the phrase in 【】), and a key ``n, sample, city, year, phrase, count, report_id`` kept
away from the judge.  The judge writes ``n, term`` (yes/no) per row; then

    python scripts/diff_judge.py score --key KEY --labels LABELS [--markdown --blind BLIND]

prints the share of real terms in each sample (and with ``--markdown`` the judged rows as the
tables of docs/trends-sample.md).  To judge exactly what a change did, ``diff_sample.py --all``
lists every listed phrase of the same city-years before and after, ``changed`` keeps the ones
only one side lists (removed / brought in), and ``blind`` merges those two the same way.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from diff_sample import marked  # the same line diff_sample.py prints (scripts/ is on the path)

SAMPLES = ("before", "after")
YES = ("yes", "y", "1", "true", "是")
KEY_FIELDS = ("sample", "city", "year", "phrase", "count", "report_id")


def read_sample(path: Path) -> list[dict]:
    """Rows of ``diff_sample.py``'s output: city, year, phrase, count (sentence ignored)."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            city, year, phrase, count = line.split("\t")[:4]
            rows.append({"city": city, "year": int(year), "phrase": phrase, "count": int(count)})
    return rows


def sentence(engine, city: str, year: int, phrase: str) -> tuple[str, str]:
    """(report id, context line with the phrase in 【】) of the report ``diff`` shows."""
    from search import trends

    report = trends.city_report(engine, city, year)
    return report.id, marked(trends.context(report, phrase))


def blind(args) -> int:
    from search.engine import Engine

    engine = Engine(Path(args.index))
    rows = []
    for sample, path in zip(SAMPLES, (args.before, args.after)):
        for row in read_sample(Path(path)):
            report_id, line = sentence(engine, row["city"], row["year"], row["phrase"])
            rows.append(dict(row, sample=sample, report_id=report_id, sentence=line))
    random.Random(args.seed).shuffle(rows)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["n", "phrase", "sentence"])
        for n, row in enumerate(rows, 1):
            writer.writerow([n, row["phrase"], row["sentence"]])
    with open(args.key, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["n", *KEY_FIELDS])
        for n, row in enumerate(rows, 1):
            writer.writerow([n, *(row[k] for k in KEY_FIELDS)])
    print(f"{len(rows)} rows → {args.out}; key → {args.key}", file=sys.stderr)
    return 0


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def score(args) -> int:
    key = {row["n"]: row for row in read_tsv(Path(args.key))}
    judged = read_tsv(Path(args.labels))
    labels = {row["n"].strip(): row["term"].strip().lower() for row in judged}
    reasons = {row["n"].strip(): (row.get("reason") or "").strip() for row in judged}
    missing = sorted(set(key) - set(labels), key=int)
    if missing:
        print(f"no label for rows {', '.join(missing[:20])}", file=sys.stderr)
    drawn = {s: {ident(r) for r in key.values() if r["sample"] == s} for s in SAMPLES}
    for sample in SAMPLES:
        rows = [(n, row) for n, row in key.items() if row["sample"] == sample and n in labels]
        yes = sum(1 for n, _ in rows if labels[n] in YES)
        print(f"{sample}: {yes} / {len(rows)} real terms")
        other = drawn["after" if sample == "before" else "before"]
        own = [n for n, row in rows if ident(row) not in other]
        yes = sum(1 for n in own if labels[n] in YES)
        print(f"  of the rows drawn only {sample}: {yes} / {len(own)}")
    if args.markdown:
        lines = {row["n"]: row["sentence"] for row in read_tsv(Path(args.blind))}
        for sample in SAMPLES:
            print(
                f"\n| n | city | year | phrase | count | term? | judge's note | sentence ({sample}) |"
            )
            print("| ---: | --- | ---: | --- | ---: | --- | --- | --- |")
            for n, row in sorted(key.items(), key=lambda kv: int(kv[0])):
                if row["sample"] == sample:
                    cells = [n, row["city"], row["year"], row["phrase"], row["count"]]
                    line = short(lines.get(n, "")).replace("|", "\\|")
                    cells += [labels.get(n, "?"), reasons.get(n, "").replace("|", "\\|"), line]
                    print("| " + " | ".join(cells) + " |")
    return 0


def ident(row: dict) -> tuple:
    return row["city"], row["year"], row["phrase"]


def short(line: str, room: int = 40) -> str:
    """The sentence cut to ``room`` characters each side of the marked phrase."""
    a, b = line.find("【"), line.find("】") + 1
    if a < 0:
        return line
    left = line[max(0, a - room) : a]
    right = line[b : b + room]
    return (
        ("…" if a > room else "") + left + line[a:b] + right + ("…" if len(line) > b + room else "")
    )


def changed(args) -> int:
    """The listed phrases only one of two ``diff_sample.py --all`` outputs holds, per side."""
    lists = [Path(args.before).read_text("utf-8"), Path(args.after).read_text("utf-8")]
    rows = [[line.split("\t")[:4] for line in text.splitlines() if line.strip()] for text in lists]
    keys = [{tuple(r[:3]) for r in side} for side in rows]
    for side, other, out in ((0, 1, args.out_before), (1, 0, args.out_after)):
        with open(out, "w", encoding="utf-8") as f:
            for r in rows[side]:
                if tuple(r[:3]) not in keys[other]:
                    f.write("\t".join(r) + "\n")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("blind", help="merge two samples into one blind file and a key")
    b.add_argument("--index", required=True)
    b.add_argument("--before", required=True)
    b.add_argument("--after", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--key", required=True)
    b.add_argument("--seed", type=int, default=18)
    s = sub.add_parser("score", help="the share of real terms per sample")
    s.add_argument("--key", required=True)
    s.add_argument("--labels", required=True)
    s.add_argument("--markdown", action="store_true", help="also print the judged rows")
    s.add_argument("--blind", default="docs/trends-judge-blind.tsv", help="for the sentences")
    c = sub.add_parser("changed", help="rows only one of two --all lists holds")
    c.add_argument("--before", required=True)
    c.add_argument("--after", required=True)
    c.add_argument("--out-before", required=True)
    c.add_argument("--out-after", required=True)
    args = parser.parse_args(argv)
    return {"blind": blind, "score": score, "changed": changed}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
