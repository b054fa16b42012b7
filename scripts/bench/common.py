"""Paths, statistics and number formatting shared by every part of the benchmark."""

from __future__ import annotations

import math
import os
import resource
import socket
import statistics
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PY = sys.executable
QUERIES = ROOT / "scripts" / "bench_queries.txt"
PHRASE_CATEGORIES = ("phrase", "trad")

TARGETS = {
    "build_seconds": 240.0,  # full build <= 4 min
    "build_vs_naive": 3.0,  # >= 3x naive chars/s
    "phrase_p50_ms": 15.0,
    "phrase_p95_ms": 50.0,
    "web_rps": 150.0,
    "web_rss_mb": 400.0,
    "linear_tolerance": 0.25,  # seconds/char at full within 25 % of the smallest subset
}


def log(*parts) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float | None:
    """Percentile with linear interpolation (q in 0..100)."""
    if not values:
        return None
    data = sorted(values)
    k = (len(data) - 1) * q / 100
    f, c = math.floor(k), math.ceil(k)
    return data[f] + (data[c] - data[f]) * (k - f)


def dist(values_ms: list[float]) -> dict:
    return {
        "n": len(values_ms),
        "p50": pct(values_ms, 50),
        "p95": pct(values_ms, 95),
        "p99": pct(values_ms, 99),
        "mean": statistics.fmean(values_ms) if values_ms else None,
        "max": max(values_ms) if values_ms else None,
    }


def dir_size(path: Path) -> int:
    total = 0
    for folder, _, names in os.walk(path):
        for name in names:
            p = Path(folder) / name
            if not p.is_symlink():
                try:
                    total += p.stat().st_size
                except OSError:
                    pass
    return total


def mb(n: float | None) -> str:
    return "–" if n is None else f"{n / 1e6:,.1f} MB"


def fnum(x, digits=1, suffix="") -> str:
    if x is None:
        return "–"
    if isinstance(x, float) and math.isnan(x):
        return "–"
    return f"{x:,.{digits}f}{suffix}"


def ok(flag: bool | None) -> str:
    return "–" if flag is None else ("✅ met" if flag else "❌ NOT met")


def cpu_now() -> float:
    """CPU seconds of this process and its waited-for children (ingest workers …)."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def rusage_now() -> dict:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "self_maxrss_kb": s.ru_maxrss,
        "children_maxrss_kb": c.ru_maxrss,
        "cpu_seconds": s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def build_function():
    """The public build entry point, ``search.build.build``."""
    from search.build import build

    return build
