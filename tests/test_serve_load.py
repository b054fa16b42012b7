"""The server under hostile load (issue 19, items 7 and 9): hundreds of clients trickling
their headers, fifty clients at once. Loopback only, bounded in count and time; marked slow
(``make bench``) since each takes 10–20 s."""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.parse

import pytest
from served import get_json, serving

from web.headfirst import READ_TIMEOUT

pytestmark = pytest.mark.slow

SEARCH = "/api/search?q=" + urllib.parse.quote("园区整合")
SLOW_CLIENTS = 300


def test_300_clients_trickling_headers_or_bodies_do_not_hold_up_normal_requests(index_dir):
    with serving(index_dir, workers=2) as server:
        expected = get_json(server.url + SEARCH)["hits"]
        slow = []
        for n in range(SLOW_CLIENTS):  # half trickle their headers, half a declared body
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            sock.sendall(
                b"GET /api/search?q=x HTTP/1.1\r\nHost: a\r\n"
                if n % 2
                else b"POST /api/search HTTP/1.1\r\nHost: a\r\nContent-Length: 9999\r\n\r\n"
            )
            slow.append(sock)
        opened = time.monotonic()
        stop = threading.Event()

        def trickle():  # one byte per connection every half second, never the end
            while not stop.is_set():
                for sock in slow:
                    try:
                        sock.send(b"X")
                    except OSError:
                        pass
                stop.wait(0.5)

        trickler = threading.Thread(target=trickle)
        trickler.start()
        try:
            times = []
            for _ in range(20):
                start = time.monotonic()
                assert get_json(server.url + SEARCH, timeout=30)["hits"] == expected
                times.append(time.monotonic() - start)
                time.sleep(0.1)
            assert max(times) <= 2.0, times
            # Past the head timeout every trickling connection is answered 408 and closed.
            time.sleep(max(0.0, opened + READ_TIMEOUT + 2.5 - time.monotonic()))
        finally:
            stop.set()
            trickler.join()
        answers = []
        for sock in slow:
            sock.settimeout(0.5)
            try:
                answers.append(sock.recv(4096))
            except TimeoutError:
                answers.append(None)  # still open: a failure
            except OSError:
                answers.append(b"reset")
            sock.close()
        assert None not in answers
        timed_out = sum(1 for a in answers if a and a.startswith(b"HTTP/1.1 408 "))
        assert timed_out + answers.count(b"reset") + answers.count(b"") == SLOW_CLIENTS
        assert timed_out >= SLOW_CLIENTS // 2, answers[:3]
        assert get_json(server.url + SEARCH)["hits"] == expected


def test_50_clients_leave_one_log_line_per_request_and_nothing_else(index_dir):
    with serving(index_dir, workers=2, quiet=False) as server:
        done, errors = [], []
        stop = threading.Event()

        def client():
            while not stop.is_set():
                try:
                    get_json(server.url + SEARCH, timeout=30)
                    done.append(1)
                except OSError as error:
                    errors.append(repr(error))

        threads = [threading.Thread(target=client) for _ in range(50)]
        for t in threads:
            t.start()
        time.sleep(8)
        stop.set()
        for t in threads:
            t.join()
        time.sleep(1)
        lines = server.lines[1:]
    assert errors == []
    assert len(lines) == len(done), lines[:5]
    assert all(re.fullmatch(r"GET /api/search 200 \d+ms", line) for line in lines)
