"""Wall and CPU seconds per named phase of a long job (the build's ``summary.phases``).

CPU is this process's and its waited-for children's (``os.times``), so the work of a worker
pool counts in the phase that joins it; on a busy machine CPU seconds move less than wall.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager


class PhaseClock:
    """Records the wall and CPU seconds of named phases into ``phases`` (name -> figures)."""

    def __init__(self, phases: dict):
        self.phases = phases

    @contextmanager
    def __call__(self, name: str):
        wall, cpu = time.perf_counter(), _cpu_seconds()
        try:
            yield
        finally:
            self.phases[name] = {
                "seconds": round(time.perf_counter() - wall, 3),
                "cpu_seconds": round(_cpu_seconds() - cpu, 3),
            }


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
