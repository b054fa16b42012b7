"""What every command shares: the index option, the filter options, the engine, and output
as JSON (``--json``) or readable text."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

DEFAULT_INDEX = "index"
EXIT_ERROR = 2
EXIT_STRICT = 3
#: Arguments that are paths: their bytes need not be UTF-8 (the OS takes any name).
PATH_ARGS = frozenset({"corpus", "index", "out", "mapping"})

#: ``command(name, handler, help, index=True)``: adds a subcommand, returns its parser.
Command = Callable[..., argparse.ArgumentParser]


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def emit(args, data, text: Callable[[dict], None]) -> int:
    """Print ``data`` as JSON with ``--json``, else as readable text by ``text(data)``."""
    if args.json:
        print_json(data)
    else:
        text(data)
    return 0


def tab(*cells) -> None:
    """Print one tab-separated row (each cell as ``f"{cell}"`` would show it)."""
    print("\t".join(map(str, cells)))


def engine(args):
    from ..engine import Engine

    return Engine(Path(args.index))


def filters(args) -> dict:
    """The filter options as the core's keyword arguments."""
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


def add_filters(p: argparse.ArgumentParser, min_hits: bool = False) -> None:
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
