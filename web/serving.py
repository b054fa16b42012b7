"""Serve the app with gunicorn: ``python -m search serve`` as the one command.

gunicorn's arbiter forks the workers, replaces one that dies, reloads them gracefully on
SIGHUP and stops them gracefully on SIGTERM/SIGINT (quickly on SIGQUIT); a worker whose
master vanished exits within a second. :class:`GovsearchServer` is a custom application
(``gunicorn.app.base.BaseApplication``) so the CLI passes its options straight through,
without a config file.

Workers are ``gthread`` (a query is CPU work in Python: one process per core, a few threads
each for waiting on the network). The app is created and the index opened in each worker
after the fork (``preload_app`` is off): sharing the loaded reports copy-on-write saves
little once a worker touches them (reference counts write to every object's page), and a
master holding them would count its ~100 MB in every RSS total and could not pick up a
rebuilt index. Each worker refreshes to a rebuilt index on its own (``EngineHolder``).

Slow clients are read by :mod:`web.headfirst` before a thread is given to them, and the
log stays one line per request (:class:`QuietLogger`); docs/reliability.md lists each limit.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time

import gunicorn
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.glogging import Logger

from search.errors import GovsearchError

#: One line per request: method, path, status, milliseconds (issue 18).
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(M)sms"

#: gunicorn settings that bound what one connection can hold (docs/reliability.md).
LIMITS = {
    "timeout": 60,  # a worker silent this long (stuck, not slow) is replaced
    "graceful_timeout": 10,  # SIGTERM/SIGHUP: requests in flight get this long to finish
    "keepalive": 5,  # an idle kept-alive connection is closed after 5 s
    "worker_connections": 1000,  # connections one worker holds open at once
    "limit_request_line": 8190,  # longer request line: 414
    "limit_request_fields": 100,  # more header fields: 431
    "limit_request_field_size": 8190,  # a longer header field (a 300 KB cookie): 431
}


def default_workers() -> int:
    """One worker per core, at most 4 (each holds its own copy of the reports)."""
    cores = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    return max(1, min(4, cores))


class RateLimit(logging.Filter):
    """At most ``burst`` records of one kind (logger and message template) per ``window``
    seconds; the next one let through says how many were dropped meanwhile."""

    def __init__(self, burst: int = 5, window: float = 10.0):
        super().__init__()
        self.burst, self.window = burst, window
        self.seen: dict[tuple, list] = {}  # kind -> [window start, passed, dropped]
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, str(record.msg))
        now = time.monotonic()
        with self.lock:
            state = self.seen.setdefault(kind, [now, 0, 0])
            if now - state[0] >= self.window:
                state[0], state[1] = now, 0
            if state[1] >= self.burst:
                state[2] += 1
                return False
            state[1] += 1
            dropped, state[2] = state[2], 0
        if dropped:
            record.msg = f"{record.msg} (and {dropped} more like it, not shown)"
        return True


class QuietLogger(Logger):
    """gunicorn's logger with rate-limited warnings; the app's own loggers share its handlers."""

    def setup(self, cfg):
        super().setup(cfg)
        limit = RateLimit()
        for handler in self.error_log.handlers:
            handler.addFilter(limit)
        for name in ("web", "search"):
            app_log = logging.getLogger(name)
            app_log.handlers = list(self.error_log.handlers)
            app_log.setLevel(logging.INFO)
            app_log.propagate = False


def _announce(server) -> None:
    """Say where the site answers (the port chosen when 0 was asked for)."""
    for listener in server.LISTENERS:
        host, port = listener.sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        print(
            f"govsearch serving on http://{shown}:{port} ({server.num_workers} worker"
            f"{'s' if server.num_workers != 1 else ''}; Ctrl-C stops)",
            flush=True,
        )


class GracefulArbiter(Arbiter):
    """gunicorn's arbiter with Ctrl-C (SIGINT) as graceful as SIGTERM: gunicorn's own
    SIGINT stops the workers at once, dropping the requests they are answering."""

    def handle_int(self):
        self.handle_term()


class GovsearchServer(BaseApplication):
    """gunicorn running the govsearch app over one index folder."""

    def run(self):
        try:
            GracefulArbiter(self).run()
        except RuntimeError as error:  # gunicorn's own configuration errors
            raise GovsearchError(str(error)) from None

    def __init__(self, index: str, options: dict):
        self.index = index
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """Runs in each worker after the fork: create the app, open the index now rather
        than during the first request."""
        from web import create_app

        app = create_app({"INDEX": self.index})
        try:
            app.extensions["govsearch"].get()
        except GovsearchError as error:
            print(
                f"govsearch: {error} (pages will say so until an index is built)",
                file=sys.stderr,
                flush=True,
            )
        return app


def worker_class() -> str:
    """:class:`web.headfirst.HeadFirstWorker` on the gunicorn it was tested with, else
    gunicorn's own gthread worker (slow clients then hold threads; docs/reliability.md)."""
    from . import headfirst

    if headfirst.supported():
        return "web.headfirst.HeadFirstWorker"
    print(
        f"govsearch: gunicorn {gunicorn.__version__} is not the tested "
        f"{headfirst.TESTED_VERSION}; serving with plain gthread workers, which slow clients "
        f"can tie up (put a buffering proxy in front, docs/reliability.md)",
        file=sys.stderr,
        flush=True,
    )
    return "gthread"


def open_files_for(connections: int) -> int:
    """Raise this process's soft limit on open files toward what ``connections`` per worker
    need (the workers inherit it); return the connections the limit allows."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = connections + 256  # the index's files, the listener, logs
        if soft != resource.RLIM_INFINITY and soft < wanted:
            soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    except (ImportError, ValueError, OSError):
        return connections
    return connections if soft == resource.RLIM_INFINITY else max(16, min(connections, soft - 256))


def check_port(host: str, port: int) -> None:
    """Fail in one line, before gunicorn retries for five seconds, if the port is taken."""
    if port == 0:
        return
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        raise GovsearchError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def serve(
    index: str,
    host: str,
    port: int,
    workers: int | None = None,
    threads: int = 4,
    quiet: bool = False,
) -> None:
    """Serve until stopped; SIGHUP reloads the workers gracefully."""
    if threads < 1 or (workers is not None and workers < 1):
        raise GovsearchError("--workers and --threads must be at least 1")
    check_port(host, port)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    options = {
        "bind": f"{shown}:{port}",
        "workers": workers or default_workers(),
        "threads": threads,
        "worker_class": worker_class(),
        "preload_app": False,
        "proc_name": "govsearch",
        "logger_class": "web.serving.QuietLogger",
        "accesslog": None if quiet else "-",
        "access_log_format": ACCESS_FORMAT,
        "errorlog": "-",
        "loglevel": "warning",
        "when_ready": _announce,
        **LIMITS,
        "worker_connections": open_files_for(LIMITS["worker_connections"]),
    }
    GovsearchServer(index, options).run()
