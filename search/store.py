"""The index folder: generations swapped atomically, a build lock, and the report store.

Layout of ``INDEX/``::

    CURRENT            name of the live generation (replaced with os.replace: atomic)
    gen-<stamp>/       one complete build: whoosh/ (full-text) + the report store
                       (search/reportstore.py, suffix arrays) + build.json
                       + CHECKSUMS.json (every file's size and hash, written at commit)
    .lock              flock()ed by the one build running (the kernel releases it on exit)

A build writes a new generation and only then points CURRENT at it, so a build killed halfway
leaves the previous index serving, and a reader holding the old generation keeps a consistent
view until it reopens. The last two intact generations are kept (the live one and the one
before, for readers still using it and as a fallback if the live one is damaged); every other
generation folder (dead builds, damaged ones) is removed by the next build.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from . import checksums
from .errors import (
    BuildLockedError,
    DiskFullError,
    IndexDamagedError,
    IndexMissingError,
)

CURRENT = "CURRENT"
LOCK = ".lock"
REPORTS = "reports.meta.json"  # written last by search.reportstore
BUILD_INFO = "build.json"
WHOOSH = "whoosh"
#: Intact generations kept by a build: the live one and the one before.
KEEP_GENERATIONS = 2
#: errno values that mean "the disk (or a size limit) is full".
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

log = logging.getLogger("govsearch")


def current_generation(index: Path) -> Path:
    """The live generation folder, or IndexMissingError with what to run."""
    index = Path(index)
    try:
        name = (index / CURRENT).read_text("utf-8").strip()
    except OSError:
        raise IndexMissingError(
            f"no index at {index}: build one with `python -m search build --corpus DIR "
            f"--index {index}`"
        ) from None
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
    """Record ``generation``'s checksums, point CURRENT at it atomically, collect old ones."""
    checksums.write(generation)
    tmp = index / f"{CURRENT}.tmp-{os.getpid()}"
    tmp.write_text(generation.name + "\n", "utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, index / CURRENT)
    collect_garbage(index)


def discard(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


def damage(generation: Path, full: bool = False, published: bool = False) -> list[str]:
    """What is wrong with a generation folder (``[]``: intact); see :mod:`search.checksums`.

    ``published``: the generation is (or was) live, so a missing manifest means it was
    written before checksums existed, not that its build died: it is taken as it is.
    """
    if published and not (generation / checksums.FILENAME).exists():
        return []
    return checksums.verify(generation, full=full)


def _generations(index: Path) -> list[Path]:
    """Generation folders, newest first (by the time their checksums were written)."""

    def written(path: Path) -> float:
        try:
            return (path / checksums.FILENAME).stat().st_mtime
        except OSError:
            return 0.0

    return sorted(
        (p for p in index.glob("gen-*") if p.is_dir()),
        key=lambda p: (written(p), p.name),
        reverse=True,
    )


def collect_garbage(index: Path) -> list[str]:
    """Keep the live generation and the newest intact one before it; remove the rest.

    Call with the build lock held (a generation being written has no checksums yet and
    would be taken for a dead one). Returns the names removed.
    """
    live = generation_id(index)
    keep, removed = set(), []
    if live and (index / live).is_dir():
        keep.add(live)
    for path in _generations(index):
        if len(keep) >= KEEP_GENERATIONS:
            break
        if path.name not in keep and not damage(path):
            keep.add(path.name)
    for path in index.glob("gen-*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    for tmp in index.glob(f"{CURRENT}.tmp-*"):
        tmp.unlink(missing_ok=True)
    return removed


def open_generation(index: Path) -> tuple[Path, str | None]:
    """The generation to serve and a note when it is not the live one.

    The live generation is verified quickly (sizes, hashes of small files). If it is
    damaged, the newest intact earlier generation is served instead and the note says so;
    with none, IndexDamagedError says what is wrong and what to run.
    """
    live = current_generation(index)
    problems = damage(live, published=True)
    if not problems:
        return live, None
    for path in _generations(Path(index)):
        if path != live and not damage(path):
            note = (
                f"index generation {live.name} is damaged ({problems[0]}); serving the "
                f"previous intact generation {path.name} until a rebuild "
                f"(`python -m search build --corpus DIR --index {index}`)"
            )
            log.warning("%s", note)
            return path, note
    raise IndexDamagedError(
        f"index at {index} is damaged: {'; '.join(problems[:3])}"
        f"{f' (and {len(problems) - 3} more)' if len(problems) > 3 else ''}; rebuild it with "
        f"`python -m search build --corpus DIR --index {index}`"
    )


def check(index: Path) -> dict:
    """Verify every file of the live generation (full hashes) and that its report store
    parses: ``{"index", "generation", "files", "ok", "problems"}``, for ``search check``."""
    generation = current_generation(index)
    manifest = generation / checksums.FILENAME
    problems = damage(generation, full=True)
    if not manifest.exists():
        problems = [
            f"{generation.name}: no checksum manifest (built before checksums were "
            "recorded): only the report store was checked; rebuild to record them"
        ]
    files = 0
    try:
        files = len(json.loads(manifest.read_text("utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    if not problems or not manifest.exists():
        try:
            read_reports(generation)
        except (IndexDamagedError, OSError, ValueError) as error:
            problems.append(str(error))
    return {
        "index": str(index),
        "generation": generation.name,
        "files": files,
        "ok": not problems,
        "problems": problems,
    }


def disk_full(error: BaseException) -> OSError | None:
    """The "disk full" OSError behind ``error`` (itself, its cause or context), if any."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in DISK_FULL:
            return error
        error = error.__cause__ or error.__context__
    return None


def raise_disk_full(error: BaseException, where: Path) -> None:
    """Turn a write failure caused by a full disk into DiskFullError naming the path."""
    cause = disk_full(error)
    if cause is None:
        return
    path = cause.filename or where
    reason = "no space left on device" if cause.errno != errno.EFBIG else "file size limit exceeded"
    raise DiskFullError(
        f"{reason} writing {path}: free some space (or choose another "
        f"--index folder) and build again; the previous index is kept"
    ) from error


@contextmanager
def build_lock(index: Path):
    """Hold the index's build lock for the whole build: ``flock`` on ``INDEX/.lock``.

    Exclusive by construction, and the kernel releases it when the holder exits, however it
    dies, so there is no stale lock to judge. The file stays (unlinking it would let two
    processes lock two different files); it holds the holder's pid for the message.
    """
    index.mkdir(parents=True, exist_ok=True)
    path = index / LOCK
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise BuildLockedError(
                f"another build (process {holder}) is writing {index}; wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_reports(generation: Path, reports) -> int:
    """The report store is search/reportstore.py; kept here for the build and checks."""
    from .reportstore import write_reports as write

    return write(generation, reports)


def read_reports(generation: Path) -> list:
    """The reports of a generation; a store that cannot be read is damage, named."""
    from .reportstore import read_reports as read

    try:
        return read(generation)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise IndexDamagedError(
            f"{generation / REPORTS}: damaged ({type(error).__name__}); rebuild the index"
        ) from None


def write_build_info(generation: Path, info: dict) -> None:
    (generation / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=1), "utf-8")


def read_build_info(generation: Path) -> dict:
    try:
        return json.loads((generation / BUILD_INFO).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
