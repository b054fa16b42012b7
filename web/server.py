"""Serve the app with waitress, in one process per core.

A query is CPU work in Python, and one Python process runs one thread at a time: a single
waitress process answered ~120 distinct searches/s on the 2-core bench machine with one core
idle (docs/benchmarks.md). So ``serve`` forks ``workers`` copies of itself, each bound to the
same port with ``SO_REUSEPORT`` so that the kernel spreads connections over them, and each
opening the index before its first request. The parent only watches: a worker that dies is
replaced; stopping the parent (Ctrl-C, SIGTERM, even SIGKILL) stops the workers. Each worker
picks up a rebuilt index on its own (see ``EngineHolder``).

The index is opened after the fork, not before: sharing the loaded reports copy-on-write
saves little once each worker has touched them (reference counts write to every object's
page), and a parent holding them would count its ~100 MB in every RSS total.
"""
from __future__ import annotations

import os
import signal
import socket
import sys
import time

RESPAWN_PAUSE = 1.0
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def default_workers() -> int:
    """One worker per core, at most 4 (each holds its own copy of the reports)."""
    if not can_fork():
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def can_fork() -> bool:
    return hasattr(os, "fork") and hasattr(socket, "SO_REUSEPORT")


def bind(host: str, port: int, reuse_port: bool) -> socket.socket:
    """A listening socket; several with ``reuse_port`` share one port."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise OSError(error.errno, f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(1024)
    return sock


def serve(app, host: str, port: int, threads: int = 4, workers: int = 1,
          preload=None) -> None:
    """Serve ``app`` until interrupted. ``preload()`` runs in each worker before it serves."""
    from waitress import serve as waitress_serve

    if workers <= 1 or not can_fork():
        sock = bind(host, port, False)
        _announce(host, port, 1)
        if preload:
            preload()
        waitress_serve(app, sockets=[sock], threads=threads)
        return
    sockets = [bind(host, port, True) for _ in range(workers)]
    _announce(host, port, workers)
    children: dict[int, socket.socket] = {}
    stopping = False

    def start(sock: socket.socket) -> None:
        # Stop signals are held across the fork: one reaching a new worker before it drops
        # the parent's handler would run that handler there, and the worker would live on.
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:  # worker
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
            _die_with_parent()
            try:
                if preload:
                    preload()
                waitress_serve(app, sockets=[sock], threads=threads)
            finally:
                os._exit(0)
        children[pid] = sock
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for sock in sockets:
        start(sock)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        sock = children.pop(pid, None)
        if sock is not None and not stopping:
            print(f"govsearch: worker {pid} exited ({_describe(status)}); starting another",
                  file=sys.stderr, flush=True)
            time.sleep(RESPAWN_PAUSE)
            start(sock)


def _announce(host: str, port: int, workers: int) -> None:
    shown = f"[{host}]" if ":" in host else host
    print(f"govsearch serving on http://{shown}:{port} ({workers} worker"
          f"{'s' if workers > 1 else ''}; Ctrl-C stops)", flush=True)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.WEXITSTATUS(status)}"


def _die_with_parent() -> None:
    """Linux: the kernel sends the worker SIGTERM when the parent dies, however it dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(0)
