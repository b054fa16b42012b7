"""Processes: builds run as children with their tree's RSS sampled, server trees measured
(RSS and PSS), and the machine described (CPU, RAM, load from other processes)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import threading
import time
from pathlib import Path

from .common import PY, ROOT, cpu_now


def system_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores), or NaN without psutil."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


class Phase:
    """Wall time of a phase and the CPU other processes used meanwhile (in cores)."""

    def __enter__(self):
        self.t0, self.busy0, self.cpu0 = time.perf_counter(), system_busy(), cpu_now()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        mine = cpu_now() - self.cpu0
        busy = system_busy() - self.busy0
        self.others = max(0.0, (busy - mine) / self.wall) if self.wall > 0 else float("nan")
        return False


def _over_tree(proc, read) -> list:
    """``read(p)`` for a process and each of its descendants still alive."""
    import psutil

    out = []
    for p in [proc] + proc.children(recursive=True):
        try:
            out.append(read(p))
        except psutil.Error:
            pass
    return out


def tree_memory(proc) -> dict:
    """RSS summed over a process and its descendants (shared pages counted in each, so an
    upper bound) and PSS (shared pages split between the processes sharing them: the real
    total)."""
    infos = _over_tree(proc, lambda p: p.memory_full_info())
    return {"rss": sum(i.rss for i in infos), "pss": sum(getattr(i, "pss", i.rss) for i in infos)}


def tree_cpu(proc) -> float:
    return sum(t.user + t.system for t in _over_tree(proc, lambda p: p.cpu_times()))


def tree_threads(proc) -> int:
    return sum(_over_tree(proc, lambda p: p.num_threads()))


class TreeSampler(threading.Thread):
    """Polls a process tree's RSS (sum over the tree, and the largest single process)."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_tree = 0
        self.peak_single = 0
        self.stop = threading.Event()

    def run(self):
        try:
            import psutil

            root = psutil.Process(self.pid)
        except (ImportError, Exception):
            return
        while not self.stop.is_set():
            try:
                rss = _over_tree(root, lambda p: p.memory_info().rss)
            except psutil.Error:
                break
            if rss:
                self.peak_tree = max(self.peak_tree, sum(rss))
                self.peak_single = max(self.peak_single, max(rss))
            self.stop.wait(self.interval)


def run_child(args: list[str], wrap: list[str] | None = None, timeout: float = 3600) -> dict:
    """Run ``python -m scripts.bench.children ARGS`` (optionally under ``wrap``, e.g. py-spy)
    and parse its result; wall time, other load and the tree's peak RSS are added."""
    cmd = (wrap or []) + [PY, "-m", "scripts.bench.children", *args]
    t0 = time.perf_counter()
    phase = Phase().__enter__()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT)
    )
    sampler = TreeSampler(proc.pid)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        raise RuntimeError(f"child {args[0]} timed out after {timeout} s") from None
    finally:
        sampler.stop.set()
        sampler.join()
    wall = time.perf_counter() - t0
    phase.__exit__(None, None, None)
    marker = [line for line in stdout.splitlines() if line.startswith("BENCH-RESULT ")]
    if proc.returncode != 0 or not marker:
        raise RuntimeError(
            f"child {' '.join(args[:1])} failed (exit {proc.returncode}):\n{stderr[-3000:]}"
        )
    out = json.loads(marker[-1][len("BENCH-RESULT ") :])
    out["process_wall"] = wall
    out["others_cores"] = phase.others
    out["peak_rss_tree"] = sampler.peak_tree
    out["peak_rss_single"] = sampler.peak_single
    out["stderr_tail"] = stderr[-2000:]
    return out


def _first_line(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(prefix[-1], 1)[1].strip()
    except OSError:
        pass
    return None


def machine_info() -> dict:
    cpu = _first_line("/proc/cpuinfo", "model name\t:") or platform.processor() or ""
    try:
        import psutil

        ram = psutil.virtual_memory().total
    except ImportError:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    pretty = _first_line("/etc/os-release", "PRETTY_NAME=")
    os_name = pretty.strip('"') + f" ({platform.release()})" if pretty else platform.platform()
    versions = {}
    from importlib.metadata import version

    for pkg in ("whoosh3", "jieba", "rjieba", "tantivy", "opencc", "gunicorn", "flask"):
        try:
            versions[pkg] = version(pkg)
        except Exception:
            pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_bytes": ram,
        "python": platform.python_version(),
        "os": os_name,
        "packages": versions,
        "commit": read_commit(),
        "load_start": os.getloadavg(),
    }


def read_commit() -> str | None:
    """The checked-out commit, read from .git files (no git command; a worktree's .git is a
    file naming its git folder)."""
    try:
        git = ROOT / ".git"
        if git.is_file():
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head[:12]
        ref = head.split(" ", 1)[1]
        common = git / "commondir"
        roots = [git] + ([(git / common.read_text().strip()).resolve()] if common.is_file() else [])
        for base in roots:
            if (base / ref).is_file():
                return (base / ref).read_text().strip()[:12] + f" ({ref.rsplit('/', 1)[-1]})"
        for base in roots:
            packed = base / "packed-refs"
            if packed.is_file():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0][:12]
    except OSError:
        pass
    return None


def other_load() -> float:
    """CPU percent used by processes other than this one and its children (rough contention)."""
    try:
        import psutil
    except ImportError:
        return float("nan")
    me = psutil.Process()
    mine = {me.pid} | {p.pid for p in me.children(recursive=True)}
    procs = [p for p in psutil.process_iter() if p.pid not in mine]
    for p in procs:
        try:
            p.cpu_percent(None)
        except psutil.Error:
            pass
    time.sleep(1.0)
    total = 0.0
    for p in procs:
        try:
            total += p.cpu_percent(None)
        except psutil.Error:
            pass
    return total
