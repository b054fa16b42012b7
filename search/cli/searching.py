"""The commands that search: show, query, stats, related, suggest."""

from __future__ import annotations

import sys

from .common import Command, add_filters, emit, engine, filters, print_json, tab


def _show_text(data: dict) -> None:
    print(f"{data['title']} ({data['id']})")
    for section in data["sections"]:
        print(f"\n== {section['ordinal']} [{section['kind']}] {section['title'] or ''}")
        for p in section["paragraphs"]:
            print(f"[{p['id']}] {p['text']}")


def cmd_show(args) -> int:
    return emit(args, engine(args).show(args.id, args.query), _show_text)


def cmd_query(args) -> int:
    page = engine(args).query(
        args.text, sort=args.sort, page=args.page, limit=args.limit, **filters(args)
    )
    if args.json:
        print_json(page.to_dict())
        return 0
    print(f"{page.total} reports, {page.hits} hits for {page.request.text!r}")
    for r in page.results:
        report = r.report
        print(
            f"\n{report.id}  {report.title}  {report.city or '?'} {report.year or '?'}  "
            f"hits={r.hits}"
        )
        for passage in r.passages:
            print("   " + passage.plain())
    return 0


def cmd_related(args) -> int:
    print_json(engine(args).related(args.text, **filters(args)))
    return 0


def _suggest_text(data: dict) -> None:
    for s in data["suggestions"]:
        print(f"{s['text']}\t{s['reports']} reports")


def cmd_suggest(args) -> int:
    from ..vocabulary import suggest

    return emit(args, suggest(engine(args), args.prefix, args.limit), _suggest_text)


def _stats_text(data: dict) -> None:
    print(f"{data['total']} occurrences of {data['normalized']!r}")
    for row in data["rows"]:
        tab(
            row["city"] or "?",
            row["year"] or "?",
            row["occurrences"],
            f"{row['per_10k']}/10k",
            row["report_id"],
        )


def cmd_stats(args) -> int:
    from ..insight.grid import stats_with_grid

    data = stats_with_grid(engine(args), args.text, args.sort, args.level, **filters(args))
    if args.csv:
        from ..csvout import STATS_REPORT_FIELDS, to_csv

        sys.stdout.write(to_csv(data["rows"], STATS_REPORT_FIELDS))
        return 0
    return emit(args, data, _stats_text)


def register(command: Command) -> None:
    """show, query, stats, related, suggest."""
    c = command("show", cmd_show, "one report's normalized text by section")
    c.add_argument("id")
    c.add_argument("--query", help="also list the offsets of this query's hits")
    c.add_argument("--json", action="store_true")

    c = command("query", cmd_query, "search; results grouped by report with exact hit counts")
    c.add_argument("text")
    add_filters(c, min_hits=True)
    c.add_argument("--limit", type=int, default=20)
    c.add_argument("--page", type=int, default=1)
    c.add_argument("--sort", choices=("relevance", "year"), default="relevance")
    c.add_argument("--json", action="store_true")

    c = command("stats", cmd_stats, "exact occurrences per report and per city × year")
    c.add_argument("text")
    add_filters(c, min_hits=True)
    c.add_argument(
        "--sort",
        choices=("province", "pinyin", "first", "total"),
        default="province",
        help="order of the grid's places",
    )
    c.add_argument(
        "--level", help="the grid's rows: national, province, prefecture, county or district"
    )
    c.add_argument("--json", action="store_true")
    c.add_argument("--csv", action="store_true")

    c = command("related", cmd_related, "words co-occurring with a query in its best reports")
    c.add_argument("text")
    c.add_argument("--json", action="store_true", help="(the only output format)")
    add_filters(c)

    c = command("suggest", cmd_suggest, "corpus words starting with a prefix, most reports first")
    c.add_argument("prefix")
    c.add_argument("--limit", type=int, default=10)
    c.add_argument("--json", action="store_true")
