"""The commands that build, check, list, export and serve an index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import EXIT_ERROR, EXIT_STRICT, Command, emit, engine, print_json


def cmd_build(args) -> int:
    from ..build import build

    summary = build(
        Path(args.corpus),
        Path(args.index),
        force=args.force,
        workers=args.workers,
        text_reuse=not args.no_reuse,
    )
    if args.json:
        print_json(summary.to_dict())
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
    from .. import store

    data = store.check(Path(args.index))
    if args.json:
        print_json(data)
    elif data["ok"]:
        print(f"ok {data['index']}: generation {data['generation']}, {data['files']} files intact")
    else:
        print(f"damaged {data['index']}: generation {data['generation']}", file=sys.stderr)
        for line in data["problems"]:
            print(f"  {line}", file=sys.stderr)
    return 0 if data["ok"] else EXIT_ERROR


def _reports_text(data: dict) -> None:
    for r in data["reports"]:
        kinds = " ".join(s["kind"] for s in r["sections"])
        print(f"{r['id']}\t{r['city'] or '?'}\t{r['year'] or '?'}\t{r['title']}\t[{kinds}]")


def cmd_reports(args) -> int:
    return emit(args, {"reports": [r.metadata() for r in engine(args).reports()]}, _reports_text)


def _audit_text(data: dict) -> None:
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


def cmd_audit(args) -> int:
    from ..audit import audit

    return emit(args, audit(engine(args).reports()), _audit_text)


def cmd_export(args) -> int:
    from ..export import index_definition, write_bulk

    found = engine(args)
    if args.mapping:
        Path(args.mapping).write_text(
            json.dumps(index_definition(args.shards), ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
    if args.out in (None, "-"):
        count = write_bulk(found.reports(), args.name, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8") as out:
            count = write_bulk(found.reports(), args.name, out)
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


def cmd_serve(args) -> int:
    from web.serving import serve

    from .. import store
    from ..errors import IndexMissingError

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


def register_index(command: Command) -> None:
    """build, check, reports, audit."""
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

    for name, func, help_text in (
        (
            "check",
            cmd_check,
            "verify every file of the index against its checksums (exit 2 if damaged)",
        ),
        ("reports", cmd_reports, "list the indexed reports and their metadata"),
        (
            "audit",
            cmd_audit,
            "reports whose city, level or year is null, conflicting or weakly decided",
        ),
    ):  # commands whose one option is --json
        command(name, func, help_text).add_argument("--json", action="store_true")


def register_serving(command: Command) -> None:
    """export, serve."""
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
