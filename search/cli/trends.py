"""The commands that read reports against each other: key phrases and their trends
(phrases, diff, timeline, spread, compare), targets and text reuse."""

from __future__ import annotations

import csv
import io
import sys

from ..errors import GovsearchError
from .common import Command, emit, engine, tab


def _phrases_text(data: dict) -> None:
    print(
        f"{data['title']} ({data['report_id']}): {data['candidates']} candidates, "
        f"{data['reports_in_corpus']} reports in the corpus"
    )
    for p in data["phrases"]:
        tab(p["phrase"], p["count"], f"df={p['df']}", f"score={p['score']}", p["origin"])


def cmd_phrases(args) -> int:
    from ..phrases import key_phrases

    return emit(args, key_phrases(engine(args), args.id, limit=args.limit), _phrases_text)


def _diff_text(data: dict) -> None:
    print(
        f"{data['city']} {data['year']} ({data['report_id']}) against "
        f"{data['previous_year'] or 'no earlier report'}"
        f"{' (' + data['previous_report_id'] + ')' if data['previous_report_id'] else ''}"
    )
    for key in ("new", "returning", "dropped", "rising", "falling"):
        print(f"\n{key} ({data[key + '_total']}):")
        for r in data[key]:
            print(
                f"  {r['phrase']}\t{r['count']} ← {r['previous_count']}\t"
                f"{r['rate']} ← {r['previous_rate']} /10k"
            )


def cmd_diff(args) -> int:
    from ..trends import diff

    return emit(args, diff(engine(args), args.city, args.year, limit=args.limit), _diff_text)


def _timeline_text(data: dict) -> None:
    print(f"{data['city']}: {len(data['reports'])} reports")
    for r in data["reports"]:
        phrases = " ".join(f"{p['phrase']}({p['count']})" for p in r["top_phrases"])
        tab(r["year"] or "?", r["id"], phrases)


def cmd_timeline(args) -> int:
    from ..trends import timeline

    return emit(args, timeline(engine(args), args.city, top=args.top), _timeline_text)


def _spread_text(data: dict) -> None:
    print(
        f"{data['phrase']!r}: {data['total']} occurrences in {data['reports']} reports "
        f"of {len(data['cities'])} cities"
    )
    for r in data["rows"]:
        first = "first" if r["first"] else ""
        tab(r["year"] or "?", r["city"] or "?", r["occurrences"], first, r["report_id"])


def cmd_spread(args) -> int:
    from ..trends import spread

    return emit(args, spread(engine(args), args.text), _spread_text)


def _compare_text(data: dict) -> None:
    a, b = data["a"], data["b"]
    print(f"A {a['id']} {a['title']}\nB {b['id']} {b['title']}")
    for key in ("shared", "only_a", "only_b"):
        print(f"\n{key} ({data[key + '_total']}):")
        for r in data[key]:
            print(f"  {r['phrase']}\tA={r['count_a']}\tB={r['count_b']}")


def cmd_compare(args) -> int:
    from ..trends import compare

    return emit(args, compare(engine(args), args.a, args.b, limit=args.limit), _compare_text)


def _figure(fig) -> str:
    """A target or result as the text table shows it: its range and qualifier, or its text."""
    if fig is None:
        return "-"
    if fig["low"] is None:
        return fig["text"]
    high = f"-{fig['high']}" if fig["high"] != fig["low"] else ""
    return f"{fig['low']}{high}{fig['qualifier']}"


def _targets_text(data: dict) -> None:
    for r in data["rows"]:
        tab(
            r["city"] or "?",
            r["year"] or "?",
            r["indicator"],
            f"target {_figure(r['target'])}",
            f"result {_figure(r['result'])}",
            r["report_id"],
        )


def cmd_targets(args) -> int:
    from ..targets import table

    data = table.rows(
        engine(args),
        indicator=args.indicator,
        city=args.city or (),
        province=args.province or (),
        prefecture=args.prefecture or (),
        year=args.year,
        level=args.level or (),
    )
    if args.csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=table.csv_fields())
        writer.writeheader()
        writer.writerows(table.flat(row) for row in data["rows"])
        sys.stdout.write(out.getvalue())
        return 0
    return emit(args, data, _targets_text)


def cmd_reuse(args) -> int:
    from ..reuse import views

    found = engine(args)
    if args.pairs:
        data = views.corpus_view(found, args.province, args.year, args.limit)
    elif len(args.ids) == 1:
        data = views.report_reuse(found, args.ids[0])
    elif len(args.ids) == 2:
        data = views.pair_view(found, *args.ids)
    else:
        raise GovsearchError("give a report id, two report ids, or --pairs")
    from ..reuse.text import print_text

    return emit(args, data, print_text)


def register_trends(command: Command) -> None:
    """phrases, diff, timeline, spread, compare."""
    c = command("phrases", cmd_phrases, "key phrases of one report, with exact counts")
    c.add_argument("id")
    c.add_argument("--limit", type=int, default=30)
    c.add_argument("--json", action="store_true")

    c = command("diff", cmd_diff, "what a city's report of a year says that earlier ones did not")
    c.add_argument("--city", required=True)
    c.add_argument("--year", help="default: the city's latest dated year")
    c.add_argument("--limit", type=int, default=30, help="rows per list (default 30)")
    c.add_argument("--json", action="store_true")

    c = command("timeline", cmd_timeline, "a city's reports by year with their key phrases")
    c.add_argument("--city", required=True)
    c.add_argument("--top", type=int, default=10, help="key phrases per report (default 10)")
    c.add_argument("--json", action="store_true")

    c = command("spread", cmd_spread, "which cities used a phrase, in the order they took it up")
    c.add_argument("text")
    c.add_argument("--json", action="store_true")

    c = command("compare", cmd_compare, "key phrases two reports share and those only one uses")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--limit", type=int, default=30, help="rows per list (default 30)")
    c.add_argument("--json", action="store_true")


def register_tables(command: Command) -> None:
    """targets, reuse."""
    c = command(
        "targets",
        cmd_targets,
        "each report's targets, with the result the next year's report gives",
    )
    c.add_argument(
        "--indicator",
        action="append",
        help="gdp, revenue, investment, retail, jobs, unemployment, cpi, income, "
        "energy (repeat for several; default all)",
    )
    c.add_argument("--city", action="append", help="report city (repeat for several)")
    c.add_argument("--province", action="append")
    c.add_argument("--prefecture", action="append")
    c.add_argument(
        "--level", action="append", help="national, province, prefecture, county, district"
    )
    c.add_argument("--year", help="2023 or a range 2020-2024")
    c.add_argument("--json", action="store_true")
    c.add_argument("--csv", action="store_true")

    c = command(
        "reuse",
        cmd_reuse,
        "passages a report shares with earlier reports "
        "(ID), with another report (ID ID), or the corpus view (--pairs)",
    )
    c.add_argument("ids", nargs="*", metavar="ID")
    c.add_argument(
        "--pairs", action="store_true", help="the pairs of reports sharing the most text"
    )
    c.add_argument("--province", help="with --pairs: pairs with a report of this province")
    c.add_argument("--year", help="with --pairs: pairs with a report of this year")
    c.add_argument("--limit", type=int, default=50, help="with --pairs: rows (default 50)")
    c.add_argument("--json", action="store_true")
