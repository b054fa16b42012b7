"""The served figures: a ``python -m search serve`` process tree started on a free port,
load generators (wrk when installed, else threads with keep-alive ``http.client``), and the
memory (RSS summed, PSS) and CPU of every server process."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

from .common import PY, ROOT, dist, free_port, http_get, log, mb
from .data import is_phrase_query
from .procs import tree_cpu, tree_memory, tree_threads


def api_path(query: str, limit: int = 10) -> str:
    return "/api/search?q=" + urllib.parse.quote(query) + f"&limit={limit}"


class Server:
    """``python -m search serve`` on a free port, its own process group; ``with`` waits for
    the first answer (``ready_seconds`` from start) and stops the whole group on exit."""

    def __init__(self, index: Path, extra: list[str] = (), timeout: float = 180):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.cmd = [
            PY,
            "-m",
            "search",
            "serve",
            "--index",
            str(index),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--quiet",
            *extra,
        ]
        self.timeout = timeout

    def __enter__(self):
        import psutil

        t0 = time.perf_counter()
        self.popen = subprocess.Popen(
            self.cmd,
            cwd=str(ROOT),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        self.ready_seconds = time.perf_counter() - t0
        self.proc = psutil.Process(self.popen.pid)
        return self

    def _wait_ready(self) -> None:
        deadline = time.time() + self.timeout
        while True:
            if self.popen.poll() is not None:
                raise RuntimeError(f"server exited: {self.popen.stdout.read()[-2000:]}")
            try:
                if http_get(self.base + api_path("发展"), timeout=60)[0] == 200:
                    return
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"server did not answer within {self.timeout:.0f} s")
            time.sleep(0.05)

    def __exit__(self, *exc):
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        return False


def python_load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """Bounded closed-loop load: ``clients`` threads with keep-alive http.client, fixed time."""
    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "non200": 0, "lat": []}

    def worker(offset: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i, lat, errs, bad = offset, [], 0, 0
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                bad += resp.status != 200
            except Exception:
                errs += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            lat.append((time.perf_counter() - t) * 1000)
        with lock:
            stats["requests"] += len(lat)
            stats["errors"] += errs
            stats["non200"] += bad
            stats["lat"] += lat

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k * 7,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {
        "tool": f"python http.client, {clients} threads",
        "seconds": elapsed,
        "requests": stats["requests"],
        "rps": stats["requests"] / elapsed,
        "errors": stats["errors"],
        "non200": stats["non200"],
        "latency": dist(stats["lat"]),
    }


WRK_LUA = (Path(__file__).parent / "templates" / "wrk.lua").read_text("utf-8")


def wrk_load(port: int, paths: list[str], clients: int, seconds: float, workdir: Path) -> dict:
    script = workdir / "bench_wrk.lua"
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(WRK_LUA.replace("PATHS", quoted), "utf-8")
    threads = max(1, min(2, clients))
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{int(seconds)}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}/",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = [x for x in proc.stdout.splitlines() if x.startswith("WRK-JSON ")]
    if not line:
        raise RuntimeError(f"wrk failed: {proc.stdout[-1000:]} {proc.stderr[-1000:]}")
    d = json.loads(line[-1][len("WRK-JSON ") :])
    secs = d["duration_us"] / 1e6
    return {
        "tool": f"wrk -t{threads} -c{clients}",
        "seconds": secs,
        "requests": d["requests"],
        "rps": d["requests"] / secs,
        "errors": d["connect"] + d["read"] + d["write"] + d["timeout"],
        "non200": d["status"],
        "latency": {
            "p50": d["p50"] / 1000,
            "p95": d["p95"] / 1000,
            "p99": d["p99"] / 1000,
            "mean": d["mean"] / 1000,
        },
    }


def fresh_queries(reports: list, n: int = 1500) -> list[str]:
    """``n`` distinct, deterministic CJK phrases (2, 3, 4 or 6 characters) cut from the texts."""
    run = re.compile("[\u4e00-\u9fff]{6,}")
    out: dict[str, None] = {}
    lengths = (2, 3, 4, 6)
    i = 0
    for r in reports:
        for k, m in enumerate(run.finditer(r.text)):
            if k % 37:
                continue
            out.setdefault(m.group()[: lengths[i % len(lengths)]], None)
            i += 1
            if len(out) >= n:
                return list(out)
    return list(out)


class MemorySampler(threading.Thread):
    """Peak RSS (summed) and PSS of a server tree, sampled every 0.2 s until ``stop``."""

    def __init__(self, proc):
        super().__init__(daemon=True)
        self.proc, self.rss, self.pss = proc, [], []
        self.stop = threading.Event()

    def run(self):
        import psutil

        while not self.stop.is_set():
            try:
                memory = tree_memory(self.proc)
            except psutil.Error:
                return
            self.rss.append(memory["rss"])
            self.pss.append(memory["pss"])
            self.stop.wait(0.2)


def http_check(base: str, engine, mix: list[dict]) -> list:
    """Each query fetched once: its JSON total/hits must equal the engine's answer."""
    wrong = []
    for q in mix:
        status, body = http_get(base + api_path(q["query"]))
        if status != 200:
            wrong.append((q["query"], f"HTTP {status}"))
            continue
        data = json.loads(body)
        want = engine.search(q["query"], limit=10)
        if data.get("total") != want["total"] or data.get("hits") != want["hits"]:
            wrong.append((q["query"], f"total {data.get('total')} vs {want['total']}"))
    return wrong


def _loads(server: Server, out: dict, paths: list[str], distinct: list[str], opts: dict) -> None:
    """The timed loads: distinct queries (all computed), the mix repeated, the HTTP ceiling."""
    port, clients, seconds = server.port, opts["clients"], opts["seconds"]

    def load(urls, secs):
        if opts["wrk"]:
            return wrk_load(port, urls, clients, secs, opts["workdir"])
        return python_load(port, urls, clients, secs)

    log(
        f"web: {'wrk' if opts['wrk'] else 'python'} load, {clients} clients, {seconds:.0f} s, "
        f"{len(distinct)} distinct queries (no repeats)"
    )
    cpu0 = tree_cpu(server.proc)
    out.update(load(distinct, seconds))
    out["server_cpu_seconds"] = tree_cpu(server.proc) - cpu0
    log(f"web: repeated mix of {len(paths)} queries, {clients} clients, {seconds:.0f} s")
    rep = load(paths, seconds)
    out["repeated"] = {k: rep[k] for k in ("rps", "latency", "requests", "errors", "non200")}
    try:  # the ceiling of the HTTP stack: one query with no hit (parse + one posting lookup)
        ceiling = load([api_path("四群八链")], 5)
        out["ceiling_rps"], out["ceiling_p50"] = ceiling["rps"], ceiling["latency"]["p50"]
    except Exception as error:
        out["ceiling_error"] = str(error)


def part_web(
    index: Path,
    engine,
    queries: list[dict],
    clients: int,
    seconds: float,
    workdir: Path,
    tool: str,
    fresh: list[str],
) -> dict:
    with Server(index) as server:
        log(f"web: serving {index} on 127.0.0.1:{server.port}")
        out: dict = {"port": server.port, "command": " ".join(server.cmd[1:])}
        proc = server.proc
        out["rss_idle"] = tree_memory(proc)["rss"]
        mix = [q for q in queries if is_phrase_query(q) or q["category"] in ("and", "filter")]
        paths = [api_path(q["query"]) for q in mix]
        out["http_checked"], out["http_wrong"] = len(paths), http_check(server.base, engine, mix)
        out["rss_warm"] = tree_memory(proc)["rss"]
        out["threads_before_load"] = tree_threads(proc)
        out["workers"] = len(proc.children(recursive=True))
        sampler = MemorySampler(proc)
        sampler.rss.append(out["rss_warm"])
        sampler.pss.append(tree_memory(proc)["pss"])
        sampler.start()
        # Main load: distinct queries, more than any answer cache holds, so every request is
        # computed (round-robin over them never repeats within a cache's lifetime).
        distinct = [api_path(t) for t in fresh]
        out["distinct_queries"] = len(distinct)
        use_wrk = tool == "wrk" or (tool == "auto" and bool(shutil.which("wrk")))
        try:
            _loads(
                server,
                out,
                paths,
                distinct,
                {"clients": clients, "seconds": seconds, "wrk": use_wrk, "workdir": workdir},
            )
        finally:
            sampler.stop.set()
            sampler.join()
        out.update(
            rss_peak=max(sampler.rss),
            pss_peak=max(sampler.pss),
            rss_after=tree_memory(proc)["rss"],
            threads=tree_threads(proc),
            mix=len(paths),
        )
        log(
            f"  {out['rps']:.1f} req/s, p50 {out['latency']['p50']:.1f} ms, "
            f"RSS peak {mb(out['rss_peak'])}, errors {out['errors']}, non-200 {out['non200']}"
        )
    return out
