"""Draw a fixed-seed sample of "new" phrases from year-over-year diffs, for judging by hand.

How docs/trends.md measures whether the diff lists terms a reader recognizes: city-years that
have an earlier dated report are shuffled with a fixed seed; each one's ``diff`` (the default
limit, as the page shows it) gives its listed ``new`` phrases, of which up to ``--per``
are drawn (same seed) until ``--size`` phrases are drawn.  The same city-years and draws run
before and after a change to the candidate rules, so the two samples are comparable.

    PYTHONPATH=$PWD python scripts/diff_sample.py --index /tmp/diffq-index > sample.tsv

Output: one tab-separated row per phrase — city, year, phrase, count, its context line (the
sentence of its first occurrence as the report shows it, phrase in 【】) — to be judged (a term
a reader recognizes: yes/no); ``scripts/diff_judge.py`` merges two such samples blind.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from search import trends
from search.engine import Engine


def city_years(engine) -> list[tuple[str, int]]:
    """Every (city, year) with a dated report and an earlier dated one, sorted."""
    years: dict[str, set[int]] = {}
    for r in engine.snapshot.reports.values():
        if r.city and r.year is not None:
            years.setdefault(r.city, set()).add(r.year)
    return sorted((city, y) for city, ys in years.items() for y in ys if y > min(ys))


def marked(context: dict) -> str:
    """A diff row's context line on one line, the phrase in 【】 (as the page marks it)."""
    text, start, end = context["text"], context["start"], context["end"]
    line = text[:start] + "【" + text[start:end] + "】" + text[end:]
    return line.replace("\n", " ").replace("\t", " ")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--per", type=int, default=4)
    parser.add_argument(
        "--all",
        action="store_true",
        help="print every listed new phrase of the city-years the draw visits (not only the drawn)",
    )
    args = parser.parse_args(argv)
    engine = Engine(Path(args.index))
    rng = random.Random(args.seed)
    pairs = city_years(engine)
    rng.shuffle(pairs)
    drawn = 0
    for city, year in pairs:
        if drawn >= args.size:
            break
        data = trends.diff(engine, city, year)
        rows = list(data["new"])
        picked = random.Random(f"{args.seed}-{city}-{year}").sample(
            rows, min(args.per, len(rows), args.size - drawn)
        )
        if args.all:
            drawn += len(picked)  # the same city-years as the draw
            picked = rows
        for row in picked:
            print(
                "\t".join(
                    [
                        city,
                        str(year),
                        row["phrase"],
                        str(row["count"]),
                        marked(row["context"]),
                    ]
                )
            )
            drawn += 0 if args.all else 1
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
