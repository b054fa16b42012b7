"""The real server for tests: ``python -m search serve`` (gunicorn) in a subprocess on a free
port, and small helpers to watch its processes through /proc."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """A running ``serve``: its process, base URL and everything it printed so far."""

    def __init__(self, index: Path, workers: int = 1, threads: int = 4, quiet: bool = True):
        cmd = [
            sys.executable,
            "-m",
            "search",
            "serve",
            "--index",
            str(index),
            "--port",
            "0",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ] + (["--quiet"] * quiet)
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.announced = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if not self.announced.wait(120) or not self.lines[0].startswith("govsearch serving"):
            self.stop()
            raise RuntimeError("server did not start:\n" + self.output())
        self.url = re.search(r"http://\S+", self.lines[0]).group(0)
        self.port = int(self.url.rsplit(":", 1)[1])

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("govsearch serving on"):
                self.lines.insert(0, self.lines.pop())
                self.announced.set()
        self.announced.set()  # the server exited (before announcing, if lines[0] says not)

    def output(self) -> str:
        return "\n".join(self.lines)

    def workers(self) -> set[int]:
        return children(self.proc.pid)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            self.reader.join(timeout=5)


@contextlib.contextmanager
def serving(index: Path, **options):
    server = Server(index, **options)
    try:
        yield server
    finally:
        server.stop()


def children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def wait_for(predicate, seconds: float = 60.0) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def get_json(url: str, timeout: float = 10) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())
