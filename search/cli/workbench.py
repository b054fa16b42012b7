"""The workbench commands (panel, collocates, keyness, kwic, map): argument parsing and output
only; the numbers come from :mod:`search.insight`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import GovsearchError
from .common import Command, add_filters, engine, filters, print_json

FORMATS = ("csv", "json", "xlsx", "dta")


def cmd_panel(args) -> int:
    eng, chosen = engine(args), filters(args)
    from ..insight import tables
    from ..insight.concepts import gather
    from ..insight.panel import build_panel

    fmt = next((f for f in FORMATS if getattr(args, f)), "json")
    concepts = gather(args.concepts or (), args.concept or (), args.term or ())
    panel = build_panel(eng, concepts, args.by, **chosen)
    if fmt in ("xlsx", "dta") and not args.out:
        raise GovsearchError(f"--{fmt} writes a binary file: give --out FILE")
    if fmt == "json":
        body = json.dumps(panel.to_dict(), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "csv":
        body = tables.csv_text(panel.columns, panel.rows)
    elif fmt == "xlsx":
        body = tables.xlsx_bytes(panel.columns, panel.rows, panel.about)
    else:
        body = tables.dta_bytes(panel.columns, panel.rows, panel.about)
    if not args.out:
        sys.stdout.write(body)
        return 0
    out = Path(args.out)
    if isinstance(body, bytes):
        out.write_bytes(body)
    else:
        out.write_text(body, "utf-8", newline="")
    if fmt != "json":
        tables.write_sidecar(out, panel.about)
    print(f"wrote {out}: {len(panel.rows)} rows", file=sys.stderr)
    return 0


def cmd_collocates(args) -> int:
    eng, chosen = engine(args), filters(args)
    from ..insight import tables
    from ..insight.collocates import collocates

    data = collocates(eng, args.text, args.window, args.min, args.measure, args.limit, **chosen)
    if args.csv:
        columns = ["word", "count", "frequency", "expected", "ll", "mi", "logdice"]
        sys.stdout.write(tables.csv_text(columns, data["collocates"]))
    elif args.json:
        print_json(data)
    else:
        print(f"{data['hits']} hits in {data['reports']} reports, window ±{data['window']}")
        for c in data["collocates"]:
            print(
                f"{c['word']}\t{c['count']}\t{c['frequency']}\tG2={c['ll']}\tMI={c['mi']}"
                f"\tlogDice={c['logdice']}"
            )
    return 0


def cmd_keyness(args) -> int:
    eng = engine(args)
    from ..insight import tables
    from ..insight.keyness import keyness

    data = keyness(eng, args.a, args.b, args.min, args.limit)
    if args.csv:
        columns = [
            "side",
            "word",
            "count_a",
            "count_b",
            "per_10k_a",
            "per_10k_b",
            "g2",
            "p",
            "log_ratio",
        ]
        rows = [{"side": side, **r} for side in ("a_over_b", "b_over_a") for r in data[side]]
        sys.stdout.write(tables.csv_text(columns, rows))
    elif args.json:
        print_json(data)
    else:
        for side in ("a_over_b", "b_over_a"):
            print(f"== {side}")
            for r in data[side]:
                print(
                    f"{r['word']}\t{r['count_a']}\t{r['count_b']}\tG2={r['g2']}"
                    f"\tLR={r['log_ratio']}"
                )
    return 0


def cmd_kwic(args) -> int:
    eng, chosen = engine(args), filters(args)
    from ..insight import tables
    from ..insight.concordance import KWIC_COLUMNS, all_lines, concordance, permalink

    if args.csv:
        found = all_lines(eng, args.text, args.width, args.sort, args.collate, **chosen)
        rows = ({**ln.to_dict(), "permalink": permalink(ln.to_dict(), args.text)} for ln in found)
        sys.stdout.write(tables.csv_text(KWIC_COLUMNS, rows))
        return 0
    data = concordance(
        eng,
        args.text,
        args.width,
        args.sort,
        args.limit,
        args.page,
        args.sample,
        args.seed,
        args.collate,
        **chosen,
    )
    if args.json:
        print_json(data)
        return 0
    print(f"{data['total']} occurrences; page {data['page']} of {data['pages']}")
    for ln in data["lines"]:
        left = ln["left"].replace("\n", "↵")
        right = ln["right"].replace("\n", "↵")
        print(f"{left:>{args.width}} 【{ln['match']}】 {right}  [{ln['report_id']}]")
    return 0


def cmd_map(args) -> int:
    eng, chosen = engine(args), filters(args)
    from ..insight.spreadmap import spread_map

    print_json(spread_map(eng, args.text, **chosen).to_dict())
    return 0


def register(command: Command) -> None:
    """panel, collocates, keyness, kwic, map."""
    c = command("panel", cmd_panel, "concepts counted per report or per place × year")
    c.add_argument("--concepts", action="append", help="a concepts.toml or CSV (concept,term)")
    c.add_argument("--concept", action="append", help="inline: NAME=TERM1,TERM2,/pattern/")
    c.add_argument("--term", action="append", help="a single term (its own concept)")
    c.add_argument("--by", choices=("report", "city-year"), default="report")
    for fmt in FORMATS:
        c.add_argument(f"--{fmt}", action="store_true")
    c.add_argument(
        "--out",
        help="write to this file (needed for --xlsx and --dta); a "
        "FILE.about.json sidecar says how the data were made",
    )
    add_filters(c)

    c = command("collocates", cmd_collocates, "words near a query's hits, with G², MI, logDice")
    c.add_argument("text")
    c.add_argument("--window", type=int, default=10, help="characters each side (default 10)")
    c.add_argument("--min", type=int, default=3, help="minimum co-occurrences (default 3)")
    c.add_argument("--measure", choices=("ll", "mi", "logdice"), default="ll")
    c.add_argument("--limit", type=int, default=100)
    c.add_argument("--json", action="store_true")
    c.add_argument("--csv", action="store_true")
    add_filters(c)

    c = command("keyness", cmd_keyness, "words that set group A apart from group B")
    c.add_argument("--a", required=True, help='group A as in the search box: "province:江苏"')
    c.add_argument("--b", required=True)
    c.add_argument("--min", type=int, default=5, help="minimum count in A and B together")
    c.add_argument("--limit", type=int, default=100)
    c.add_argument("--json", action="store_true")
    c.add_argument("--csv", action="store_true")

    c = command("kwic", cmd_kwic, "concordance: every hit with its left and right context")
    c.add_argument("text")
    c.add_argument("--width", type=int, default=30, help="characters each side (default 30)")
    c.add_argument("--sort", choices=("report", "left", "right", "city", "year"), default="report")
    c.add_argument("--collate", choices=("codepoint", "pinyin"), default="codepoint")
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--page", type=int, default=1)
    c.add_argument("--sample", type=int, default=None, help="a random sample of N lines")
    c.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    c.add_argument("--json", action="store_true")
    c.add_argument("--csv", action="store_true", help="every line (not a page), with permalinks")
    add_filters(c, min_hits=True)

    c = command("map", cmd_map, "where a phrase is used: cities with coordinates, by year")
    c.add_argument("text")
    c.add_argument("--json", action="store_true", help="(the only output format)")
    add_filters(c)
