"""The CLI as a user runs it: ``python -m search …`` in a subprocess from the project root.

One place for the command line, its environment and its timeout, so that every test that
checks an exit code, a stderr line or a JSON answer runs the real command the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SEARCH = [sys.executable, "-m", "search"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def argv(*args: str | bytes | Path) -> list:
    """``python -m search ARGS`` as a command line; bytes stay bytes (undecodable names)."""
    return [*SEARCH, *(a if isinstance(a, bytes) else str(a) for a in args)]


def search(*args: str | bytes | Path, **options) -> subprocess.CompletedProcess:
    """Run ``python -m search ARGS`` to the end: its exit code, stdout and stderr."""
    return finish(argv(*args), **options)


def search_json(*args: str | bytes | Path, **options):
    """The JSON that ``python -m search ARGS`` prints; a failed command fails the test."""
    result = search(*args, **options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def build(corpus: Path, index: Path, *extra: str, **options) -> subprocess.CompletedProcess:
    """Run ``python -m search build --corpus CORPUS --index INDEX EXTRA…`` to the end."""
    return search("build", "--corpus", corpus, "--index", index, *extra, **options)


def script(code: str, *args: str | Path, **options) -> subprocess.CompletedProcess:
    """Run ``python -c CODE ARGS`` to the end (the CLI with a part of the core held or patched)."""
    return finish([sys.executable, "-c", code, *map(str, args)], **options)


def start(*args: str | Path, **options) -> subprocess.Popen:
    """Start ``python -m search ARGS`` without waiting (to signal or kill it mid-way)."""
    return begin(argv(*args), **options)


def start_script(code: str, *args: str | Path, **options) -> subprocess.Popen:
    """Start ``python -c CODE ARGS`` without waiting (a lock holder, a held build)."""
    return begin([sys.executable, "-c", code, *map(str, args)], **options)


def finish(cmd: list, timeout: float = 120, text: bool = True, **options):
    options = {"cwd": ROOT, "env": ENV, "capture_output": True, "text": text, **options}
    return subprocess.run(cmd, timeout=timeout, check=False, **options)


def begin(cmd: list, **options) -> subprocess.Popen:
    options = {"cwd": ROOT, "env": ENV, **options}
    options.setdefault("stdout", subprocess.DEVNULL)
    options.setdefault("stderr", subprocess.DEVNULL)
    return subprocess.Popen(cmd, **options)
