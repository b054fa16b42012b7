"""``python -m search serve`` under gunicorn, as a user runs it: workers replaced under load,
graceful reload and stop, a rebuilt index picked up, one log line per request, and the HTTP
limits of the server itself (issues 12, 18, 19)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
from http.client import HTTPException
from pathlib import Path

import commands
import pytest
from conftest import CORPUS, SEEDS
from served import Server, alive, get_json, serving, wait_for

from search.build import build

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")

PHRASE = "园区整合"
SEARCH = "/api/search?q=" + urllib.parse.quote(PHRASE)


@pytest.fixture(scope="module")
def hits(ingested) -> int:
    """园区整合 counted by brute force over the seed reports' normalized text."""
    return sum(r.text.count(PHRASE) for r in ingested.reports)


class Load:
    """``clients`` threads each sending requests one after another, every one on a new
    connection, recording (start, end, outcome) for each."""

    def __init__(self, url: str, clients: int, hits: int):
        self.url, self.hits = url, hits
        self.records: list[tuple[float, float, str]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run) for _ in range(clients)]

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                got = get_json(self.url, timeout=30)["hits"]
                outcome = "ok" if got == self.hits else f"hits={got}"
            except (OSError, ValueError, HTTPException) as error:  # no retry: all count
                outcome = repr(error)
            self.records.append((start, time.monotonic(), outcome))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()

    def failures(self, started_after: float = 0.0) -> list[str]:
        return [o for s, _, o in self.records if o != "ok" and s >= started_after]

    def count(self, started_after: float = 0.0) -> int:
        return sum(1 for s, _, _ in self.records if s >= started_after)


def test_a_worker_killed_under_load_is_replaced_and_every_later_request_succeeds(index_dir, hits):
    with serving(index_dir, workers=2) as server, Load(server.url + SEARCH, 6, hits) as load:
        assert wait_for(lambda: len(server.workers()) == 2)
        before = server.workers()
        assert wait_for(lambda: load.count() >= 30)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: not alive(victim), 10)
        dead_at = time.monotonic()  # from here no connection can reach the dead worker
        assert wait_for(lambda: len(server.workers()) == 2 and victim not in server.workers())
        replaced_at = time.monotonic()
        replacement = server.workers() - before
        assert len(replacement) == 1 and replacement != {victim}
        assert wait_for(lambda: load.count(replaced_at) >= 40)
    # A request the killed worker was answering may fail (its connection is reset); at most
    # one per client thread. Every request started once it was dead succeeded.
    in_flight = load.failures()
    print(
        f"killed worker: {len(in_flight)} request(s) in flight failed: {in_flight}; "
        f"{load.count(dead_at)} after its death, all answered"
    )
    assert load.failures(dead_at) == [], load.failures(dead_at)
    assert len(in_flight) <= 6, in_flight
    assert load.count(dead_at) >= 40
    code = server.proc.returncode
    assert code == 0, server.output()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_hup_reloads_the_workers_gracefully_and_term_or_int_stops_everything(index_dir, hits, stop):
    server = Server(index_dir, workers=2)
    try:
        assert wait_for(lambda: len(server.workers()) == 2)
        old = server.workers()
        with Load(server.url + SEARCH, 4, hits) as load:
            assert wait_for(lambda: load.count() >= 20)
            server.proc.send_signal(signal.SIGHUP)
            assert wait_for(lambda: not (server.workers() & old) and len(server.workers()) == 2)
            assert wait_for(lambda: not any(alive(w) for w in old))
            after = time.monotonic()
            assert wait_for(lambda: load.count(after) >= 20)
        assert load.failures() == []  # a graceful reload drops no request
        workers = server.workers()
        with Load(server.url + SEARCH, 2, hits) as load:
            assert wait_for(lambda: load.count() >= 5)
            assert server.stop(stop) == 0
        assert wait_for(lambda: not any(alive(w) for w in workers), 15)
        with pytest.raises(OSError):
            get_json(server.url + SEARCH, timeout=5)
    finally:
        server.stop(signal.SIGKILL)


def test_workers_exit_when_the_master_is_killed(index_dir):
    server = Server(index_dir, workers=2)
    try:
        assert wait_for(lambda: len(server.workers()) == 2)
        workers = server.workers()
    finally:
        server.stop(signal.SIGKILL)
    assert wait_for(lambda: not any(alive(w) for w in workers), 15)


def test_serve_picks_up_a_rebuilt_index_without_restart(tmp_path, hits):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    build(corpus, index, progress=False)
    for n in range(3):  # a bigger corpus: the same seed reports three more times
        for name in SEEDS.values():
            shutil.copy(CORPUS / name, corpus / f"copy{n}_{name}")
    bigger = 4 * hits  # every seed file (SEEDS) three more times
    with serving(index, workers=2) as server:
        seen, errors, stop = [], [], threading.Event()

        def hammer():
            while not stop.is_set():
                try:
                    seen.append((time.monotonic(), get_json(server.url + SEARCH)["hits"]))
                except (OSError, ValueError) as error:
                    errors.append(repr(error))

        clients = [threading.Thread(target=hammer) for _ in range(3)]
        for c in clients:
            c.start()
        try:
            result = commands.build(corpus, index, timeout=300)
            assert result.returncode == 0, result.stderr
            built = time.monotonic()
            assert wait_for(lambda: seen[-1][1] == bigger, 10)
            time.sleep(1.5)  # both workers refresh at most a second after the swap
            settled = time.monotonic()
            time.sleep(1.0)
        finally:
            stop.set()
            for c in clients:
                c.join()
    assert errors == []
    counts = [h for _, h in seen]
    assert set(counts) == {hits, bigger} and counts[0] == hits and counts[-1] == bigger
    assert all(h == bigger for t, h in seen if t >= settled)
    assert all(h == bigger for t, h in seen if t >= built + 1.5)


def test_the_log_has_one_line_per_request_unless_quiet(index_dir):
    with serving(index_dir, quiet=False) as server:
        for url in (SEARCH, "/api/search?q=%28", "/no-such-page", "/api/report/nope"):
            try:
                get_json(server.url + url)
            except urllib.error.HTTPError:
                pass
        assert wait_for(lambda: len(server.lines) >= 5, 10)
        time.sleep(0.5)
        lines = server.lines[1:]
    # Each thread logs once its answer is sent: two quick requests may log out of order.
    assert sorted(re.sub(r" \d+ms$", "", line) for line in lines) == [
        "GET /api/report/nope 404",
        "GET /api/search 200",
        "GET /api/search 400",
        "GET /no-such-page 404",
    ], lines
    assert all(re.fullmatch(r"GET \S+ \d{3} \d+ms", line) for line in lines), lines
    with serving(index_dir, quiet=True) as server:
        get_json(server.url + SEARCH)
        time.sleep(0.5)
        assert server.lines[1:] == []


# -- HTTP details the server itself answers ------------------------------------------------------
def raw_request(port: int, data: bytes, timeout: float = 20) -> bytes:
    """Send ``data`` as is and read the whole answer (the server closes or times out)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def head_of(answer: bytes) -> tuple[str, dict]:
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return head[0], {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}


@pytest.fixture(scope="module")
def server(index_dir):
    with serving(index_dir) as running:
        yield running


def test_merged_slashes_never_redirect_to_the_host_header(server):
    answer = raw_request(
        server.port,
        b"GET //api//search?q=x HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    )
    status, headers = head_of(answer)
    assert status.split()[1] in ("301", "308"), status
    assert headers["location"] == "/api/search?q=x"
    assert b"evil.example" not in answer


@pytest.mark.parametrize(
    "what, request_bytes, code",
    [
        (
            "a 300 KB cookie",
            b"GET /api/search?q=x HTTP/1.1\r\nHost: a\r\nCookie: c=" + b"x" * 300_000 + b"\r\n\r\n",
            431,
        ),
        (
            "a 400 KB URL",
            b"GET /api/search?q=" + b"x" * 400_000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
            414,
        ),
        (
            "101 header fields",
            b"GET / HTTP/1.1\r\nHost: a\r\n"
            + b"".join(b"X-%d: 1\r\n" % i for i in range(101))
            + b"\r\n",
            431,
        ),
        (
            "a declared 1 MB body, not sent",
            (b"POST /api/search HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n"),
            413,
        ),
    ],
)
def test_oversized_requests_are_answered_not_reset_and_carry_security_headers(
    server, hits, what, request_bytes, code
):
    from web import SECURITY_HEADERS
    from web.helpers import HTTP_MESSAGES

    answer = raw_request(server.port, request_bytes)
    status, headers = head_of(answer)
    assert status.startswith(f"HTTP/1.1 {code} "), (what, status)
    for name, value in SECURITY_HEADERS.items():
        assert headers[name.lower()] == value, (what, name)
    assert answer.split(b"\r\n\r\n", 1)[1].decode() == HTTP_MESSAGES[code] + "\n"
    assert get_json(server.url + SEARCH)["hits"] == hits  # the server is fine


def test_raw_chinese_in_the_request_line_gets_a_400_that_says_how_to_encode_it(server, hits):
    from web import SECURITY_HEADERS

    answer = raw_request(
        server.port, "GET /api/search?q=园区整合 HTTP/1.1\r\nHost: a\r\n\r\n".encode()
    )
    status, headers = head_of(answer)
    assert status.startswith("HTTP/1.1 400 ")
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert "--data-urlencode" in answer.decode()
    assert headers["x-frame-options"] == SECURITY_HEADERS["X-Frame-Options"]
    encoded = "/api/search?q=" + urllib.parse.quote("园区整合")
    assert get_json(server.url + encoded)["hits"] == hits


def test_a_taken_port_is_one_line_and_exit_2(index_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = commands.search("serve", "--index", index_dir, "--port", port, timeout=60)
    assert result.returncode == 2
    assert (
        result.stderr == f"govsearch: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )


def test_a_body_sent_in_pieces_is_read_whole_before_the_app_answers(server):
    from web.helpers import HTTP_MESSAGES

    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(
            b"POST /api/search?q=x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
            b"Content-Type: text/plain\r\nContent-Length: 10\r\n\r\n12345"
        )
        time.sleep(0.5)
        sock.sendall(b"67890")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status, headers = head_of(answer)
    assert status.startswith("HTTP/1.1 405 "), status  # the app's own answer: GET only
    assert HTTP_MESSAGES[405] in answer.decode()
    assert headers["x-content-type-options"] == "nosniff"


def test_on_another_gunicorn_the_server_falls_back_to_plain_gthread_and_says_so(
    monkeypatch, capsys
):
    from web import headfirst, serving

    assert serving.worker_class() == "web.headfirst.HeadFirstWorker"  # the tested gunicorn
    monkeypatch.setattr(headfirst.gunicorn, "__version__", "28.1.0")
    assert not headfirst.supported()
    assert serving.worker_class() == "gthread"
    warning = capsys.readouterr().err
    assert "gunicorn 28.1.0 is not the tested 27.0" in warning and "proxy" in warning
