"""Command line: a thin shell over the core (``python -m search …`` and ``govsearch …``).

Each command checks its arguments, calls one core function and prints its result as JSON
(``--json``) or as readable text. Errors print one line to stderr and exit non-zero:
2 for a user error (missing or damaged index, unknown id, bad query, an argument that is not
UTF-8, a full disk), 3 for ``build --strict`` when a file could not be indexed or any warning
was given.

The commands live in one module per group, each adding its subcommands with ``register``:
:mod:`.manage` (build, check, reports, audit, export, serve), :mod:`.searching` (show,
query, stats, related, suggest), :mod:`.trends` (phrases, diff, timeline, spread, compare,
targets, reuse) and :mod:`.workbench` (panel, collocates, keyness, kwic, map); what they
share is :mod:`.common`.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import GovsearchError
from . import manage, searching, trends, workbench
from .common import DEFAULT_INDEX, EXIT_ERROR, EXIT_STRICT, PATH_ARGS

__all__ = ["main", "parser", "DEFAULT_INDEX", "EXIT_ERROR", "EXIT_STRICT"]


def parser() -> argparse.ArgumentParser:
    """Every subcommand, in the order ``--help`` lists them."""
    p = argparse.ArgumentParser(prog="govsearch", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def command(name, func, help_text, index=True):
        c = sub.add_parser(name, help=help_text)
        if index:
            c.add_argument("--index", default=DEFAULT_INDEX, help="index folder (default: index)")
        c.set_defaults(func=func)
        return c

    manage.register_index(command)
    searching.register(command)
    trends.register_trends(command)
    trends.register_tables(command)
    manage.register_serving(command)
    workbench.register(command)
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
