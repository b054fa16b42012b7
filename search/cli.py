"""Command line: a thin shell over the core (``python -m search …`` and ``govsearch …``).

Each command checks its arguments, calls one core function and prints its result as JSON
(``--json``) or as readable text. Errors print one line to stderr and exit non-zero:
2 for a user error (missing or damaged index, unknown id, bad query, an argument that is not
UTF-8, a full disk), 3 for ``build --strict`` when a file could not be indexed or any warning
was given.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from .errors import GovsearchError

DEFAULT_INDEX = "index"
EXIT_ERROR = 2
EXIT_STRICT = 3
#: Arguments that are paths: their bytes need not be UTF-8 (the OS takes any name).
PATH_ARGS = frozenset({"corpus", "index", "out", "mapping"})


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _engine(args):
    from .engine import Engine

    return Engine(Path(args.index))


def _filters(args) -> dict:
    out = dict(
        city=args.city or (),
        province=args.province or (),
        prefecture=args.prefecture or (),
        year=args.year,
        section=args.section or (),
    )
    if getattr(args, "min_hits", None) is not None:
        out["min_hits"] = args.min_hits
    return out


def cmd_build(args) -> int:
    from .build import build

    summary = build(
        Path(args.corpus),
        Path(args.index),
        force=args.force,
        workers=args.workers,
        text_reuse=not args.no_reuse,
    )
    if args.json:
        _print_json(summary.to_dict())
    else:
        state = "unchanged, kept" if summary.skipped else "built"
        print(
            f"{state} {args.index}: {summary.reports} reports from {summary.files} files, "
            f"{summary.sections} sections, {summary.chars} characters "
            f"in {summary.seconds:.1f} s"
        )
        for line in summary.warnings:
            print(f"warning: {line}", file=sys.stderr)
        for line in summary.problems:
            print(f"skipped: {line}", file=sys.stderr)
    return EXIT_STRICT if args.strict and (summary.problems or summary.warnings) else 0


def cmd_check(args) -> int:
    from . import store

    data = store.check(Path(args.index))
    if args.json:
        _print_json(data)
    elif data["ok"]:
        print(f"ok {data['index']}: generation {data['generation']}, {data['files']} files intact")
    else:
        print(f"damaged {data['index']}: generation {data['generation']}", file=sys.stderr)
        for line in data["problems"]:
            print(f"  {line}", file=sys.stderr)
    return 0 if data["ok"] else EXIT_ERROR


def cmd_reports(args) -> int:
    reports = [r.metadata() for r in _engine(args).reports()]
    if args.json:
        _print_json({"reports": reports})
        return 0
    for r in reports:
        kinds = " ".join(s["kind"] for s in r["sections"])
        print(f"{r['id']}\t{r['city'] or '?'}\t{r['year'] or '?'}\t{r['title']}\t[{kinds}]")
    return 0


def cmd_audit(args) -> int:
    from .audit import audit

    data = audit(_engine(args).reports())
    if args.json:
        _print_json(data)
        return 0
    print(
        f"{data['listed']} of {data['total']} reports have a null, conflicting or weakly "
        f"decided field"
    )
    for r in data["reports"]:
        print(f"\n{r['id']}  {r['title']}  ({r['source']})")
        for f in r["fields"]:
            ev = f["evidence"] or {}
            print(
                f"  {f['field']}: {f['status']} {f['value'] if f['value'] is not None else ''}"
                f"  [{ev.get('rule', '')}] {ev.get('text') or ''}".rstrip()
            )
            for c in f["candidates"]:
                print(f"    candidate {c['value']}: [{c['rule']}] {c['text']} @{c['start']}")
    return 0


def cmd_export(args) -> int:
    from .export import index_definition, write_bulk

    engine = _engine(args)
    if args.mapping:
        Path(args.mapping).write_text(
            json.dumps(index_definition(args.shards), ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
    if args.out in (None, "-"):
        count = write_bulk(engine.reports(), args.name, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8") as out:
            count = write_bulk(engine.reports(), args.name, out)
    where = "stdout" if args.out in (None, "-") else args.out
    print(
        f"exported {count} reports to {where}"
        + (f", index definition to {args.mapping}" if args.mapping else "")
        + f" (load: curl -XPUT localhost:9200/{args.name} -H 'Content-Type: application/json' "
        f"-d @MAPPING; curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson'"
        f" --data-binary @BULK)",
        file=sys.stderr,
    )
    return 0


def cmd_show(args) -> int:
    data = _engine(args).show(args.id, args.query)
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['title']} ({data['id']})")
    for section in data["sections"]:
        print(f"\n== {section['ordinal']} [{section['kind']}] {section['title'] or ''}")
        for p in section["paragraphs"]:
            print(f"[{p['id']}] {p['text']}")
    return 0


def cmd_query(args) -> int:
    page = _engine(args).query(
        args.text, sort=args.sort, page=args.page, limit=args.limit, **_filters(args)
    )
    if args.json:
        _print_json(page.to_dict())
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
    _print_json(_engine(args).related(args.text, **_filters(args)))
    return 0


def cmd_suggest(args) -> int:
    from .vocabulary import suggest

    data = suggest(_engine(args), args.prefix, args.limit)
    if args.json:
        _print_json(data)
        return 0
    for s in data["suggestions"]:
        print(f"{s['text']}\t{s['reports']} reports")
    return 0


def cmd_stats(args) -> int:
    from .insight.grid import stats_with_grid

    data = stats_with_grid(_engine(args), args.text, args.sort, args.level, **_filters(args))
    if args.csv:
        from .csvout import STATS_REPORT_FIELDS, to_csv

        sys.stdout.write(to_csv(data["rows"], STATS_REPORT_FIELDS))
        return 0
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['total']} occurrences of {data['normalized']!r}")
    for row in data["rows"]:
        print(
            f"{row['city'] or '?'}\t{row['year'] or '?'}\t{row['occurrences']}\t"
            f"{row['per_10k']}/10k\t{row['report_id']}"
        )
    return 0


def cmd_phrases(args) -> int:
    from .phrases import key_phrases

    data = key_phrases(_engine(args), args.id, limit=args.limit)
    if args.json:
        _print_json(data)
        return 0
    print(
        f"{data['title']} ({data['report_id']}): {data['candidates']} candidates, "
        f"{data['reports_in_corpus']} reports in the corpus"
    )
    for p in data["phrases"]:
        print(f"{p['phrase']}\t{p['count']}\tdf={p['df']}\tscore={p['score']}\t{p['origin']}")
    return 0


def cmd_diff(args) -> int:
    from .trends import diff

    data = diff(_engine(args), args.city, args.year, limit=args.limit)
    if args.json:
        _print_json(data)
        return 0
    print(
        f"{data['city']} {data['year']} ({data['report_id']}) against "
        f"{data['previous_year'] or 'no earlier report'}"
        f"{' (' + data['previous_report_id'] + ')' if data['previous_report_id'] else ''}"
    )
    for key in ("new", "returning", "dropped", "rising", "falling"):
        rows = data[key]
        print(f"\n{key} ({data[key + '_total']}):")
        for r in rows:
            print(
                f"  {r['phrase']}\t{r['count']} ← {r['previous_count']}\t"
                f"{r['rate']} ← {r['previous_rate']} /10k"
            )
    return 0


def cmd_timeline(args) -> int:
    from .trends import timeline

    data = timeline(_engine(args), args.city, top=args.top)
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['city']}: {len(data['reports'])} reports")
    for r in data["reports"]:
        phrases = " ".join(f"{p['phrase']}({p['count']})" for p in r["top_phrases"])
        print(f"{r['year'] or '?'}\t{r['id']}\t{phrases}")
    return 0


def cmd_spread(args) -> int:
    from .trends import spread

    data = spread(_engine(args), args.text)
    if args.json:
        _print_json(data)
        return 0
    print(
        f"{data['phrase']!r}: {data['total']} occurrences in {data['reports']} reports "
        f"of {len(data['cities'])} cities"
    )
    for r in data["rows"]:
        mark = "first" if r["first"] else ""
        print(
            f"{r['year'] or '?'}\t{r['city'] or '?'}\t{r['occurrences']}\t{mark}\t{r['report_id']}"
        )
    return 0


def cmd_compare(args) -> int:
    from .trends import compare

    data = compare(_engine(args), args.a, args.b, limit=args.limit)
    if args.json:
        _print_json(data)
        return 0
    a, b = data["a"], data["b"]
    print(f"A {a['id']} {a['title']}\nB {b['id']} {b['title']}")
    for key in ("shared", "only_a", "only_b"):
        print(f"\n{key} ({data[key + '_total']}):")
        for r in data[key]:
            print(f"  {r['phrase']}\tA={r['count_a']}\tB={r['count_b']}")
    return 0


def cmd_targets(args) -> int:
    from .targets import table

    data = table.rows(
        _engine(args),
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
    if args.json:
        _print_json(data)
        return 0

    def shown(fig):
        return (
            "-"
            if fig is None
            else (
                fig["text"]
                if fig["low"] is None
                else f"{fig['low']}"
                + (f"-{fig['high']}" if fig["high"] != fig["low"] else "")
                + fig["qualifier"]
            )
        )

    for r in data["rows"]:
        print(
            f"{r['city'] or '?'}\t{r['year'] or '?'}\t{r['indicator']}\t"
            f"target {shown(r['target'])}\tresult {shown(r['result'])}\t{r['report_id']}"
        )
    return 0


def cmd_reuse(args) -> int:
    from .reuse import views

    engine = _engine(args)
    if args.pairs:
        data = views.corpus_view(engine, args.province, args.year, args.limit)
    elif len(args.ids) == 1:
        data = views.report_reuse(engine, args.ids[0])
    elif len(args.ids) == 2:
        data = views.pair_view(engine, *args.ids)
    else:
        raise GovsearchError("give a report id, two report ids, or --pairs")
    if args.json:
        _print_json(data)
        return 0
    from .reuse.text import print_text

    print_text(data)
    return 0


def cmd_serve(args) -> int:
    from web.serving import serve

    from . import store
    from .errors import IndexMissingError

    try:  # a damaged index is refused here, with its reason, not in every worker
        _, note = store.open_generation(Path(args.index))
        if note:
            print(f"govsearch: {note}", file=sys.stderr, flush=True)
    except IndexMissingError:
        pass  # pages say so until an index is built
    serve(
        str(Path(args.index)),
        args.host,
        args.port,
        workers=args.workers,
        threads=args.threads,
        quiet=args.quiet,
    )
    return 0


def _add_filters(p: argparse.ArgumentParser, min_hits: bool = False) -> None:
    """The filter options; ``min_hits`` adds --min-hits (commands that count hits per report)."""
    p.add_argument("--city", action="append", help="report city (repeat for several)")
    p.add_argument("--province", action="append")
    p.add_argument(
        "--prefecture",
        action="append",
        help="a prefecture-level city together with its counties and districts",
    )
    p.add_argument("--year", help="2023 or a range 2020-2024")
    p.add_argument(
        "--section", action="append", help="section kind: review, plan, government, notes, other"
    )
    if min_hits:
        p.add_argument(
            "--min-hits",
            dest="min_hits",
            help="only reports where the query has at least N hits (= min:N)",
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="govsearch", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def command(name, func, help_text, index=True):
        c = sub.add_parser(name, help=help_text)
        if index:
            c.add_argument("--index", default=DEFAULT_INDEX, help="index folder (default: index)")
        c.set_defaults(func=func)
        return c

    c = command("build", cmd_build, "ingest a corpus folder and (re)build the index")
    c.add_argument("--corpus", required=True)
    c.add_argument("--force", action="store_true", help="rebuild even if the corpus is unchanged")
    c.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 if any file could not be indexed or any warning was given",
    )
    c.add_argument("--workers", type=int, default=None, help="ingest processes (default: CPUs)")
    c.add_argument(
        "--no-reuse",
        action="store_true",
        help="skip the text-reuse pass (search.reuse); its pages then say so",
    )
    c.add_argument("--json", action="store_true")

    c = command(
        "check",
        cmd_check,
        "verify every file of the index against its checksums (exit 2 if damaged)",
    )
    c.add_argument("--json", action="store_true")

    c = command("reports", cmd_reports, "list the indexed reports and their metadata")
    c.add_argument("--json", action="store_true")

    c = command(
        "audit",
        cmd_audit,
        "reports whose city, level or year is null, conflicting or weakly decided",
    )
    c.add_argument("--json", action="store_true")

    c = command("show", cmd_show, "one report's normalized text by section")
    c.add_argument("id")
    c.add_argument("--query", help="also list the offsets of this query's hits")
    c.add_argument("--json", action="store_true")

    c = command("query", cmd_query, "search; results grouped by report with exact hit counts")
    c.add_argument("text")
    _add_filters(c, min_hits=True)
    c.add_argument("--limit", type=int, default=20)
    c.add_argument("--page", type=int, default=1)
    c.add_argument("--sort", choices=("relevance", "year"), default="relevance")
    c.add_argument("--json", action="store_true")

    c = command("stats", cmd_stats, "exact occurrences per report and per city × year")
    c.add_argument("text")
    _add_filters(c, min_hits=True)
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
    _add_filters(c)

    c = command("suggest", cmd_suggest, "corpus words starting with a prefix, most reports first")
    c.add_argument("prefix")
    c.add_argument("--limit", type=int, default=10)
    c.add_argument("--json", action="store_true")

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

    c = command(
        "export", cmd_export, "bulk NDJSON and an index mapping for OpenSearch/Elasticsearch"
    )
    c.add_argument("--out", help="bulk NDJSON file (default: stdout)")
    c.add_argument("--mapping", help="also write the index settings and mappings here")
    c.add_argument("--name", default="govreports", help="index name (default govreports)")
    c.add_argument("--shards", type=int, default=1)

    c = command("serve", cmd_serve, "serve the web interface with gunicorn")
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, default=5000)
    c.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    c.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes sharing the port (default: one per core, at most 4)",
    )
    c.add_argument("--quiet", action="store_true", help="no line per request on stdout")

    from . import cli_workbench

    cli_workbench.register(workbench_command(command), _add_filters)
    return p


def _not_utf8(args) -> str | None:
    """The first non-path argument that was not valid UTF-8 (Python keeps such bytes as
    lone surrogates), named for the error message."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        if name not in PATH_ARGS and any(
            isinstance(v, str) and any("\ud800" <= c <= "\udfff" for c in v) for v in values
        ):
            return name
    return None


def workbench_command(command):
    """``command`` for the workbench module: its handlers take (args, engine, filters)."""

    def add(name, func, help_text):
        def run(args):
            filters = _filters(args) if hasattr(args, "city") else {}
            return func(args, _engine(args), filters)

        return command(name, run, help_text)

    return add


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    bad = _not_utf8(args)
    if bad:
        print(
            f"govsearch: the {bad} argument is not valid UTF-8 text; check the terminal's "
            "encoding (e.g. LANG=C.UTF-8) or retype it",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        return args.func(args)
    except GovsearchError as error:
        print(f"govsearch: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("govsearch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
