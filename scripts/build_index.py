#!/usr/bin/env python3
"""Rebuild the index from the shipped corpus: the same as `python -m search build`.

Usage: scripts/build_index.py [--corpus corpus] [--index index] [--force] [--strict]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.cli import main  # noqa: E402


def run(argv: list[str]) -> int:
    args = list(argv)
    if "--corpus" not in args:
        args += ["--corpus", "corpus"]
    return main(["build", *args])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
