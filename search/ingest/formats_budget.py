"""What one file may cost to read, and the errors that refuse a file.

Budgets of one file (docs/reliability.md, "Reader budgets"): a file over any of them is
skipped with its reason, so one hostile file cannot take the build's time or memory. Readers
read them as ``formats_budget.NAME`` at call time, so a test can lower one.

Every refusal is an ``IngestError`` (so the CLI prints one line) and a ``ValueError`` (so the
corpus walker reports the file and goes on), with a message that starts with the file name.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from ..errors import IngestError

#: Bytes one file may have (read_text's default ``max_bytes``).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Bytes a .docx may unpack to, counted while unpacking (declared sizes can lie).
DOCX_MAX_UNPACKED = 100 * 1024 * 1024
#: Unpacked-to-packed ratio of a .docx member past DOCX_RATIO_FLOOR bytes (Word XML: ~5-20).
DOCX_MAX_RATIO = 100
DOCX_RATIO_FLOOR = 1024 * 1024
#: Characters of text one file may hold (a report has 10-60 thousand, a yearbook a million).
MAX_CHARS = 5_000_000
#: Seconds one file's parse may take (where a timer can interrupt it: the main thread).
MAX_SECONDS = 60.0


class ReadError(IngestError, ValueError):
    """The file cannot be read at all (missing, permissions, not a file)."""


class TooLargeError(IngestError, ValueError):
    """The file is larger than the caller's limit; nothing was parsed."""


class UnsupportedFormatError(IngestError, ValueError):
    """A format we recognise but do not read; the message says what to convert to."""


class _OverTime(BaseException):
    """Raised by the timer inside a parser; a BaseException so no parser's own
    ``except Exception`` can swallow it."""


@contextmanager
def time_budget(name: str, seconds: float):
    """Stop a parse that runs past ``seconds`` with TooLargeError (main thread only: a timer
    signal can only interrupt that one; elsewhere the other budgets still hold)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise _OverTime

    over = TooLargeError(
        f"{name}: reading it took over {seconds:g} s, the limit for one file; split or simplify it"
    )
    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OverTime:
        raise over from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # The alarm's exception can be swallowed by C code it lands in; the clock cannot.
    if time.monotonic() - started > seconds:
        raise over


def check_size(
    name: str, size: int, limit: int, what: str = "file is", unit: str = "bytes"
) -> None:
    if size > limit:
        amount = (
            f"{size:,} characters, over the limit of {limit:,}"
            if unit == "characters"
            else f"{human(size)}, over the limit of {human(limit)}"
        )
        raise TooLargeError(f"{name}: {what} {amount}; split it into smaller files")


def human(size: int) -> str:
    return f"{size:,} bytes ({size / 2**20:.1f} MiB)"
