#!/usr/bin/env python3
"""Print a random sample of reports for judging GDP-target extraction by hand (docs/targets.md).

Usage: scripts/targets_sample.py --index bench-data/index [--seed 16] [--size 100]
       [--exclude-seeds 16,17]

For each sampled report: the extracted GDP target (low, high, qualifier, strive, phrase) and
every sentence mentioning GDP (生产总值, GDP, 经济增长) with a figure and a growth word —
outside the review, or in the review when it names a target or this year — so a reader can
decide what the report states and whether the extraction matches. Samples drawn with
``--exclude-seeds`` leave out the reports of earlier samples (each a fresh held-out set).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.engine import Engine
from search.targets.extract import extract

GDP = re.compile(r"[^。;\n]*(?:生产总值|GDP|经济增长|经济增速)[^。;\n]*")


def sample(ids: list[str], seed: int, size: int, exclude: list[int]) -> list[str]:
    """The sample of ``seed``, drawn after the samples of ``exclude`` (in order) were removed."""
    rest = list(ids)
    for earlier in exclude:
        taken = set(random.Random(earlier).sample(rest, size))
        rest = [i for i in rest if i not in taken]
    return random.Random(seed).sample(rest, size)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--index", required=True)
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--size", type=int, default=100)
    p.add_argument("--exclude-seeds", default="")
    args = p.parse_args()
    engine = Engine(Path(args.index))
    exclude = [int(s) for s in args.exclude_seeds.split(",") if s]
    for n, rid in enumerate(sample(sorted(engine.snapshot.reports), args.seed, args.size, exclude)):
        report = engine.report(rid)
        gdp = [f for f in extract(report)["targets"] if f.indicator == "gdp"]
        print(f"##{n} {rid} {report.city} {report.level} {report.year}")
        print(
            "   EXTRACTED:",
            (gdp[0].low, gdp[0].high, gdp[0].qualifier, gdp[0].strive, gdp[0].text)
            if gdp
            else None,
        )
        for section in report.sections:
            for m in GDP.finditer(report.section_text(section)):
                sentence = m.group(0)
                if not re.search(r"\d|百分之", sentence) or not re.search(
                    r"增长|增速|增幅|增\d", sentence
                ):
                    continue
                if section.kind == "review" and not re.search(r"目标|今年|明年", sentence):
                    continue
                print(f"   [{section.kind}] {sentence[:200]}")


if __name__ == "__main__":
    main()
