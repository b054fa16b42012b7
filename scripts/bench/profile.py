"""Where the time goes: a build under py-spy (all processes) and the slowest queries under
cProfile."""

from __future__ import annotations

import collections
import cProfile
import pstats
import re
import shutil
from pathlib import Path

from .common import PY, ROOT
from .measure import clear_answer_caches, part_build

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _short_path(path: str) -> str:
    path = path.replace(str(ROOT) + "/", "")
    m = re.search(r"site-packages/(.*)", path)
    if m:
        return m.group(1)
    m = re.search(r"lib/python3\.\d+/(.*)", path)
    return m.group(1) if m else path


def _frame_key(frame: str) -> str:
    m = _FRAME.match(frame)
    return f"{m.group('func')} ({_short_path(m.group('file'))})" if m else frame


def parse_pyspy(path: Path, top: int = 18) -> dict:
    """Self and inclusive shares of py-spy's raw (collapsed-stack) samples."""
    self_c, incl_c = collections.Counter(), collections.Counter()
    total = 0
    for line in path.read_text("utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        keys = [
            _frame_key(f) for f in stack.split(";") if not f.startswith(("process ", "thread "))
        ]
        if not keys:
            continue
        total += int(n)
        self_c[keys[-1]] += int(n)
        for k in set(keys):
            incl_c[k] += int(n)
    return {
        "samples": total,
        "self": [(k, v / total) for k, v in self_c.most_common(top)] if total else [],
        "inclusive": [(k, v / total) for k, v in incl_c.most_common(top * 2)] if total else [],
    }


def part_profile_build(corpus: Path, index: Path, workdir: Path) -> dict:
    spy = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    if not Path(spy).exists():
        return {"error": "py-spy not installed"}
    raw = workdir / "profile-build.txt"
    wrap = [
        spy,
        "record",
        "--subprocesses",
        "--nonblocking",
        "-r",
        "50",
        "--format",
        "raw",
        "-o",
        str(raw),
        "--",
    ]
    build = part_build(corpus, index, "full corpus under py-spy", wrap=wrap)
    out = parse_pyspy(raw)
    out["build"] = build
    shutil.rmtree(index, ignore_errors=True)  # only the profile was wanted
    return out


def part_profile_queries(engine, rows: list[dict], top_queries: int = 8) -> dict:
    slow = sorted(rows, key=lambda r: -r["gov_ms"])[:top_queries]
    prof = cProfile.Profile()
    for _ in range(3):
        for r in slow:
            clear_answer_caches(engine)
            prof.enable()
            engine.search(r["query"], limit=10)
            prof.disable()
    entries = []
    total = 0.0
    for (file, line, func), (cc, nc, tt, ct, callers) in pstats.Stats(prof).stats.items():
        entries.append(
            {
                "func": f"{func} ({_short_path(file)}:{line})",
                "calls": nc,
                "tottime": tt,
                "cumtime": ct,
            }
        )
        total += tt
    return {
        "queries": [r["query"] for r in slow],
        "total_seconds": total,
        "self": sorted(entries, key=lambda e: -e["tottime"])[:15],
        "cumulative": sorted(entries, key=lambda e: -e["cumtime"])[:25],
    }
