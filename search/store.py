"""The index folder: generations swapped atomically, a build lock, and the report store.

Layout of ``INDEX/``::

    CURRENT            name of the live generation (replaced with os.replace: atomic)
    gen-<stamp>/       one complete build: whoosh/ (full-text) + the report store + build.json
    .lock              held by the one build running; a lock whose process is gone is stale

A build writes a new generation and only then points CURRENT at it, so a build killed halfway
leaves the previous index serving, and a reader holding the old generation keeps a consistent
view until it reopens. The previous generation is kept for readers still using it; older ones
are removed.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildLockedError, IndexMissingError

CURRENT = "CURRENT"
LOCK = ".lock"
REPORTS = "reports.meta.json"  # written last by search.reportstore
BUILD_INFO = "build.json"
WHOOSH = "whoosh"


def current_generation(index: Path) -> Path:
    """The live generation folder, or IndexMissingError with what to run."""
    index = Path(index)
    try:
        name = (index / CURRENT).read_text("utf-8").strip()
    except OSError:
        raise IndexMissingError(
            f"no index at {index}: build one with `python -m search build --corpus DIR "
            f"--index {index}`") from None
    generation = index / name
    if not (generation / REPORTS).is_file():
        raise IndexMissingError(f"index at {index} is incomplete ({name} missing): rebuild it")
    return generation


def generation_id(index: Path) -> str | None:
    try:
        return (Path(index) / CURRENT).read_text("utf-8").strip()
    except OSError:
        return None


def new_generation(index: Path) -> Path:
    index.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = index / f"gen-{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    path.mkdir()
    return path


def publish(index: Path, generation: Path) -> None:
    """Point CURRENT at ``generation`` atomically, then prune all but the previous one."""
    previous = generation_id(index)
    tmp = index / f"{CURRENT}.tmp-{os.getpid()}"
    tmp.write_text(generation.name + "\n", "utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, index / CURRENT)
    keep = {generation.name, previous}
    for old in index.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def discard(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def build_lock(index: Path):
    """Hold the index's build lock; a second build gets BuildLockedError, a stale lock is taken."""
    index.mkdir(parents=True, exist_ok=True)
    path = index / LOCK
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            try:
                pid = int(path.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise BuildLockedError(
                    f"another build (process {pid}) is writing {index}; wait for it to finish "
                    f"(or remove {path} if that process is not a build)") from None
            path.unlink(missing_ok=True)
    else:
        raise BuildLockedError(f"could not take the build lock {path}")
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        path.unlink(missing_ok=True)


def write_build_info(generation: Path, info: dict) -> None:
    (generation / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=1), "utf-8")


def read_build_info(generation: Path) -> dict:
    try:
        return json.loads((generation / BUILD_INFO).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
