"""A gthread worker that reads a request's head before giving the connection a thread.

gunicorn's gthread worker hands a new connection to a thread as soon as one byte has
arrived, and the thread then blocks until the whole head (request line and headers) is in.
A client that trickles its headers a byte at a time holds that thread; a few hundred of
them hold every thread of every worker, and normal requests wait behind them (issue 19:
300 such connections blocked the site for 30 s). gunicorn has no header read timeout, and
its documentation sends slow clients to a buffering proxy.

Here the worker's own event loop (the selector gthread already runs for kept-alive
connections) buffers the request, without a thread, until its head has ended (a blank line)
and its declared body (at most the app's ``MAX_CONTENT_LENGTH``, 16 KB) is in, or the head
reaches :data:`HEAD_BUFFER` bytes; a request that has not arrived within
:data:`READ_TIMEOUT` seconds is answered 408 and closed, one declaring a bigger body 413.
Only then does a thread parse it, from the buffered bytes, and never waits for the client.
(A chunked body must end with an empty last chunk and no trailers.)

Errors gunicorn writes itself (400, 414, 431) and the 408 here carry the site's security
headers and a Chinese message.

This leans on gthread's internals (``TConn``, the poller, ``nr_conns``), so it is used
only on the gunicorn version it was tested with (:func:`supported`); on any other the server
runs gunicorn's plain gthread worker and says so.
"""

from __future__ import annotations

import errno
import re
import selectors
import signal
import socket
import time
from collections import deque
from functools import partial

import gunicorn
from gunicorn.workers.gthread import TConn, ThreadWorker

TESTED_VERSION = "27.0"
READ_TIMEOUT = 10.0  # seconds for a request (head and body) to arrive
HEAD_BUFFER = 64 * 1024  # past this the parser decides (it answers 414/431 on its limits)
STOP_LINGER = 1.0  # a stopping worker waits this long for heads still arriving


def body_limit() -> int:
    """The app's own limit on request bodies (``MAX_CONTENT_LENGTH``)."""
    from web import DEFAULTS

    return int(DEFAULTS["MAX_CONTENT_LENGTH"])


def request_state(buffered: bytes) -> str:
    """``"complete"`` (head and declared body are in, or the head is past HEAD_BUFFER and
    the parser must refuse it), ``"incomplete"`` or ``"too large"`` (a declared body over
    :func:`body_limit`, answered 413 without reading it)."""
    end = buffered.find(b"\r\n\r\n")
    if end < 0:
        return "complete" if len(buffered) >= HEAD_BUFFER else "incomplete"
    head, body = bytes(buffered[:end]).lower(), len(buffered) - end - 4
    length = re.search(rb"\r\ncontent-length:[ \t]*([0-9]{1,12})[ \t]*(?:\r\n|$)", head)
    if re.search(rb"\r\ntransfer-encoding:[^\r]*chunked", head):
        if body > body_limit():
            return "too large"
        return "complete" if buffered.endswith(b"\r\n0\r\n\r\n") else "incomplete"
    if length is None:  # no body, or a header the parser will refuse
        return "complete"
    if int(length.group(1)) > body_limit():
        return "too large"
    return "complete" if body >= int(length.group(1)) else "incomplete"


def supported() -> bool:
    return ".".join(gunicorn.__version__.split(".")[:2]) == TESTED_VERSION


def security_headers() -> bytes:
    from web import SECURITY_HEADERS

    return "".join(f"{k}: {v}\r\n" for k, v in SECURITY_HEADERS.items()).encode("latin-1")


#: What gunicorn's own error answers say instead of its English HTML (the status and
#: the site's headers stay); the detail goes to the log.
SERVER_MESSAGES = {
    400: "请求有误：请求行或请求头不符合 HTTP 规范。网址中的中文须先做百分号编码"
    "（浏览器会自动完成；curl 请用 -G --data-urlencode q=园区整合）。",
}


def error_answer(status_line: bytes, headers: bytes) -> bytes:
    """A complete answer for ``status_line``: the site's headers, a Chinese message."""
    from .helpers import HTTP_MESSAGES

    parts = status_line.split(b" ", 2)
    code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 400
    body = (SERVER_MESSAGES.get(code) or HTTP_MESSAGES.get(code) or "请求有误。").encode()
    return (
        status_line
        + b"\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + headers
        + b"Content-Length: %d\r\n\r\n" % (len(body) + 1)
        + body
        + b"\n"
    )


class _Answering:
    """A client socket whose first write (gunicorn's own error response) is replaced by
    :func:`error_answer` for the same status."""

    def __init__(self, sock, headers: bytes):
        self._sock, self._headers = sock, headers

    def sendall(self, data: bytes, *args):
        if self._headers:
            data = error_answer(bytes(data).split(b"\r\n", 1)[0], self._headers)
            self._headers = b""
        return self._sock.sendall(data, *args)

    def send(self, data: bytes, *args):
        self.sendall(data)
        return len(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


class HeadFirstWorker(ThreadWorker):
    """gthread, with request heads read by the event loop (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.heads: deque[TConn] = deque()  # connections whose head is still arriving
        self.extra_headers = security_headers()

    def init_signals(self):
        """Ctrl-C in a terminal reaches the workers too: finish the requests in flight, as
        on SIGTERM, instead of gunicorn's immediate exit (the master stops them the same way,
        ``web.serving.GracefulArbiter``)."""
        super().init_signals()
        signal.signal(signal.SIGINT, self.handle_exit)

    def accept(self, listener):
        try:
            sock, addr = listener.accept()
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE):  # out of files: try again later
                self.log.warning("cannot accept a connection: %s", e.strerror)
            elif e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self.wait_for_head(TConn(self.cfg, sock, addr, listener.getsockname()))

    def on_client_socket_readable(self, conn, client):
        """A kept-alive connection's next request is read the same way as a first one."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self.wait_for_head(conn)

    def wait_for_head(self, conn) -> None:
        conn.sock.setblocking(False)
        conn.head = bytearray()
        conn.timeout = time.monotonic() + READ_TIMEOUT
        self.heads.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_head_data, conn))

    def on_head_data(self, conn, client) -> None:
        try:
            data = conn.sock.recv(HEAD_BUFFER)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away before its head was complete
            self.drop_head(conn)
            return
        conn.head += data
        state = request_state(conn.head)
        if state == "incomplete":
            return
        if state == "too large":
            self.drop_head(
                conn, error_answer(b"HTTP/1.1 413 Payload Too Large", self.extra_headers)
            )
            return
        self.poller.unregister(conn.sock)
        self.heads.remove(conn)
        conn.data_ready = True
        self.enqueue_req(conn)

    def drop_head(self, conn, answer: bytes = b"") -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self.heads.remove(conn)
        self.nr_conns -= 1
        if answer:
            try:
                conn.sock.send(answer)
            except OSError:
                pass
        conn.close()

    def murder_pending(self):
        """Also answer 408 to requests that took longer than READ_TIMEOUT to arrive."""
        super().murder_pending()
        now = time.monotonic()
        if not self.alive:  # stopping: a head not in within a second is not a request yet
            for conn in self.heads:
                conn.timeout = min(conn.timeout, now + STOP_LINGER)
        while self.heads and self.heads[0].timeout <= now:
            self.drop_head(self.heads[0], self.timeout_answer())

    def timeout_answer(self) -> bytes:
        return error_answer(b"HTTP/1.1 408 Request Timeout", self.extra_headers)

    def handle(self, conn):
        """Parse from the buffered head; the rest (a body) from the socket."""
        head = getattr(conn, "head", None)
        if head is not None:
            conn.head = None
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(bytes(head))
        return super().handle(conn)

    def handle_error(self, req, client, addr, exc):
        if isinstance(client, socket.socket):
            client = _Answering(client, self.extra_headers)
        return super().handle_error(req, client, addr, exc)
