"""Expensive answers take turns, so they cannot starve search (issue 19, item 8).

A city timeline, a year-over-year diff or a comparison ranks the key phrases of whole
reports: seconds of CPU on a big corpus, where a search takes milliseconds. Eight clients
asking for them at once held every thread and pushed the median search to 7.9 s. Views
marked :func:`expensive` share ``EXPENSIVE_CONCURRENCY`` slots per worker process (default
1); a request that finds no free slot within ``EXPENSIVE_WAIT`` seconds is answered 503
with a Chinese message and ``Retry-After``. Searches never wait for a slot.
"""

from __future__ import annotations

import threading
from functools import wraps

from flask import current_app, make_response

DEFAULTS = {"EXPENSIVE_CONCURRENCY": 1, "EXPENSIVE_WAIT": 2.0}
RETRY_AFTER = 5
_create = threading.Lock()


def _slots() -> threading.BoundedSemaphore:
    """The app's one semaphore for expensive views (made on first use)."""
    app = current_app
    slots = app.extensions.get("govsearch.expensive")
    if slots is None:
        with _create:
            slots = app.extensions.get("govsearch.expensive")
            if slots is None:
                size = int(
                    app.config.get("EXPENSIVE_CONCURRENCY", DEFAULTS["EXPENSIVE_CONCURRENCY"])
                )
                slots = app.extensions["govsearch.expensive"] = threading.BoundedSemaphore(size)
    return slots


def busy_response():
    from .helpers import render_error

    response = make_response(
        render_error(
            503,
            f"服务器正忙：这类统计计算量大，同时只能处理有限的请求。请约 {RETRY_AFTER} 秒后再试；"
            "搜索不受影响。",
        )
    )
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def expensive(view):
    """Run ``view`` only in a free expensive slot; 503 if none frees up in time."""

    @wraps(view)
    def limited(*args, **kwargs):
        slots = _slots()
        wait = float(current_app.config.get("EXPENSIVE_WAIT", DEFAULTS["EXPENSIVE_WAIT"]))
        if not slots.acquire(timeout=wait):
            return busy_response()
        try:
            return view(*args, **kwargs)
        finally:
            slots.release()

    return limited
